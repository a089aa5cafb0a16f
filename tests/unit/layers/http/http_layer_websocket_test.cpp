// HttpLayer's WebSocket streams (RFC 8441, http_layer_websocket.cpp): a real nghttp2 client
// (http2_test_peer.h) opens a WebSocket with extended CONNECT inside a tunnel; the server is
// an HTTP/1.1 connection the test plays by hand, or a real nghttp2 server. Every command the
// layer gives is carried out by a small driver: bytes to the peers, hooks answered (or held
// on purpose), pauses and closes recorded.
#include "http2_test_peer.h"
#include "layers/http/http2_common.h"
#include "layers/http/http_layer.h"
#include "options/options.h"

#include "../websocket/websocket_test_util.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::proxy;
using namespace spyglass::layers;
using namespace spyglass::test;

namespace {

struct Driver
{
    std::shared_ptr<Options> options = std::make_shared<Options>();
    ConnectionPtr client = makeConnection(Connection::Role::Client);
    ConnectionPtr server = makeConnection(Connection::Role::Server);
    std::unique_ptr<HttpLayer> layer;
    H2Peer browser{H2Peer::Role::Client};
    std::unique_ptr<H2Peer> origin; // an HTTP/2 server; else the server speaks HTTP/1.1

    QByteArray toServer;          // what an HTTP/1.1 server received
    QList<HookKind> hooks;        // every hook, in order
    std::optional<HookKind> hold; // hooks of this kind are kept in `held`, not answered
    std::deque<Hook> held;
    std::deque<Hook> replies;
    bool serverPaused = false;
    bool serverClosed = false;
    HttpFlowPtr flow; // of the last hook
    QStringList warnings;

    std::optional<OpenConnection> opened; // a new upstream connection the layer asked for
    QByteArray toOther;                   // what went to it

    bool rawClient = false; // an HTTP/1.1 client, played by hand
    QByteArray toClient;    // what it received

    // cleartext: prior-knowledge HTTP/2 inside a plain tunnel (h2c on both sides).
    // http1Client: the client speaks HTTP/1.1 (TLS), `browser` stays unused.
    explicit Driver(bool http2Server = false, bool originEnables = true, bool cleartext = false,
                    bool http1Client = false)
        : rawClient(http1Client)
    {
        client->peer = {"127.0.0.1", 50000};
        client->state = ConnectionState::Open;
        client->tls = !cleartext;
        client->alpn = cleartext ? "" : http1Client ? "http/1.1" : "h2";
        server->peer = {"example.com", 443};
        server->state = ConnectionState::Open;
        server->tls = !cleartext;
        server->sni = "example.com";
        if (http2Server) {
            server->alpn = cleartext ? "" : "h2";
            H2PeerOptions o;
            o.enableConnectProtocol = originEnables;
            origin = std::make_unique<H2Peer>(H2Peer::Role::Server, o);
        }
        Context c;
        c.client = client;
        c.server = server;
        c.options = options;
        c.services = std::make_shared<Services>();
        c.services->clock = [] { return 1000.0; };
        c.services->random = [] { return 0x01020304u; };
        layer = std::make_unique<HttpLayer>(c, HttpLayer::Mode::Transparent,
                                            cleartext ? HttpLayer::ClientProtocol::Http2
                                                      : HttpLayer::ClientProtocol::FromAlpn);
        run(Start{});
    }

    void run(const Event& event)
    {
        for (Command& c : layer->handleEvent(event)) {
            if (auto* s = std::get_if<SendData>(&c)) {
                if (s->connection == client && rawClient)
                    toClient += s->data;
                else if (s->connection == client)
                    QVERIFY(browser.feed(s->data));
                else if (s->connection == server && origin)
                    QVERIFY(origin->feed(s->data));
                else if (s->connection == server)
                    toServer += s->data;
                else
                    toOther += s->data;
            } else if (auto* h = std::get_if<Hook>(&c)) {
                hooks << h->hook->kind;
                flow = h->hook->flow;
                if (hold && *hold == h->hook->kind)
                    held.push_back(*h);
                else
                    replies.push_back(*h);
            } else if (auto* p = std::get_if<PauseReading>(&c)) {
                if (p->connection == server)
                    serverPaused = p->pause;
            } else if (auto* cc = std::get_if<CloseConnection>(&c)) {
                if (cc->connection == server && !cc->halfClose)
                    serverClosed = true;
            } else if (auto* o = std::get_if<OpenConnection>(&c)) {
                opened = *o;
            } else if (auto* l = std::get_if<Log>(&c); l && l->level >= LogLevel::Warn) {
                warnings << l->message;
            }
        }
    }

