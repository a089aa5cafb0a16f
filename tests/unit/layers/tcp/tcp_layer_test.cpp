// Playbook tests of TcpLayer and of NextLayer's choice of it: relaying both ways (input
// whole, byte by byte and cut at random) while recording every chunk as a message of a TCP
// flow, the tcp_* hooks and the snapshots they carry, half-closes and who closed first, an
// unreachable server (tcp_error), a server-first protocol under connection_strategy=eager,
// the plain unrecorded relay for ignore_hosts, tcp_hosts forcing TCP over HTTP, and rawtcp off.
#include "layers/next_layer.h"
#include "layers/tcp/tcp_layer.h"
#include "options/options.h"
#include "playbook.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::proxy;
using namespace spyglass::layers;
using namespace spyglass::test;

namespace {

struct Fixture
{
    std::shared_ptr<Options> options = std::make_shared<Options>();
    ConnectionPtr client = makeConnection(Connection::Role::Client);
    ConnectionPtr server = makeConnection(Connection::Role::Server);
    double clock = 1000.0;

    explicit Fixture(bool serverConnected = true)
    {
        client->peer = {"127.0.0.1", 50000};
        client->state = ConnectionState::Open;
        server->peer = {"mail.example", 25};
        if (serverConnected)
            server->state = ConnectionState::Open;
    }
    Context context()
    {
        Context c;
        c.client = client;
        c.server = server;
        c.options = options;
        c.services = std::make_shared<Services>();
        c.services->clock = [this] { return clock; };
        return c;
    }
};

// What one side received, the hooks seen (in order) and the last hook's flow snapshot.
struct Outcome
{
    QByteArray toClient;
    QByteArray toServer;
    QList<HookKind> hooks;
    FlowSnapshot last;
    QList<FlowSnapshot> snapshots;
    int opens = 0;
    int fullCloses = 0;
};

Outcome drain(Playbook& pb, const Fixture& f)
{
    Outcome o;
    for (const Command& c : pb.pending()) {
        if (auto* s = std::get_if<SendData>(&c)) {
            (s->connection == f.client ? o.toClient : o.toServer) += s->data;
        } else if (auto* h = std::get_if<Hook>(&c)) {
            o.hooks << h->hook->kind;
            o.last = h->hook->flow;
            o.snapshots << h->hook->flow;
        } else if (std::holds_alternative<OpenConnection>(c)) {
            ++o.opens;
        } else if (auto* cc = std::get_if<CloseConnection>(&c)) {
            if (!cc->halfClose)
                ++o.fullCloses;
        }
    }
    pb.pending().clear();
    return o;
}

void feedAs(Playbook& pb, const ConnectionPtr& conn, const QByteArray& data, int mode)
{
    if (mode == 0)
        pb.feed(DataReceived{conn, data});
    else if (mode == 1)
        pb.feedSplit(conn, data, 1);
    else
        pb.feedRandom(conn, data, 7);
}

QByteArray joined(const TcpData& d, bool fromClient)
{
    QByteArray out;
    for (const TcpMessage& m : d.messages)
        if (m.fromClient == fromClient)
            out += m.content;
    return out;
}

} // namespace

