// Playbook tests for the SOCKS5 mode layer (RFC 1928 / RFC 1929): greeting, optional
// username/password, CONNECT to every address type, failures answered with the right reply
// code, and the tunnel handed to a NextLayer. Client input is also fed byte by byte and cut
// at random points.
#include "layers/modes/socks5_layer.h"
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

QByteArray bytes(std::initializer_list<int> list)
{
    QByteArray b;
    for (int v : list)
        b.append(char(v));
    return b;
}

const QByteArray kSuccess = bytes({5, 0, 0, 1, 0, 0, 0, 0, 0, 0});

QByteArray connectDomain(const QByteArray& host, quint16 port)
{
    return bytes({5, 1, 0, 3, int(host.size())}) + host + bytes({port >> 8, port & 0xff});
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

ConnectionPtr lastOpenConnection(Playbook& pb)
{
    for (const Command& c : pb.pending())
        if (auto* o = std::get_if<OpenConnection>(&c))
            return o->connection;
    return nullptr;
}

} // namespace

class Socks5LayerTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void connectWithoutAuth_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("whole") << 0;
        QTest::newRow("1 byte") << 1;
        QTest::newRow("random") << 2;
    }
    void connectWithoutAuth()
    {
        QFETCH(int, mode);
        Fixture f;
        Socks5Layer layer(f.context());
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        QVERIFY2(pb.expectNothing(), pb.why());
        // A client may send its request right behind its greeting.
        feedAs(pb, f.client, bytes({5, 2, 2, 0}) + connectDomain("example.com", 443), mode);
        QVERIFY2(pb.expect(SendData{f.client, bytes({5, 0})}), pb.why());
        const ConnectionPtr server = lastOpenConnection(pb);
        QVERIFY(server);
        QCOMPARE(server->peer, (Address{"example.com", 443}));
        QVERIFY2(pb.expect(OpenConnection{0, server}), pb.why());
        server->state = ConnectionState::Open;
        pb.replyOpen();
        QVERIFY2(pb.expect(SendData{f.client, kSuccess}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        QVERIFY(layer.child());
        QCOMPARE(layer.child()->name(), QString("NextLayer"));
        // The tunnel's bytes go to the NextLayer, which sees an HTTP request.
        pb.feed(DataReceived{f.client, "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"});
        QVERIFY2(pb.expectHook(HookKind::RequestHeaders), pb.why());
    }
    void userPasswordAuthLazy()
    {
        Fixture f;
        f.options->proxyauth = "alice:secret";
        f.options->connectionStrategy = "lazy";
        Socks5Layer layer(f.context());
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, bytes({5, 2, 0, 2})});
        QVERIFY2(pb.expect(SendData{f.client, bytes({5, 2})}), pb.why());
        pb.feed(DataReceived{f.client, bytes({1, 5}) + "alice" + bytes({6}) + "secret"});
        QVERIFY2(pb.expect(SendData{f.client, bytes({1, 0})}), pb.why());
        // IPv4 127.0.0.1:8080, lazy: the answer comes at once, no connection yet.
        pb.feed(DataReceived{f.client, bytes({5, 1, 0, 1, 127, 0, 0, 1, 0x1f, 0x90})});
        QVERIFY2(pb.expect(SendData{f.client, kSuccess}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        QVERIFY(layer.child());
    }
    void wrongPasswordIsRefused()
    {
        Fixture f;
        f.options->proxyauth = "alice:secret";
        Socks5Layer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client,
                             bytes({5, 1, 2}) + bytes({1, 5}) + "alice" + bytes({5}) + "wrong"});
        QVERIFY2(pb.expect(SendData{f.client, bytes({5, 2})}), pb.why());
        QVERIFY2(pb.expect(Log{LogLevel::Info, "authentication failed for user 'alice'"}),
                 pb.why());
        QVERIFY2(pb.expect(SendData{f.client, bytes({1, 1})}), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        QVERIFY(!layer.child());
    }
    void authRequiredButNotOffered()
    {
        Fixture f;
        f.options->proxyauth = "alice:secret";
        Socks5Layer layer(f.context());
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, bytes({5, 1, 0})});
        QVERIFY2(pb.expect(SendData{f.client, bytes({5, 0xff})}), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
    }
    void notSocks()
    {
        Fixture f;
        Socks5Layer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "GET / HTTP/1.1\r\n\r\n"});
        QVERIFY2(pb.expect(Log{LogLevel::Info, "invalid SOCKS version: expected 0x05, got 0x47"}),
                 pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
    }
    void unsupportedCommandAndAddressType()
    {
        {
            Fixture f;
            Socks5Layer layer(f.context());
            Playbook pb(layer);
            pb.ignoreLogs();
            pb.feed(Start{});
            // UDP ASSOCIATE
            pb.feed(DataReceived{f.client, bytes({5, 1, 0, 5, 3, 0, 1, 0, 0, 0, 0, 0, 0})});
            QVERIFY2(pb.expect(
                         SendData{f.client, bytes({5, 0}) + bytes({5, 7, 0, 1, 0, 0, 0, 0, 0, 0})}),
                     pb.why());
            QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        }
        {
            Fixture f;
            Socks5Layer layer(f.context());
            Playbook pb(layer);
            pb.ignoreLogs();
            pb.feed(Start{});
            pb.feed(DataReceived{f.client, bytes({5, 1, 0, 5, 1, 0, 9, 0})});
            QVERIFY2(pb.expect(
                         SendData{f.client, bytes({5, 0}) + bytes({5, 8, 0, 1, 0, 0, 0, 0, 0, 0})}),
                     pb.why());
            QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        }
    }
    void ipv6AndConnectFailure()
    {
        Fixture f;
        Socks5Layer layer(f.context());
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, bytes({5, 1, 0})});
        QVERIFY2(pb.expect(SendData{f.client, bytes({5, 0})}), pb.why());
        pb.feed(DataReceived{f.client, bytes({5, 1, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0,
                                              0, 0, 0, 0, 0,    0,    0,    0,    1, 0, 80})});
        const ConnectionPtr server = lastOpenConnection(pb);
        QVERIFY(server);
        QCOMPARE(server->peer.host, QByteArray("2001:db8:0:0:0:0:0:1"));
        QCOMPARE(server->peer.port, quint16(80));
        QVERIFY2(pb.expect(OpenConnection{0, server}), pb.why());
        pb.replyOpen("connection refused");
        QVERIFY2(pb.expect(SendData{f.client, bytes({5, 4, 0, 1, 0, 0, 0, 0, 0, 0})}), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        QVERIFY(!layer.child());
    }
    void clientLeavesDuringGreeting()
    {
        Fixture f;
        Socks5Layer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, bytes({5, 2})});
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.feed(ConnectionClosed{f.client});
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
    }
};

QTEST_GUILESS_MAIN(Socks5LayerTest)
#include "socks5_layer_test.moc"
