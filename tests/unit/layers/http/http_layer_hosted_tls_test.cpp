// HttpLayer's hosted TLS (http_layer.cpp: requestHttp1Server, startTunnel): an HTTP/1.1
// client's WebSocket upgrade inside an intercepted TLS connection whose server speaks HTTP/2
// without RFC 8441. As a plain HTTP/2 GET it would lose its Upgrade, so the WebSocket gets an
// HTTP/1.1 connection of its own, whose TLS HttpLayer runs itself (a ServerTlsLayer it hosts);
// after the 101 that TLS session must stay above the tunnel's WebSocketLayer.
//
// HttpLayer sits where NextLayer puts it inside the tunnel (Transparent mode): the client's and
// the main server's TLS sessions end in the layers above it, so both speak plaintext here --
// the client HTTP/1.1 (played by hand), the main server HTTP/2 (a real nghttp2 server,
// http2_test_peer.h, that does not enable extended CONNECT). The WebSocket's own connection is
// answered by a real OpenSSL server (test_tls_peer.h) with a certificate of the "upstream" CA
// (tls_stack_harness.h). A driver carries out every command the layer gives: bytes to the
// peers, connections opened, hooks answered; what the peers send back is fed whole, byte by
// byte or cut at random points.
#include "http2_test_peer.h"
#include "layers/http/http_layer.h"
#include "options/options.h"

#include "../tls/tls_stack_harness.h"
#include "../websocket/websocket_test_util.h"

#include <QtTest>

#include <cstring>

using namespace spyglass;
using namespace spyglass::proxy;
using namespace spyglass::layers;
using namespace spyglass::test;

namespace {

enum class Cut
{
    Whole,
    Bytes,
    Random
};

const QByteArray kKey = "dGhlIHNhbXBsZSBub25jZQ==";
const QByteArray kAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="; // RFC 6455 1.3, for kKey
const QByteArray kUpgrade = "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
                            "Connection: Upgrade\r\nSec-WebSocket-Key: " +
                            kKey + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
const QByteArray kSwitching = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                              kAccept + "\r\n\r\n";

// One frame off the wire, decoded here (RFC 6455 5.2) rather than by the code under test.
struct WireFrame
{
    bool fin = false;
    quint8 opcode = 0;
    bool masked = false;
    QByteArray payload; // unmasked
};

// Takes the first frame off `bytes`; nothing while it is incomplete.
std::optional<WireFrame> takeFrame(QByteArray& bytes)
{
    if (bytes.size() < 2)
        return std::nullopt;
    const auto b0 = quint8(bytes[0]);
    const auto b1 = quint8(bytes[1]);
    qsizetype pos = 2;
    quint64 length = b1 & 0x7f;
    const int extended = length == 126 ? 2 : length == 127 ? 8 : 0;
    if (bytes.size() < pos + extended)
        return std::nullopt;
    if (extended) {
        length = 0;
        for (int i = 0; i < extended; ++i)
            length = (length << 8) | quint8(bytes[pos + i]);
        pos += extended;
    }
    WireFrame f;
    f.fin = b0 & 0x80;
    f.opcode = b0 & 0x0f;
    f.masked = b1 & 0x80;
    char key[4] = {};
    if (f.masked) {
        if (bytes.size() < pos + 4)
            return std::nullopt;
        std::memcpy(key, bytes.constData() + pos, 4);
        pos += 4;
    }
    if (quint64(bytes.size() - pos) < length)
        return std::nullopt;
    f.payload = bytes.mid(pos, qsizetype(length));
    for (qsizetype i = 0; f.masked && i < f.payload.size(); ++i)
        f.payload[i] = char(f.payload[i] ^ key[i % 4]);
    bytes.remove(0, pos + qsizetype(length));
    return f;
}

struct ExpectedFrame
{
    Opcode opcode;
    QByteArray payload;
};

// Empty when `bytes` are exactly these frames, whole and final, masked as a client's (or not,
// as a server's); else what differs, readable. `where` names the receiver.
QString checkFrames(const char* where, QByteArray bytes, const QList<ExpectedFrame>& expected,
                    bool masked)
{
    const QByteArray all = bytes;
    const auto context = [&] { return QStringLiteral(" (%1 got %2)").arg(where, quoted(all)); };
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const std::optional<WireFrame> f = takeFrame(bytes);
        if (!f)
            return QStringLiteral("frame %1: missing or incomplete").arg(i + 1) + context();
        if (f->opcode != quint8(expected[i].opcode) || !f->fin || f->masked != masked ||
            f->payload != expected[i].payload)
            return QStringLiteral("frame %1: fin=%2 opcode=0x%3 masked=%4 payload %5; expected "
                                  "fin=1 opcode=0x%6 masked=%7 payload %8")
                       .arg(i + 1)
                       .arg(int(f->fin))
                       .arg(f->opcode, 0, 16)
                       .arg(int(f->masked))
                       .arg(quoted(f->payload))
                       .arg(quint8(expected[i].opcode), 0, 16)
                       .arg(int(masked))
                       .arg(quoted(expected[i].payload)) +
                   context();
    }
    if (!bytes.isEmpty())
        return QStringLiteral("%1 bytes after the expected frames").arg(bytes.size()) + context();
    return {};
}

