// Playbook tests for HttpLayer + HttpStream over the HTTP/1 codecs: the proxy logic, driven
// by scripted events, with the input also cut into 1-byte and random pieces.
#include "layers/http/http_layer.h"
#include "layers/next_layer.h"
#include "options/options.h"
#include "playbook.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::proxy;
using namespace spyglass::layers;
using spyglass::test::Playbook;

namespace {

struct Fixture
{
    std::shared_ptr<Options> options = std::make_shared<Options>();
    ConnectionPtr client = makeConnection(Connection::Role::Client);

    Fixture()
    {
        client->peer = {"127.0.0.1", 50000};
        client->state = ConnectionState::Open;
    }
    Context context()
    {
        Context c;
        c.client = client;
        c.options = options;
        c.services = std::make_shared<Services>();
        c.services->clock = [] { return 1000.0; };
        return c;
    }
};

const QByteArray kGet = "GET http://example.com/path?q=1 HTTP/1.1\r\nHost: example.com\r\n"
                        "Accept: */*\r\n\r\n";
const QByteArray kGetUpstream =
    "GET /path?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n";
const QByteArray kResponse = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

// Feeds `data` from `conn` whole (mode 0), byte by byte (1) or at random cuts (2).
void feedAs(Playbook& pb, const ConnectionPtr& conn, const QByteArray& data, int mode)
{
    if (mode == 0)
        pb.feed(DataReceived{conn, data});
    else if (mode == 1)
        pb.feedSplit(conn, data, 1);
    else
        pb.feedRandom(conn, data, 42);
}

// Drives `request` through the request hooks to an open upstream connection and drops what
// was sent upstream; returns the server connection, or null (see pb.why()).
ConnectionPtr openUpstream(Playbook& pb, const Fixture& f, const QByteArray& request)
{
    pb.feed(Start{});
    pb.feed(DataReceived{f.client, request});
    if (!pb.expectHook(HookKind::RequestHeaders))
        return nullptr;
    pb.replyHook();
    if (!pb.expectHook(HookKind::Request))
        return nullptr;
    pb.replyHook();
    if (!pb.expect(OpenConnection{}))
        return nullptr;
    pb.replyOpen();
    if (pb.pending().empty() || !std::holds_alternative<SendData>(pb.pending().front()))
        return nullptr;
    const ConnectionPtr server = std::get<SendData>(pb.pending().front()).connection;
    pb.takeSent(server);
    return server;
}

} // namespace

class HttpLayerTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // http2_ping_keepalive: an HTTP/2 tunnel server idle for that long gets a PING; with the
    // option at 0 no timer is asked for.
    void http2KeepalivePingsIdleServer()
    {
        Fixture f;
        f.options->http2PingKeepalive = 58;
        Context ctx = f.context();
        ctx.server = makeConnection(Connection::Role::Server);
        ctx.server->peer = {"example.com", 443};
        ctx.server->state = ConnectionState::Open;
        ctx.server->tls = true;
        ctx.server->alpn = "h2";
        HttpLayer layer(ctx, HttpLayer::Mode::Transparent);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        QVERIFY2(pb.expect(RequestWakeup{0, 58}), pb.why());
        pb.replyWakeup();
        // length 8, type PING (6), flags 0, stream 0
        const QByteArray pingHeader = QByteArray::fromHex("000008060000000000");
        QVERIFY2(pb.expectSendContaining(ctx.server, pingHeader), pb.why());
        QVERIFY2(pb.expect(RequestWakeup{0, 58}), pb.why());

        Fixture off;
        off.options->http2PingKeepalive = 0;
        Context ctx2 = off.context();
        ctx2.server = ctx.server;
        HttpLayer quiet(ctx2, HttpLayer::Mode::Transparent);
        Playbook pb2(quiet);
        pb2.feed(Start{});
        QVERIFY2(pb2.expectNothing(), pb2.why());
    }

    // Hooks nobody listens to (Services::wantedHooks) are passed without a round trip: the
    // request goes upstream and the response back with only the wanted Response hook.
    void unwantedHooksAreSkipped()
    {
        Fixture f;
        Context ctx = f.context();
        ctx.services->wantedHooks = Services::bit(HookKind::Response);
        HttpLayer layer(ctx, HttpLayer::Mode::Regular);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, kGet});
        QVERIFY2(pb.expect(OpenConnection{}), pb.why());
        pb.replyOpen();
        QVERIFY(!pb.pending().empty());
        const ConnectionPtr server = std::get<SendData>(pb.pending().front()).connection;
        QVERIFY2(pb.expect(SendData{server, kGetUpstream}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.feed(DataReceived{server, kResponse});
        Hook resp;
        QVERIFY2(pb.expectHook(HookKind::Response, &resp), pb.why());
        QCOMPARE(resp.hook->flow->response->body.content, QByteArray("hello"));
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, kResponse}), pb.why());
    }

    void absoluteFormGet_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("whole") << 0;
        QTest::newRow("1-byte") << 1;
        QTest::newRow("random") << 2;
    }
    void absoluteFormGet()
    {
        QFETCH(int, mode);
        Fixture f;
        HttpLayer layer(f.context(), HttpLayer::Mode::Regular);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        feedAs(pb, f.client, kGet, mode);
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders, &h), pb.why());
        QCOMPARE(h.hook->flow->request.host, QByteArray("example.com"));
        QCOMPARE(h.hook->flow->request.port, 80);
        pb.replyHook();
        QVERIFY2(pb.expectHook(HookKind::Request), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(OpenConnection{}), pb.why());
        pb.replyOpen();
        QVERIFY(pb.pending().size() >= 1);
        const ConnectionPtr server = std::get<SendData>(pb.pending().front()).connection;
        QCOMPARE(server->peer, (Address{"example.com", 80}));
        QVERIFY2(pb.expect(SendData{server, kGetUpstream}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());

        feedAs(pb, server, kResponse, mode);
        QVERIFY2(pb.expectHook(HookKind::ResponseHeaders), pb.why());
        pb.replyHook();
        Hook resp;
        QVERIFY2(pb.expectHook(HookKind::Response, &resp), pb.why());
        QCOMPARE(resp.hook->flow->response->body.content, QByteArray("hello"));
        QCOMPARE(resp.hook->flow->response->statusCode, 200);
        QVERIFY(!resp.hook->flow->live);
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, kResponse}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());

        // Keep-alive: the second request reuses the upstream connection.
        feedAs(pb, f.client, kGet, mode);
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expectHook(HookKind::Request), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{server, kGetUpstream}), pb.why());
        feedAs(pb, server, kResponse, mode);
        QVERIFY2(pb.expectHook(HookKind::ResponseHeaders), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expectHook(HookKind::Response), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, kResponse}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void hostHeaderFallback()
    {
        Fixture f;
        HttpLayer layer(f.context(), HttpLayer::Mode::Regular);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "GET /x HTTP/1.1\r\nHost: origin.test:8000\r\n\r\n"});
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders, &h), pb.why());
        QCOMPARE(h.hook->flow->request.host, QByteArray("origin.test"));
        QCOMPARE(h.hook->flow->request.port, 8000);
        QCOMPARE(h.hook->flow->request.url(), QByteArray("http://origin.test:8000/x"));
    }

    void noHostIsA400()
    {
        Fixture f;
        HttpLayer layer(f.context(), HttpLayer::Mode::Regular);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "GET /x HTTP/1.1\r\n\r\n"});
        QVERIFY2(pb.expectSendContaining(f.client, "HTTP/1.1 400 Bad Request"), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::Error, &h), pb.why());
        QVERIFY(h.hook->flow->error->message.contains("Host header"));
    }

    void connectFailureIsA502()
    {
        Fixture f;
        HttpLayer layer(f.context(), HttpLayer::Mode::Regular);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, kGet});
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expectHook(HookKind::Request), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(OpenConnection{}), pb.why());
        pb.replyOpen("connection to example.com:80 failed: Connection refused");
        QVERIFY2(pb.expectSendContaining(f.client, "Connection refused"), pb.why());
        // The error page says Connection: close, so the client is closed right after it.
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::Error, &h), pb.why());
        QVERIFY(h.hook->flow->error->message.contains("example.com:80 failed: Connection refused"));
        pb.replyHook();
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void connectEagerThenTunnel()
    {
        Fixture f;
        HttpLayer layer(f.context(), HttpLayer::Mode::Regular);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "CONNECT origin.test:8443 HTTP/1.1\r\n"
                                       "Host: origin.test:8443\r\n\r\n"});
        QVERIFY2(pb.expectHook(HookKind::HttpConnect), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(OpenConnection{}), pb.why());
        pb.replyOpen();
        QVERIFY2(pb.expect(SendData{f.client, "HTTP/1.1 200 Connection established\r\n\r\n"}),
                 pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        // Plain HTTP inside the tunnel goes to the tunnel's (already open) server.
        pb.feed(DataReceived{f.client, "GET /in HTTP/1.1\r\nHost: origin.test\r\n\r\n"});
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders, &h), pb.why());
        QCOMPARE(h.hook->flow->request.url(), QByteArray("http://origin.test:8443/in"));
        pb.replyHook();
        QVERIFY2(pb.expectHook(HookKind::Request), pb.why());
        pb.replyHook();
        QVERIFY(!pb.pending().empty());
        const ConnectionPtr server = std::get<SendData>(pb.pending().front()).connection;
        QCOMPARE(server->peer, (Address{"origin.test", 8443}));
        QVERIFY2(pb.expect(SendData{server, "GET /in HTTP/1.1\r\nHost: origin.test\r\n\r\n"}),
                 pb.why());
    }

    // An addon that answers the tunnel's requests itself (server_replay) answers the CONNECT
    // in http_connect: a 2xx opens the tunnel with no server, even with the eager strategy.
    void connectAnsweredByAHookOpensNoServer()
    {
        Fixture f;
        HttpLayer layer(f.context(), HttpLayer::Mode::Regular);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "CONNECT origin.test:8443 HTTP/1.1\r\n\r\n"});
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::HttpConnect, &h), pb.why());
        h.hook->flow->response = Response::make(200, {}, {});
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, "HTTP/1.1 200 Connection established\r\n\r\n"}),
                 pb.why());
        QVERIFY2(pb.expectNothing(), pb.why()); // no OpenConnection

        Fixture g;
        HttpLayer refused(g.context(), HttpLayer::Mode::Regular);
        Playbook pb2(refused);
        pb2.ignoreLogs();
        pb2.feed(Start{});
        pb2.feed(DataReceived{g.client, "CONNECT origin.test:8443 HTTP/1.1\r\n\r\n"});
        QVERIFY2(pb2.expectHook(HookKind::HttpConnect, &h), pb2.why());
        h.hook->flow->response = Response::make(403, "no tunnel");
        pb2.replyHook();
        // Any other status is the answer, with no tunnel and no server.
        QVERIFY2(pb2.expectHook(HookKind::Request), pb2.why());
        pb2.replyHook();
        QVERIFY2(pb2.expectHook(HookKind::Response), pb2.why());
        pb2.replyHook();
        QVERIFY2(pb2.expectSendContaining(g.client, "HTTP/1.1 403 Forbidden"), pb2.why());
        for (const auto& c : pb2.pending())
            QVERIFY(!std::holds_alternative<OpenConnection>(c));
    }

    void connectFailureIsRecorded()
    {
        Fixture f;
        HttpLayer layer(f.context(), HttpLayer::Mode::Regular);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "CONNECT origin.test:1 HTTP/1.1\r\n\r\n"});
        QVERIFY2(pb.expectHook(HookKind::HttpConnect), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(OpenConnection{}), pb.why());
        pb.replyOpen("connection to origin.test:1 failed: Connection refused");
        QVERIFY2(pb.expectSendContaining(f.client, "HTTP/1.1 502 Bad Gateway"), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::Error, &h), pb.why());
        QCOMPARE(h.hook->flow->request.method, QByteArray("CONNECT"));
    }

    void largeResponseIsStreamed()
    {
        Fixture f;
        f.options->streamLargeBodies = 10;
        HttpLayer layer(f.context(), HttpLayer::Mode::Regular);
        Playbook pb(layer);
        pb.ignoreLogs();
        const ConnectionPtr server = openUpstream(pb, f, kGet);
        QVERIFY2(server, pb.why());
        const QByteArray head = "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n";
        pb.feed(DataReceived{server, head});
        QVERIFY2(pb.expectHook(HookKind::ResponseHeaders), pb.why());
        pb.replyHook();
        // The head goes out before the body has arrived.
        QVERIFY2(pb.expect(SendData{f.client, head}), pb.why());
        pb.feed(DataReceived{server, QByteArray(20, 'a')});
        QVERIFY2(pb.expect(SendData{f.client, QByteArray(20, 'a')}), pb.why());
        pb.feed(DataReceived{server, QByteArray(20, 'b')});
        QVERIFY2(pb.expect(SendData{f.client, QByteArray(20, 'b')}), pb.why());
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::Response, &h), pb.why());
        QVERIFY(h.hook->flow->response->body.streamed);
        QCOMPARE(h.hook->flow->response->body.size, 40);
        QVERIFY(h.hook->flow->response->body.content.isEmpty()); // streamed: size only
    }

    void bodySizeLimit()
    {
        Fixture f;
        f.options->bodySizeLimit = 4;
        HttpLayer layer(f.context(), HttpLayer::Mode::Regular);
        Playbook pb(layer);
        pb.ignoreLogs();
        const ConnectionPtr server = openUpstream(pb, f, kGet);
        QVERIFY2(server, pb.why());
        pb.feed(DataReceived{server, kResponse});
        QVERIFY2(pb.expectHook(HookKind::ResponseHeaders), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(CloseConnection{server, false}), pb.why());
        QVERIFY2(pb.expectSendContaining(f.client, "body_size_limit"), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::Error, &h), pb.why());
        QVERIFY(h.hook->flow->error->message.contains("body_size_limit"));
    }

    void postBodyIsForwarded()
    {
        Fixture f;
        HttpLayer layer(f.context(), HttpLayer::Mode::Regular);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        const QByteArray post = "POST http://example.com/u HTTP/1.1\r\nHost: example.com\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        pb.feedSplit(f.client, post, 1);
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders), pb.why());
        pb.replyHook();
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::Request, &h), pb.why());
        QCOMPARE(h.hook->flow->request.body.content, QByteArray("hello"));
        pb.replyHook();
        QVERIFY2(pb.expect(OpenConnection{}), pb.why());
        pb.replyOpen();
        const ConnectionPtr server = std::get<SendData>(pb.pending().front()).connection;
        QVERIFY2(pb.expect(SendData{server, "POST /u HTTP/1.1\r\nHost: example.com\r\n"
                                            "Transfer-Encoding: chunked\r\n\r\n"
                                            "5\r\nhello\r\n0\r\n\r\n"}),
                 pb.why());
    }

    void clientLeavingAbortsUpstream()
    {
        Fixture f;
        HttpLayer layer(f.context(), HttpLayer::Mode::Regular);
        Playbook pb(layer);
        pb.ignoreLogs();
        const ConnectionPtr server = openUpstream(pb, f, kGet);
        QVERIFY2(server, pb.why());
        f.client->state = ConnectionState::Closed;
        pb.feed(ConnectionClosed{f.client});
        bool closedServer = false;
        bool errorHook = false;
        for (const Command& c : pb.pending()) {
            if (auto* cc = std::get_if<CloseConnection>(&c); cc && cc->connection == server)
                closedServer = true;
            if (auto* h = std::get_if<Hook>(&c); h && h->hook->kind == HookKind::Error)
                errorHook = h->hook->flow->error->message.contains("client disconnected");
        }
        QVERIFY2(closedServer, pb.pendingDescription().constData());
        QVERIFY2(errorHook, pb.pendingDescription().constData());
    }

    void upgradeBecomesARelay()
    {
        Fixture f;
        f.options->websocket = false; // with it on, WebSocketLayer takes over (its own tests)
        HttpLayer layer(f.context(), HttpLayer::Mode::Regular);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        const QByteArray upgrade = "GET http://example.com/ws HTTP/1.1\r\nHost: example.com\r\n"
                                   "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n";
        pb.feed(DataReceived{f.client, upgrade});
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expectHook(HookKind::Request), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(OpenConnection{}), pb.why());
        pb.replyOpen();
        const ConnectionPtr server = std::get<SendData>(pb.pending().front()).connection;
        pb.takeSent(server);
        const QByteArray switching = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                                     "Upgrade: websocket\r\n\r\n";
        // The server's first frame arrives in the same read as the 101.
        pb.feed(DataReceived{server, switching + "\x81\x02hi"});
        QVERIFY2(pb.expectHook(HookKind::ResponseHeaders), pb.why());
        pb.replyHook();
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::Response, &h), pb.why());
        QCOMPARE(h.hook->flow->response->statusCode, 101);
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, switching}), pb.why());
        // From now on bytes are relayed both ways, untouched, and recorded as a TCP flow
        // (mitmproxy: a TCPLayer after a 101 that no other protocol takes).
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        pb.replyHook(); // tcp_message is waited for
        QVERIFY2(pb.expect(SendData{f.client, "\x81\x02hi"}), pb.why());
        pb.feed(DataReceived{f.client, "\x81\x82"
                                       "abcdXY"});
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{server, "\x81\x82"
                                            "abcdXY"}),
                 pb.why());
        pb.feed(DataReceived{server, "\x88\x00"});
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, "\x88\x00"}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
    }
};

QTEST_GUILESS_MAIN(HttpLayerTest)
#include "http_layer_test.moc"
