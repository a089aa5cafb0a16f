// ProxyServer and ConnectionHandler end to end, on 127.0.0.1 only: a small relay layer of
// our own (the protocol layers are tested with playbooks elsewhere), local echo / source /
// sink servers, real clients. No sleeps except where a check is negative ("nothing more
// arrives"), and those cannot make a correct implementation fail.

#include "server/connection_handler.h"
#include "server/hook_runner.h"
#include "server/proxy_server.h"
#include "server/socket_stream.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QtTest>
#include <memory>
#include <thread>

using namespace spyglass;
using namespace spyglass::proxy;

namespace {

// What the layers running on worker threads report to the test.
struct Shared
{
    QMutex mutex;
    QStringList openErrors;
    QStringList logs;
    QSet<QThread*> threads;
    int hookCompletions = 0;
    int reentered = 0; // handleEvent called while already inside handleEvent
    int readWhilePaused = 0;

    void add(QStringList& list, const QString& s)
    {
        QMutexLocker lock(&mutex);
        list << s;
    }
    QStringList get(const QStringList& list)
    {
        QMutexLocker lock(&mutex);
        return list;
    }
};

struct RelaySettings
{
    Address target;                 // invalid: no server connection at all
    bool hookFirst = false;         // a ClientConnected hook must complete before connecting
    double wakeupAfter = 0;         // > 0: send "tick\n" to the client after that long, then close
    bool ignoreClientClose = false; // leave the server connection alone when the client goes
    // Start -> [Hook, SendData "first "]; HookCompleted -> SendData "second\n". An event that
    // arises while a batch executes (a hook answered at once) must wait for the whole batch.
    bool orderProbe = false;
    double pauseClientFor = 0; // > 0: PauseReading(client) on Start, resume after that long
};

// Relays bytes both ways, propagates half-closes, closes both once both sides are done.
class RelayLayer : public Layer
{
public:
    RelayLayer(Context context, RelaySettings settings, Shared* shared)
        : Layer(std::move(context)), m_settings(std::move(settings)), m_shared(shared)
    {
    }
    QString name() const override { return QStringLiteral("relay"); }

