// WebSocketMessages: a copy never sees later appends or edits of the original (and the
// original never sees the copy's), across chunk boundaries; iteration and equality.
#include "flow/websocket_data.h"

#include <QtTest>

using namespace spyglass;

namespace {

WebSocketMessage message(int i)
{
    WebSocketMessage m;
    m.fromClient = i % 2;
    m.isText = true;
    m.content = QByteArray::number(i);
    m.timestamp = i;
    return m;
}

} // namespace

class WebSocketDataTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void copiesAreIndependent()
    {
        WebSocketMessages list;
        std::vector<WebSocketMessages> copies;
        const int n = int(WebSocketMessages::ChunkSize) * 3 + 5;
        for (int i = 0; i < n; ++i) {
            list.push_back(message(i));
            if (i % 50 == 0 || i == int(WebSocketMessages::ChunkSize) - 1)
                copies.push_back(list);
        }
        QCOMPARE(list.size(), n);
        for (const WebSocketMessages& c : copies) {
            const qsizetype size = c.size();
            QCOMPARE(c.back().content, QByteArray::number(size - 1));
            for (qsizetype i = 0; i < size; ++i)
                QCOMPARE(c[i].content, QByteArray::number(i));
        }
        // Editing the last message of the original leaves copies alone, and the other way.
        WebSocketMessages copy = list;
        list.lastForWriting().dropped = true;
        QVERIFY(list.back().dropped);
        QVERIFY(!copy.back().dropped);
        copy.lastForWriting().content = "changed";
        QCOMPARE(list.back().content, QByteArray::number(n - 1));
        QVERIFY(!(copy == list));
        copy.lastForWriting().content = QByteArray::number(n - 1);
        copy.lastForWriting().dropped = true;
        QVERIFY(copy == list);
    }

    void iteration()
    {
        WebSocketMessages list;
        QVERIFY(list.empty());
        QVERIFY(list.begin() == list.end());
        for (int i = 0; i < 300; ++i)
            list.push_back(message(i));
        int i = 0;
        for (const WebSocketMessage& m : list)
            QCOMPARE(m.content, QByteArray::number(i++));
        QCOMPARE(i, 300);
        list.clear();
        QVERIFY(list.empty());
    }

    void dataEquality()
    {
        WebSocketData a, b;
        QVERIFY(a == b);
        a.messages.push_back(message(1));
        QVERIFY(!(a == b));
        b.messages.push_back(message(1));
        b.closeCode = 1000;
        QVERIFY(!(a == b));
        a.closeCode = 1000;
        QVERIFY(a == b);
    }
};

QTEST_GUILESS_MAIN(WebSocketDataTest)
#include "websocket_data_test.moc"