// The value of field `name` in an HTTP/1 head; names compare case-insensitively.
QByteArray headerValue(const QByteArray& head, const QByteArray& name)
{
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

struct Driver
{
    std::shared_ptr<Options> options = std::make_shared<Options>();
    std::shared_ptr<Services> services = std::make_shared<Services>();
    ConnectionPtr client = makeConnection(Connection::Role::Client);
    ConnectionPtr server = makeConnection(Connection::Role::Server); // the HTTP/2 one
    std::unique_ptr<HttpLayer> layer;
    std::unique_ptr<Playbook> pb;
    H2Peer h2Origin{H2Peer::Role::Server}; // H2PeerOptions{}: no ENABLE_CONNECT_PROTOCOL
    std::unique_ptr<TestTlsPeer> wsOrigin; // answers the WebSocket's own connection
    Cut cut = Cut::Whole;
    quint32 seed = 1;

    std::optional<OpenConnection> opened; // the WebSocket's own connection, when asked for
    ConnectionPtr wsServer;
    QByteArray firstFlight;      // the first bytes sent on it (the ClientHello)
    QByteArray atOrigin;         // what wsOrigin decrypted
    QByteArray toClient;         // what the HTTP/1.1 client received
    QList<ConnectionPtr> closed; // full CloseConnection, in order
    QList<HookKind> hooks;
    std::deque<Hook> replies;
    HttpFlowPtr flow; // of the last hook that had one
    QStringList warnings;
    QStringList problems; // commands the driver cannot carry out, or bytes that are wrong
    QByteArray records;   // sent on wsServer, not yet checked as whole TLS records

    // trustOrigin: the upstream CA is in ssl_verify_upstream_trusted_ca (else the origin's
    // certificate must be refused).
    Driver(const TlsWorld& world, Cut cutMode, quint32 firstSeed, bool trustOrigin = true)
        : wsOrigin(world.server({"http/1.1"})), cut(cutMode), seed(firstSeed)
    {
        if (trustOrigin)
            options->sslVerifyUpstreamTrustedCa = world.upstreamCaFile;
        QString error;
        services->tls = TlsContexts::create(*options, &error);
        if (!services->tls)
            problems << QStringLiteral("no TLS contexts: ") + error;
        services->clock = [] { return 1700000000.5; };
        services->random = [] { return 0x01020304u; };
        // As the TLS layers above leave them: both sessions established, ALPN chosen.
        client->peer = {"127.0.0.1", 50000};
        client->state = ConnectionState::Open;
        client->tls = true;
        client->tlsEstablished = true;
        client->sni = "example.com";
        client->alpn = "http/1.1";
        server->peer = {"example.com", 443};
        server->state = ConnectionState::Open;
        server->tls = true;
        server->tlsEstablished = true;
        server->sni = "example.com";
        server->alpnOffers = {"h2", "http/1.1"};
        server->alpn = "h2";
        Context c;
        c.client = client;
        c.server = server;
        c.options = options;
        c.services = services;
        layer = std::make_unique<HttpLayer>(c, HttpLayer::Mode::Transparent);
        pb = std::make_unique<Playbook>(*layer);
        pb->feed(Start{});
    }

    void feed(const ConnectionPtr& conn, const QByteArray& bytes)
    {
        switch (cut) {
        case Cut::Whole:
            pb->feed(DataReceived{conn, bytes});
            break;
        case Cut::Bytes:
            pb->feedSplit(conn, bytes, 1);
            break;
        case Cut::Random:
            pb->feedRandom(conn, bytes, seed++);
            break;
        }
    }

    void fromClient(const QByteArray& bytes)
    {
        feed(client, bytes);
        pump();
    }

    // The origin writes `bytes` in one TLS write (one record), then everything moves.
    void fromOrigin(const QByteArray& bytes)
    {
        if (!wsOrigin->write(bytes))
            problems << QStringLiteral("the origin cannot write (TLS not up)");
        pump();
    }

    // Carries out commands and moves bytes until nothing moves (bounded).
    void pump()
    {
        for (int round = 0; round < 10000; ++round) {
            bool moved = false;
            while (!pb->pending().empty()) {
                const Command c = pb->pending().front();
                pb->pending().pop_front();
                handle(c);
                moved = true;
            }
            if (const QByteArray b = h2Origin.take(); !b.isEmpty()) {
                feed(server, b);
                moved = true;
            }
            if (wsServer) {
                if (!wsOrigin->done() && !wsOrigin->failed())
                    wsOrigin->handshake();
                if (wsOrigin->done())
                    atOrigin += wsOrigin->read();
                if (const QByteArray b = wsOrigin->take(); !b.isEmpty()) {
                    feed(wsServer, b);
                    moved = true;
                }
            }
            while (!replies.empty()) {
                const Hook h = replies.front();
                replies.pop_front();
                pb->feed(HookCompleted{h.id, h.hook});
                moved = true;
            }
            if (!moved)
                return;
        }
        problems << QStringLiteral("the exchange does not settle");
    }

    bool isClosed(const ConnectionPtr& conn) const { return closed.contains(conn); }
    QString why() const { return (problems + warnings).join(QStringLiteral("; ")); }

private:
    // Everything on the WebSocket's connection must be TLS records (RFC 8446 5.1): plaintext
    // there means the hosted TLS layer was skipped.
    void checkRecords()
    {
        while (records.size() >= 5) {
            const auto type = quint8(records[0]);
            if (type < 0x14 || type > 0x17 || records[1] != 0x03) {
                problems << QStringLiteral("bytes that are no TLS record on the WebSocket's TLS "
                                           "connection: %1")
                                .arg(quoted(records.left(64)));
                records.clear();
                return;
            }
            const int length = (quint8(records[3]) << 8) | quint8(records[4]);
            if (records.size() < 5 + length)
                return;
            records.remove(0, 5 + length);
        }
    }

    void handle(const Command& c)
    {
        if (auto* s = std::get_if<SendData>(&c)) {
            if (s->connection == client) {
                toClient += s->data;
            } else if (s->connection == server) {
                if (!h2Origin.feed(s->data))
                    problems << QStringLiteral("the HTTP/2 origin refused what it got");
            } else if (wsServer && s->connection == wsServer) {
                if (firstFlight.isEmpty())
                    firstFlight = s->data;
                records += s->data;
                checkRecords();
                wsOrigin->feed(s->data);
            } else {
                problems << QStringLiteral("data for an unknown connection: ") + describe(c);
            }
        } else if (auto* o = std::get_if<OpenConnection>(&c)) {
            if (opened || o->connection == server) {
                problems << QStringLiteral("an unexpected connection: ") + describe(c);
                return;
            }
            opened = *o;
            wsServer = o->connection;
            wsServer->state = ConnectionState::Open;
            pb->feed(OpenConnectionCompleted{o->id, wsServer, {}});
        } else if (auto* h = std::get_if<Hook>(&c)) {
            hooks << h->hook->kind;
            if (h->hook->flow)
                flow = h->hook->flow;
            replies.push_back(*h);
        } else if (auto* cc = std::get_if<CloseConnection>(&c)) {
            if (!cc->halfClose)
                closed << cc->connection;
        } else if (auto* l = std::get_if<Log>(&c); l && l->level >= LogLevel::Warn) {
            warnings << l->message;
        }
        // RequestWakeup (the hosted handshake's timeout) is never due; PauseReading is moot
        // with peers that hold everything.
    }
};

} // namespace