    Commands handleEvent(const Event& event) override
    {
        if (m_inside) {
            QMutexLocker lock(&m_shared->mutex);
            ++m_shared->reentered;
        }
        m_inside = true;
        Commands out = handle(event);
        m_inside = false;
        return out;
    }

private:
    Commands handle(const Event& event)
    {
        Commands out;
        const ConnectionPtr& client = m_context.client;
        if (std::holds_alternative<Start>(event)) {
            {
                QMutexLocker lock(&m_shared->mutex);
                m_shared->threads.insert(QThread::currentThread());
            }
            if (m_settings.wakeupAfter > 0) {
                Command w = makeWakeup(m_settings.wakeupAfter);
                m_wakeupId = std::get<RequestWakeup>(w).id;
                out.push_back(w);
            }
            if (m_settings.pauseClientFor > 0) {
                m_paused = true;
                out.push_back(PauseReading{client, true});
                Command w = makeWakeup(m_settings.pauseClientFor);
                m_resumeId = std::get<RequestWakeup>(w).id;
                out.push_back(w);
            }
            if (m_settings.orderProbe) {
                auto hook = std::make_shared<HookData>();
                hook->kind = HookKind::ClientConnected;
                Command h = makeHook(hook);
                m_probeHookId = std::get<Hook>(h).id;
                out.push_back(h);
                out.push_back(SendData{client, "first "});
            } else if (m_settings.hookFirst) {
                auto hook = std::make_shared<HookData>();
                hook->kind = HookKind::ClientConnected;
                hook->connection = client;
                Command h = makeHook(hook);
                m_hookId = std::get<Hook>(h).id;
                out.push_back(h);
            } else if (m_settings.target.isValid()) {
                out.push_back(open());
            }
        } else if (const auto* w = std::get_if<Wakeup>(&event)) {
            if (w->command == m_resumeId) {
                m_paused = false;
                out.push_back(PauseReading{client, false});
            }
            if (w->command == m_wakeupId) {
                out.push_back(SendData{client, "tick\n"});
                out.push_back(CloseConnection{client, false});
            }
        } else if (const auto* h = std::get_if<HookCompleted>(&event)) {
            if (h->command == m_probeHookId) {
                out.push_back(SendData{client, "second\n"});
                out.push_back(CloseConnection{client, false});
            }
            if (h->command == m_hookId) {
                {
                    QMutexLocker lock(&m_shared->mutex);
                    ++m_shared->hookCompletions;
                }
                if (m_settings.target.isValid())
                    out.push_back(open());
            }
        } else if (const auto* o = std::get_if<OpenConnectionCompleted>(&event)) {
            if (!o->error.isEmpty()) {
                m_shared->add(m_shared->openErrors, o->error);
                out.push_back(SendData{client, "error: " + o->error.toUtf8() + "\n"});
                out.push_back(CloseConnection{client, false});
                m_server.reset();
            } else {
                m_serverReady = true;
                if (!m_early.isEmpty())
                    out.push_back(SendData{m_server, std::exchange(m_early, {})});
                if (m_clientEof)
                    out.push_back(CloseConnection{m_server, true});
            }
        } else if (const auto* d = std::get_if<DataReceived>(&event)) {
            if (d->connection == client) {
                if (m_paused) {
                    QMutexLocker lock(&m_shared->mutex);
                    ++m_shared->readWhilePaused;
                }
                if (m_serverReady)
                    out.push_back(SendData{m_server, d->data});
                else
                    m_early += d->data;
            } else {
                out.push_back(SendData{client, d->data});
            }
        } else if (const auto* c = std::get_if<ConnectionClosed>(&event)) {
            const bool reset = c->connection->state == ConnectionState::Closed;
            if (c->connection == client) {
                m_clientEof = true;
                if (m_settings.ignoreClientClose)
                    return out;
                if (m_server && m_serverReady)
                    out.push_back(CloseConnection{m_server, !reset});
            } else {
                m_serverEof = true;
                out.push_back(CloseConnection{client, !reset});
            }
            if (m_clientEof && m_serverEof) {
                out.push_back(CloseConnection{client, false});
                out.push_back(CloseConnection{m_server, false});
            }
        }
        return out;
    }

    Command open()
    {
        m_server = makeConnection(Connection::Role::Server);
        m_server->peer = m_settings.target;
        return makeOpenConnection(m_server);
    }

    RelaySettings m_settings;
    Shared* m_shared;
    ConnectionPtr m_server;
    QByteArray m_early;
    CommandId m_hookId = 0;
    CommandId m_probeHookId = 0;
    CommandId m_resumeId = 0;
    bool m_paused = false;
    CommandId m_wakeupId = 0;
    bool m_serverReady = false;
    bool m_clientEof = false;
    bool m_serverEof = false;
    bool m_inside = false;
};

class TestHooks : public HookRunner
{
public:
    bool later = false;
    QMutex mutex;
    std::vector<std::function<void()>> completes;

