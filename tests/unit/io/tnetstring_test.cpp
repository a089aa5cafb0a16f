#include "io/tnetstring.h"

#include <QtTest>

using namespace spyglass;

namespace {

QByteArray tn(const QByteArray& data, char type)
{
    return QByteArray::number(data.size()) + ':' + data + type;
}

// `depth` lists nested in each other around an empty list, built inside out.
QByteArray nestedLists(int depth)
{
    QList<qsizetype> sizes; // payload size at each level, innermost first
    qsizetype inner = 0;
    for (int i = 0; i < depth; ++i) {
        sizes.append(inner);
        inner = QByteArray::number(inner).size() + 2 + inner;
    }
    QByteArray out;
    for (qsizetype i = sizes.size() - 1; i >= 0; --i)
        out += QByteArray::number(sizes[i]) + ':';
    out += QByteArray(depth, ']');
    return out;
}

} // namespace

class TnetstringTest : public QObject
{
    Q_OBJECT

private slots:
    void scalars()
    {
        auto r = TnetstringReader::parse("5:hello,");
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.value.type, TnetValue::Type::Bytes);
        QCOMPARE(r.value.bytes, QByteArray("hello"));
        QCOMPARE(r.end, 8);

        r = TnetstringReader::parse(tn("h\xc3\xa9", ';'));
        QCOMPARE(r.value.type, TnetValue::Type::Text);
        QCOMPARE(QString::fromUtf8(r.value.bytes), QStringLiteral(u"hé"));

        r = TnetstringReader::parse("3:-42#");
        QCOMPARE(r.value.type, TnetValue::Type::Integer);
        QCOMPARE(r.value.integer, -42);
        QCOMPARE(r.value.toDouble(), -42.0);

        r = TnetstringReader::parse("17:1795982228.116324^");
        QCOMPARE(r.value.type, TnetValue::Type::Float);
        QVERIFY(qAbs(r.value.number - 1795982228.116324) < 1e-6);
        QCOMPARE(r.value.toInteger(), 1795982228);

        r = TnetstringReader::parse("4:true!");
        QCOMPARE(r.value.type, TnetValue::Type::Boolean);
        QVERIFY(r.value.boolean);
        r = TnetstringReader::parse("5:false!");
        QVERIFY(r.ok());
        QVERIFY(!r.value.boolean);

        r = TnetstringReader::parse("0:~");
        QVERIFY(r.ok());
        QVERIFY(r.value.isNull());

        r = TnetstringReader::parse("0:,");
        QVERIFY(r.ok());
        QCOMPARE(r.value.type, TnetValue::Type::Bytes);
        QVERIFY(r.value.bytes.isEmpty());

