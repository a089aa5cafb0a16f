#pragma once
// What the engine-level tests share (intercept, replay, scripts, connection hooks, the window's
// flow actions): a real HTTP/1.1 origin on 127.0.0.1, a dead port, and a client's request and
// answer through the proxy with blocking QTcpSocket calls.

#include <QByteArray>
#include <QList>
#include <QTcpSocket>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace spyglass::test {

// A blocking keep-alive origin, a thread per connection. Every request (its head and a
// Content-Length body) is answered after `delayMs` with 200 and a body that `reply` makes of
// it; the default reply is the request's path.
class Origin
{
public:
    struct Request
    {
        QByteArray head; // request line and fields, without the blank line
        QByteArray path;
        QByteArray body;
        // The first field named `name` (lower case), trimmed; `absent` without one.
        QByteArray header(const QByteArray& name, const QByteArray& absent = {}) const;
    };
    using Reply = std::function<QByteArray(const Request&)>;

    explicit Origin(Reply reply = {}, int delayMs = 0);
    ~Origin();
    Origin(const Origin&) = delete;
    Origin& operator=(const Origin&) = delete;

    // "PATH X-EDIT" ("-" without an X-Edit field): shows what reached the origin.
    static QByteArray pathAndEdit(const Request& r);

    quint16 port = 0;
    std::atomic<int> accepted{0};
    std::atomic<int> requests{0};
    std::atomic<int> maxInProgress{0}; // requests being answered at once, at most
    QList<QByteArray> paths() const;   // in the order they arrived

private:
    void serve();
    void answer(int c);

    Reply m_reply;
    const int m_delayMs;
    int m_fd = -1;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_inProgress{0};
    mutable std::mutex m_mutex;
    QList<QByteArray> m_paths;
    std::thread m_thread;
    std::vector<std::thread> m_connections; // only touched by the accepting thread
};

// A port on which nothing listens (bound, then closed).
quint16 deadPort();

// Polls `condition` every 10 ms (processing the calling thread's events) for up to `ms`.
bool waitFor(const std::function<bool()>& condition, int ms = 5000);

// An absolute-form GET for `path` on the origin, as a proxy client sends it.
QByteArray get(quint16 originPort, const char* path, const QByteArray& extraFields = {});

// Connects to the proxy and sends get(); null when the proxy does not accept.
std::unique_ptr<QTcpSocket> sendRequest(quint16 proxyPort, quint16 originPort, const char* path,
                                        const QByteArray& extraFields = {});

// One whole answer (head and a Content-Length body) once it has come, or what came (maybe
// "") when the connection closed or `ms` passed.
QByteArray answer(QTcpSocket& s, int ms = 5000);

} // namespace spyglass::test
