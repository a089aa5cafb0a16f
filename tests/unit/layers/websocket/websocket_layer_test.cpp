// Playbook tests of WebSocketLayer: relaying both ways with the input whole, byte by byte
// and cut at random, the hooks and the flow they fill, ping/pong, the closing handshake,
// protocol errors, hooks that change or drop messages (also under permessage-deflate with
// and without context takeover), snapshots that stay as they were published, the
// hand-over from HttpLayer after a 101, and injection (inject.websocket): framed, masked
// towards the server, compressed under permessage-deflate, queued behind a held message.
#include "layers/http/http_layer.h"
#include "layers/websocket/websocket_layer.h"
#include "layers/websocket/websocket_message_reader.h"
#include "options/options.h"
#include "playbook.h"
#include "websocket_test_util.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::proxy;
using namespace spyglass::layers;
using namespace spyglass::layers::websocket;
using namespace spyglass::test;
using Reader = WebSocketMessageReader;

namespace {

struct Fixture
{
    std::shared_ptr<Options> options = std::make_shared<Options>();
    ConnectionPtr client = makeConnection(Connection::Role::Client);
    ConnectionPtr server = makeConnection(Connection::Role::Server);
    HttpFlowPtr flow = std::make_shared<HttpFlow>();
    double clock = 1000.0;
    quint32 nextRandom = 0x11223344;

    explicit Fixture(const QByteArray& extensions = {})
    {
        client->peer = {"127.0.0.1", 50000};
        client->state = ConnectionState::Open;
        server->peer = {"example.com", 80};
        server->state = ConnectionState::Open;
        flow->request.method = "GET";
        flow->request.scheme = "http";
        flow->request.host = "example.com";
        flow->request.port = 80;
        flow->request.path = "/chat";
        flow->request.httpVersion = "HTTP/1.1";
        flow->request.headers = {
            {"Host", "example.com"}, {"Connection", "Upgrade"}, {"Upgrade", "websocket"}};
        Response r;
        r.httpVersion = "HTTP/1.1";
        r.statusCode = 101;
        r.reason = "Switching Protocols";
        r.headers = {{"Connection", "Upgrade"}, {"Upgrade", "websocket"}};
        if (!extensions.isEmpty())
            r.headers.add("Sec-WebSocket-Extensions", extensions);
        flow->response = r;
        flow->websocket = std::make_shared<const WebSocketData>();
    }
    Context context()
    {
        Context c;
        c.client = client;
        c.server = server;
        c.options = options;
        c.services = std::make_shared<Services>();
        c.services->clock = [this] { return clock; };
        c.services->random = [this] { return nextRandom++; };
        return c;
    }
    const WebSocketData& ws() const { return *flow->websocket; }
};

void feedAs(Playbook& pb, const ConnectionPtr& conn, const QByteArray& data, int mode)
{
    if (mode == 0)
        pb.feed(DataReceived{conn, data});
    else if (mode == 1)
        pb.feedSplit(conn, data, 1);
    else
        pb.feedRandom(conn, data, 42);
}

void addModes()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("whole") << 0;
    QTest::newRow("1-byte") << 1;
    QTest::newRow("random") << 2;
}

bool started(Playbook& pb)
{
    pb.feed(Start{});
    if (!pb.expectHook(HookKind::WebsocketStart))
        return false;
    pb.replyHook();
    return true;
}

// The messages (and Close) in bytes a peer of `sender` kind wrote.
std::vector<Reader::Event> decode(const QByteArray& wire, Reader::Sender sender,
                                  bool deflate = false)
{
    Reader r(sender, 1 << 24);
    if (deflate)
        r.enableDeflate();
    r.feed(wire);
    std::vector<Reader::Event> out;
    for (;;) {
        Reader::Event e = r.next();
        if (std::holds_alternative<Reader::NeedMore>(e))
            break;
        out.push_back(e);
        if (std::holds_alternative<Reader::Error>(e))
            break;
    }
    return out;
}

std::optional<quint16> closeCodeIn(const QByteArray& wire, Reader::Sender sender)
{
    for (const auto& e : decode(wire, sender))
        if (auto* c = std::get_if<Reader::Close>(&e))
            return c->code;
    return std::nullopt;
}