        // Binary data, ':' and type bytes inside are only data.
        const QByteArray binary("a:\0,}]~x", 8);
        r = TnetstringReader::parse(tn(binary, ','));
        QCOMPARE(r.value.bytes, binary);
    }

    void containers()
    {
        const QByteArray list = tn(tn("a", ',') + tn("1", '#') + tn("", '~'), ']');
        const QByteArray dict = tn(
            tn("k", ';') + list + tn("n", ',') + tn("2", '#') + tn("n", ';') + tn("3", '#'), '}');
        auto r = TnetstringReader::parse(dict);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QVERIFY(r.value.isDict());
        QCOMPARE(r.value.keys.size(), 3);
        const TnetValue* k = r.value.get("k");
        QVERIFY(k && k->isList());
        QCOMPARE(k->items.size(), size_t(3));
        QCOMPARE(k->items[0].bytes, QByteArray("a"));
        QCOMPARE(k->items[1].integer, 1);
        QVERIFY(k->items[2].isNull());
        // Offsets are positions in the input.
        QCOMPARE(k->offset, qint64(dict.indexOf(list)));
        // A repeated key: the last one counts.
        QCOMPARE(r.value.get("n")->integer, 3);
        QVERIFY(!r.value.get("missing"));
        QVERIFY(!k->get("a")); // not a dict

        r = TnetstringReader::parse("0:]0:}");
        QVERIFY(r.ok());
        QVERIFY(r.value.isList());
        QVERIFY(r.value.items.empty());
        QCOMPARE(r.end, 3);
        r = TnetstringReader::parse("0:]0:}", 3);
        QVERIFY(r.ok());
        QVERIFY(r.value.isDict());
        QCOMPARE(r.end, 6);
    }

    void truncatedInput_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<qint64>("errorAt");
        QTest::newRow("empty") << QByteArray() << qint64(0);
        QTest::newRow("digits only") << QByteArray("12") << qint64(2);
        QTest::newRow("short data") << QByteArray("5:abc") << qint64(2);
        QTest::newRow("no type byte") << QByteArray("3:abc") << qint64(2);
        QTest::newRow("inside a dict") << QByteArray("20:1:a,1:b,") << qint64(3);
    }

    void truncatedInput()
    {
        QFETCH(QByteArray, input);
        QFETCH(qint64, errorAt);
        const auto r = TnetstringReader::parse(input);
        QVERIFY(!r.ok());
        QVERIFY2(r.truncated, qPrintable(r.error));
        QCOMPARE(r.errorAt, errorAt);
        // Every prefix of a good value is truncation, never a crash or a value.
        const QByteArray good = tn(tn("key", ';') + tn(tn("1", '#') + tn("x", ','), ']'), '}');
        for (qsizetype n = 0; n < good.size(); ++n) {
            const auto p = TnetstringReader::parse(good.left(n));
            QVERIFY(!p.ok());
            QVERIFY(p.truncated);
        }
        QVERIFY(TnetstringReader::parse(good).ok());
    }

    void corruptInput_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<qint64>("errorAt");
        QTest::addColumn<QString>("message");
        QTest::newRow("no length") << QByteArray(":abc,") << qint64(0) << "expected a length";
        QTest::newRow("no colon") << QByteArray("3;abc,") << qint64(1) << "expected ':'";
        QTest::newRow("unknown type") << QByteArray("3:abcX") << qint64(5) << "unknown type";
        QTest::newRow("long length") << QByteArray("0000000000001:a,") << qint64(0) << "digits";
        QTest::newRow("bad integer") << QByteArray("2:4a#") << qint64(2) << "bad integer";
        QTest::newRow("integer overflow")
            << QByteArray("20:99999999999999999999#") << qint64(3) << "bad integer";
        QTest::newRow("bad float") << QByteArray("3:1.x^") << qint64(2) << "bad float";
        QTest::newRow("bad boolean") << QByteArray("3:yes!") << qint64(2) << "bad boolean";
        QTest::newRow("null payload") << QByteArray("1:x~") << qint64(2) << "null";
        QTest::newRow("key not a string")
            << QByteArray("8:1:1#1:a,}") << qint64(2) << "not a string";
        QTest::newRow("key without value") << QByteArray("4:1:a,}") << qint64(6) << "without";
        // A child longer than its container: corrupt, not truncated.
        QTest::newRow("child overflows") << QByteArray("4:9:a,]0:,") << qint64(4) << "fit";
    }

    void corruptInput()
    {
        QFETCH(QByteArray, input);
        QFETCH(qint64, errorAt);
        QFETCH(QString, message);
        const auto r = TnetstringReader::parse(input);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(message), qPrintable(r.error));
        QCOMPARE(r.errorAt, errorAt);
        QVERIFY(!r.truncated);
        QVERIFY(r.value.isNull());
    }

    void depthIsBounded()
    {
        // At the limit it reads, one level more is an error, and a bomb is refused quickly.
        auto r = TnetstringReader::parse(nestedLists(TnetstringReader::DefaultMaxDepth + 1));
        QVERIFY2(r.ok(), qPrintable(r.error));
        r = TnetstringReader::parse(nestedLists(TnetstringReader::DefaultMaxDepth + 2));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QLatin1String("nested deeper")), qPrintable(r.error));
        QVERIFY(r.errorAt > 0);
        r = TnetstringReader::parse(nestedLists(3000));
        QVERIFY(!r.ok());
        QVERIFY(r.error.contains(QLatin1String("nested deeper")));
        r = TnetstringReader::parse(nestedLists(10), 0, 5);
        QVERIFY(!r.ok());
    }

    void hugeLengthAllocatesNothing()
    {
        const auto r = TnetstringReader::parse("999999999999:abc,");
        QVERIFY(!r.ok());
        QVERIFY(r.truncated);
        QVERIFY(r.error.contains(QLatin1String("does not fit")));
    }

    void conveniences()
    {
        TnetValue v;
        QCOMPARE(v.toDouble(7), 7.0);
        QCOMPARE(v.toInteger(7), 7);
        QCOMPARE(v.toBool(true), true);
        QVERIFY(v.toBytes().isEmpty());
        v.type = TnetValue::Type::Float;
        v.number = 1e300;
        QCOMPARE(v.toInteger(5), 5); // beyond qint64: the fallback
        v.type = TnetValue::Type::Integer;
        v.integer = 0;
        QCOMPARE(v.toBool(true), false);
    }
};

QTEST_GUILESS_MAIN(TnetstringTest)
#include "tnetstring_test.moc"
