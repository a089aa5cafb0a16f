#pragma once
// What the connection hook tests share (tests/unit/server/connection_hooks_test.cpp,
// tests/unit/script/script_connection_hooks_test.cpp): a keep-alive origin on 127.0.0.1, a
// dead port, and a client's request and answer through the proxy.

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QThread>

#include <arpa/inet.h>
#include <atomic>
#include <functional>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace spyglass::test {

// A blocking keep-alive HTTP/1.1 origin: every request (no body) gets 200 and its path.
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
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
        m_thread.join();
        for (auto& t : m_connections)
            t.join();
    }
    quint16 port = 0;
    std::atomic<int> accepted{0};
    std::atomic<int> requests{0};

private:
    void serve()
    {
        for (;;) {
            const int c = ::accept(m_fd, nullptr, nullptr);
            if (c < 0)
                return;
            ++accepted;
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
                const QByteArray path = in.left(end).split(' ').value(1);
                in.remove(0, end + 4);
                ++requests;
                const QByteArray reply =
                    "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(path.size()) +
                    "\r\n\r\n" + path;
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
    std::thread m_thread;
    std::vector<std::thread> m_connections;
};

// A port nobody listens on (bound, then closed).
inline quint16 deadPort()
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

inline bool waitFor(const std::function<bool()>& condition, int ms = 5000)
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

inline QByteArray get(quint16 originPort, const char* path)
{
    const QByteArray host = "127.0.0.1:" + QByteArray::number(originPort);
    return "GET http://" + host + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
}

// One whole answer (head and a Content-Length body), or "" when none comes in `ms`.
inline QByteArray answer(QTcpSocket& s, int ms = 5000)
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