// Replaces the flow's last message the way an addon does: a copy of the data, changed.
void editLast(const HttpFlowPtr& flow, const std::function<void(WebSocketMessage&)>& edit)
{
    auto copy = std::make_shared<WebSocketData>(*flow->websocket);
    edit(copy->messages.lastForWriting());
    flow->websocket = copy;
}

} // namespace

class WebSocketLayerTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void relaysBothWays_data() { addModes(); }
    void relaysBothWays()
    {
        QFETCH(int, mode);
        Fixture f;
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        QVERIFY(f.flow->live);

        const QByteArray hello = clientFrame(Opcode::Text, "hello");
        feedAs(pb, f.client, hello, mode);
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage, &h), pb.why());
        QCOMPARE(h.hook->flow, f.flow);
        QCOMPARE(f.ws().messages.size(), 1);
        const WebSocketMessage& m = f.ws().messages[0];
        QVERIFY(m.fromClient);
        QVERIFY(m.isText);
        QCOMPARE(m.content, QByteArray("hello"));
        QCOMPARE(m.timestamp, 1000.0);
        QVERIFY2(pb.expectNothing(), pb.why()); // nothing goes on before the hook answers
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.server, hello}), pb.why()); // the original frame
        QVERIFY2(pb.expectNothing(), pb.why());

        f.clock = 1001.5;
        const QByteArray big(70000, 'b');
        const QByteArray reply = serverFrame(Opcode::Binary, big);
        feedAs(pb, f.server, reply, mode);
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        QCOMPARE(f.ws().messages.size(), 2);
        QVERIFY(!f.ws().messages[1].fromClient);
        QVERIFY(!f.ws().messages[1].isText);
        QCOMPARE(f.ws().messages[1].content, big);
        QCOMPARE(f.ws().messages[1].timestamp, 1001.5);
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, reply}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void bytesWaitForTheStartHook()
    {
        Fixture f;
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        QVERIFY2(pb.expectHook(HookKind::WebsocketStart), pb.why());
        const QByteArray a = clientFrame(Opcode::Text, "early");
        const QByteArray b = serverFrame(Opcode::Text, "also early");
        pb.feed(DataReceived{f.client, a});
        pb.feed(DataReceived{f.server, b});
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.server, a}), pb.why());
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, b}), pb.why());
        QCOMPARE(f.ws().messages.size(), 2);
    }

    void pingBetweenFragmentsGoesFirst_data() { addModes(); }
    void pingBetweenFragmentsGoesFirst()
    {
        QFETCH(int, mode);
        Fixture f;
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        const QByteArray f1 = clientFrame(Opcode::Binary, "ab", false);
        const QByteArray ping = clientFrame(Opcode::Ping, "p1");
        const QByteArray f2 = clientFrame(Opcode::Continuation, "cd");
        feedAs(pb, f.client, f1 + ping + f2, mode);
        QVERIFY2(pb.expect(SendData{f.server, ping}), pb.why());
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        QCOMPARE(f.ws().messages[0].content, QByteArray("abcd"));
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.server, f1 + f2}), pb.why());
        const QByteArray pong = serverFrame(Opcode::Pong, "p1");
        feedAs(pb, f.server, pong, mode);
        QVERIFY2(pb.expect(SendData{f.client, pong}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        QCOMPARE(f.ws().messages.size(), 1); // control frames are not messages
    }

    void closingHandshakeFromTheClient_data() { addModes(); }
    void closingHandshakeFromTheClient()
    {
        QFETCH(int, mode);
        Fixture f;
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        f.clock = 1005;
        const QByteArray close = clientFrame(Opcode::Close, closeBody(4000, "bye"));
        feedAs(pb, f.client, close, mode);
        QVERIFY2(pb.expect(SendData{f.server, close}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        QCOMPARE(f.ws().closeCode, std::optional<int>(4000));
        QCOMPARE(f.ws().closeReason, QStringLiteral("bye"));
        QVERIFY(f.ws().closedByClient);
        QCOMPARE(f.ws().timestampEnd, 1005.0);
        QVERIFY(f.flow->live);
        // Whatever the client sends after its Close is ignored.
        pb.feed(DataReceived{f.client, clientFrame(Opcode::Text, "late")});
        QVERIFY2(pb.expectNothing(), pb.why());
        // The server may still send data before it answers the Close.
        const QByteArray last = serverFrame(Opcode::Text, "last words");
        feedAs(pb, f.server, last, mode);
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, last}), pb.why());
        f.clock = 1006;
        const QByteArray answer = serverFrame(Opcode::Close, closeBody(4000, "bye"));
        feedAs(pb, f.server, answer, mode);
        QVERIFY2(pb.expect(SendData{f.client, answer}), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.server, false}), pb.why());
        QVERIFY2(pb.expectHook(HookKind::WebsocketEnd), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        QVERIFY(!f.flow->live);
        QCOMPARE(f.ws().timestampEnd, 1005.0); // when the closing began
        // Done: late events change nothing.
        pb.feed(ConnectionClosed{f.server});
        pb.feed(DataReceived{f.server, serverFrame(Opcode::Text, "x")});
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void closingHandshakeFromTheServer()
    {
        Fixture f;
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        const QByteArray close = serverFrame(Opcode::Close, "");
        pb.feed(DataReceived{f.server, close});
        QVERIFY2(pb.expect(SendData{f.client, close}), pb.why());
        QCOMPARE(f.ws().closeCode, std::optional<int>(1005)); // no status code
        QVERIFY(!f.ws().closedByClient);
        // The server hangs up before the client answers: the client learns it from a
        // half-close, and its answer still ends the connection properly.
        f.server->state = ConnectionState::Closed;
        pb.feed(ConnectionClosed{f.server});
        QVERIFY2(pb.expect(CloseConnection{f.client, true}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        QVERIFY(f.flow->live);
        const QByteArray answer = clientFrame(Opcode::Close, "");
        pb.feed(DataReceived{f.client, answer});
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why()); // the server is gone
        QVERIFY2(pb.expectHook(HookKind::WebsocketEnd), pb.why());
        QVERIFY(!f.flow->live);
    }

    void connectionLostWithoutClose()
    {
        Fixture f;
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        // A frame and a half, then the end: the whole frame is still a message.
        const QByteArray whole = serverFrame(Opcode::Text, "complete");
        pb.feed(DataReceived{f.server, whole + serverFrame(Opcode::Text, "cut").left(3)});
        f.server->state = ConnectionState::CanWrite;
        pb.feed(ConnectionClosed{f.server});
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, whole}), pb.why());
        QVERIFY(!pb.pending().empty());
        const QByteArray toClient = pb.takeSent(f.client);
        QCOMPARE(closeCodeIn(toClient, Reader::Sender::Server), std::optional<quint16>(1001));
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.server, false}), pb.why());
        QVERIFY2(pb.expectHook(HookKind::WebsocketEnd), pb.why());
        QCOMPARE(f.ws().closeCode, std::optional<int>(1006));
        QVERIFY(!f.ws().closedByClient);
        QCOMPARE(f.ws().messages.size(), 1);
    }

    void protocolErrorClosesBothWith1002()
    {
        Fixture f;
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        pb.feed(DataReceived{f.client, serverFrame(Opcode::Text, "unmasked")});
        const QByteArray toClient = pb.takeSent(f.client);
        const QByteArray toServer = pb.takeSent(f.server);
        QCOMPARE(closeCodeIn(toClient, Reader::Sender::Server), std::optional<quint16>(1002));
        // The proxy's frames to the server are masked, like any client's.
        QCOMPARE(closeCodeIn(toServer, Reader::Sender::Client), std::optional<quint16>(1002));
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.server, false}), pb.why());
        QVERIFY2(pb.expectHook(HookKind::WebsocketEnd), pb.why());
        QCOMPARE(f.ws().closeCode, std::optional<int>(1002));
        QVERIFY(f.ws().closeReason.contains("unmasked"));
        QVERIFY(f.ws().closedByClient);
    }

    void oversizeMessageCloses1009()
    {
        Fixture f;
        f.options->bodySizeLimit = 1000;
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        pb.feed(DataReceived{f.server, serverFrame(Opcode::Binary, QByteArray(600, 'x'), false)});
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.feed(DataReceived{f.server, serverFrame(Opcode::Continuation, QByteArray(600, 'x'))});
        QCOMPARE(closeCodeIn(pb.takeSent(f.client), Reader::Sender::Server),
                 std::optional<quint16>(1009));
        QCOMPARE(closeCodeIn(pb.takeSent(f.server), Reader::Sender::Client),
                 std::optional<quint16>(1009));
        QCOMPARE(f.ws().closeCode, std::optional<int>(1009));
        QVERIFY(f.ws().closeReason.contains("1000"));
        QVERIFY(f.ws().messages.empty());
    }

    void hookChangesAMessage()
    {
        Fixture f;
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        pb.feed(DataReceived{f.client, clientFrame(Opcode::Text, "original")});
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        editLast(f.flow, [](WebSocketMessage& m) {
            m.content = QByteArray(9000, 'z');
            m.isText = false;
        });
        pb.replyHook();
        const QByteArray wire = pb.takeSent(f.server);
        // Re-framed (9000 bytes at the minimum fragment size: 3 frames), masked.
        auto events = decode(wire, Reader::Sender::Client);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(std::get<Reader::Message>(events[0]).content, QByteArray(9000, 'z'));
        QVERIFY(!std::get<Reader::Message>(events[0]).isText);
        QCOMPARE(std::get<Reader::Message>(events[0]).largestFramePayload, 4000);
        QCOMPARE(f.ws().messages[0].content, QByteArray(9000, 'z'));
        // Towards the client nothing is masked.
        pb.feed(DataReceived{f.server, serverFrame(Opcode::Text, "to edit")});
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        editLast(f.flow, [](WebSocketMessage& m) { m.content = "edited"; });
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, serverFrame(Opcode::Text, "edited")}), pb.why());
    }

    void hookDropsAMessage()
    {
        Fixture f;
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        pb.feed(DataReceived{f.client, clientFrame(Opcode::Text, "secret")});
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        editLast(f.flow, [](WebSocketMessage& m) { m.dropped = true; });
        pb.replyHook();
        QVERIFY2(pb.expectNothing(), pb.why());
        QVERIFY(f.ws().messages[0].dropped);
        const QByteArray next = clientFrame(Opcode::Text, "public");
        pb.feed(DataReceived{f.client, next});
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.server, next}), pb.why());
    }

    void injectFramesAndRecords_data() { addModes(); }
    void injectFramesAndRecords()
    {
        QFETCH(int, mode);
        Fixture f;
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        const QUuid id = f.flow->id;
        pb.feed(MessageInjected{id, true, "pong", true});
        QVERIFY2(pb.expect(SendData{f.client, serverFrame(Opcode::Text, "pong")}), pb.why());
        pb.feed(MessageInjected{id, false, QByteArray("\x01\x02", 2), false});
        const auto toServer = decode(pb.takeSent(f.server), Reader::Sender::Client);
        QCOMPARE(toServer.size(), size_t(1)); // masked, as a client's frames must be
        QCOMPARE(std::get<Reader::Message>(toServer[0]).content, QByteArray("\x01\x02", 2));
        QVERIFY(!std::get<Reader::Message>(toServer[0]).isText);
        pb.feed(MessageInjected{QUuid::createUuid(), true, "not ours", true});
        QVERIFY2(pb.expectNothing(), pb.why());
        QCOMPARE(f.ws().messages.size(), 2);
        QVERIFY(f.ws().messages[0].injected && !f.ws().messages[0].fromClient);
        QVERIFY(f.ws().messages[0].isText);
        QVERIFY(f.ws().messages[1].injected && f.ws().messages[1].fromClient);

        // While a message is held, an injection waits behind it, whatever the cuts.
        feedAs(pb, f.client, clientFrame(Opcode::Text, "ping"), mode);
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        pb.feed(MessageInjected{id, true, "pong", true});
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.replyHook();
        const QByteArray sent = pb.takeSent(f.server);
        QCOMPARE(std::get<Reader::Message>(decode(sent, Reader::Sender::Client)[0]).content,
                 QByteArray("ping"));
        QVERIFY2(pb.expect(SendData{f.client, serverFrame(Opcode::Text, "pong")}), pb.why());
        QCOMPARE(f.ws().messages.size(), 4);
        QVERIFY(!f.ws().messages[2].injected);
        QVERIFY(f.ws().messages[3].injected);

        // After the client's Close nothing more goes to the server... and once a Close went
        // to the client, nothing more goes there either.
        pb.feed(DataReceived{f.client, clientFrame(Opcode::Close, closeBody(1000, "bye"))});
        pb.takeSent(f.server);
        pb.feed(MessageInjected{id, false, "late", true});
        QVERIFY2(pb.expectNothing(), pb.why());
        QCOMPARE(f.ws().messages.size(), 4);
    }

    void injectUnderDeflate()
    {
        // Compressed with the proxy's own deflater; the client's later messages, which the
        // server inflates with the window that now holds the injected one, are re-compressed.
        Fixture f("permessage-deflate");
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        ZlibSender zclient(true);
        const QByteArray first = chatter(40);
        pb.feed(
            DataReceived{f.client, clientFrame(Opcode::Text, zclient.compress(first), true, true)});
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        pb.replyHook();
        QByteArray toServer = pb.takeSent(f.server);
        pb.feed(MessageInjected{f.flow->id, false, "injected " + chatter(5), true});
        toServer += pb.takeSent(f.server);
        const QByteArray third = chatter(41) + "third";
        pb.feed(
            DataReceived{f.client, clientFrame(Opcode::Text, zclient.compress(third), true, true)});
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        pb.replyHook();
        toServer += pb.takeSent(f.server);
        const auto events = decode(toServer, Reader::Sender::Client, true);
        QCOMPARE(events.size(), size_t(3));
        QCOMPARE(std::get<Reader::Message>(events[0]).content, first);
        QCOMPARE(std::get<Reader::Message>(events[1]).content, "injected " + chatter(5));
        QVERIFY(std::get<Reader::Message>(events[1]).compressed);
        QCOMPARE(std::get<Reader::Message>(events[2]).content, third);
        // Towards the client (the server's direction) too.
        pb.feed(MessageInjected{f.flow->id, true, chatter(6), true});
        const auto toClient = decode(pb.takeSent(f.client), Reader::Sender::Server, true);
        QCOMPARE(toClient.size(), size_t(1));
        QCOMPARE(std::get<Reader::Message>(toClient[0]).content, chatter(6));
    }

    void deflatePassesOriginalFrames_data() { addModes(); }
    void deflatePassesOriginalFrames()
    {
        QFETCH(int, mode);
        Fixture f("permessage-deflate; client_max_window_bits=15");
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        ZlibSender zclient(true);
        for (int i = 0; i < 3; ++i) {
            const QByteArray text = chatter(30 + i);
            const QByteArray wire = clientFrame(Opcode::Text, zclient.compress(text), true, true);
            feedAs(pb, f.client, wire, mode);
            QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
            QCOMPARE(f.ws().messages.back().content, text); // stored decompressed
            pb.replyHook();
            QVERIFY2(pb.expect(SendData{f.server, wire}), pb.why());
        }
    }

    void deflateChangedWithContextTakeover()
    {
        // The client compresses with context takeover; a hook changes the 2nd message. The
        // server, inflating everything it gets with one window, must read m1, m2', m3, m4.
        Fixture f("permessage-deflate");
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        ZlibSender zclient(true);
        QByteArray varied; // compresses poorly on its own, well against itself
        for (int i = 0; i < 300; ++i)
            varied += QByteArray::number(quint32(i) * 2654435761u, 36) + ',';
        const QList<QByteArray> sent{varied, chatter(81), chatter(82) + "three", varied + "again"};
        const QByteArray changed = varied + "CHANGED";
        QByteArray toServer;
        for (int i = 0; i < sent.size(); ++i) {
            pb.feed(DataReceived{f.client,
                                 clientFrame(Opcode::Text, zclient.compress(sent[i]), true, true)});
            QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
            QCOMPARE(f.ws().messages.back().content, sent[i]);
            if (i == 1)
                editLast(f.flow, [&](WebSocketMessage& m) { m.content = changed; });
            pb.replyHook();
            toServer += pb.takeSent(f.server);
        }
        // Unmask and join the frames of each message, then inflate them with one window, as
        // the server does.
        WebSocketFrameParser parser(WebSocketFrameParser::Sender::Client, 1 << 24);
        parser.setRsv1Allowed(true);
        parser.feed(toServer);
        QList<QByteArray> payloads;
        QList<bool> compressed;
        for (;;) {
            auto r = parser.next();
            auto* fr = std::get_if<WebSocketFrameParser::Frame>(&r);
            if (!fr)
                break;
            if (fr->frame.opcode == Opcode::Continuation) {
                payloads.last() += fr->frame.payload;
            } else {
                payloads << fr->frame.payload;
                compressed << fr->frame.rsv1;
            }
        }
        QCOMPARE(payloads.size(), 4);
        ZlibReceiver zserver;
        const QList<QByteArray> expected{sent[0], changed, sent[2], sent[3]};
        for (int i = 0; i < 4; ++i) {
            QVERIFY(compressed[i]);
            const auto text = zserver.decompress(payloads[i]);
            QVERIFY2(text.has_value(),
                     qPrintable(QStringLiteral("message %1 does not inflate").arg(i)));
            QCOMPARE(*text, expected[i]);
        }
        // The proxy's deflater starts from what the server already has: the changed message
        // and the later one are mostly back-references into the first.
        QVERIFY2(payloads[1].size() < 100, qPrintable(QString::number(payloads[1].size())));
        QVERIFY2(payloads[3].size() < 100, qPrintable(QString::number(payloads[3].size())));
        QVERIFY(payloads[0].size() > 1000);
        // The first message went through as it came: the proxy compresses from the change on.
        ZlibSender again(true);
        QCOMPARE(payloads[0], again.compress(sent[0]));
    }

    void deflateChangedWithoutContextTakeover()
    {
        Fixture f("permessage-deflate; server_no_context_takeover; server_max_window_bits=10");
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        ZlibSender zserver(false, 10);
        const QByteArray first =
            serverFrame(Opcode::Text, zserver.compress(chatter(40)), true, true);
        pb.feed(DataReceived{f.server, first});
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        editLast(f.flow, [](WebSocketMessage& m) { m.content = chatter(41, "edited"); });
        pb.replyHook();
        const QByteArray wire = pb.takeSent(f.client);
        // Compressed on its own: a receiver with a fresh 10-bit window reads it.
        WebSocketFrameParser parser(WebSocketFrameParser::Sender::Server, 1 << 20);
        parser.setRsv1Allowed(true);
        parser.feed(wire);
        auto r = parser.next();
        QVERIFY(std::holds_alternative<WebSocketFrameParser::Frame>(r));
        const auto& fr = std::get<WebSocketFrameParser::Frame>(r);
        QVERIFY(fr.frame.rsv1);
        ZlibReceiver fresh(10);
        QCOMPARE(fresh.decompress(fr.frame.payload),
                 std::optional<QByteArray>(chatter(41, "edited")));
        // The next original message still goes through untouched.
        const QByteArray second =
            serverFrame(Opcode::Text, zserver.compress(chatter(42)), true, true);
        pb.feed(DataReceived{f.server, second});
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, second}), pb.why());
    }

    void publishedSnapshotsStayAsTheyWere()
    {
        Fixture f;
        WebSocketLayer layer(f.context(), f.flow);
        Playbook pb(layer);
        pb.ignoreLogs();
        QVERIFY2(started(pb), pb.why());
        std::vector<FlowSnapshot> snapshots;
        for (int i = 0; i < 600; ++i) {
            pb.feed(DataReceived{f.client, clientFrame(Opcode::Text, QByteArray::number(i))});
            QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
            // What PublishingHooks does at every message.
            snapshots.push_back(std::make_shared<const HttpFlow>(*f.flow));
            pb.replyHook();
            pb.takeSent(f.server);
        }
        for (int i = 0; i < 600; i += 37) {
            const WebSocketData& ws = *snapshots[size_t(i)]->websocket;
            QCOMPARE(ws.messages.size(), i + 1);
            QCOMPARE(ws.messages.back().content, QByteArray::number(i));
        }
        pb.feed(DataReceived{f.client, clientFrame(Opcode::Close, closeBody(1000, ""))});
        QVERIFY(!snapshots.back()->websocket->closeCode);
        QCOMPARE(f.ws().closeCode, std::optional<int>(1000));
        QCOMPARE(f.ws().messages.size(), 600);
    }

    void handOverFromHttpLayer()
    {
        // Through HttpLayer: the 101 and the server's first frame in one read, the client's
        // first frame right behind its request.
        Fixture f;
        Context ctx = f.context();
        ctx.server.reset();
        HttpLayer http(ctx, HttpLayer::Mode::Regular);
        Playbook pb(http);
        pb.ignoreLogs();
        pb.feed(Start{});
        const QByteArray upgrade = "GET http://example.com/ws HTTP/1.1\r\nHost: example.com\r\n"
                                   "Connection: Upgrade\r\nUpgrade: websocket\r\n"
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                   "Sec-WebSocket-Version: 13\r\n\r\n";
        const QByteArray early = clientFrame(Opcode::Text, "from the client");
        pb.feed(DataReceived{f.client, upgrade + early});
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expectHook(HookKind::Request), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(OpenConnection{}), pb.why());
        pb.replyOpen();
        const ConnectionPtr server = std::get<SendData>(pb.pending().front()).connection;
        QVERIFY(pb.takeSent(server).startsWith("GET /ws HTTP/1.1"));
        const QByteArray switching = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                                     "Upgrade: websocket\r\n"
                                     "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
        const QByteArray first = serverFrame(Opcode::Text, "from the server");
        pb.feed(DataReceived{server, switching + first});
        QVERIFY2(pb.expectHook(HookKind::ResponseHeaders), pb.why());
        pb.replyHook();
        Hook resp;
        QVERIFY2(pb.expectHook(HookKind::Response, &resp), pb.why());
        const HttpFlowPtr flow = resp.hook->flow;
        QVERIFY(flow->live); // it goes on as a WebSocket
        QVERIFY(flow->websocket);
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, switching}), pb.why());
        QVERIFY2(pb.expectHook(HookKind::WebsocketStart), pb.why());
        pb.replyHook();
        // Both early frames are parsed as messages, neither lost nor relayed unseen.
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{server, early}), pb.why());
        QVERIFY2(pb.expectHook(HookKind::WebsocketMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, first}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        QCOMPARE(flow->websocket->messages.size(), 2);
        QVERIFY(flow->websocket->messages[0].fromClient != flow->websocket->messages[1].fromClient);
        // Closing ends the flow.
        pb.feed(DataReceived{f.client, clientFrame(Opcode::Close, closeBody(1000, "done"))});
        pb.feed(DataReceived{server, serverFrame(Opcode::Close, closeBody(1000, "done"))});
        bool ended = false;
        for (const Command& c : pb.pending())
            if (auto* h = std::get_if<Hook>(&c); h && h->hook->kind == HookKind::WebsocketEnd)
                ended = true;
        QVERIFY2(ended, pb.pendingDescription().constData());
        QVERIFY(!flow->live);
        QCOMPARE(flow->websocket->closeReason, QStringLiteral("done"));
    }

    void takesOverOnlyWebSocketUpgrades()
    {
        Fixture f;
        Options o;
        QVERIFY(WebSocketLayer::takesOver(*f.flow, o));
        o.websocket = false;
        QVERIFY(!WebSocketLayer::takesOver(*f.flow, o));
        o.websocket = true;
        f.flow->request.headers.set("Upgrade", "h2c");
        QVERIFY(!WebSocketLayer::takesOver(*f.flow, o));
        f.flow->request.headers.set("Upgrade", "WebSocket");
        f.flow->response->statusCode = 200;
        QVERIFY(!WebSocketLayer::takesOver(*f.flow, o));
    }
};

QTEST_GUILESS_MAIN(WebSocketLayerTest)
#include "websocket_layer_test.moc"
