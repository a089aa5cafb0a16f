// The frame codec: every length form, masking both ways, input in any pieces, and each rule
// the parser enforces with its close code.
#include "layers/websocket/websocket_frame_parser.h"
#include "playbook.h"
#include "websocket_test_util.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::layers::websocket;
using namespace spyglass::test;

namespace {

using Parser = WebSocketFrameParser;

// Every frame `data` holds, fed in pieces (mode 0 whole, 1 byte by byte, 2 random cuts).
QList<Parser::Frame> parseAll(Parser& p, const QByteArray& data, int mode,
                              std::optional<Parser::Error>* error = nullptr)
{
    QList<Parser::Frame> out;
    const QList<QByteArray> pieces = mode == 0   ? QList<QByteArray>{data}
                                     : mode == 1 ? splitEvery(data, 1)
                                                 : splitRandom(data, 7);
    for (const QByteArray& piece : pieces) {
        p.feed(piece);
        for (;;) {
            Parser::Result r = p.next();
            if (auto* f = std::get_if<Parser::Frame>(&r)) {
                out.append(*f);
                continue;
            }
            if (auto* e = std::get_if<Parser::Error>(&r); e && error)
                *error = *e;
            break;
        }
        if (p.failed())
            break;
    }
    return out;
}

Parser::Error errorOf(Parser::Sender sender, const QByteArray& data, bool rsv1 = false,
                      qint64 max = 1 << 20)
{
    Parser p(sender, max);
    p.setRsv1Allowed(rsv1);
    std::optional<Parser::Error> e;
    parseAll(p, data, 0, &e);
    return e.value_or(Parser::Error{0, QStringLiteral("no error")});
}

} // namespace

class WebSocketFrameParserTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rfcExamples()
    {
        // RFC 6455 5.7: "Hello" unmasked and masked with 0x37fa213d.
        Parser server(Parser::Sender::Server, 1000);
        server.feed(QByteArray("\x81\x05\x48\x65\x6c\x6c\x6f", 7));
        auto r = server.next();
        QVERIFY(std::holds_alternative<Parser::Frame>(r));
        QCOMPARE(std::get<Parser::Frame>(r).frame.payload, QByteArray("Hello"));
        QCOMPARE(std::get<Parser::Frame>(r).frame.opcode, Opcode::Text);

        const QByteArray masked("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11);
        Parser client(Parser::Sender::Client, 1000);
        client.feed(masked);
        r = client.next();
        QVERIFY(std::holds_alternative<Parser::Frame>(r));
        QCOMPARE(std::get<Parser::Frame>(r).frame.payload, QByteArray("Hello"));
        QCOMPARE(std::get<Parser::Frame>(r).raw, masked);
        QCOMPARE(clientFrame(Opcode::Text, "Hello"), masked);
        QVERIFY(std::holds_alternative<Parser::NeedMore>(client.next()));
    }

    void lengthForms_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("headerSize"); // without the mask key
        QTest::addColumn<int>("mode");
        for (const auto& [len, header] :
             {std::pair{0, 2}, {1, 2}, {125, 2}, {126, 4}, {65535, 4}, {65536, 10}, {100000, 10}}) {
            for (int mode : {0, 1, 2})
                QTest::addRow("%d-bytes-mode%d", len, mode) << len << header << mode;
        }
    }
    void lengthForms()
    {
        QFETCH(int, length);
        QFETCH(int, headerSize);
        QFETCH(int, mode);
        if (mode == 1 && length > 70000)
            QSKIP("byte-by-byte feeding of the largest frame adds nothing");
        QByteArray payload(length, '\0');
        for (int i = 0; i < length; ++i)
            payload[i] = char(i * 31 + 7);
        // Server -> client: unmasked.
        const QByteArray s = serverFrame(Opcode::Binary, payload);
        QCOMPARE(s.size(), headerSize + length);
        Parser sp(Parser::Sender::Server, 1 << 20);
        auto frames = parseAll(sp, s + s, mode);
        QCOMPARE(frames.size(), 2);
        QCOMPARE(frames[0].frame.payload, payload);
        QCOMPARE(frames[0].raw, s);
        QCOMPARE(frames[1].frame.payload, payload);
        QCOMPARE(sp.buffered(), 0);
        // Client -> server: masked, the key after the length.
        const QByteArray c = clientFrame(Opcode::Binary, payload);
        QCOMPARE(c.size(), headerSize + 4 + length);
        QVERIFY(uchar(c[1]) & 0x80);
        if (length > 0)
            QVERIFY(c.mid(headerSize + 4) != payload);
        Parser cp(Parser::Sender::Client, 1 << 20);
        frames = parseAll(cp, c, mode);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames[0].frame.payload, payload);
        QCOMPARE(frames[0].raw, c);
    }

    void longerLengthFormIsAccepted()
    {
        // "hi" with a 16-bit length: not minimal, still read.
        Parser p(Parser::Sender::Server, 1000);
        auto frames = parseAll(p, QByteArray("\x82\x7e\x00\x02hi", 6), 0);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames[0].frame.payload, QByteArray("hi"));
    }

    void flagsAndOpcodesRoundTrip()
    {
        Parser p(Parser::Sender::Server, 1000);
        p.setRsv1Allowed(true);
        const QByteArray data =
            serverFrame(Opcode::Text, "a", false, true) + serverFrame(Opcode::Ping, "p") +
            serverFrame(Opcode::Continuation, "b", true) + serverFrame(Opcode::Pong, "") +
            serverFrame(Opcode::Close, closeBody(1000, ""));
        auto frames = parseAll(p, data, 1);
        QCOMPARE(frames.size(), 5);
        QVERIFY(!frames[0].frame.fin);
        QVERIFY(frames[0].frame.rsv1);
        QCOMPARE(frames[1].frame.opcode, Opcode::Ping);
        QCOMPARE(frames[2].frame.opcode, Opcode::Continuation);
        QVERIFY(frames[2].frame.fin);
        QVERIFY(!frames[2].frame.rsv1);
        QCOMPARE(frames[3].frame.opcode, Opcode::Pong);
        QCOMPARE(frames[4].frame.opcode, Opcode::Close);
    }

    void errors_data()
    {
        QTest::addColumn<int>("sender"); // 0 client, 1 server
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<bool>("rsv1Allowed");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("text");
        QTest::newRow("opcode 3") << 1 << QByteArray("\x83\x00", 2) << false << 1002
                                  << "opcode 0x3";
        QTest::newRow("opcode 0xb")
            << 1 << QByteArray("\x8b\x00", 2) << false << 1002 << "opcode 0xb";
        QTest::newRow("rsv2") << 1 << QByteArray("\xa1\x00", 2) << true << 1002 << "RSV2";
        QTest::newRow("rsv3") << 1 << QByteArray("\x91\x00", 2) << true << 1002 << "RSV3";
        QTest::newRow("rsv1 without deflate")
            << 1 << QByteArray("\xc1\x00", 2) << false << 1002 << "permessage-deflate";
        QTest::newRow("rsv1 on ping")
            << 1 << QByteArray("\xc9\x00", 2) << true << 1002 << "control";
        QTest::newRow("rsv1 on continuation")
            << 1 << QByteArray("\xc0\x00", 2) << true << 1002 << "continuation";
        QTest::newRow("fragmented ping")
            << 1 << QByteArray("\x09\x00", 2) << false << 1002 << "fragmented";
        QTest::newRow("long ping")
            << 1 << QByteArray("\x89\x7e\x00\x7e", 4) << false << 1002 << "125";
        QTest::newRow("unmasked from client")
            << 0 << QByteArray("\x81\x02hi", 4) << false << 1002 << "unmasked";
        QTest::newRow("masked from server")
            << 1 << QByteArray("\x81\x82\x01\x02\x03\x04hi", 8) << false << 1002 << "masked";
        QTest::newRow("64-bit length msb")
            << 1 << QByteArray("\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x01", 10) << false << 1002
            << "most significant";
    }
    void errors()
    {
        QFETCH(int, sender);
        QFETCH(QByteArray, data);
        QFETCH(bool, rsv1Allowed);
        QFETCH(int, code);
        QFETCH(QString, text);
        const Parser::Error e = errorOf(
            sender == 0 ? Parser::Sender::Client : Parser::Sender::Server, data, rsv1Allowed);
        QCOMPARE(int(e.code), code);
        QVERIFY2(e.message.contains(text), qPrintable(e.message));
    }

    void oversizeIsRefusedFromTheHeader()
    {
        Parser p(Parser::Sender::Server, 1000);
        // Only the header of a 1001-byte frame: refused before any payload arrives.
        p.feed(QByteArray("\x82\x7e\x03\xe9", 4));
        auto r = p.next();
        QVERIFY(std::holds_alternative<Parser::Error>(r));
        QCOMPARE(std::get<Parser::Error>(r).code, quint16(1009));
        QVERIFY(std::get<Parser::Error>(r).message.contains("1001"));
        // It stays failed, and takes nothing more.
        p.feed(QByteArray(2000, 'x'));
        QVERIFY(std::holds_alternative<Parser::Error>(p.next()));
        QCOMPARE(p.buffered(), 0);
        // Exactly at the limit is fine.
        Parser q(Parser::Sender::Server, 1000);
        auto frames = parseAll(q, serverFrame(Opcode::Binary, QByteArray(1000, 'x')), 2);
        QCOMPARE(frames.size(), 1);
    }

    void closePayloadIsCutOnACharacterBoundary()
    {
        // 61 two-byte characters = 122 bytes, then one more: 124 > 123 allowed.
        const QString reason = QString(62, QChar(0x00e9));
        const QByteArray p = closePayload(4000, reason);
        QVERIFY(p.size() <= 125);
        QCOMPARE(p.size(), 2 + 122);
        QVERIFY(QByteArrayView(p).sliced(2).isValidUtf8());
        QCOMPARE(closePayload(1000, "bye"), QByteArray("\x03\xe8"
                                                       "bye",
                                                       5));
    }

    void garbageNeverCrashes()
    {
        for (quint32 seed = 1; seed < 300; ++seed) {
            QByteArray junk(int(seed % 97) + 1, '\0');
            quint32 x = seed;
            for (char& c : junk) {
                x = x * 1103515245u + 12345u;
                c = char(x >> 23);
            }
            for (auto sender : {Parser::Sender::Client, Parser::Sender::Server}) {
                Parser p(sender, 64);
                p.setRsv1Allowed(seed & 1);
                parseAll(p, junk, 2);
            }
        }
    }
};

QTEST_GUILESS_MAIN(WebSocketFrameParserTest)
#include "websocket_frame_parser_test.moc"
