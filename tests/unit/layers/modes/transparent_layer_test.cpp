// Playbook tests for transparent mode: the server is the original destination the shell
// found on the socket. No destination, or one that is the proxy itself, is a logged error and
// a closed client with nothing opened; eager mode connects first (client bytes meanwhile are
// kept, also fed byte by byte); then NextLayer decides: HTTP/1 in origin-form with its Host,
// raw TCP, a server that speaks first, and TLS without SNI answered with a certificate for
// the destination IP (a real OpenSSL client and server, tls_stack_harness.h).
#include "../tls/tls_stack_harness.h"

#include "layers/modes/root_layer.h"
#include "layers/modes/transparent_layer.h"
#include "layers/next_layer.h"
#include "options/options.h"
#include "options/proxy_mode.h"
#include "playbook.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::proxy;
using namespace spyglass::layers;
using spyglass::test::Playbook;

namespace {

const Address kDestination{"10.0.0.1", 8000};
const Address kProxy{"192.168.1.1", 8080}; // where the redirect delivered the client

struct Fixture
{
    std::shared_ptr<Options> options = std::make_shared<Options>();
    ConnectionPtr client = makeConnection(Connection::Role::Client);
    ConnectionPtr server = makeConnection(Connection::Role::Server);

    explicit Fixture(const QString& strategy = QStringLiteral("eager"))
    {
        client->peer = {"192.168.1.2", 50000};
        client->sockname = kProxy;
        client->state = ConnectionState::Open;
        server->peer = kDestination;
        options->connectionStrategy = strategy;
    }
    Context context() const
    {
        Context c;
        c.client = client;
        c.server = server;
        c.options = options;
        c.services = std::make_shared<Services>();
        c.services->clock = [] { return 1000.0; };
        QString error;
        c.mode = std::make_shared<const ProxyMode>(*ProxyMode::parse("transparent", &error));
        return c;
    }
};

const QByteArray kRequest = "GET /x?y=1 HTTP/1.1\r\nHost: origin.example:8000\r\n\r\n";

void feedAs(Playbook& pb, const ConnectionPtr& conn, const QByteArray& data, int mode)
{
    if (mode == 0)
        pb.feed(DataReceived{conn, data});
    else if (mode == 1)
        pb.feedSplit(conn, data, 1);
    else
        pb.feedRandom(conn, data, 7);
}

void modes()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("whole") << 0;
    QTest::newRow("1 byte") << 1;
    QTest::newRow("random") << 2;
}

const Layer* decided(const TransparentLayer& layer)
{
    const auto* next = dynamic_cast<const NextLayer*>(layer.child());
    return next ? next->child() : nullptr;
}

} // namespace

class TransparentLayerTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rootLayerPicksTransparent()
    {
        Fixture f;
        auto root = makeRootLayer(f.context());
        QCOMPARE(root->name(), QString("TransparentLayer"));
    }
    void noOriginalDestinationIsAnError()
    {
        Fixture f;
        f.server->peer = {};
        f.server->error = QStringLiteral("no original destination for this connection "
                                         "(netfilter has no record of it)");
        TransparentLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expect(Log{LogLevel::Error, "no original destination for this connection "
                                                "(netfilter has no record of it)"}),
                 pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        QVERIFY(f.client->error.contains("no original destination"));
        // Whatever still arrives is dropped: nothing is opened, ever.
        pb.feed(DataReceived{f.client, kRequest});
        pb.feed(ConnectionClosed{f.client});
        QVERIFY2(pb.expectNothing(), pb.why());
        QVERIFY(!layer.child());
    }
    void noServerAtAllIsAnError()
    {
        Fixture f;
        Context c = f.context();
        c.server = nullptr;
        TransparentLayer layer(c);
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expect(Log{LogLevel::Error, "transparent mode: no original destination for "
                                                "this connection; only connections redirected"}),
                 pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
    }
    void destinationIsTheProxyItself()
    {
        // A client that connected to the transparent port directly: netfilter reports the
        // address it reached, which is ours. Connecting there would loop.
        Fixture f;
        f.server->peer = kProxy;
        TransparentLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expect(Log{LogLevel::Error, "the original destination 192.168.1.1:8080 is "
                                                "the proxy itself"}),
                 pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        pb.feed(DataReceived{f.client, kRequest});
        QVERIFY2(pb.expectNothing(), pb.why());
        QCOMPARE(TransparentLayer::destinationProblem(f.context()).isEmpty(), false);
        f.server->peer = kDestination;
        QCOMPARE(TransparentLayer::destinationProblem(f.context()), QString());
    }
    void eagerConnectsFirstThenHttp_data() { modes(); }
    void eagerConnectsFirstThenHttp()
    {
        QFETCH(int, mode);
        Fixture f;
        TransparentLayer layer(f.context());
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        QVERIFY2(pb.expect(OpenConnection{0, f.server}), pb.why());
        // The request arrives while the connect is under way: kept for later.
        feedAs(pb, f.client, kRequest, mode);
        QVERIFY2(pb.expectNothing(), pb.why());
        QVERIFY(!layer.child());
        f.server->state = ConnectionState::Open;
        pb.replyOpen();
        QVERIFY(decided(layer));
        QCOMPARE(decided(layer)->name(), QString("HttpLayer"));
        Hook hook;
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders, &hook), pb.why());
        // The URL names the real destination; the Host header stays as the client sent it.
        QCOMPARE(hook.hook->flow->request.url(), QByteArray("http://10.0.0.1:8000/x?y=1"));
        QCOMPARE(hook.hook->flow->request.headers.value("host"), QByteArray("origin.example:8000"));
        pb.replyHook();
        QVERIFY2(pb.expectHook(HookKind::Request), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.server, kRequest}), pb.why());
    }
    void lazyOpensWhenTheRequestNeedsIt()
    {
        Fixture f(QStringLiteral("lazy"));
        TransparentLayer layer(f.context());
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.feed(DataReceived{f.client, kRequest});
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expectHook(HookKind::Request), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(OpenConnection{0, f.server}), pb.why());
        f.server->state = ConnectionState::Open;
        pb.replyOpen();
        QVERIFY2(pb.expect(SendData{f.server, kRequest}), pb.why());
    }
    void failedConnectClosesTheClient()
    {
        Fixture f;
        TransparentLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expect(OpenConnection{0, f.server}), pb.why());
        pb.feed(DataReceived{f.client, kRequest});
        pb.replyOpen(QStringLiteral("Connection refused"));
        QVERIFY2(pb.expect(Log{LogLevel::Warn, "cannot connect to the original destination "
                                               "10.0.0.1:8000: Connection refused"}),
                 pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        QVERIFY(!layer.child());
    }
    void serverFirstIsRawTcp()
    {
        Fixture f;
        f.server->peer = {"10.0.0.1", 25};
        // Nobody listens to tcp_message here: the bytes go on at once (tcp_layer_test
        // covers the wait for it).
        Context ctx = f.context();
        ctx.services->wantedHooks = ~Services::bit(HookKind::TcpMessage);
        TransparentLayer layer(ctx);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        QVERIFY2(pb.expect(OpenConnection{0, f.server}), pb.why());
        f.server->state = ConnectionState::Open;
        pb.replyOpen();
        QVERIFY2(pb.expectNothing(), pb.why()); // waiting for whoever speaks first
        pb.feed(DataReceived{f.server, "220 mail.example ESMTP\r\n"});
        QVERIFY(decided(layer));
        QCOMPARE(decided(layer)->name(), QString("TcpLayer"));
        QCOMPARE(pb.takeSent(f.client), QByteArray("220 mail.example ESMTP\r\n"));
        pb.feed(DataReceived{f.client, "EHLO me\r\n"});
        QCOMPARE(pb.takeSent(f.server), QByteArray("EHLO me\r\n"));
    }
    void clientBinaryIsRawTcp_data() { modes(); }
    void clientBinaryIsRawTcp()
    {
        QFETCH(int, mode);
        Fixture f;
        // Nobody listens to tcp_message here: the bytes go on at once (tcp_layer_test
        // covers the wait for it).
        Context ctx = f.context();
        ctx.services->wantedHooks = ~Services::bit(HookKind::TcpMessage);
        TransparentLayer layer(ctx);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        QVERIFY2(pb.expect(OpenConnection{0, f.server}), pb.why());
        f.server->state = ConnectionState::Open;
        pb.replyOpen();
        const QByteArray binary("\x00\x01\x02 binary protocol", 19);
        feedAs(pb, f.client, binary, mode);
        QVERIFY(decided(layer));
        QCOMPARE(decided(layer)->name(), QString("TcpLayer"));
        QCOMPARE(pb.takeSent(f.server), binary);
    }
    void tlsWithoutSniGetsACertificateForTheDestinationIp()
    {
        test::TlsWorld world;
        QString error;
        QVERIFY2(world.init(&error), qPrintable(error));
        Fixture f;
        f.server->peer = {"10.0.0.1", 443};
        f.options->sslVerifyUpstreamTrustedCa = world.upstreamCaFile;
        auto contexts = TlsContexts::create(*f.options, &error);
        QVERIFY2(contexts, qPrintable(error));
        CertStore certs(world.ca);
        Context c = f.context();
        c.services->certs = &certs;
        c.services->tls = contexts;
        TransparentLayer layer(c);
        Playbook pb(layer);

        test::TestTlsPeer::ClientConfig cc; // no SNI: curl https://10.0.0.1/ sends none
        cc.alpn = {"http/1.1"};
        cc.trust = world.ca->certificate();
        cc.verifyIp = "10.0.0.1";
        auto client = test::TestTlsPeer::client(cc);
        auto server = world.server();
        test::TlsDriver driver(pb, f.client, f.server, client.get(), server.get());
        pb.feed(Start{});
        driver.run();
        QVERIFY2(client->done() && !client->failed(), qPrintable(driver.describeSeen()));
        QVERIFY(server->done());
        QVERIFY(server->seenSni().isEmpty());
        QCOMPARE(decided(layer)->name(), QString("ServerTlsLayer"));
        // HTTP inside: the URL is https:// to the destination IP.
        QVERIFY(client->write("GET /secret HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n"));
        driver.run();
        const auto hooks = driver.hooks(HookKind::RequestHeaders);
        QCOMPARE(hooks.size(), size_t(1));
        QCOMPARE(hooks.front().hook->flow->request.url(), QByteArray("https://10.0.0.1/secret"));
    }
};

QTEST_GUILESS_MAIN(TransparentLayerTest)
#include "transparent_layer_test.moc"
