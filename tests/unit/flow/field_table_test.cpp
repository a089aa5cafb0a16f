#include "flow/field_table.h"

#include <QtTest>

using namespace spyglass;

class FieldTableTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aPairIsTakenInOnItsSecondSighting()
    {
        FieldTable t;
        QCOMPARE(t.pairRef("Server", "nginx"), 0u); // once: it stays literal
        const quint32 ref = t.pairRef("Server", "nginx");
        QVERIFY(ref >= 1);
        QCOMPARE(t.pairRef("Server", "nginx"), ref);
        QCOMPARE(t.pairRef("server", "nginx"), 0u); // names keep their case
        QVERIFY(t.pair(ref));
        QCOMPARE(t.pair(ref)->first, QByteArray("Server"));
        QCOMPARE(t.pair(ref)->second, QByteArray("nginx"));
        QCOMPARE(t.pairCount(), 1);
    }

    void aValueSeenOnceCostsNoEntry()
    {
        FieldTable t;
        for (int i = 0; i < 10000; ++i)
            QCOMPARE(t.pairRef("X-Request-Id", QByteArray::number(i)), 0u);
        QCOMPARE(t.pairCount(), 0);
    }

    void namesAreTakenInAtOnceAndSharedWithTheirPairs()
    {
        FieldTable t;
        const quint32 n = t.nameRef("Content-Type");
        QVERIFY(n >= 1);
        QCOMPARE(t.nameRef("Content-Type"), n);
        QCOMPARE(*t.name(n), QByteArray("Content-Type"));
        t.pairRef("Content-Type", "text/html");
        const quint32 p = t.pairRef("Content-Type", "text/html");
        QCOMPARE(t.pair(p)->first.constData(), t.name(n)->constData()); // one copy of the name
    }

    void longValuesAndNamesStayLiteral()
    {
        FieldTable t;
        const QByteArray longValue(FieldTable::MaxValueSize + 1, 'c');
        const QByteArray longName(FieldTable::MaxNameSize + 1, 'n');
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(t.pairRef("Cookie", longValue), 0u);
            QCOMPARE(t.pairRef(longName, "v"), 0u);
            QCOMPARE(t.nameRef(longName), 0u);
        }
        QCOMPARE(t.pairCount(), 0);
        const QByteArray longest(FieldTable::MaxValueSize, 'c');
        t.pairRef("Cookie", longest);
        QVERIFY(t.pairRef("Cookie", longest) >= 1);
    }

    void aFullTableLeavesNewFieldsLiteral()
    {
        FieldTable t(1000);
        QList<quint32> refs;
        for (int i = 0; i < 100; ++i) {
            const QByteArray v = QByteArray::number(i).rightJustified(50, '0');
            t.pairRef("Set-Cookie", v);
            if (const quint32 ref = t.pairRef("Set-Cookie", v))
                refs.append(ref);
        }
        QVERIFY(t.bytes() <= 1000);
        QCOMPARE(refs.size(), (1000 - 10) / 50); // the name once, then 50 bytes a value
        QCOMPARE(t.pairRef("Set-Cookie", QByteArray::number(0).rightJustified(50, '0')),
                 refs.first()); // what it holds it still finds
        t.clear();
        QCOMPARE(t.bytes(), 0);
    }

    void referencesStayAsTheTableGrows()
    {
        FieldTable t;
        QList<quint32> refs;
        for (int i = 0; i < 5000; ++i) {
            const QByteArray v = "value " + QByteArray::number(i);
            t.pairRef("ETag", v);
            refs.append(t.pairRef("ETag", v));
            QVERIFY(refs.last() >= 1);
        }
        QCOMPARE(t.pairCount(), 5000);
        for (int i = 0; i < 5000; ++i) {
            const QByteArray v = "value " + QByteArray::number(i);
            QCOMPARE(t.pairRef("ETag", v), refs[i]);
            QCOMPARE(t.pair(refs[i])->second, v);
        }
    }

    void unknownReferencesAreNull()
    {
        FieldTable t;
        QVERIFY(!t.pair(0));
        QVERIFY(!t.pair(1));
        QVERIFY(!t.name(0));
        QVERIFY(!t.name(1));
        t.pairRef("a", "b");
        const quint32 ref = t.pairRef("a", "b");
        QVERIFY(t.pair(ref));
        QVERIFY(!t.pair(ref + 1));
        QVERIFY(!t.pair(quint64(1) << 40));
        t.clear();
        QVERIFY(!t.pair(ref));
        QCOMPARE(t.pairCount(), 0);
        QCOMPARE(t.nameCount(), 0);
        QCOMPARE(t.pairRef("a", "b"), 0u); // forgotten, sightings too
    }
};

QTEST_GUILESS_MAIN(FieldTableTest)
#include "field_table_test.moc"
