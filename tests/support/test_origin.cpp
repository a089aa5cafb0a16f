#include "test_origin.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <arpa/inet.h>
#include <chrono>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace spyglass::test {

QByteArray Origin::Request::header(const QByteArray& name, const QByteArray& absent) const
{
    for (const QByteArray& line : head.split('\n'))
        if (line.toLower().startsWith(name + ':'))
            return line.mid(name.size() + 1).trimmed();
    return absent;
}

Origin::Origin(Reply reply, int delayMs) : m_reply(std::move(reply)), m_delayMs(delayMs)
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

Origin::~Origin()
{
    m_stop = true;
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(m_fd);
    m_thread.join();
    for (auto& t : m_connections)
        t.join();
}

QByteArray Origin::pathAndEdit(const Request& r)
{
    return r.path + ' ' + r.header("x-edit", "-");
}

QList<QByteArray> Origin::paths() const
{
    std::lock_guard lock(m_mutex);
    return m_paths;
}

void Origin::serve()
{
    while (!m_stop) {
        const int c = ::accept(m_fd, nullptr, nullptr);
        if (c < 0)
            return;
        ++accepted;
        m_connections.emplace_back([this, c] { answer(c); });
    }
}

void Origin::answer(int c)
{
    QByteArray in;
    char buf[4096];
    for (;;) {
        const qsizetype end = in.indexOf("\r\n\r\n");
        if (end >= 0) {
            Request r;
            r.head = in.left(end);
            const int length = r.header("content-length", "0").toInt();
            if (in.size() >= end + 4 + length) {
                r.body = in.mid(end + 4, length);
                in.remove(0, end + 4 + length);
                r.path = r.head.split(' ').value(1);
                {
                    std::lock_guard lock(m_mutex);
                    m_paths.append(r.path);
                }
                ++requests;
                const int now = ++m_inProgress;
                int seen = maxInProgress.load();
                while (now > seen && !maxInProgress.compare_exchange_weak(seen, now)) {
                }
                if (m_delayMs > 0)
                    std::this_thread::sleep_for(std::chrono::milliseconds(m_delayMs));
                --m_inProgress;
                const QByteArray content = m_reply ? m_reply(r) : r.path;
                const QByteArray reply =
                    "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(content.size()) +
                    "\r\n\r\n" + content;
                ::send(c, reply.constData(), size_t(reply.size()), MSG_NOSIGNAL);
                continue;
            }
        }
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        in.append(buf, n);
    }
    ::close(c);
}

quint16 deadPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

bool waitFor(const std::function<bool()>& condition, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!condition()) {
        if (t.elapsed() > ms)
            return false;
        QCoreApplication::processEvents();
        QThread::msleep(10);
    }
    return true;
}

QByteArray get(quint16 originPort, const char* path, const QByteArray& extraFields)
{
    const QByteArray host = "127.0.0.1:" + QByteArray::number(originPort);
    return "GET http://" + host + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extraFields +
           "\r\n";
}

std::unique_ptr<QTcpSocket> sendRequest(quint16 proxyPort, quint16 originPort, const char* path,
                                        const QByteArray& extraFields)
{
    auto s = std::make_unique<QTcpSocket>();
    s->connectToHost(QStringLiteral("127.0.0.1"), proxyPort);
    if (!s->waitForConnected(5000))
        return nullptr;
    s->write(get(originPort, path, extraFields));
    s->waitForBytesWritten(5000);
    return s;
}

QByteArray answer(QTcpSocket& s, int ms)
{
    QByteArray got;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) {
        const qsizetype end = got.indexOf("\r\n\r\n");
        if (end >= 0) {
            const qsizetype cl = got.toLower().indexOf("content-length: ");
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

} // namespace spyglass::test
