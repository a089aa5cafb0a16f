// Playbook tests for upstream mode (UpstreamProxyLayer over a regular proxy stack): a client
// CONNECT becomes a CONNECT to the HTTP parent (with upstream_auth), the parent's answer in
// any split, the tunnel then carrying the client's bytes; refusals, an unreachable parent, a
// parent that closes or never answers all end in a 502 with the reason recorded on the flow;
// plain requests go to the parent in absolute-form over one reused connection; a SOCKS5
// parent gets the RFC 1928/1929 handshake before the request; an https parent gets a TLS
// connection of its own (a real OpenSSL server plays it) that carries the tunnel.
#include "../tls/tls_stack_harness.h"
#include "layers/modes/upstream_proxy_layer.h"
#include "layers/next_layer.h"
#include "options/options.h"
#include "options/proxy_mode.h"
#include "playbook.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::proxy;
using namespace spyglass::layers;
using spyglass::test::Playbook;
using spyglass::test::RecordingLayer;
using spyglass::test::TestTlsPeer;
using spyglass::test::TlsDriver;
using spyglass::test::TlsWorld;

namespace {

struct Fixture
{
    std::shared_ptr<Options> options = std::make_shared<Options>();
    ConnectionPtr client = makeConnection(Connection::Role::Client);
    std::shared_ptr<const ProxyMode> mode;
    quint64 hooks = 0;

    explicit Fixture(const QString& spec)
    {
        client->peer = {"127.0.0.1", 50000};
        client->state = ConnectionState::Open;
        QString error;
        auto m = ProxyMode::parse(spec, &error);
        Q_ASSERT(m);
        mode = std::make_shared<const ProxyMode>(*m);
    }
    Context context()
    {
        Context c;
        c.client = client;
        c.options = options;
        c.mode = mode;
        c.services = std::make_shared<Services>();
        c.services->clock = [] { return 1000.0; };
        c.services->wantedHooks = hooks;
        return c;
    }
    std::unique_ptr<UpstreamProxyLayer> layer()
    {
        const Context c = context();
        return std::make_unique<UpstreamProxyLayer>(c, std::make_unique<NextLayer>(c));
    }
};

QByteArray bytes(std::initializer_list<int> list)
{
    QByteArray b;
    for (int v : list)
        b.append(char(v));
    return b;
}

void feedAs(Playbook& pb, const ConnectionPtr& conn, const QByteArray& data, int mode)
{
    if (mode == 0)
        pb.feed(DataReceived{conn, data});
    else if (mode == 1)
        pb.feedSplit(conn, data, 1);
    else
        pb.feedRandom(conn, data, 11);
}

ConnectionPtr nextOpen(Playbook& pb)
{
    for (const Command& c : pb.pending())
        if (auto* o = std::get_if<OpenConnection>(&c))
            return o->connection;
    return nullptr;
}

const QByteArray kConnect = "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n";
const Address kParent{"proxy.test", 3128};

// Client CONNECT up to the parent's TCP connection being open; returns the server connection.
ConnectionPtr connectToParent(Playbook& pb, Fixture& f)
{
    pb.feed(Start{});
    pb.feed(DataReceived{f.client, kConnect});
    const ConnectionPtr server = nextOpen(pb);
    if (!server || !pb.expect(OpenConnection{0, server}))
        return nullptr;
    pb.replyOpen();
    return server;
}

} // namespace

