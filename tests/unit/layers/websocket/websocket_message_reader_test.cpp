// Messages from frames: fragmentation with control frames in between, Close payloads, UTF-8,
// the size limit, and permessage-deflate read from frames that zlib itself compressed, with
// and without context takeover.
#include "layers/websocket/websocket_message_reader.h"
#include "playbook.h"
#include "websocket_test_util.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::layers::websocket;
using namespace spyglass::test;

namespace {

using Reader = WebSocketMessageReader;

// Everything the reader makes of `data`, fed whole (0), byte by byte (1) or cut at random (2).
std::vector<Reader::Event> readAll(Reader& r, const QByteArray& data, int mode)
{
    std::vector<Reader::Event> out;
    const QList<QByteArray> pieces = mode == 0   ? QList<QByteArray>{data}
                                     : mode == 1 ? splitEvery(data, 1)
                                                 : splitRandom(data, 11);
    for (const QByteArray& piece : pieces) {
        r.feed(piece);
        for (;;) {
            Reader::Event e = r.next();
            if (std::holds_alternative<Reader::NeedMore>(e))
                break;
            out.push_back(e);
            if (std::holds_alternative<Reader::Error>(e))
                return out;
        }
    }
    return out;
}

Reader::Error errorOf(const QByteArray& data, qint64 max = 1 << 20, bool deflate = false)
{
    Reader r(Reader::Sender::Server, max);
    if (deflate)
        r.enableDeflate();
    auto events = readAll(r, data, 0);
    if (events.empty() || !std::holds_alternative<Reader::Error>(events.back()))
        return {0, QStringLiteral("no error")};
    return std::get<Reader::Error>(events.back());
}

void addModes()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("whole") << 0;
    QTest::newRow("1-byte") << 1;
    QTest::newRow("random") << 2;
}

} // namespace

class WebSocketMessageReaderTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fragmentsWithPingBetween_data() { addModes(); }
    void fragmentsWithPingBetween()
    {
        QFETCH(int, mode);
        const QByteArray f1 = clientFrame(Opcode::Text, "Hel", false);
        const QByteArray ping = clientFrame(Opcode::Ping, "are you there");
        const QByteArray f2 = clientFrame(Opcode::Continuation, "l", false);
        const QByteArray pong = clientFrame(Opcode::Pong, "");
        const QByteArray f3 = clientFrame(Opcode::Continuation, "o");
        Reader r(Reader::Sender::Client, 1000);
        auto events = readAll(r, f1 + ping + f2 + pong + f3, mode);
        QCOMPARE(events.size(), size_t(3));
        const auto& c = std::get<Reader::Control>(events[0]);
        QCOMPARE(c.opcode, Opcode::Ping);
        QCOMPARE(c.payload, QByteArray("are you there"));
        QCOMPARE(c.raw, ping);
        QCOMPARE(std::get<Reader::Control>(events[1]).opcode, Opcode::Pong);
        const auto& m = std::get<Reader::Message>(events[2]);
        QVERIFY(m.isText);
        QVERIFY(!m.compressed);
        QCOMPARE(m.content, QByteArray("Hello"));
        QCOMPARE(m.raw, f1 + f2 + f3); // the message's frames only, in order
        QCOMPARE(m.largestFramePayload, 3);
    }

    void binaryAndEmptyMessages()
    {
        Reader r(Reader::Sender::Server, 1000);
        auto events = readAll(
            r, serverFrame(Opcode::Binary, QByteArray("\0\1\2", 3)) + serverFrame(Opcode::Text, ""),
            0);
        QCOMPARE(events.size(), size_t(2));
        QVERIFY(!std::get<Reader::Message>(events[0]).isText);
        QCOMPARE(std::get<Reader::Message>(events[0]).content, QByteArray("\0\1\2", 3));
        QVERIFY(std::get<Reader::Message>(events[1]).isText);
        QVERIFY(std::get<Reader::Message>(events[1]).content.isEmpty());
    }

    void utf8SplitAcrossFragmentsIsFine()
    {
        const QByteArray euro = "\xe2\x82\xac"; // €
        Reader r(Reader::Sender::Server, 1000);
        auto events = readAll(r,
                              serverFrame(Opcode::Text, euro.left(1), false) +
                                  serverFrame(Opcode::Continuation, euro.mid(1)),
                              0);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(std::get<Reader::Message>(events[0]).content, euro);
    }

    void sequenceErrors()
    {
        Reader::Error e = errorOf(serverFrame(Opcode::Continuation, "x"));
        QCOMPARE(e.code, quint16(1002));
        QVERIFY(e.message.contains("continuation"));
        e = errorOf(serverFrame(Opcode::Text, "a", false) + serverFrame(Opcode::Binary, "b"));
        QCOMPARE(e.code, quint16(1002));
        QVERIFY(e.message.contains("fragmented"));
        e = errorOf(serverFrame(Opcode::Text, "\xff\xfe"));
        QCOMPARE(e.code, quint16(1007));
        QVERIFY(e.message.contains("UTF-8"));
        // Frame-level errors come through with their codes.
        e = errorOf(QByteArray("\x85\x00", 2));
        QCOMPARE(e.code, quint16(1002));
    }

    void closePayloads()
    {
        Reader r(Reader::Sender::Client, 1000);
        auto events = readAll(r, clientFrame(Opcode::Close, closeBody(4000, "bye")), 1);
        QCOMPARE(events.size(), size_t(1));
        const auto& c = std::get<Reader::Close>(events[0]);
        QCOMPARE(c.code, std::optional<quint16>(4000));
        QCOMPARE(c.reason, QStringLiteral("bye"));
        QCOMPARE(c.raw, clientFrame(Opcode::Close, closeBody(4000, "bye")));

        Reader empty(Reader::Sender::Server, 1000);
        events = readAll(empty, serverFrame(Opcode::Close, ""), 0);
        QVERIFY(!std::get<Reader::Close>(events[0]).code);

        QCOMPARE(errorOf(serverFrame(Opcode::Close, "x")).code, quint16(1002));
        for (quint16 bad : {0, 999, 1004, 1005, 1006, 1015, 2000, 5000})
            QCOMPARE(errorOf(serverFrame(Opcode::Close, closeBody(bad, ""))).code, quint16(1002));
        QCOMPARE(errorOf(serverFrame(Opcode::Close, closeBody(1000, "\xc3\x28"))).code,
                 quint16(1007));
        // A Close may come between the fragments of a message.
        Reader mid(Reader::Sender::Server, 1000);
        events = readAll(mid,
                         serverFrame(Opcode::Text, "a", false) +
                             serverFrame(Opcode::Close, closeBody(1001, "")),
                         0);
        QCOMPARE(std::get<Reader::Close>(events[0]).code, std::optional<quint16>(1001));
    }

    void sizeLimit()
    {
        // Three fragments of 400 bytes with a limit of 1000: the third one is too much.
        const QByteArray part(400, 'x');
        Reader::Error e = errorOf(serverFrame(Opcode::Binary, part, false) +
                                      serverFrame(Opcode::Continuation, part, false) +
                                      serverFrame(Opcode::Continuation, part),
                                  1000);
        QCOMPARE(e.code, quint16(1009));
        QVERIFY(e.message.contains("1000"));
        // One frame beyond the limit: refused from its header.
        QCOMPARE(errorOf(serverFrame(Opcode::Binary, QByteArray(1001, 'x')), 1000).code,
                 quint16(1009));
    }

    void deflateWithContextTakeover_data() { addModes(); }
    void deflateWithContextTakeover()
    {
        QFETCH(int, mode);
        ZlibSender zlib(true);
        const QByteArray m1 = chatter(50);
        const QByteArray m2 = chatter(60);
        const QByteArray m3 = "short and new";
        const QByteArray c1 = zlib.compress(m1), c2 = zlib.compress(m2), c3 = zlib.compress(m3);
        QVERIFY(c2.size() < c1.size()); // it refers back to the first message
        // m2 is cut into two frames; m3 goes uncompressed (RSV1 clear) in between.
        const QByteArray wire = clientFrame(Opcode::Text, c1, true, true) +
                                clientFrame(Opcode::Text, c2.left(5), false, true) +
                                clientFrame(Opcode::Continuation, c2.mid(5)) +
                                clientFrame(Opcode::Binary, "plain") +
                                clientFrame(Opcode::Text, c3, true, true);
        Reader r(Reader::Sender::Client, 1 << 20);
        r.enableDeflate();
        auto events = readAll(r, wire, mode);
        QCOMPARE(events.size(), size_t(4));
        const auto& r1 = std::get<Reader::Message>(events[0]);
        QVERIFY(r1.compressed);
        QCOMPARE(r1.content, m1);
        QCOMPARE(std::get<Reader::Message>(events[1]).content, m2);
        QVERIFY(!std::get<Reader::Message>(events[2]).compressed);
        QCOMPARE(std::get<Reader::Message>(events[2]).content, QByteArray("plain"));
        QCOMPARE(std::get<Reader::Message>(events[3]).content, m3);
    }

    void deflateWithoutContextTakeover()
    {
        ZlibSender zlib(false, 10);
        Reader r(Reader::Sender::Server, 1 << 20);
        r.enableDeflate();
        QByteArray wire;
        QList<QByteArray> messages;
        for (int i = 0; i < 5; ++i) {
            messages << chatter(20 + i, "no-takeover");
            wire += serverFrame(Opcode::Text, zlib.compress(messages.last()), true, true);
        }
        auto events = readAll(r, wire, 2);
        QCOMPARE(events.size(), size_t(5));
        for (int i = 0; i < 5; ++i)
            QCOMPARE(std::get<Reader::Message>(events[size_t(i)]).content, messages[i]);
    }

    void deflateErrors()
    {
        // A bomb: 1 MiB of zeros compresses to about a kilobyte, the limit is 64 KiB.
        ZlibSender zlib(true);
        const QByteArray bomb = zlib.compress(QByteArray(1 << 20, '\0'));
        QVERIFY(bomb.size() < 4096);
        Reader::Error e = errorOf(serverFrame(Opcode::Binary, bomb, true, true), 64 * 1024, true);
        QCOMPARE(e.code, quint16(1009));
        QVERIFY(e.message.contains("decompressed"));
        e = errorOf(serverFrame(Opcode::Binary, "\xff\xff\xff\xff garbage", true, true), 1000,
                    true);
        QCOMPARE(e.code, quint16(1007));
        QVERIFY(e.message.contains("permessage-deflate"));
        // Compressed text that inflates to invalid UTF-8.
        ZlibSender z2(true);
        e = errorOf(serverFrame(Opcode::Text, z2.compress("\xff ok"), true, true), 1000, true);
        QCOMPARE(e.code, quint16(1007));
    }
};

QTEST_GUILESS_MAIN(WebSocketMessageReaderTest)
#include "websocket_message_reader_test.moc"