class HttpLayerHostedTlsTest : public QObject
{
    Q_OBJECT
    std::unique_ptr<TlsWorld> m_world;

private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<TlsWorld>();
        QString error;
        QVERIFY2(m_world->init(&error), qPrintable(error));
    }

    void upgradeGetsATlsConnectionOfItsOwn_data()
    {
        QTest::addColumn<int>("cut");
        QTest::addColumn<uint>("seed");
        QTest::newRow("whole") << int(Cut::Whole) << 1u;
        QTest::newRow("byte by byte") << int(Cut::Bytes) << 1u;
        for (uint seed : {1u, 2u, 3u, 4u, 5u})
            QTest::addRow("random cuts %u", seed) << int(Cut::Random) << seed * 1000;
    }

    // The whole way: the upgrade leaves the HTTP/2 server alone and goes over a new TLS
    // connection (ALPN http/1.1) as HTTP/1.1; the 101 and a first frame come in one TLS
    // record; frames then cross both ways through the same TLS session, and the closing
    // handshake ends it with close_notify.
    void upgradeGetsATlsConnectionOfItsOwn()
    {
        QFETCH(int, cut);
        QFETCH(uint, seed);
        Driver d(*m_world, Cut(cut), seed);
        d.pump(); // the HTTP/2 origin's SETTINGS: no ENABLE_CONNECT_PROTOCOL
        QVERIFY2(d.problems.isEmpty(), qPrintable(d.why()));

        d.fromClient(kUpgrade);
        QVERIFY2(d.problems.isEmpty(), qPrintable(d.why()));
        QVERIFY2(d.h2Origin.streams.empty(),
                 qPrintable(QStringLiteral("the upgrade went to the HTTP/2 origin: ") +
                            describePeerStreams(d.h2Origin).join(QStringLiteral("; "))));
        QVERIFY2(d.opened, "HttpLayer opened no connection for the WebSocket");
        const ConnectionPtr ws = d.wsServer;
        QCOMPARE(ws->peer.toString(), d.server->peer.toString());
        QVERIFY(ws->tls);
        QCOMPARE(ws->sni, QByteArray("example.com"));
        QCOMPARE(ws->alpnOffers, QList<QByteArray>{"http/1.1"});
        // A real ClientHello went out on it (a handshake record, message type client_hello),
        // and the origin's certificate, from the upstream CA, was accepted.
        QVERIFY2(d.firstFlight.size() > 5 && d.firstFlight[0] == 0x16 && d.firstFlight[5] == 0x01,
                 d.firstFlight.left(16).toHex(' ').constData());
        QCOMPARE(d.wsOrigin->seenSni(), QByteArray("example.com"));
        QCOMPARE(d.wsOrigin->seenAlpnOffers(), QList<QByteArray>{"http/1.1"});
        QVERIFY(d.wsOrigin->done());
        QCOMPARE(d.wsOrigin->alpn(), QByteArray("http/1.1"));
        QVERIFY(ws->tlsEstablished);
        QCOMPARE(ws->alpn, QByteArray("http/1.1"));

        // Inside it: the client's upgrade as HTTP/1.1, its key untouched.
        const QByteArray head = d.atOrigin;
        QVERIFY2(head.startsWith("GET /chat HTTP/1.1\r\n") && head.endsWith("\r\n\r\n"),
                 head.constData());
        QCOMPARE(headerValue(head, "host"), QByteArray("example.com"));
        QCOMPARE(headerValue(head, "upgrade").toLower(), QByteArray("websocket"));
        QVERIFY2(headerValue(head, "connection").toLower().contains("upgrade"), head.constData());
        QCOMPARE(headerValue(head, "sec-websocket-key"), kKey);
        QCOMPARE(headerValue(head, "sec-websocket-version"), QByteArray("13"));
        QVERIFY2(d.toClient.isEmpty(), d.toClient.constData());
        d.atOrigin.clear();

        // The 101 and a first frame in one TLS write: the frame is what the HTTP/1.1 codec
        // read past the 101 (serverRest), already decrypted.
        d.fromOrigin(kSwitching + serverFrame(Opcode::Text, "hello from the origin"));
        QVERIFY2(d.problems.isEmpty(), qPrintable(d.why()));
        const qsizetype headEnd = d.toClient.indexOf("\r\n\r\n");
        QVERIFY2(headEnd > 0, d.toClient.constData());
        const QByteArray answer = d.toClient.left(headEnd + 4);
        QVERIFY2(answer.startsWith("HTTP/1.1 101 "), answer.constData());
        QCOMPARE(headerValue(answer, "sec-websocket-accept"), kAccept);
        QCOMPARE(headerValue(answer, "upgrade").toLower(), QByteArray("websocket"));
        QString why = checkFrames("the client", d.toClient.mid(headEnd + 4),
                                  {{Opcode::Text, "hello from the origin"}}, false);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        d.toClient.clear();

        // Client to origin: the masked frame arrives decrypted.
        d.fromClient(clientFrame(Opcode::Text, "hello from the client"));
        QVERIFY2(d.problems.isEmpty(), qPrintable(d.why()));
        why =
            checkFrames("the origin", d.atOrigin, {{Opcode::Text, "hello from the client"}}, true);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        d.atOrigin.clear();

        // Origin to client after the hand-over: through the same TLS session.
        const QByteArray binary("\x00\x01\xfe\xff binary", 11);
        d.fromOrigin(serverFrame(Opcode::Binary, binary));
        QVERIFY2(d.problems.isEmpty(), qPrintable(d.why()));
        why = checkFrames("the client", d.toClient, {{Opcode::Binary, binary}}, false);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        d.toClient.clear();

        // Recorded both ways, in order.
        QVERIFY(d.flow && d.flow->websocket);
        QCOMPARE(d.flow->response->statusCode, 101);
        QCOMPARE(d.flow->server.alpn, QByteArray("http/1.1"));
        const WebSocketMessages& m = d.flow->websocket->messages;
        QCOMPARE(m.size(), 3);
        QVERIFY(!m[0].fromClient && m[0].isText);
        QCOMPARE(m[0].content, QByteArray("hello from the origin"));
        QVERIFY(m[1].fromClient && m[1].isText);
        QCOMPARE(m[1].content, QByteArray("hello from the client"));
        QVERIFY(!m[2].fromClient && !m[2].isText);
        QCOMPARE(m[2].content, binary);
        QCOMPARE(d.hooks.count(HookKind::WebsocketStart), 1);
        QCOMPARE(d.hooks.count(HookKind::WebsocketMessage), 3);

        // The closing handshake, client first: the TLS session ends with close_notify.
        d.fromClient(clientFrame(Opcode::Close, closeBody(1000, "done")));
        why =
            checkFrames("the origin", d.atOrigin, {{Opcode::Close, closeBody(1000, "done")}}, true);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        d.fromOrigin(serverFrame(Opcode::Close, closeBody(1000, "done")));
        why = checkFrames("the client", d.toClient, {{Opcode::Close, closeBody(1000, "done")}},
                          false);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        QCOMPARE(d.hooks.last(), HookKind::WebsocketEnd);
        QCOMPARE(d.flow->websocket->closeCode, 1000);
        QVERIFY(d.isClosed(ws));
        QVERIFY(d.wsOrigin->closeNotify());
        QVERIFY2(d.problems.isEmpty() && d.warnings.isEmpty(), qPrintable(d.why()));
    }

    // The hosted connection verifies the origin like any other: a certificate from a CA that
    // is not trusted fails the handshake, and the client gets a 502 instead of a WebSocket.
    void untrustedOriginIsRefused()
    {
        Driver d(*m_world, Cut::Whole, 1, false);
        d.pump();
        d.fromClient(kUpgrade);
        QVERIFY2(d.opened, "HttpLayer opened no connection for the WebSocket");
        QVERIFY(d.h2Origin.streams.empty());
        QVERIFY(d.isClosed(d.wsServer));
        QVERIFY(d.atOrigin.isEmpty());
        QVERIFY(!d.wsOrigin->done());
        QVERIFY2(d.toClient.startsWith("HTTP/1.1 502 "), d.toClient.constData());
        // One warning, the TLS layer's; the answer to its tls_failed_server hook goes back to
        // it, not astray ("unexpected reply").
        QVERIFY(d.hooks.contains(HookKind::TlsFailedServer));
        QVERIFY2(d.warnings.size() == 1 && d.warnings[0].startsWith(QStringLiteral(
                                               "TLS handshake with example.com:443 failed: ")),
                 qPrintable(d.why()));
        QVERIFY(!d.hooks.contains(HookKind::WebsocketStart));
        QVERIFY2(d.problems.isEmpty(), qPrintable(d.why()));
    }
};

QTEST_GUILESS_MAIN(HttpLayerHostedTlsTest)
#include "http_layer_hosted_tls_test.moc"
