// The connection hooks the ConnectionHandler emits (server/connection_handler.h, mitmproxy
// `proxy/server.py`), through the real engine and real sockets on 127.0.0.1: client_connected,
// server_connect, server_connected, server_disconnected and client_disconnected once each, in
// that order, for a keep-alive connection with two requests, each with the connection filled
// as far as known at that moment; an error set in server_connect refuses the connect (the
// client gets a 502 with that message, the origin sees nothing); a dead upstream gets
// server_connect only; a replay's server connection gets its server hooks; and nobody
// listening means none is emitted. Scripts: tests/unit/script/script_connection_hooks_test.cpp.

#include "addons/addon.h"
#include "layers/modes/root_layer.h"
#include "server/hook_runner.h"
#include "server/proxy_engine.h"
#include "server/proxy_server.h"
#include "test_origin.h"

#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <mutex>
#include <sys/socket.h>
#include <thread>

using namespace spyglass;
using namespace spyglass::test;
using proxy::HookKind;

namespace {

struct Record
{
    HookKind kind;
    Connection connection; // the client for client hooks, the server for server hooks
    Connection client;     // server hooks: the client
};

QByteArray names(const std::vector<Record>& records)
{
    QList<QByteArray> out;
    for (const Record& r : records)
        out.append(proxy::hookName(r.kind));
    return out.join(' ');
}

// A C++ addon on the connection hooks (addons/addon.h), recording copies of what it saw.
class Recorder : public addons::Addon
{
public:
    QString refuse; // server_connect sets this as the server's error, when not empty
    QString name() const override { return QStringLiteral("recorder"); }
    QString configure(const Options&) override { return {}; }
    quint64 wantedHooks() const override
    {
        using proxy::Services;
        return Services::bit(HookKind::ClientConnected) |
               Services::bit(HookKind::ClientDisconnected) |
               Services::bit(HookKind::ServerConnect) | Services::bit(HookKind::ServerConnected) |
               Services::bit(HookKind::ServerDisconnected);
    }
    void clientConnected(Connection& client) override
    {
        add({HookKind::ClientConnected, client, {}});
    }
    void clientDisconnected(Connection& client) override
    {
        add({HookKind::ClientDisconnected, client, {}});
    }
    void serverConnect(const Connection& client, Connection& server) override
    {
        add({HookKind::ServerConnect, server, client});
        if (!refuse.isEmpty())
            server.error = refuse;
    }
    void serverConnected(const Connection& client, Connection& server) override
    {
        add({HookKind::ServerConnected, server, client});
    }
    void serverDisconnected(const Connection& client, Connection& server) override
    {
        add({HookKind::ServerDisconnected, server, client});
    }
    std::vector<Record> records() const
    {
        std::lock_guard lock(m_mutex);
        return m_records;
    }
    bool has(HookKind kind) const
    {
        std::lock_guard lock(m_mutex);
        for (const Record& r : m_records)
            if (r.kind == kind)
                return true;
        return false;
    }

private:
    void add(Record r)
    {
        std::lock_guard lock(m_mutex);
        m_records.push_back(std::move(r));
    }
    mutable std::mutex m_mutex;
    std::vector<Record> m_records;
};

// Every hook a ProxyServer hands out, by kind (for the "nobody wants it" case).
class KindRunner : public HookRunner
{
public:
    bool holdServerConnect = false; // server_connect then waits for take()
    bool run(const proxy::HookPtr& hook, std::function<void()> complete) override
    {
        std::lock_guard lock(m_mutex);
        m_kinds.append(QByteArray(proxy::hookName(hook->kind)));
        if (holdServerConnect && hook->kind == HookKind::ServerConnect) {
            m_held = std::move(complete);
            return false;
        }
        return true;
    }
    std::function<void()> take()
    {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_held, {});
    }
    QList<QByteArray> kinds() const
    {
        std::lock_guard lock(m_mutex);
        return m_kinds;
    }

private:
    mutable std::mutex m_mutex;
    QList<QByteArray> m_kinds;
    std::function<void()> m_held;
};

} // namespace

class ConnectionHooksTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    Options options() const
    {
        Options o;
        o.confdir = m_dir.path();
        o.listenPort = 0;
        o.connectTimeout = 5;
        return o;
    }

