// Playbook tests for reverse mode: the server is preset from the mode, HTTP goes to it with
// the Host header rewritten (or kept with keep_host_header), https:// means TLS to the server
// whatever the client speaks, tcp:// relays bytes, and a ClientHello leads to client TLS.
// Client input is also fed byte by byte and cut at random points.
#include "layers/modes/reverse_proxy_layer.h"
#include "options/options.h"
#include "options/proxy_mode.h"
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
        options->connectionStrategy = "lazy";
    }
    Context context(const QString& spec)
    {
        Context c;
        c.client = client;
        c.options = options;
        c.services = std::make_shared<Services>();
        c.services->clock = [] { return 1000.0; };
        QString error;
        auto mode = ProxyMode::parse(spec, &error);
        if (!mode)
            qFatal("%s", qPrintable(error));
        c.mode = std::make_shared<const ProxyMode>(*mode);
        return ReverseProxyLayer::targetContext(c);
    }
};

const QByteArray kRequest = "GET /x HTTP/1.1\r\nHost: front.example\r\nAccept: */*\r\n\r\n";

void feedAs(Playbook& pb, const ConnectionPtr& conn, const QByteArray& data, int mode)
{
    if (mode == 0)
        pb.feed(DataReceived{conn, data});
    else if (mode == 1)
        pb.feedSplit(conn, data, 1);
    else
        pb.feedRandom(conn, data, 3);
}

void modes()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("whole") << 0;
    QTest::newRow("1 byte") << 1;
    QTest::newRow("random") << 2;
}

} // namespace

class ReverseProxyLayerTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void targetContextPresetsTheServer()
    {
        Fixture f;
        Context c = f.context("reverse:https://example.com:8443");
        QVERIFY(c.server);
        QCOMPARE(c.server->peer, (Address{"example.com", 8443}));
        QVERIFY(c.server->tls);
        QCOMPARE(c.server->sni, QByteArray("example.com"));
        c = f.context("reverse:tls://10.0.0.1:5432");
        QVERIFY(c.server->tls);
        QVERIFY(c.server->sni.isEmpty()); // no SNI for an IP
        c = f.context("reverse:http://example.com");
        QVERIFY(!c.server->tls);
        QCOMPARE(c.server->peer.port, quint16(80));
    }
    void httpRewritesHost_data() { modes(); }
    void httpRewritesHost()
    {
        QFETCH(int, mode);
        Fixture f;
        const Context ctx = f.context("reverse:http://example.com:8080");
        ReverseProxyLayer layer(ctx);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        QVERIFY2(pb.expectNothing(), pb.why());
        feedAs(pb, f.client, kRequest, mode);
        QVERIFY(layer.child());
        QCOMPARE(layer.child()->name(), QString("HttpLayer"));
        Hook hook;
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders, &hook), pb.why());
        QCOMPARE(hook.hook->flow->request.headers.value("host"), QByteArray("example.com:8080"));
        QCOMPARE(hook.hook->flow->request.url(), QByteArray("http://example.com:8080/x"));
        pb.replyHook();
        QVERIFY2(pb.expectHook(HookKind::Request), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(OpenConnection{0, ctx.server}), pb.why());
        ctx.server->state = ConnectionState::Open;
        pb.replyOpen();
        QVERIFY2(pb.expect(SendData{ctx.server, "GET /x HTTP/1.1\r\nHost: example.com:8080\r\n"
                                                "Accept: */*\r\n\r\n"}),
                 pb.why());
    }
    void keepHostHeader()
    {
        Fixture f;
        f.options->keepHostHeader = true;
        const Context ctx = f.context("reverse:http://example.com");
        ReverseProxyLayer layer(ctx);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, kRequest});
        Hook hook;
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders, &hook), pb.why());
        QCOMPARE(hook.hook->flow->request.headers.value("host"), QByteArray("front.example"));
    }
    void defaultPortIsLeftOut()
    {
        Fixture f;
        const Context ctx = f.context("reverse:http://example.com");
        ReverseProxyLayer layer(ctx);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, kRequest});
        Hook hook;
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders, &hook), pb.why());
        QCOMPARE(hook.hook->flow->request.headers.value("host"), QByteArray("example.com"));
    }
    void httpsMeansTlsToTheServer()
    {
        Fixture f;
        const Context ctx = f.context("reverse:https://example.com");
        ReverseProxyLayer layer(ctx);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, kRequest});
        QCOMPARE(layer.child()->name(), QString("ServerTlsLayer"));
        Hook hook;
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders, &hook), pb.why());
        QCOMPARE(hook.hook->flow->request.url(), QByteArray("https://example.com/x"));
        QCOMPARE(hook.hook->flow->request.headers.value("host"), QByteArray("example.com"));
    }
    void tcpRelays_data() { modes(); }
    void tcpRelays()
    {
        QFETCH(int, mode);
        Fixture f;
        const Context ctx = f.context("reverse:tcp://db.local:5432");
        // Nobody listens to tcp_message here (tcp_layer_test covers the wait for it).
        ctx.services->wantedHooks = ~Services::bit(HookKind::TcpMessage);
        ReverseProxyLayer layer(ctx);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        feedAs(pb, f.client, QByteArray("\x00\x01 not http", 11), mode);
        QCOMPARE(layer.child()->name(), QString("TcpLayer"));
        QVERIFY2(pb.expect(OpenConnection{0, ctx.server}), pb.why());
        ctx.server->state = ConnectionState::Open;
        pb.replyOpen();
        QVERIFY2(pb.expect(SendData{ctx.server, QByteArray("\x00\x01 not http", 11)}), pb.why());
    }
    void prefaceMeansHttp2()
    {
        Fixture f;
        const Context ctx = f.context("reverse:http://example.com");
        ReverseProxyLayer layer(ctx);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "PRI * HTTP/2.0\r\n"});
        QVERIFY(!layer.child()); // could still be the preface
        pb.feed(DataReceived{f.client, "\r\nSM\r\n\r\n"});
        QVERIFY(layer.child());
        QCOMPARE(layer.child()->name(), QString("HttpLayer"));
        // The HTTP/2 server codec answers with its SETTINGS.
        QVERIFY2(pb.expectSendContaining(f.client, QByteArray("\x00\x00", 2)), pb.why());
    }
    void clientHelloMeansClientTls()
    {
        Fixture f;
        const Context ctx = f.context("reverse:http://example.com");
        ReverseProxyLayer layer(ctx);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        // A TLS record header of a handshake: more is needed before deciding.
        pb.feed(DataReceived{f.client, QByteArray("\x16\x03\x01", 3)});
        QVERIFY(!layer.child());
        pb.feed(ConnectionClosed{f.client});
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
    }
    void silentClientIsClosed()
    {
        Fixture f;
        ReverseProxyLayer layer(f.context("reverse:http://example.com"));
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(ConnectionClosed{f.client});
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
    }
};

QTEST_GUILESS_MAIN(ReverseProxyLayerTest)
#include "reverse_proxy_layer_test.moc"
