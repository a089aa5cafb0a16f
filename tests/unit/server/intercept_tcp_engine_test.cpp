// Intercept of raw TCP messages through the real engine and real sockets (issue 5): with
// `intercept` set to `~tcp`, each message of a TCP flow (a CONNECT tunnel carrying bytes that
// are neither TLS nor HTTP) is held before it is forwarded; resumeFlow lets it go, replaceFlow
// forwards the edited content, killFlow drops it while the connection goes on. A flow the
// filter does not match passes untouched. Also ProxyEngine::injectMessage (inject.tcp) on such
// a flow: raw bytes to either peer, and its errors for an unknown and an ended flow.

#include "server/proxy_engine.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <arpa/inet.h>
#include <atomic>
#include <mutex>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace spyglass;

namespace {

// A blocking TCP server on its own thread: answers every chunk it reads with "echo:" and the
// chunk, and keeps everything it received.
class EchoServer
{
public:
    EchoServer()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(m_fd, 16);
        socklen_t len = sizeof a;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~EchoServer()
    {
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
        m_thread.join();
        for (auto& t : m_connections)
            t.join();
    }
    QByteArray received() const
    {
        std::lock_guard lock(m_mutex);
        return m_received;
    }
    quint16 port = 0;

private:
    void serve()
    {
        for (;;) {
            const int c = ::accept(m_fd, nullptr, nullptr);
            if (c < 0)
                return;
            m_connections.emplace_back([this, c] { echo(c); });
        }
    }
    void echo(int c)
    {
        char buf[4096];
        for (;;) {
            const ssize_t n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            {
                std::lock_guard lock(m_mutex);
                m_received.append(buf, n);
            }
            const QByteArray reply = "echo:" + QByteArray(buf, int(n));
            ::send(c, reply.constData(), size_t(reply.size()), MSG_NOSIGNAL);
        }
        ::close(c);
    }
    int m_fd = -1;
    std::thread m_thread;
    std::vector<std::thread> m_connections;
    mutable std::mutex m_mutex;
    QByteArray m_received;
};

bool waitFor(const std::function<bool()>& condition, int ms = 5000)
{
    QElapsedTimer t;
    t.start();
    while (!condition()) {
        if (t.elapsed() > ms)
            return false;
        QThread::msleep(10);
    }
    return true;
}

// A client connection tunnelled to the echo server through the proxy (CONNECT, 200 read).
std::unique_ptr<QTcpSocket> tunnel(quint16 proxyPort, quint16 echoPort)
{
    auto s = std::make_unique<QTcpSocket>();
    s->connectToHost(QStringLiteral("127.0.0.1"), proxyPort);
    if (!s->waitForConnected(5000))
        return nullptr;
    const QByteArray target = "127.0.0.1:" + QByteArray::number(echoPort);
    s->write("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
    QByteArray head;
    QElapsedTimer t;
    t.start();
    while (!head.contains("\r\n\r\n") && t.elapsed() < 5000)
        if (s->waitForReadyRead(100))
            head += s->readAll();
    if (!head.startsWith("HTTP/1.1 200"))
        return nullptr;
    return s;
}

// What arrives on `s` within `ms` (until `expected` bytes came, when given).
QByteArray readFor(QTcpSocket& s, int ms, qsizetype expected = -1)
{
    QByteArray got;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms && (expected < 0 || got.size() < expected)) {
        if (s.waitForReadyRead(50))
            got += s.readAll();
    }
    return got;
}

QUuid onlyHeld(ProxyEngine& engine)
{
    if (!waitFor([&] { return engine.interceptedFlows().size() == 1; }))
        return {};
    return engine.interceptedFlows().first();
}

// An edited copy whose last TCP message says `content` (what the window sends back).
HttpFlow editedTcp(const QByteArray& content)
{
    HttpFlow edited;
    edited.kind = FlowKind::Tcp;
    auto tcp = std::make_shared<TcpData>();
    TcpMessage m;
    m.fromClient = true;
    m.content = content;
    tcp->messages.push_back(m);
    edited.tcp = tcp;
    return edited;
}

} // namespace

class InterceptTcpEngineTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void holdResumeReplaceKill()
    {
        EchoServer echo;
        QTemporaryDir dir;
        Options o;
        o.confdir = dir.path();
        o.listenPort = 0;
        o.intercept = QStringLiteral("~tcp");
        ProxyEngine engine;
        engine.setLiveUpdates(false);
        QString error;
        QVERIFY2(engine.start(o, &error), qPrintable(error));
        const quint16 port = engine.listenPort();

        auto s = tunnel(port, echo.port);
        QVERIFY(s);
        // The client's message is held: the server sees nothing.
        const QByteArray first("\x00\x01hello", 7);
        s->write(first);
        s->waitForBytesWritten(2000);
        QUuid id = onlyHeld(engine);
        QVERIFY(!id.isNull());
        QThread::msleep(100);
        QCOMPARE(echo.received(), QByteArray());
        // Resumed: it goes on; the server's answer is a message of the flow, held in turn.
        QVERIFY(engine.resumeFlow(id));
        QVERIFY(waitFor([&] { return echo.received() == first; }));
        QVERIFY(onlyHeld(engine) == id);
        QCOMPARE(readFor(*s, 200), QByteArray());
        QVERIFY(engine.resumeFlow(id));
        QCOMPARE(readFor(*s, 3000, 5 + first.size()), "echo:" + first);
        QVERIFY(!engine.resumeFlow(id));

        // Replaced: the server gets the edited content; the answer is killed (dropped), and
        // the connection goes on.
        s->write(QByteArray("\x00original", 9));
        s->waitForBytesWritten(2000);
        QVERIFY(onlyHeld(engine) == id);
        QVERIFY(engine.replaceFlow(id, editedTcp(QByteArray("\x00"
                                                            "edited",
                                                            7))));
        QVERIFY(waitFor([&] {
            return echo.received().endsWith(QByteArray("\x00"
                                                       "edited",
                                                       7));
        }));
        QVERIFY(!echo.received().contains("original"));
        QVERIFY(onlyHeld(engine) == id); // "echo:\0edited", held
        QVERIFY(engine.killFlow(id));
        QCOMPARE(readFor(*s, 300), QByteArray());
        QCOMPARE(s->state(), QAbstractSocket::ConnectedState);

        // The connection still works: the next message is held and passes on resume.
        s->write(QByteArray("\x00next", 5));
        s->waitForBytesWritten(2000);
        QVERIFY(onlyHeld(engine) == id);
        QVERIFY(engine.resumeFlow(id));
        QVERIFY(onlyHeld(engine) == id);
        QVERIFY(engine.resumeFlow(id));
        QCOMPARE(readFor(*s, 3000, 10), "echo:" + QByteArray("\x00next", 5));

        // A filter that does not match lets the messages through at once.
        QVERIFY2(
            engine.setOption(QStringLiteral("intercept"), QStringLiteral("~websocket"), &error),
            qPrintable(error));
        auto other = tunnel(port, echo.port);
        QVERIFY(other);
        other->write(QByteArray("\x00free", 5));
        QCOMPARE(readFor(*other, 3000, 10), "echo:" + QByteArray("\x00free", 5));
        QVERIFY(engine.interceptedFlows().isEmpty());
        engine.stop();
    }

    void injectIntoTcpFlow()
    {
        EchoServer echo;
        QTemporaryDir dir;
        Options o;
        o.confdir = dir.path();
        o.listenPort = 0;
        o.intercept = QStringLiteral("~tcp"); // to learn the flow's id
        ProxyEngine engine;
        engine.setLiveUpdates(false);
        QString error;
        QVERIFY2(engine.start(o, &error), qPrintable(error));
        QVERIFY(!engine.injectMessage(QUuid::createUuid(), true, "x", false, &error));
        QVERIFY2(error.startsWith(QStringLiteral("no live WebSocket or TCP flow")),
                 qPrintable(error));

        auto s = tunnel(engine.listenPort(), echo.port);
        QVERIFY(s);
        s->write(QByteArray("\x00first", 6));
        s->waitForBytesWritten(2000);
        const QUuid id = onlyHeld(engine);
        QVERIFY(!id.isNull());
        QVERIFY2(
            engine.setOption(QStringLiteral("intercept"), QStringLiteral("~websocket"), &error),
            qPrintable(error));
        QVERIFY(engine.resumeFlow(id));
        QCOMPARE(readFor(*s, 3000, 11), "echo:" + QByteArray("\x00first", 6));

        // To the client: the bytes as they are.
        QVERIFY2(engine.injectMessage(id, true, "injected to client", false, &error),
                 qPrintable(error));
        QCOMPARE(readFor(*s, 3000, 18), QByteArray("injected to client"));
        // To the server: it gets them (and echoes them to the client).
        QVERIFY2(engine.injectMessage(id, false, "to server", false, &error), qPrintable(error));
        QVERIFY(waitFor([&] { return echo.received().endsWith("to server"); }));
        QCOMPARE(readFor(*s, 3000, 14), QByteArray("echo:to server"));

        // Once the flow has ended it is not live any more.
        s->close();
        QVERIFY(waitFor([&] {
            QString e;
            return !engine.injectMessage(id, true, "late", false, &e) &&
                   e.contains(QStringLiteral("not live"));
        }));
        engine.stop();
    }
};

QTEST_GUILESS_MAIN(InterceptTcpEngineTest)
#include "intercept_tcp_engine_test.moc"