private Q_SLOTS:
    void keepAliveConnectionWithTwoRequests()
    {
        Origin origin;
        auto owned = std::make_unique<Recorder>();
        Recorder* rec = owned.get();
        ProxyEngine engine;
        engine.addAddon(std::move(owned));
        QString error;
        QVERIFY2(engine.start(options(), &error), qPrintable(error));

        QTcpSocket client;
        client.connectToHost(QStringLiteral("127.0.0.1"), engine.listenPort());
        QVERIFY(client.waitForConnected(5000));
        client.write(get(origin.port, "/one"));
        QVERIFY(answer(client).endsWith("\r\n\r\n/one"));
        client.write(get(origin.port, "/two"));
        QVERIFY(answer(client).endsWith("\r\n\r\n/two"));
        QCOMPARE(origin.accepted.load(), 1);
        QCOMPARE(origin.requests.load(), 2);
        // The connection is still open: nothing has disconnected.
        QCOMPARE(names(rec->records()),
                 QByteArray("client_connected server_connect server_connected"));

        client.disconnectFromHost();
        QVERIFY(waitFor([&] { return rec->has(HookKind::ClientDisconnected); }));
        const auto r = rec->records();
        QCOMPARE(names(r), QByteArray("client_connected server_connect server_connected "
                                      "server_disconnected client_disconnected"));

        const Connection& clientIn = r[0].connection;
        const Address serverAddress{"127.0.0.1", origin.port};
        // server_connect: before the socket is opened: where to, not yet how.
        QCOMPARE(r[1].connection.peer, serverAddress);
        QVERIFY(!r[1].connection.peername.isValid());
        QCOMPARE(r[1].connection.timestampTcpSetup, 0.0);
        QCOMPARE(r[1].connection.error, QString());
        QCOMPARE(r[1].client.id, clientIn.id);
        QCOMPARE(r[1].client.peer, clientIn.peer);
        // server_connected: after the TCP connect.
        QCOMPARE(r[2].connection.id, r[1].connection.id);
        QCOMPARE(r[2].connection.peername, serverAddress);
        QVERIFY(r[2].connection.sockname.isValid());
        QVERIFY(r[2].connection.timestampTcpSetup >= r[2].connection.timestampStart);
        QVERIFY(r[2].connection.timestampStart > 0);
        QVERIFY(r[2].connection.connected());
        QCOMPARE(r[2].connection.timestampEnd, 0.0);
        QCOMPARE(r[2].client.id, clientIn.id);
        // server_disconnected: closed, with its end.
        QCOMPARE(r[3].connection.id, r[1].connection.id);
        QVERIFY(!r[3].connection.connected());
        QVERIFY(r[3].connection.timestampEnd >= r[2].connection.timestampTcpSetup);
        QCOMPARE(r[3].client.id, clientIn.id);
        // client_disconnected: the same client, closed.
        QCOMPARE(r[4].connection.id, clientIn.id);
        QCOMPARE(r[4].connection.peer, clientIn.peer);
        QVERIFY(!r[4].connection.connected());
        QVERIFY(r[4].connection.timestampEnd >= r[4].connection.timestampStart);

        // Once per connection: nothing more comes.
        QTest::qWait(200);
        QCOMPARE(int(rec->records().size()), 5);
        engine.stop();
    }

    void serverConnectErrorRefusesTheConnect()
    {
        Origin origin;
        auto owned = std::make_unique<Recorder>();
        Recorder* rec = owned.get();
        rec->refuse = QStringLiteral("blocked by the test addon");
        ProxyEngine engine;
        engine.addAddon(std::move(owned));
        QString error;
        QVERIFY2(engine.start(options(), &error), qPrintable(error));

        QTcpSocket client;
        client.connectToHost(QStringLiteral("127.0.0.1"), engine.listenPort());
        QVERIFY(client.waitForConnected(5000));
        client.write(get(origin.port, "/refused"));
        const QByteArray got = answer(client);
        QVERIFY2(got.startsWith("HTTP/1.1 502"), got.constData());
        QVERIFY2(got.contains("blocked by the test addon"), got.constData());
        client.disconnectFromHost();
        QVERIFY(waitFor([&] { return rec->has(HookKind::ClientDisconnected); }));
        QCOMPARE(names(rec->records()),
                 QByteArray("client_connected server_connect client_disconnected"));
        QCOMPARE(origin.accepted.load(), 0);
        engine.stop();
    }

    void deadUpstreamGetsServerConnectOnly()
    {
        auto owned = std::make_unique<Recorder>();
        Recorder* rec = owned.get();
        ProxyEngine engine;
        engine.addAddon(std::move(owned));
        QString error;
        QVERIFY2(engine.start(options(), &error), qPrintable(error));

        const quint16 dead = deadPort();
        QTcpSocket client;
        client.connectToHost(QStringLiteral("127.0.0.1"), engine.listenPort());
        QVERIFY(client.waitForConnected(5000));
        client.write(get(dead, "/dead"));
        const QByteArray got = answer(client);
        QVERIFY2(got.startsWith("HTTP/1.1 502"), got.constData());
        client.disconnectFromHost();
        QVERIFY(waitFor([&] { return rec->has(HookKind::ClientDisconnected); }));
        const auto r = rec->records();
        QCOMPARE(names(r), QByteArray("client_connected server_connect client_disconnected"));
        QCOMPARE(r[1].connection.peer, (Address{"127.0.0.1", dead}));
        engine.stop();
    }

    void replayGetsServerHooks()
    {
        Origin origin;
        auto owned = std::make_unique<Recorder>();
        Recorder* rec = owned.get();
        ProxyEngine engine;
        engine.addAddon(std::move(owned));
        QString error;
        QVERIFY2(engine.start(options(), &error), qPrintable(error));

        HttpFlow f;
        f.request.method = "GET";
        f.request.scheme = "http";
        f.request.host = "127.0.0.1";
        f.request.port = origin.port;
        f.request.path = "/replayed";
        f.request.httpVersion = "HTTP/1.1";
        f.request.headers.add("Host", "127.0.0.1:" + QByteArray::number(origin.port));
        QVERIFY2(!engine.replayFlow(f, &error).isNull(), qPrintable(error));
        QVERIFY(waitFor([&] { return rec->has(HookKind::ServerDisconnected); }));
        QTest::qWait(100);
        // A replay's client is virtual: it has no client_connected / client_disconnected.
        const auto r = rec->records();
        QCOMPARE(names(r), QByteArray("server_connect server_connected server_disconnected"));
        QCOMPARE(r[0].connection.peer, (Address{"127.0.0.1", origin.port}));
        QVERIFY(r[0].client.id != 0);
        QCOMPARE(origin.requests.load(), 1);
        engine.stop();
    }

    void clientGoneWhileServerConnectIsHeld()
    {
        // The connect waits for server_connect; the client resets meanwhile: the answer that
        // comes later from another thread opens nothing, and the handler then finishes.
        Origin origin;
        auto opts = std::make_shared<Options>(options());
        opts->listenHost = QStringLiteral("127.0.0.1");
        KindRunner runner;
        runner.holdServerConnect = true;
        ServerConfig config;
        config.options = opts;
        config.services = std::make_shared<proxy::Services>();
        config.rootLayer = &layers::makeRootLayer;
        config.hooks = &runner;
        ProxyServer server(config);
        QString error;
        QVERIFY2(server.listen(&error), qPrintable(error));

        QTcpSocket client;
        client.connectToHost(QStringLiteral("127.0.0.1"), server.serverPort());
        QVERIFY(client.waitForConnected(5000));
        client.write(get(origin.port, "/held"));
        QVERIFY(waitFor([&] { return runner.kinds().contains("server_connect"); }));
        // Gone for good: a reset (a FIN alone is a half-close, which still gets its answer).
        const linger reset{1, 0};
        ::setsockopt(int(client.socketDescriptor()), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
        client.abort();
        QTest::qWait(200);
        QCOMPARE(server.activeConnections(), 1); // it waits for the hook
        const auto complete = runner.take();
        QVERIFY(complete);
        std::thread other([complete] { complete(); });
        other.join();
        QVERIFY(waitFor([&] { return server.activeConnections() == 0; }));
        const QList<QByteArray> kinds = runner.kinds();
        QVERIFY2(!kinds.contains("server_connected"), kinds.join(' ').constData());
        QCOMPARE(kinds.count("client_disconnected"), 1);
        QCOMPARE(kinds.last(), QByteArray("client_disconnected"));
        QCOMPARE(origin.accepted.load(), 0);
        server.stop();
    }

    void nothingEmittedWhenNobodyWantsThem()
    {
        Origin origin;
        auto opts = std::make_shared<Options>(options());
        opts->listenHost = QStringLiteral("127.0.0.1");
        auto services = std::make_shared<proxy::Services>();
        services->wantedHooks = ~(proxy::Services::bit(HookKind::ClientDisconnected) |
                                  proxy::Services::bit(HookKind::ServerConnect) |
                                  proxy::Services::bit(HookKind::ServerConnected) |
                                  proxy::Services::bit(HookKind::ServerDisconnected));
        KindRunner runner;
        ServerConfig config;
        config.options = opts;
        config.services = services;
        config.rootLayer = &layers::makeRootLayer;
        config.hooks = &runner;
        ProxyServer server(config);
        QString error;
        QVERIFY2(server.listen(&error), qPrintable(error));

        QTcpSocket client;
        client.connectToHost(QStringLiteral("127.0.0.1"), server.serverPort());
        QVERIFY(client.waitForConnected(5000));
        client.write(get(origin.port, "/quiet"));
        QVERIFY(answer(client).endsWith("\r\n\r\n/quiet"));
        client.disconnectFromHost();
        QVERIFY(waitFor([&] { return server.activeConnections() == 0; }));
        const QList<QByteArray> kinds = runner.kinds();
        QVERIFY2(kinds.contains("response"), kinds.join(' ').constData());
        for (const char* name :
             {"client_disconnected", "server_connect", "server_connected", "server_disconnected"})
            QVERIFY2(!kinds.contains(name), kinds.join(' ').constData());

        // Wanted again: the same exchange now hands them out.
        services->wantedHooks = ~quint64(0);
        QTcpSocket again;
        again.connectToHost(QStringLiteral("127.0.0.1"), server.serverPort());
        QVERIFY(again.waitForConnected(5000));
        again.write(get(origin.port, "/loud"));
        QVERIFY(answer(again).endsWith("\r\n\r\n/loud"));
        again.disconnectFromHost();
        QVERIFY(waitFor([&] { return server.activeConnections() == 0; }));
        const QList<QByteArray> all = runner.kinds();
        for (const char* name :
             {"client_disconnected", "server_connect", "server_connected", "server_disconnected"})
            QVERIFY2(all.count(name) == 1, all.join(' ').constData());
        QCOMPARE(all.last(), QByteArray("client_disconnected"));
        server.stop();
    }
};

QTEST_GUILESS_MAIN(ConnectionHooksTest)
#include "connection_hooks_test.moc"