class TcpLayerTest : public QObject
{
    Q_OBJECT

private slots:
    void recordsBothWays_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("whole") << 0;
        QTest::newRow("byte by byte") << 1;
        QTest::newRow("random cuts") << 2;
    }

    void recordsBothWays()
    {
        QFETCH(int, mode);
        Fixture f;
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());

        const QByteArray hello = "EHLO client.example\r\n";
        const QByteArray answer = "250-mail.example greets you\r\n250 SIZE 1000\r\n";
        feedAs(pb, f.client, hello, mode);
        f.clock = 1001.0;
        feedAs(pb, f.server, answer, mode);
        Outcome o = drain(pb, f);
        QCOMPARE(o.toServer, hello);
        QCOMPARE(o.toClient, answer);
        const auto messageHooks = o.hooks.count(HookKind::TcpMessage);
        QCOMPARE(o.hooks.size(), messageHooks);
        const TcpData& d = *layer.flow()->tcp;
        QCOMPARE(qsizetype(messageHooks), d.messages.size());
        QCOMPARE(joined(d, true), hello);
        QCOMPARE(joined(d, false), answer);
        if (mode == 0) {
            QCOMPARE(d.messages.size(), 2);
            QVERIFY(d.messages[0].fromClient);
            QCOMPARE(d.messages[0].timestamp, 1000.0);
            QVERIFY(!d.messages[1].fromClient);
            QCOMPARE(d.messages[1].timestamp, 1001.0);
        } else if (mode == 1) {
            QCOMPARE(d.messages.size(), hello.size() + answer.size());
        }
        // Each hook carried a snapshot as it was then: n messages for the n-th hook.
        for (qsizetype i = 0; i < o.snapshots.size(); ++i)
            QCOMPARE(o.snapshots[i]->tcp->messages.size(), i + 1);
        QCOMPARE(o.last->kind, FlowKind::Tcp);
        QVERIFY(o.last->live);
        QCOMPARE(o.last->client.peer, f.client->peer);
        QCOMPARE(o.last->server.peer, f.server->peer);
        QVERIFY(o.last->request.method.isEmpty());
        QVERIFY(!o.last->response);

        // The server ends first: half-close towards the client, then the client ends.
        pb.feed(ConnectionClosed{f.server});
        QVERIFY2(pb.expect(CloseConnection{f.client, true}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        f.clock = 1002.0;
        pb.feed(ConnectionClosed{f.client});
        o = drain(pb, f);
        QVERIFY(o.hooks == QList<HookKind>{HookKind::TcpEnd});
        QVERIFY(!o.last->live);
        QVERIFY(!o.last->tcp->closedByClient);
        QCOMPARE(o.last->tcp->timestampEnd, 1002.0);
        QVERIFY(!o.last->error);
        QCOMPARE(o.fullCloses, 2);
    }

    void clientClosesFirst()
    {
        Fixture f;
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "QUIT\r\n"});
        pb.feed(ConnectionClosed{f.client});
        Outcome o = drain(pb, f);
        QCOMPARE(o.toServer, QByteArray("QUIT\r\n"));
        pb.feed(DataReceived{f.server, "221 bye\r\n"});
        pb.feed(ConnectionClosed{f.server});
        o = drain(pb, f);
        QCOMPARE(o.toClient, QByteArray("221 bye\r\n"));
        QVERIFY((o.hooks == QList<HookKind>{HookKind::TcpMessage, HookKind::TcpEnd}));
        QVERIFY(o.last->tcp->closedByClient);
        QCOMPARE(o.last->tcp->messages.size(), 2);
        // Later events change nothing.
        pb.feed(DataReceived{f.server, "late"});
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void lazyOpenKeepsEarlyBytes()
    {
        Fixture f(false);
        f.options->connectionStrategy = QStringLiteral("lazy");
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        pb.feed(DataReceived{f.client, "ping"});
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        QVERIFY2(pb.expect(OpenConnection{0, f.server}), pb.why());
        pb.replyOpen();
        QVERIFY2(pb.expect(SendData{f.server, "ping"}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void unreachableServerIsTcpError()
    {
        Fixture f(false);
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        QVERIFY2(pb.expect(OpenConnection{0, f.server}), pb.why());
        pb.replyOpen(QStringLiteral("connection refused"));
        pb.ignoreLogs();
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::TcpError, &h), pb.why());
        QVERIFY(h.hook->flow->error);
        QCOMPARE(h.hook->flow->error->message, QStringLiteral("connection refused"));
        QVERIFY(!h.hook->flow->live);
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void relayModeRecordsNothing()
    {
        Fixture f;
        TcpLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "abc"});
        pb.feed(DataReceived{f.server, "def"});
        pb.feed(ConnectionClosed{f.client});
        pb.feed(ConnectionClosed{f.server});
        const Outcome o = drain(pb, f);
        QCOMPARE(o.toServer, QByteArray("abc"));
        QCOMPARE(o.toClient, QByteArray("def"));
        QVERIFY(o.hooks.isEmpty());
        QVERIFY(!layer.flow());
        QCOMPARE(o.fullCloses, 2);
    }

    void unwantedHooksAreNotEmitted()
    {
        Fixture f;
        Context c = f.context();
        c.services->wantedHooks = Services::bit(HookKind::TcpEnd);
        TcpLayer layer(c, TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "abc"});
        pb.feed(ConnectionClosed{f.client});
        pb.feed(ConnectionClosed{f.server});
        const Outcome o = drain(pb, f);
        QVERIFY(o.hooks == QList<HookKind>{HookKind::TcpEnd});
        QCOMPARE(o.last->tcp->messages.size(), 1); // still recorded
        QCOMPARE(o.toServer, QByteArray("abc"));
    }

    void snapshotsAreNotQuadratic()
    {
        // Publishing at every message copies chunk pointers, not messages: earlier
        // snapshots keep exactly what they saw while the layer goes on appending.
        Fixture f;
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        QList<FlowSnapshot> kept;
        for (int i = 0; i < 1000; ++i) {
            pb.feed(DataReceived{i % 2 ? f.server : f.client, QByteArray::number(i)});
            const Outcome o = drain(pb, f);
            if (i % 300 == 0)
                kept << o.last;
        }
        QCOMPARE(layer.flow()->tcp->messages.size(), 1000);
        for (qsizetype k = 0; k < kept.size(); ++k) {
            QCOMPARE(kept[k]->tcp->messages.size(), k * 300 + 1);
            QCOMPARE(kept[k]->tcp->messages.back().content, QByteArray::number(int(k * 300)));
        }
    }

    // NextLayer inside a tunnel.

    void serverFirstUnderEagerIsRecorded()
    {
        Fixture f;
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.feed(DataReceived{f.server, "220 hello\r\n"});
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        QVERIFY2(pb.expectHook(HookKind::TcpMessage, &h), pb.why());
        QVERIFY2(pb.expect(SendData{f.client, "220 hello\r\n"}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        const TcpData& d = *h.hook->flow->tcp;
        QCOMPARE(d.messages.size(), 1);
        QVERIFY(!d.messages[0].fromClient);
        QCOMPARE(d.messages[0].content, QByteArray("220 hello\r\n"));
        pb.feed(DataReceived{f.client, "HELO x\r\n"});
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        QVERIFY2(pb.expect(SendData{f.server, "HELO x\r\n"}), pb.why());
    }

    void nonHttpClientDataIsRecorded()
    {
        Fixture f;
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, QByteArray("\x00\x01binary", 8)});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        QVERIFY2(pb.expect(SendData{f.server, QByteArray("\x00\x01binary", 8)}), pb.why());
    }

    void ignoredHostStaysUnrecorded()
    {
        Fixture f;
        f.options->ignoreHosts = {QStringLiteral("^mail\\.example:25$")};
        f.options->tcpHosts = {QStringLiteral("mail")}; // ignore wins, as in mitmproxy
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.server, "220 hello\r\n"});
        pb.feed(DataReceived{f.client, "GET / HTTP/1.1\r\n\r\n"});
        const Outcome o = drain(pb, f);
        QVERIFY(o.hooks.isEmpty());
        QCOMPARE(o.toClient, QByteArray("220 hello\r\n"));
        QCOMPARE(o.toServer, QByteArray("GET / HTTP/1.1\r\n\r\n"));
    }

    void tcpHostsForcesTcpOverHttp()
    {
        Fixture f;
        f.options->tcpHosts = {QStringLiteral("^mail\\.example:25$")};
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        QVERIFY2(pb.expect(SendData{f.server, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"}), pb.why());
    }

    void tcpHostsMatchesSni()
    {
        Fixture f;
        f.server->sni = "secure.example";
        f.options->tcpHosts = {QStringLiteral("^secure\\.example:25$")};
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "GET / HTTP/1.1\r\n\r\n"});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
    }

    void httpIsNotTcp()
    {
        Fixture f;
        f.options->tcpHosts = {QStringLiteral("^other:1$")};
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"});
        const Outcome o = drain(pb, f);
        QVERIFY(!o.hooks.contains(HookKind::TcpStart));
        QVERIFY(o.hooks.contains(HookKind::RequestHeaders));
    }

    void rawtcpOffCloses_data()
    {
        QTest::addColumn<bool>("serverFirst");
        QTest::newRow("client speaks") << false;
        QTest::newRow("server speaks first") << true;
    }

    void rawtcpOffCloses()
    {
        QFETCH(bool, serverFirst);
        Fixture f;
        f.options->rawtcp = false;
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        if (serverFirst)
            pb.feed(DataReceived{f.server, "220 hello\r\n"});
        else
            pb.feed(DataReceived{f.client, QByteArray("\x00\x01\x02", 3)});
        QVERIFY2(pb.expect(Log{LogLevel::Info, QStringLiteral("rawtcp is off")}), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.server, false}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.feed(DataReceived{f.client, "more"});
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void rawtcpOffStillHonoursTcpHosts()
    {
        Fixture f;
        f.options->rawtcp = false;
        f.options->tcpHosts = {QStringLiteral("mail")};
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.server, "220 hello\r\n"});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
    }
};

QTEST_GUILESS_MAIN(TcpLayerTest)
#include "tcp_layer_test.moc"
