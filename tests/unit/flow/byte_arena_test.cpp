#include "flow/byte_arena.h"

#include <QByteArray>
#include <QList>
#include <QtTest>

using namespace spyglass;

class ByteArenaTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stringsReadBackAcrossSlabs()
    {
        ByteArena arena;
        QList<QByteArray> strings;
        QList<const char*> handles;
        for (int i = 0; i < 2000; ++i) {
            // Empty, tiny, typical, and some large enough to get a slab of their own.
            const int size = i % 97 == 0 ? 40'000 + i : (i * 37) % 900;
            strings.append(QByteArray(size, char('a' + i % 26)));
            handles.append(arena.add(strings.last()));
        }
        for (int i = 0; i < strings.size(); ++i)
            QCOMPARE(ByteArena::view(handles[i]).toByteArray(), strings[i]);
        qsizetype live = 0;
        for (const QByteArray& s : strings)
            live += s.size() + 4;
        QCOMPARE(arena.liveBytes(), live);
        QCOMPARE(arena.deadBytes(), 0);
        QVERIFY(arena.reservedBytes() >= live);
        QVERIFY(arena.reservedBytes() < live + live / 10 + 64 * 1024);
    }

    void releaseCountsBytesAsDead()
    {
        ByteArena arena;
        const char* a = arena.add("hello");
        const char* b = arena.add(QByteArrayView());
        QCOMPARE(ByteArena::view(b).size(), 0);
        QCOMPARE(arena.liveBytes(), 9 + 4);
        arena.release(a);
        QCOMPARE(arena.liveBytes(), 4);
        QCOMPARE(arena.deadBytes(), 9);
        QCOMPARE(ByteArena::view(b).size(), 0);
    }

    void clearEmptiesAndStaysUsable()
    {
        ByteArena arena;
        arena.add(QByteArray(1000, 'x'));
        arena.clear();
        QCOMPARE(arena.liveBytes(), 0);
        QCOMPARE(arena.reservedBytes(), 0);
        const char* h = arena.add("again");
        QCOMPARE(ByteArena::view(h), QByteArrayView("again"));
    }
};

QTEST_GUILESS_MAIN(ByteArenaTest)
#include "byte_arena_test.moc"