class UpstreamProxyLayerTest : public QObject
{
    Q_OBJECT
    TlsWorld m_world;

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_world.init(&error), qPrintable(error));
    }
    void httpsParentCarriesTheTunnelInsideTls()
    {
        Fixture f("upstream:https://example.com:3129");
        f.options->sslVerifyUpstreamTrustedCa = m_world.upstreamCaFile;
        QString error;
        auto contexts = TlsContexts::create(*f.options, &error);
        QVERIFY2(contexts, qPrintable(error));
        Context c = f.context();
        c.services->tls = contexts;
        const ConnectionPtr server = makeConnection(Connection::Role::Server);
        server->peer = {"origin.test", 80};
        auto child = std::make_unique<RecordingLayer>(c);
        RecordingLayer* inner = child.get();
        // The child opens its server at once and sends a request as soon as it is open.
        inner->script = [server](const Event& e) -> Commands {
            if (std::holds_alternative<Start>(e))
                return {makeOpenConnection(server)};
            if (auto* o = std::get_if<OpenConnectionCompleted>(&e); o && o->error.isEmpty())
                return {SendData{server, "GET / HTTP/1.1\r\nHost: origin.test\r\n\r\n"}};
            return {};
        };
        UpstreamProxyLayer layer(c, std::move(child));
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        // The shell is asked for a connection of the layer's own: TLS to the parent.
        const ConnectionPtr parent = nextOpen(pb);
        QVERIFY(parent && parent != server);
        QCOMPARE(parent->peer, (Address{"example.com", 3129}));
        QVERIFY(parent->tls);
        QCOMPARE(parent->sni, QByteArray("example.com"));
        QCOMPARE(server->via, (Address{"example.com", 3129}));
        auto parentPeer = m_world.server();
        TlsDriver driver(pb, f.client, parent, nullptr, parentPeer.get());
        driver.run();
        QVERIFY2(parent->tlsEstablished, qPrintable(driver.describeSeen()));
        QCOMPARE(parentPeer->read(), QByteArray("CONNECT origin.test:80 HTTP/1.1\r\n"
                                                "Host: origin.test:80\r\n\r\n"));
        QCOMPARE(inner->count<OpenConnectionCompleted>(), 0); // not before the parent's 200
        parentPeer->write("HTTP/1.1 200 Connection established\r\n\r\n");
        driver.run();
        QCOMPARE(inner->count<OpenConnectionCompleted>(), 1);
        QCOMPARE(server->state, ConnectionState::Open);
        // The child's request travels inside the parent's TLS; the answer comes back as the
        // child's connection's data.
        QCOMPARE(parentPeer->read(), QByteArray("GET / HTTP/1.1\r\nHost: origin.test\r\n\r\n"));
        parentPeer->write("HTTP/1.1 204 No Content\r\n\r\n");
        driver.run();
        QCOMPARE(inner->serverData, QByteArray("HTTP/1.1 204 No Content\r\n\r\n"));
        for (const Command& cmd : driver.seen) {
            if (auto* send = std::get_if<SendData>(&cmd))
                QVERIFY2(send->connection == parent, "only the parent connection is written");
        }
        // The parent closing (close_notify) closes the child's connection.
        parentPeer->shutdown();
        driver.run();
        QCOMPARE(inner->count<ConnectionClosed>(), 1);
    }
    void connectThroughHttpParent_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("whole") << 0;
        QTest::newRow("1 byte") << 1;
        QTest::newRow("random") << 2;
    }
    void connectThroughHttpParent()
    {
        QFETCH(int, mode);
        Fixture f("upstream:http://proxy.test:3128");
        f.options->upstreamAuth = "u:p";
        auto layer = f.layer();
        Playbook pb(*layer);
        pb.ignoreLogs();
        const ConnectionPtr server = connectToParent(pb, f);
        QVERIFY2(server, pb.why());
        QCOMPARE(server->peer, (Address{"example.com", 443}));
        QCOMPARE(server->via, kParent);
        QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why()); // handshake_timeout
        QVERIFY2(pb.expect(SendData{server, "CONNECT example.com:443 HTTP/1.1\r\n"
                                            "Host: example.com:443\r\n"
                                            "Proxy-Authorization: Basic dTpw\r\n\r\n"}),
                 pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        // The parent's answer, cut anyhow: only then does the client hear 200.
        feedAs(pb, server, "HTTP/1.1 200 Connection established\r\n\r\n", mode);
        QVERIFY2(pb.expect(SendData{f.client, "HTTP/1.1 200 Connection established\r\n\r\n"}),
                 pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        // The tunnel is the server connection: a request inside it goes there in origin-form.
        pb.feed(DataReceived{f.client, "GET /in HTTP/1.1\r\nHost: example.com\r\n\r\n"});
        QVERIFY2(pb.expect(SendData{server, "GET /in HTTP/1.1\r\nHost: example.com\r\n\r\n"}),
                 pb.why());
        pb.feed(DataReceived{server, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"});
        QVERIFY2(pb.expectSendContaining(f.client, "HTTP/1.1 200 OK"), pb.why());
        // The handshake timer is ours even after the handshake: it reaches nobody.
        pb.replyWakeup();
        QVERIFY2(pb.expectNothing(), pb.why());
    }
    void serverBytesRightBehindTheAnswer()
    {
        Fixture f("upstream:http://proxy.test:3128");
        f.options->connectionStrategy = "eager";
        auto layer = f.layer();
        Playbook pb(*layer);
        pb.ignoreLogs();
        const ConnectionPtr server = connectToParent(pb, f);
        QVERIFY2(server, pb.why());
        QVERIFY2(pb.expect(RequestWakeup{}), pb.why());
        QVERIFY2(pb.expect(SendData{server, kConnect}), pb.why());
        // A server-first protocol: its greeting arrives with the parent's answer.
        pb.feed(DataReceived{server, "HTTP/1.1 200 OK\r\n\r\n220 smtp.example.com ESMTP\r\n"});
        QVERIFY2(pb.expect(SendData{f.client, "HTTP/1.1 200 Connection established\r\n\r\n"}),
                 pb.why());
        QVERIFY2(pb.expect(SendData{f.client, "220 smtp.example.com ESMTP\r\n"}), pb.why());
    }
    void failures_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("407") << 0
                             << "upstream proxy proxy.test:3128 refused CONNECT example.com:443: "
                                "407 Proxy Authentication Required";
        QTest::newRow("closed") << 1
                                << "upstream proxy proxy.test:3128 closed the connection before "
                                   "answering CONNECT example.com:443";
        QTest::newRow("timeout") << 2
                                 << "upstream proxy proxy.test:3128 did not open the tunnel to "
                                    "example.com:443 within 30 seconds";
    }
    void failures()
    {
        QFETCH(int, kind);
        QFETCH(QString, message);
        Fixture f("upstream:http://proxy.test:3128");
        f.hooks = Services::bit(HookKind::Error);
        auto layer = f.layer();
        Playbook pb(*layer);
        pb.ignoreLogs();
        const ConnectionPtr server = connectToParent(pb, f);
        QVERIFY2(server, pb.why());
        QVERIFY2(pb.expect(RequestWakeup{}), pb.why());
        QVERIFY2(pb.expect(SendData{server, kConnect}), pb.why());
        if (kind == 0) {
            pb.feedSplit(server,
                         "HTTP/1.1 407 Proxy Authentication Required\r\n"
                         "Proxy-Authenticate: Basic realm=\"x\"\r\n\r\n",
                         1);
        } else if (kind == 1) {
            pb.feed(DataReceived{server, "HTTP/1.1 2"});
            server->state = ConnectionState::CanWrite;
            pb.feed(ConnectionClosed{server});
        } else {
            pb.replyWakeup();
        }
        QVERIFY2(pb.expect(CloseConnection{server, false}), pb.why());
        QVERIFY2(pb.expectSendContaining(f.client, "HTTP/1.1 502 Bad Gateway"), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why()); // "Connection: close"
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::Error, &h), pb.why());
        QVERIFY(h.hook->flow->error);
        QCOMPARE(h.hook->flow->error->message, message);
        QCOMPARE(h.hook->flow->server.via, kParent);
        QCOMPARE(server->state, ConnectionState::Closed);
    }
    void parentUnreachable()
    {
        Fixture f("upstream:http://proxy.test:3128");
        f.hooks = Services::bit(HookKind::Error);
        auto layer = f.layer();
        Playbook pb(*layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, kConnect});
        QVERIFY2(pb.expect(OpenConnection{}), pb.why());
        pb.replyOpen("connection to proxy.test:3128 failed: Connection refused");
        QVERIFY2(pb.expectSendContaining(f.client, "cannot reach the upstream proxy: connection "
                                                   "to proxy.test:3128 failed"),
                 pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why()); // "Connection: close"
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::Error, &h), pb.why());
        QVERIFY(h.hook->flow->error->message.startsWith("cannot reach the upstream proxy"));
    }
    void plainRequestsInAbsoluteFormOverOneConnection()
    {
        Fixture f("upstream:http://proxy.test:3128");
        f.options->upstreamAuth = "u:p";
        f.hooks = Services::bit(HookKind::Response);
        auto layer = f.layer();
        Playbook pb(*layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "GET http://a.test/x?1 HTTP/1.1\r\nHost: a.test\r\n\r\n"});
        const ConnectionPtr server = nextOpen(pb);
        QVERIFY(server);
        QVERIFY2(pb.expect(OpenConnection{0, server}), pb.why());
        QCOMPARE(server->peer, kParent);
        QCOMPARE(server->via, kParent);
        QVERIFY(UpstreamProxyLayer::speaksToParent(*server));
        pb.replyOpen(); // no handshake: the parent gets the request itself
        QVERIFY2(pb.expect(SendData{server, "GET http://a.test/x?1 HTTP/1.1\r\nHost: a.test\r\n"
                                            "Proxy-Authorization: Basic dTpw\r\n\r\n"}),
                 pb.why());
        feedAs(pb, server, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na", 1);
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::Response, &h), pb.why());
        // The flow keeps the URL the client asked for and the parent it went through; the
        // credentials for the parent are not part of the recorded request.
        QCOMPARE(h.hook->flow->request.url(), QByteArray("http://a.test/x?1"));
        QCOMPARE(h.hook->flow->server.via, kParent);
        QVERIFY(!h.hook->flow->request.headers.contains("proxy-authorization"));
        pb.replyHook();
        QVERIFY2(pb.expectSendContaining(f.client, "HTTP/1.1 200 OK"), pb.why());
        // Another host: the same connection to the parent.
        pb.feed(DataReceived{f.client,
                             "GET http://b.test:8080/y HTTP/1.1\r\nHost: b.test:8080\r\n\r\n"});
        QVERIFY2(pb.expect(SendData{server, "GET http://b.test:8080/y HTTP/1.1\r\n"
                                            "Host: b.test:8080\r\n"
                                            "Proxy-Authorization: Basic dTpw\r\n\r\n"}),
                 pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
    }
    void httpsParentPoolSpeaksTls()
    {
        // upstream:https: the absolute-form pool's connection is TLS to the parent (HttpLayer
        // hosts the TLS layer), offering only HTTP/1.1.
        Fixture f("upstream:https://proxy.test");
        auto layer = f.layer();
        Playbook pb(*layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n"});
        const ConnectionPtr server = nextOpen(pb);
        QVERIFY(server);
        QCOMPARE(server->peer, (Address{"proxy.test", 443}));
        QVERIFY(server->tls);
        QCOMPARE(server->sni, QByteArray("proxy.test"));
        QCOMPARE(server->alpnOffers, QList<QByteArray>{"http/1.1"});
        QVERIFY(UpstreamProxyLayer::speaksToParent(*server));
    }
    void socks5Parent_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("whole") << 0;
        QTest::newRow("1 byte") << 1;
        QTest::newRow("random") << 2;
    }
    void socks5Parent()
    {
        QFETCH(int, mode);
        Fixture f("upstream:socks5://proxy.test");
        f.options->upstreamAuth = "u:p";
        auto layer = f.layer();
        Playbook pb(*layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "GET http://a.test/x HTTP/1.1\r\nHost: a.test\r\n\r\n"});
        const ConnectionPtr server = nextOpen(pb);
        QVERIFY(server);
        QVERIFY2(pb.expect(OpenConnection{0, server}), pb.why());
        QCOMPARE(server->peer, (Address{"a.test", 80}));
        QCOMPARE(server->via, (Address{"proxy.test", 1080}));
        pb.replyOpen();
        QVERIFY2(pb.expect(RequestWakeup{}), pb.why());
        QVERIFY2(pb.expect(SendData{server, bytes({5, 2, 0, 2})}), pb.why());
        feedAs(pb, server, bytes({5, 2}), mode);
        QVERIFY2(pb.expect(SendData{server, bytes({1, 1, 'u', 1, 'p'})}), pb.why());
        feedAs(pb, server, bytes({1, 0}), mode);
        QVERIFY2(pb.expect(SendData{server, bytes({5, 1, 0, 3, 6}) + "a.test" + bytes({0, 80})}),
                 pb.why());
        feedAs(pb, server, bytes({5, 0, 0, 1, 127, 0, 0, 1, 4, 56}), mode);
        // The request goes through the tunnel as to the origin itself.
        QVERIFY2(pb.expect(SendData{server, "GET /x HTTP/1.1\r\nHost: a.test\r\n\r\n"}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
    }
    void socks5WrongPassword()
    {
        Fixture f("upstream:socks5://proxy.test:1081");
        f.options->upstreamAuth = "u:bad";
        auto layer = f.layer();
        Playbook pb(*layer);
        pb.ignoreLogs();
        const ConnectionPtr server = connectToParent(pb, f);
        QVERIFY2(server, pb.why());
        QVERIFY2(pb.expect(RequestWakeup{}), pb.why());
        QVERIFY2(pb.expect(SendData{server, bytes({5, 2, 0, 2})}), pb.why());
        pb.feed(DataReceived{server, bytes({5, 2})});
        QVERIFY2(pb.expect(SendData{server, bytes({1, 1, 'u', 3}) + "bad"}), pb.why());
        pb.feed(DataReceived{server, bytes({1, 1})});
        QVERIFY2(pb.expect(CloseConnection{server, false}), pb.why());
        QVERIFY2(pb.expectSendContaining(f.client, "SOCKS5 proxy proxy.test:1081 rejected the "
                                                   "user name or password"),
                 pb.why());
    }
};

QTEST_GUILESS_MAIN(UpstreamProxyLayerTest)
#include "upstream_proxy_layer_test.moc"