    bool run(const HookPtr& hook, std::function<void()> complete) override
    {
        // The handler's own connection hooks (server_connect, ...) are answered at once:
        // the tests hold the relay layer's hook only.
        const bool connectionHook =
            hook->kind == HookKind::ClientDisconnected || hook->kind == HookKind::ServerConnect ||
            hook->kind == HookKind::ServerConnected || hook->kind == HookKind::ServerDisconnected;
        if (!later || connectionHook)
            return true;
        QMutexLocker lock(&mutex);
        completes.push_back(std::move(complete));
        return false;
    }
    int pending()
    {
        QMutexLocker lock(&mutex);
        return int(completes.size());
    }
    std::function<void()> take(int i)
    {
        QMutexLocker lock(&mutex);
        return completes.at(i);
    }
};

QByteArray pattern(qint64 offset, qint64 size)
{
    QByteArray b(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        b[i] = char((offset + i) % 251);
    return b;
}

bool matchesPattern(const QByteArray& chunk, qint64 offset)
{
    for (qint64 i = 0; i < chunk.size(); ++i)
        if (chunk[i] != char((offset + i) % 251))
            return false;
    return true;
}

// Echoes whatever it receives on each connection.
class EchoServer : public QTcpServer
{
public:
    EchoServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = nextPendingConnection()) {
                ++accepted;
                connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
                connect(s, &QTcpSocket::disconnected, this, [this] { ++disconnected; });
            }
        });
        listen(QHostAddress::LocalHost, 0);
    }
    Address address() const { return Address{"127.0.0.1", serverPort()}; }
    int accepted = 0;
    int disconnected = 0;
};

// Sends `total` bytes of pattern() to the first client, as fast as it drains, and notes when
// that client goes away.
class SourceServer : public QTcpServer
{
public:
    explicit SourceServer(qint64 total) : m_total(total)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            socket = nextPendingConnection();
            connect(socket, &QTcpSocket::bytesWritten, this, [this] { pump(); });
            connect(socket, &QTcpSocket::disconnected, this, [this] { gone = true; });
            connect(socket, &QTcpSocket::errorOccurred, this, [this] { gone = true; });
            pump();
        });
        listen(QHostAddress::LocalHost, 0);
    }
    Address address() const { return Address{"127.0.0.1", serverPort()}; }
    qint64 handedToKernel() const { return socket ? queued - socket->bytesToWrite() : 0; }

    QTcpSocket* socket = nullptr;
    qint64 queued = 0;
    bool gone = false;

private:
    void pump()
    {
        constexpr qint64 kChunk = 256 * 1024;
        while (socket && queued < m_total && socket->bytesToWrite() < 2 * kChunk) {
            const qint64 n = qMin(kChunk, m_total - queued);
            socket->write(pattern(queued, n));
            queued += n;
        }
        if (socket && queued == m_total && socket->bytesToWrite() == 0 && !m_finished) {
            m_finished = true;
            socket->disconnectFromHost();
        }
    }
    qint64 m_total;
    bool m_finished = false;
};

// Accepts one connection and reads it only while `reading` (else Qt stops at 64 KiB and the
// kernel buffers fill); checks the pattern as it goes.
class SinkServer : public QTcpServer
{
public:
    SinkServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            socket = nextPendingConnection();
            socket->setReadBufferSize(64 * 1024);
            connect(socket, &QTcpSocket::readyRead, this, [this] { drain(); });
        });
        listen(QHostAddress::LocalHost, 0);
    }
    Address address() const { return Address{"127.0.0.1", serverPort()}; }
    void startReading()
    {
        reading = true;
        socket->setReadBufferSize(0);
        drain();
    }
    QTcpSocket* socket = nullptr;
    bool reading = false;
    qint64 received = 0;
    bool intact = true;

private:
    void drain()
    {
        if (!reading)
            return;
        const QByteArray d = socket->readAll();
        intact = intact && matchesPattern(d, received);
        received += d.size();
    }
};

// A test client on a native stream, for the half-close cases (QTcpSocket cannot survive one).
struct StreamClient
{
    explicit StreamClient(quint16 port)
    {
        QObject::connect(&stream, &SocketStream::received,
                         [this](const QByteArray& d) { data += d; });
        QObject::connect(&stream, &SocketStream::readClosed, [this] { eof = true; });
        QObject::connect(&stream, &SocketStream::finished, [this] { finished = true; });
        stream.connectToHost("127.0.0.1", port, 5000);
    }
    SocketStream stream;
    QByteArray data;
    bool eof = false;
    bool finished = false;
};