    // Moves bytes and answers hooks until nothing moves.
    void pump()
    {
        for (int round = 0; round < 10000; ++round) {
            bool moved = false;
            if (const QByteArray b = rawClient ? QByteArray() : browser.take(); !b.isEmpty()) {
                run(DataReceived{client, b});
                moved = true;
            }
            if (origin) {
                if (const QByteArray b = origin->take(); !b.isEmpty()) {
                    run(DataReceived{server, b});
                    moved = true;
                }
            }
            while (!replies.empty()) {
                const Hook h = replies.front();
                replies.pop_front();
                run(HookCompleted{h.id, h.hook});
                moved = true;
            }
            if (!moved)
                return;
        }
        QFAIL("the exchange does not settle");
    }

    void fromServer(const QByteArray& bytes)
    {
        run(DataReceived{server, bytes});
        pump();
    }

    void release()
    {
        while (!held.empty()) {
            const Hook h = held.front();
            held.pop_front();
            run(HookCompleted{h.id, h.hook});
        }
        pump();
    }

    qint32 openWebSocket(const Fields& extra = {})
    {
        Fields head{{":method", "CONNECT"},
                    {":protocol", "websocket"},
                    {":scheme", "https"},
                    {":path", "/chat"},
                    {":authority", "example.com"}};
        head += Fields{{"sec-websocket-version", "13"}};
        head += extra;
        const qint32 id = browser.request(head, {}, false);
        pump();
        return id;
    }
};

const QByteArray kSwitching = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n";

} // namespace

class HttpLayerWebSocketTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The common case: HTTP/2 client, HTTP/1.1 server. The upgrade goes upstream, the 101
    // comes back as 200, frames cross both ways and are recorded, and the closing handshake
    // ends the stream and the server connection.
    void http1Server()
    {
        Driver d;
        const qint32 id = d.openWebSocket();
        QVERIFY(d.browser.remoteEnablesConnectProtocol());
        const QByteArray key = QByteArray("\x04\x03\x02\x01", 4).repeated(4).toBase64();
        QVERIFY2(d.toServer.startsWith("GET /chat HTTP/1.1\r\n"), d.toServer.constData());
        for (const QByteArray& field :
             {QByteArray("Upgrade: websocket\r\n"), QByteArray("Connection: Upgrade\r\n"),
              "Sec-WebSocket-Key: " + key + "\r\n", QByteArray("sec-websocket-version: 13\r\n"),
              QByteArray("example.com")})
            QVERIFY2(d.toServer.contains(field), d.toServer.constData());
        d.toServer.clear();
        d.fromServer(kSwitching + serverFrame(Opcode::Text, "hi"));
        H2Peer::Stream& s = d.browser.streams[id];
        QCOMPARE(s.field(":status"), QByteArray("200"));
        QVERIFY(s.field("sec-websocket-accept").isNull());
        QCOMPARE(s.data, serverFrame(Opcode::Text, "hi"));
        QVERIFY(!s.ended);
        QVERIFY(d.flow && d.flow->websocket);
        QCOMPARE(d.flow->request.method, QByteArray("GET"));
        QCOMPARE(d.flow->request.httpVersion, QByteArray("HTTP/2.0"));
        QCOMPARE(d.flow->response->statusCode, 101);

        d.browser.sendBody(id, clientFrame(Opcode::Binary, "abc"), false);
        d.pump();
        QCOMPARE(d.toServer, clientFrame(Opcode::Binary, "abc"));
        QCOMPARE(d.flow->websocket->messages.size(), 2);
        QCOMPARE(d.flow->websocket->messages[1].content, QByteArray("abc"));
        QVERIFY(d.flow->websocket->messages[1].fromClient);

        // The client closes; the server answers; the stream ends, the server is closed.
        d.toServer.clear();
        const QByteArray close = clientFrame(Opcode::Close, closeBody(4000, "bye"));
        d.browser.sendBody(id, close, false);
        d.pump();
        QCOMPARE(d.toServer, close);
        d.fromServer(serverFrame(Opcode::Close, closeBody(4000, "bye")));
        QVERIFY(s.data.endsWith(serverFrame(Opcode::Close, closeBody(4000, "bye"))));
        QVERIFY(s.ended);
        QVERIFY(d.serverClosed);
        QCOMPARE(d.hooks.last(), HookKind::WebsocketEnd);
        QCOMPARE(d.flow->websocket->closeCode, 4000);
        QVERIFY(!d.flow->live);
        d.browser.sendBody(id, {}, true);
        d.pump();
        QVERIFY(d.browser.streams[id].closed);
        QCOMPARE(d.browser.streams[id].closeCode, quint32(NGHTTP2_NO_ERROR));
        // Every hook was answered, websocket_end's too, and none went astray.
        QVERIFY2(d.warnings.isEmpty(), qPrintable(d.warnings.join(QStringLiteral("; "))));
    }

    // A client reset is a lost connection: the server gets a Close 1001 and is closed.
    void clientResetClosesTheServer()
    {
        Driver d;
        const qint32 id = d.openWebSocket();
        d.fromServer(kSwitching);
        d.toServer.clear();
        d.browser.reset(id, NGHTTP2_CANCEL);
        d.pump();
        QVERIFY(d.toServer.startsWith('\x88'));
        QVERIFY(d.serverClosed);
        QCOMPARE(d.flow->websocket->closeCode, 1006);
        QVERIFY(d.flow->websocket->closedByClient);
    }

    // The client's whole connection goes away: every WebSocket stream on it loses its
    // connection (1006), its server gets a Close 1001 and is closed, and so is the client.
    void clientConnectionLost()
    {
        Driver d;
        d.openWebSocket();
        d.fromServer(kSwitching);
        d.toServer.clear();
        d.client->state = ConnectionState::Closed;
        d.run(ConnectionClosed{d.client});
        d.pump();
        QVERIFY(d.toServer.startsWith('\x88'));
        QVERIFY(d.serverClosed);
        QCOMPARE(d.flow->websocket->closeCode, 1006);
        QCOMPARE(d.hooks.last(), HookKind::WebsocketEnd);
        QVERIFY(!d.flow->live);
    }

    // A WebSocket on one stream does not hold up a plain request on another: it gets a
    // connection of its own to the HTTP/1.1 server.
    void siblingStreamGetsItsOwnConnection()
    {
        Driver d;
        d.openWebSocket();
        d.fromServer(kSwitching);
        const qint32 get = d.browser.request(Fields{{":method", "GET"},
                                                    {":scheme", "https"},
                                                    {":path", "/plain"},
                                                    {":authority", "example.com"}});
        d.pump();
        QVERIFY(d.opened);
        QVERIFY(d.opened->connection != d.server);
        QVERIFY(d.browser.streams[get].blocks.isEmpty());
    }

    // While a websocket_message hook is out, the client's DATA are not acknowledged (its
    // window shrinks) and the HTTP/1.1 server is not read; both resume with the answer.
    void flowControlWhileAHookRuns()
    {
        Driver d;
        const qint32 id = d.openWebSocket();
        d.fromServer(kSwitching);
        d.toServer.clear();
        d.hold = HookKind::WebsocketMessage;
        const QByteArray first = clientFrame(Opcode::Binary, "first");
        const QByteArray big = clientFrame(Opcode::Binary, QByteArray(600 * 1024, 'x'));
        d.browser.sendBody(id, first + big, false);
        d.pump();
        QCOMPARE(d.held.size(), size_t(1));
        QVERIFY(d.serverPaused);
        const int window = nghttp2_session_get_stream_remote_window_size(d.browser.session(), id);
        QCOMPARE(window, layers::http::kHttp2StreamWindow - int(first.size() + big.size()));
        d.release();
        QVERIFY(!d.serverPaused);
        QCOMPARE(nghttp2_session_get_stream_remote_window_size(d.browser.session(), id),
                 layers::http::kHttp2StreamWindow);
        QCOMPARE(d.toServer.size(), first.size() + big.size());
        QCOMPARE(d.flow->websocket->messages.size(), 2);
    }

    // The server refuses: the client gets its answer and the stream ends; no WebSocket.
    void refusedUpstream()
    {
        Driver d;
        const qint32 id = d.openWebSocket();
        d.fromServer("HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno");
        H2Peer::Stream& s = d.browser.streams[id];
        QCOMPARE(s.field(":status"), QByteArray("403"));
        QCOMPARE(s.data, QByteArray("no"));
        QVERIFY(s.ended);
        QVERIFY(s.reset);
        QCOMPARE(s.resetCode, quint32(NGHTTP2_NO_ERROR));
        QVERIFY(d.flow && !d.flow->websocket);
        QCOMPARE(d.flow->response->statusCode, 403);
        QVERIFY(!d.hooks.contains(HookKind::WebsocketStart));
    }

    // A 200 to the upgrade is no WebSocket: the client must not take it for one.
    void okWithoutSwitchingIsA502()
    {
        Driver d;
        const qint32 id = d.openWebSocket();
        d.fromServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
        QCOMPARE(d.browser.streams[id].field(":status"), QByteArray("502"));
        QVERIFY(d.flow->error);
    }

    // An HTTP/2 server that enables RFC 8441 gets the extended CONNECT as is.
    void http2ServerWithExtendedConnect()
    {
        Driver d(true, true);
        d.pump(); // the origin's SETTINGS
        d.origin->onRequest = nullptr;
        const qint32 id = d.openWebSocket({{"sec-websocket-protocol", "chat"}});
        QCOMPARE(d.origin->streams.size(), size_t(1));
        const qint32 up = d.origin->streams.begin()->first;
        H2Peer::Stream& o = d.origin->streams[up];
        QCOMPARE(o.field(":method"), QByteArray("CONNECT"));
        QCOMPARE(o.field(":protocol"), QByteArray("websocket"));
        QCOMPARE(o.field(":path"), QByteArray("/chat"));
        QVERIFY(o.field("sec-websocket-key").isNull());
        QCOMPARE(o.field("sec-websocket-protocol"), QByteArray("chat"));
        d.origin->respond(up, Fields{{":status", "200"}, {"sec-websocket-protocol", "chat"}}, {},
                          false);
        d.origin->sendBody(up, serverFrame(Opcode::Text, "hi"), false);
        d.pump();
        H2Peer::Stream& s = d.browser.streams[id];
        QCOMPARE(s.field(":status"), QByteArray("200"));
        QCOMPARE(s.field("sec-websocket-protocol"), QByteArray("chat"));
        QCOMPARE(s.data, serverFrame(Opcode::Text, "hi"));
        d.browser.sendBody(id, clientFrame(Opcode::Text, "yo"), false);
        d.pump();
        QCOMPARE(d.origin->streams[up].data, clientFrame(Opcode::Text, "yo"));
        QCOMPARE(d.flow->websocket->messages.size(), 2);
        // The server closes and ends its stream; the client answers and ends its own.
        d.origin->sendBody(up, serverFrame(Opcode::Close, closeBody(1000, "")), true);
        d.pump();
        QVERIFY(s.data.endsWith(serverFrame(Opcode::Close, closeBody(1000, ""))));
        d.browser.sendBody(id, clientFrame(Opcode::Close, closeBody(1000, "")), true);
        d.pump();
        QVERIFY(s.ended);
        QVERIFY(d.origin->streams[up].ended);
        QCOMPARE(d.hooks.last(), HookKind::WebsocketEnd);
        QCOMPARE(d.flow->websocket->closeCode, 1000);
        QVERIFY(!d.flow->websocket->closedByClient);
    }

    // The reverse: an HTTP/1.1 client's upgrade to an HTTP/2 server that enables RFC 8441
    // goes as extended CONNECT; the server's 200 reaches the client as a valid 101.
    void http1ClientToHttp2Server()
    {
        Driver d(true, true, false, true);
        d.pump(); // the origin's SETTINGS
        d.run(DataReceived{d.client, "GET /chat HTTP/1.1\r\nHost: example.com\r\n"
                                     "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                     "Sec-WebSocket-Version: 13\r\n\r\n"});
        d.pump();
        QCOMPARE(d.origin->streams.size(), size_t(1));
        const qint32 up = d.origin->streams.begin()->first;
        QCOMPARE(d.origin->streams[up].field(":method"), QByteArray("CONNECT"));
        QCOMPARE(d.origin->streams[up].field(":protocol"), QByteArray("websocket"));
        d.origin->respond(up, Fields{{":status", "200"}}, {}, false);
        d.origin->sendBody(up, serverFrame(Opcode::Text, "hi"), false);
        d.pump();
        QVERIFY2(d.toClient.startsWith("HTTP/1.1 101 Switching Protocols\r\n"),
                 d.toClient.constData());
        QVERIFY2(d.toClient.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"),
                 d.toClient.constData());
        QVERIFY(d.toClient.endsWith(serverFrame(Opcode::Text, "hi")));
        d.run(DataReceived{d.client, clientFrame(Opcode::Text, "yo")});
        d.pump();
        QCOMPARE(d.origin->streams[up].data, clientFrame(Opcode::Text, "yo"));
        QCOMPARE(d.flow->websocket->messages.size(), 2);
        d.run(DataReceived{d.client, clientFrame(Opcode::Close, closeBody(1000, ""))});
        d.pump();
        d.origin->sendBody(up, serverFrame(Opcode::Close, closeBody(1000, "")), true);
        d.pump();
        QVERIFY(d.toClient.endsWith(serverFrame(Opcode::Close, closeBody(1000, ""))));
        QVERIFY(d.origin->streams[up].ended);
        QCOMPARE(d.hooks.last(), HookKind::WebsocketEnd);
        QCOMPARE(d.flow->websocket->closeCode, 1000);
    }

    // A fresh HTTP/2 connection whose SETTINGS have not come yet: the stream waits for them
    // rather than guess (and then uses RFC 8441, which they enable).
    void waitsForTheServersSettings()
    {
        Driver d(true, true);
        const qint32 id = d.openWebSocket(); // the origin's SETTINGS move only after this
        QCOMPARE(d.origin->streams.size(), size_t(1));
        const H2Peer::Stream& o = d.origin->streams.begin()->second;
        QCOMPARE(o.field(":protocol"), QByteArray("websocket"));
        QVERIFY(!d.opened);
        QVERIFY(d.browser.streams[id].blocks.isEmpty()); // no answer yet
    }

    // An HTTP/2 server without it: the WebSocket goes over a new HTTP/1.1 connection to the
    // same server (a plain one here: h2c inside a plain tunnel), while the HTTP/2 one stays.
    void http2ServerWithoutExtendedConnectFallsBackToHttp1()
    {
        Driver d(true, false, true);
        d.pump();
        const qint32 id = d.openWebSocket();
        QVERIFY(d.origin->streams.empty());
        QVERIFY(d.opened);
        const ConnectionPtr h1 = d.opened->connection;
        QCOMPARE(h1->peer.toString(), d.server->peer.toString());
        QVERIFY(!h1->tls);
        h1->state = ConnectionState::Open;
        d.run(OpenConnectionCompleted{d.opened->id, h1, {}});
        d.pump();
        QVERIFY2(d.toOther.startsWith("GET /chat HTTP/1.1\r\n"), d.toOther.constData());
        QVERIFY(d.toOther.contains("Upgrade: websocket\r\n"));
        d.toOther.clear();
        d.run(DataReceived{h1, kSwitching + serverFrame(Opcode::Text, "hi")});
        d.pump();
        H2Peer::Stream& s = d.browser.streams[id];
        QCOMPARE(s.field(":status"), QByteArray("200"));
        QCOMPARE(s.data, serverFrame(Opcode::Text, "hi"));
        d.browser.sendBody(id, clientFrame(Opcode::Text, "yo"), false);
        d.pump();
        QCOMPARE(d.toOther, clientFrame(Opcode::Text, "yo"));
        QCOMPARE(d.flow->websocket->messages.size(), 2);
        // A plain request on the same client connection still goes over HTTP/2.
        d.origin->onRequest = [](H2Peer& p, qint32 up) {
            p.respond(up, Fields{{":status", "200"}}, "plain", true);
        };
        const qint32 get = d.browser.request(Fields{{":method", "GET"},
                                                    {":scheme", "http"},
                                                    {":path", "/plain"},
                                                    {":authority", "example.com"}});
        d.pump();
        QCOMPARE(d.browser.streams[get].data, QByteArray("plain"));
    }
};

QTEST_GUILESS_MAIN(HttpLayerWebSocketTest)
#include "http_layer_websocket_test.moc"
