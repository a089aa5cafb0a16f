// A flow a script holds with flow.intercept() is the window's like any intercepted flow
// (issue 8): through the real ProxyEngine, ScriptSet::install and real sockets, it is listed
// by interceptedFlows() (the origin sees nothing meanwhile) while a sibling passes, and
// resumeFlow, replaceFlow and killFlow release it; the script's own change goes with it.

#include "script/script_set.h"
#include "server/proxy_engine.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <atomic>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace spyglass;

namespace {

// A blocking HTTP/1.1 origin on its own thread: for each connection, answers every request
// with 200 and a body naming the path and the X-Edit header it got.
class Origin
{
public:
    Origin()
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
    ~Origin()
    {
        m_stop = true;
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
        m_thread.join();
        for (auto& t : m_connections)
            t.join();
    }
    quint16 port = 0;
    std::atomic<int> requests{0};

private:
    void serve()
    {
        while (!m_stop) {
            const int c = ::accept(m_fd, nullptr, nullptr);
            if (c < 0)
                return;
            m_connections.emplace_back([this, c] { answer(c); });
        }
    }
    void answer(int c)
    {
        QByteArray in;
        char buf[4096];
        for (;;) {
            const qsizetype end = in.indexOf("\r\n\r\n");
            if (end >= 0) {
                const QByteArray head = in.left(end);
                in.remove(0, end + 4);
                ++requests;
                const QByteArray path = head.split(' ').value(1);
                QByteArray edit = "-";
                for (const QByteArray& line : head.split('\n'))
                    if (line.toLower().startsWith("x-edit:"))
                        edit = line.mid(7).trimmed();
                const QByteArray body = path + " " + edit;
                const QByteArray reply =
                    "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(body.size()) +
                    "\r\n\r\n" + body;
                ::send(c, reply.constData(), size_t(reply.size()), MSG_NOSIGNAL);
                continue;
            }
            const ssize_t n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            in.append(buf, n);
        }
        ::close(c);
    }
    int m_fd = -1;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    std::vector<std::thread> m_connections;
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

std::unique_ptr<QTcpSocket> sendRequest(quint16 proxyPort, quint16 originPort, const char* path,
                                        const QByteArray& extra = {})
{
    auto s = std::make_unique<QTcpSocket>();
    s->connectToHost(QStringLiteral("127.0.0.1"), proxyPort);
    if (!s->waitForConnected(5000))
        return nullptr;
    const QByteArray host = "127.0.0.1:" + QByteArray::number(originPort);
    s->write("GET http://" + host + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extra + "\r\n");
    s->waitForBytesWritten(5000);
    return s;
}

// The whole answer (head and body) once it has come, or "" when none comes in `ms`.
QByteArray answer(QTcpSocket& s, int ms = 5000)
{
    QByteArray got;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) {
        const qsizetype end = got.indexOf("\r\n\r\n");
        if (end >= 0) {
            const qsizetype cl = got.indexOf("Content-Length: ");
            const int length =
                cl < 0 ? 0 : got.mid(cl + 16, got.indexOf("\r\n", cl) - cl - 16).toInt();
            if (got.size() >= end + 4 + length)
                return got;
        }
        if (s.state() != QAbstractSocket::ConnectedState && s.bytesAvailable() == 0)
            break;
        if (s.waitForReadyRead(100))
            got += s.readAll();
    }
    return got;
}

} // namespace

class ScriptEngineTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void heldByAScriptReleasedByTheWindow()
    {
        Origin origin;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("hold.js"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("function request(flow) {\n"
                    "  if (flow.request.path.indexOf('/held') !== 0) return;\n"
                    "  flow.request.headers.set('X-Edit', 'script');\n"
                    "  flow.intercept();\n"
                    "}\n");
        }
        script::ScriptSet scripts;
        QCOMPARE(scripts.load({path}, {}), QString());
        Options o;
        o.confdir = dir.path();
        o.listenPort = 0;
        ProxyEngine engine;
        engine.setLiveUpdates(false);
        scripts.install(engine);
        QString error;
        QVERIFY2(engine.start(o, &error), qPrintable(error));
        const quint16 port = engine.listenPort();

        auto held = sendRequest(port, origin.port, "/held");
        QVERIFY(held);
        QVERIFY(waitFor([&] { return engine.interceptedFlows().size() == 1; }));
        const QUuid id = engine.interceptedFlows().first();
        auto free = sendRequest(port, origin.port, "/free");
        QVERIFY(answer(*free).endsWith("/free -"));
        QCOMPARE(origin.requests.load(), 1);
        QVERIFY(!held->waitForReadyRead(200));
        QVERIFY(engine.resumeFlow(id));
        QVERIFY(answer(*held).endsWith("/held script"));
        QVERIFY(!engine.resumeFlow(id));
        QVERIFY(engine.interceptedFlows().isEmpty());

        // Edited in "the window": its request replaces the script's.
        auto replaced = sendRequest(port, origin.port, "/held/2");
        QVERIFY(waitFor([&] { return engine.interceptedFlows().size() == 1; }));
        HttpFlow edited;
        edited.request.method = "GET";
        edited.request.scheme = "http";
        edited.request.host = "127.0.0.1";
        edited.request.port = origin.port;
        edited.request.path = "/held/2";
        edited.request.httpVersion = "HTTP/1.1";
        edited.request.headers.add("Host", "127.0.0.1:" + QByteArray::number(origin.port));
        edited.request.headers.add("X-Edit", "window");
        QVERIFY(engine.replaceFlow(engine.interceptedFlows().first(), edited));
        QVERIFY(answer(*replaced).endsWith("/held/2 window"));

        // Killed: closed without an answer, the origin never asked.
        auto killed = sendRequest(port, origin.port, "/held/3");
        QVERIFY(waitFor([&] { return engine.interceptedFlows().size() == 1; }));
        QVERIFY(engine.killFlow(engine.interceptedFlows().first()));
        QCOMPARE(answer(*killed, 3000), QByteArray());
        QCOMPARE(origin.requests.load(), 3);

        // Stopping with a flow held by the script forgets it.
        auto last = sendRequest(port, origin.port, "/held/4");
        QVERIFY(waitFor([&] { return engine.interceptedFlows().size() == 1; }));
        engine.stop();
        QVERIFY(engine.interceptedFlows().isEmpty());
        QCOMPARE(origin.requests.load(), 3);
    }
};

QTEST_GUILESS_MAIN(ScriptEngineTest)
#include "script_engine_test.moc"