// Hands out each accepted connection as a SocketStream.
class StreamServer : public QTcpServer
{
public:
    StreamServer() { listen(QHostAddress::LocalHost, 0); }
    Address address() const { return Address{"127.0.0.1", serverPort()}; }
    std::unique_ptr<SocketStream> stream;
    QByteArray data;
    bool eof = false;
    bool finished = false;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        stream = std::make_unique<SocketStream>();
        QObject::connect(stream.get(), &SocketStream::received,
                         [this](const QByteArray& d) { data += d; });
        QObject::connect(stream.get(), &SocketStream::readClosed, [this] { eof = true; });
        QObject::connect(stream.get(), &SocketStream::finished, [this] { finished = true; });
        stream->adopt(descriptor, nullptr);
    }
};

} // namespace

class ProxyServerTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<Shared> m_shared;
    TestHooks m_hooks;

    std::unique_ptr<ProxyServer> makeProxy(const RelaySettings& settings,
                                           const std::function<void(Options&)>& tweak = {})
    {
        auto options = std::make_shared<Options>();
        options->listenHost = QStringLiteral("127.0.0.1");
        options->listenPort = 0;
        options->workerThreads = 2;
        if (tweak)
            tweak(*options);
        ServerConfig config;
        config.options = options;
        Shared* shared = m_shared.get();
        config.rootLayer = [settings, shared](Context ctx) -> std::unique_ptr<Layer> {
            return std::make_unique<RelayLayer>(std::move(ctx), settings, shared);
        };
        config.hooks = &m_hooks;
        config.log = [shared](LogLevel, const QString& text) { shared->add(shared->logs, text); };
        auto proxy = std::make_unique<ProxyServer>(config);
        QString error;
        if (!proxy->listen(&error)) {
            qWarning() << error;
            return nullptr;
        }
        return proxy;
    }

private Q_SLOTS:
    void init()
    {
        m_shared = std::make_unique<Shared>();
        m_hooks.later = false;
        m_hooks.completes.clear();
    }
    void cleanup()
    {
        // The handler never re-enters a layer, whatever the test did.
        QCOMPARE(m_shared->reentered, 0);
    }

    void relaysManyClientsAcrossTwoWorkers()
    {
        EchoServer echo;
        RelaySettings settings{echo.address()};
        settings.hookFirst = true; // hooks answered at once ("done now")
        auto proxy = makeProxy(settings);
        QVERIFY(proxy);
        QVERIFY(proxy->serverPort() != 0);
        QCOMPARE(proxy->workerCount(), 2);

        constexpr int kClients = 40;
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        std::vector<QByteArray> sent(kClients), got(kClients);
        for (int i = 0; i < kClients; ++i) {
            auto c = std::make_unique<QTcpSocket>();
            QTcpSocket* raw = c.get();
            connect(raw, &QTcpSocket::readyRead, this,
                    [raw, &got, i] { got[i] += raw->readAll(); });
            raw->connectToHost(QHostAddress::LocalHost, proxy->serverPort());
            sent[i] = QByteArray::number(i) + ':' + pattern(i, 100 * 1024 + i);
            raw->write(sent[i]);
            clients.push_back(std::move(c));
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int i = 0; i < kClients; ++i)
                    if (got[i].size() < sent[i].size())
                        return false;
                return true;
            }(),
            30000);
        for (int i = 0; i < kClients; ++i)
            QVERIFY2(got[i] == sent[i], qPrintable(QString::number(i)));
        QCOMPARE(proxy->activeConnections(), kClients);
        QCOMPARE(m_shared->threads.size(), 2);
        QCOMPARE(m_shared->hookCompletions, kClients);

        for (auto& c : clients)
            c->disconnectFromHost();
        QTRY_COMPARE(proxy->activeConnections(), 0);
        QTRY_COMPARE(echo.disconnected, kClients);
        QCOMPARE(proxy->bufferedBytes(), 0);
    }

    void connectRefusedReachesTheLayer()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        auto proxy = makeProxy(RelaySettings{Address{"127.0.0.1", port}});
        QVERIFY(proxy);

        QTcpSocket client;
        QByteArray got;
        connect(&client, &QTcpSocket::readyRead, this, [&] { got += client.readAll(); });
        client.connectToHost(QHostAddress::LocalHost, proxy->serverPort());
        const QString expected =
            QStringLiteral("connection to 127.0.0.1:%1 failed: Connection refused").arg(port);
        QTRY_COMPARE(m_shared->get(m_shared->openErrors), QStringList{expected});
        QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(got, "error: " + expected.toUtf8() + "\n");
        QTRY_COMPARE(proxy->activeConnections(), 0);
    }

    void connectTimeout()
    {
        QTcpServer full;
        full.setListenBacklogSize(0);
        QVERIFY(full.listen(QHostAddress::LocalHost, 0));
        full.pauseAccepting();
        QTcpSocket fillers[2];
        for (auto& f : fillers)
            f.connectToHost(QHostAddress::LocalHost, full.serverPort());
        QTRY_VERIFY(fillers[0].state() == QAbstractSocket::ConnectedState);
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, full.serverPort());
        if (probe.waitForConnected(300))
            QSKIP("this kernel completes connects to a full accept queue");

        auto proxy = makeProxy(RelaySettings{Address{"127.0.0.1", full.serverPort()}},
                               [](Options& o) { o.connectTimeout = 1; });
        QVERIFY(proxy);
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, proxy->serverPort());
        QElapsedTimer clock;
        clock.start();
        const QString expected =
            QStringLiteral("connection to 127.0.0.1:%1 failed: timed out after 1 s")
                .arg(full.serverPort());
        QTRY_COMPARE_WITH_TIMEOUT(m_shared->get(m_shared->openErrors), QStringList{expected},
                                  10000);
        QVERIFY(clock.elapsed() >= 900);
        QTRY_COMPARE(proxy->activeConnections(), 0);
    }

    void clientHalfCloseIsRelayed()
    {
        StreamServer upstream;
        auto proxy = makeProxy(RelaySettings{upstream.address()});
        QVERIFY(proxy);
        StreamClient client(proxy->serverPort());
        client.stream.write("request");
        client.stream.shutdownWrite();
        // The server sees our FIN, and can still answer.
        QTRY_VERIFY(upstream.eof);
        QCOMPARE(upstream.data, QByteArray("request"));
        upstream.stream->write("response after the request's end");
        QTRY_COMPARE(client.data, QByteArray("response after the request's end"));
        QVERIFY(!client.eof);
        upstream.stream->shutdownWrite();
        QTRY_VERIFY(client.eof);
        QTRY_VERIFY(client.finished);
        QTRY_VERIFY(upstream.finished);
        QTRY_COMPARE(proxy->activeConnections(), 0);
    }

    void serverHalfCloseIsRelayed()
    {
        StreamServer upstream;
        auto proxy = makeProxy(RelaySettings{upstream.address()});
        QVERIFY(proxy);
        StreamClient client(proxy->serverPort());
        QTRY_VERIFY(upstream.stream);
        upstream.stream->write("banner");
        upstream.stream->shutdownWrite();
        QTRY_VERIFY(client.eof);
        QCOMPARE(client.data, QByteArray("banner"));
        QVERIFY(!upstream.eof);
        client.stream.write("reply after the banner's end");
        client.stream.shutdownWrite();
        QTRY_VERIFY(upstream.eof);
        QCOMPARE(upstream.data, QByteArray("reply after the banner's end"));
        QTRY_VERIFY(client.finished);
        QTRY_VERIFY(upstream.finished);
        QTRY_COMPARE(proxy->activeConnections(), 0);
    }

    void slowClientKeepsBufferBounded()
    {
        const qint64 total = 200LL * 1024 * 1024;
        SourceServer source(total);
        auto proxy = makeProxy(RelaySettings{source.address()});
        QVERIFY(proxy);
        QTcpSocket client;
        client.setReadBufferSize(64 * 1024); // and no reading: Qt stops at 64 KiB
        client.connectToHost(QHostAddress::LocalHost, proxy->serverPort());

        // The proxy fills the client's kernel buffers, then its own queue passes the
        // high-water mark and it stops reading the server.
        QTRY_VERIFY_WITH_TIMEOUT(proxy->bufferedBytes() > ConnectionHandler::kHighWater, 20000);
        QTest::qWait(300); // negative window: the queue must not keep growing
        const qint64 bound = ConnectionHandler::kHighWater + SocketStream::kMaxReadPerWakeup;
        QVERIFY2(proxy->peakHandlerBufferedBytes() <= bound,
                 qPrintable(QString::number(proxy->peakHandlerBufferedBytes())));
        QVERIFY2(source.handedToKernel() < 64LL * 1024 * 1024,
                 qPrintable(QString::number(source.handedToKernel())));

        qint64 received = 0;
        bool intact = true;
        connect(&client, &QTcpSocket::readyRead, this, [&] {
            const QByteArray d = client.readAll();
            intact = intact && matchesPattern(d, received);
            received += d.size();
        });
        client.setReadBufferSize(0);
        QMetaObject::invokeMethod(&client, "readyRead", Qt::QueuedConnection);
        QTRY_COMPARE_WITH_TIMEOUT(received, total, 120000);
        QVERIFY(intact);
        QVERIFY2(proxy->peakHandlerBufferedBytes() <= bound,
                 qPrintable(QString::number(proxy->peakHandlerBufferedBytes())));
        QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
        QTRY_COMPARE(proxy->activeConnections(), 0);
    }

    void slowServerKeepsBufferBounded()
    {
        const qint64 total = 64LL * 1024 * 1024;
        SinkServer sink;
        auto proxy = makeProxy(RelaySettings{sink.address()});
        QVERIFY(proxy);
        QTcpSocket client;
        qint64 queued = 0;
        const auto feed = [&] {
            while (queued < total && client.bytesToWrite() < 512 * 1024) {
                const qint64 n = qMin<qint64>(256 * 1024, total - queued);
                client.write(pattern(queued, n));
                queued += n;
            }
        };
        connect(&client, &QTcpSocket::connected, this, feed);
        connect(&client, &QTcpSocket::bytesWritten, this, feed);
        client.connectToHost(QHostAddress::LocalHost, proxy->serverPort());

        QTRY_VERIFY_WITH_TIMEOUT(proxy->bufferedBytes() > ConnectionHandler::kHighWater, 20000);
        QTest::qWait(300); // negative window
        const qint64 bound = ConnectionHandler::kHighWater + SocketStream::kMaxReadPerWakeup;
        QVERIFY(proxy->peakHandlerBufferedBytes() <= bound);
        QVERIFY2(queued - client.bytesToWrite() < 48LL * 1024 * 1024,
                 qPrintable(QString::number(queued - client.bytesToWrite())));

        sink.startReading();
        QTRY_COMPARE_WITH_TIMEOUT(sink.received, total, 120000);
        QVERIFY(sink.intact);
        QVERIFY(proxy->peakHandlerBufferedBytes() <= bound);
    }

    void clientVanishingClosesUpstream()
    {
        SourceServer source(1LL << 40); // endless, for our purposes
        RelaySettings settings{source.address()};
        settings.ignoreClientClose = true; // the handler, not the layer, must close upstream
        auto proxy = makeProxy(settings);
        QVERIFY(proxy);
        QTcpSocket client;
        qint64 received = 0;
        connect(&client, &QTcpSocket::readyRead, this,
                [&] { received += client.readAll().size(); });
        client.connectToHost(QHostAddress::LocalHost, proxy->serverPort());
        QTRY_VERIFY(received > 1024 * 1024);
        QVERIFY(!source.gone);
        client.abort();
        QTRY_VERIFY(source.gone);
        QTRY_COMPARE(proxy->activeConnections(), 0);
        QCOMPARE(proxy->bufferedBytes(), 0);
    }

    void idleTimeout()
    {
        EchoServer echo;
        auto proxy = makeProxy(RelaySettings{echo.address()}, [](Options& o) { o.tcpTimeout = 1; });
        QVERIFY(proxy);
        QTcpSocket client;
        QByteArray got;
        connect(&client, &QTcpSocket::readyRead, this, [&] { got += client.readAll(); });
        client.connectToHost(QHostAddress::LocalHost, proxy->serverPort());
        QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
        const quint16 clientPort = client.localPort();
        client.write("ping");
        QTRY_COMPARE(got, QByteArray("ping"));
        QElapsedTimer clock;
        clock.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
        QVERIFY2(clock.elapsed() >= 800, qPrintable(QString::number(clock.elapsed())));
        QTRY_COMPARE(echo.disconnected, 1);
        QTRY_COMPARE(proxy->activeConnections(), 0);
        const QString prefix = QStringLiteral("client 127.0.0.1:%1: ").arg(clientPort);
        QVERIFY2(m_shared->get(m_shared->logs).contains(prefix + "idle timeout"),
                 qPrintable(m_shared->get(m_shared->logs).join('\n')));
    }

    void wakeup()
    {
        RelaySettings settings;
        settings.wakeupAfter = 0.05;
        auto proxy = makeProxy(settings);
        QVERIFY(proxy);
        QTcpSocket client;
        QByteArray got;
        connect(&client, &QTcpSocket::readyRead, this, [&] { got += client.readAll(); });
        client.connectToHost(QHostAddress::LocalHost, proxy->serverPort());
        QTRY_COMPARE(got, QByteArray("tick\n"));
        QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
        QTRY_COMPARE(proxy->activeConnections(), 0);
    }

    void pauseReadingCommand()
    {
        EchoServer echo;
        RelaySettings settings{echo.address()};
        settings.pauseClientFor = 0.3; // a broken pause delivers within milliseconds
        auto proxy = makeProxy(settings);
        QVERIFY(proxy);
        QTcpSocket client;
        QByteArray got;
        connect(&client, &QTcpSocket::readyRead, this, [&] { got += client.readAll(); });
        client.connectToHost(QHostAddress::LocalHost, proxy->serverPort());
        client.write("sent while the layer paused reading");
        QTRY_COMPARE(got, QByteArray("sent while the layer paused reading"));
        QCOMPARE(m_shared->readWhilePaused, 0);
        client.disconnectFromHost();
        QTRY_COMPARE(proxy->activeConnections(), 0);
    }

    void eventsWaitForTheCurrentBatch()
    {
        RelaySettings settings;
        settings.orderProbe = true; // the hook is answered at once, inside the batch
        auto proxy = makeProxy(settings);
        QVERIFY(proxy);
        QTcpSocket client;
        QByteArray got;
        connect(&client, &QTcpSocket::readyRead, this, [&] { got += client.readAll(); });
        client.connectToHost(QHostAddress::LocalHost, proxy->serverPort());
        QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
        got += client.readAll();
        QCOMPARE(got, QByteArray("first second\n"));
        QTRY_COMPARE(proxy->activeConnections(), 0);
    }

    void hookCompletedLaterFromAnotherThread()
    {
        EchoServer echo;
        RelaySettings settings{echo.address()};
        settings.hookFirst = true;
        m_hooks.later = true;
        auto proxy = makeProxy(settings);
        QVERIFY(proxy);
        QTcpSocket client;
        QByteArray got;
        connect(&client, &QTcpSocket::readyRead, this, [&] { got += client.readAll(); });
        client.connectToHost(QHostAddress::LocalHost, proxy->serverPort());
        client.write("held until the hook completes");
        QTRY_COMPARE(m_hooks.pending(), 1);
        QCOMPARE(echo.accepted, 0);
        QCOMPARE(m_shared->hookCompletions, 0);

        const auto complete = m_hooks.take(0);
        std::thread other([complete] {
            complete();
            complete(); // a second call is ignored
        });
        other.join();
        QTRY_COMPARE(got, QByteArray("held until the hook completes"));
        QCOMPARE(m_shared->hookCompletions, 1);
        client.disconnectFromHost();
        QTRY_COMPARE(proxy->activeConnections(), 0);
    }

    void stopClosesEverythingPromptly()
    {
        EchoServer echo;
        auto proxy = makeProxy(RelaySettings{echo.address()});
        QVERIFY(proxy);
        constexpr int kClients = 10;
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        int echoed = 0;
        for (int i = 0; i < kClients; ++i) {
            auto c = std::make_unique<QTcpSocket>();
            connect(c.get(), &QTcpSocket::readyRead, this, [&echoed, raw = c.get()] {
                if (raw->readAll() == "x")
                    ++echoed;
            });
            c->connectToHost(QHostAddress::LocalHost, proxy->serverPort());
            c->write("x");
            clients.push_back(std::move(c));
        }
        QTRY_COMPARE(echoed, kClients);

        // One more, held by a pending hook on a layer of another proxy (stop() must not
        // wait for it, and its late completion must be harmless).
        RelaySettings held{echo.address()};
        held.hookFirst = true;
        m_hooks.later = true;
        auto proxy2 = makeProxy(held);
        QVERIFY(proxy2);
        QTcpSocket waiting;
        waiting.connectToHost(QHostAddress::LocalHost, proxy2->serverPort());
        QTRY_COMPARE(m_hooks.pending(), 1);

        QElapsedTimer clock;
        clock.start();
        proxy->stop();
        proxy2->stop();
        QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(proxy->activeConnections(), 0);
        QCOMPARE(proxy2->activeConnections(), 0);
        QCOMPARE(proxy->serverPort(), quint16(0));
        proxy->stop(); // twice is fine

        for (auto& c : clients)
            QTRY_COMPARE(c->state(), QAbstractSocket::UnconnectedState);
        QTRY_COMPARE(waiting.state(), QAbstractSocket::UnconnectedState);
        QTRY_COMPARE(echo.disconnected, kClients);

        const auto late = m_hooks.take(0);
        std::thread other([late] { late(); });
        other.join();
        QCoreApplication::processEvents();
        QCOMPARE(m_shared->hookCompletions, 0);

        // A stopped server can listen again.
        QVERIFY(proxy->listen(nullptr));
        QVERIFY(proxy->serverPort() != 0);
    }

    void listenErrorOnBusyPort()
    {
        QTcpServer busy;
        QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
        auto options = std::make_shared<Options>();
        options->listenHost = QStringLiteral("127.0.0.1");
        options->listenPort = busy.serverPort();
        ServerConfig config;
        config.options = options;
        ProxyServer proxy(config);
        QString error;
        QVERIFY(!proxy.listen(&error));
        QCOMPARE(error, QStringLiteral("cannot listen on 127.0.0.1:%1: address already in use")
                            .arg(busy.serverPort()));
        QCOMPARE(proxy.serverPort(), quint16(0));
        QCOMPARE(proxy.workerCount(), 0);
        proxy.stop();
    }

    void newOptionsApplyToNewConnections()
    {
        EchoServer echo;
        auto proxy = makeProxy(RelaySettings{echo.address()});
        QVERIFY(proxy);
        auto changed = std::make_shared<Options>(*proxy->options());
        changed->tcpTimeout = 1;
        proxy->setOptions(changed);
        QCOMPARE(proxy->options()->tcpTimeout, 1);
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, proxy->serverPort());
        QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
        QTRY_COMPARE(proxy->activeConnections(), 0);
    }
};

QTEST_GUILESS_MAIN(ProxyServerTest)
#include "proxy_server_test.moc"
