#pragma once
// The proxy's listening side: accepts client connections in its own thread and spreads them
// round-robin over N worker threads, each with its own event loop, where a ConnectionHandler
// runs the layers of each connection (mitmproxy `proxy/server.py`, nghttpx
// `ConnectionHandler` + `Worker`). The engine facade owns one; tests make their own.
//
// Threads: every method is called from the thread that made the ProxyServer (the app's main
// thread), never from a worker or a hook; stop() joins the workers.

#include "server/server_config.h"
#include "server/server_stats.h"

#include <QObject>
#include <QString>
#include <memory>
#include <mutex>
#include <vector>

class QThread;

namespace spyglass {

class TcpListener;
class WorkerThread;

class ProxyServer : public QObject
{
    Q_OBJECT
public:
    // The listen(2) backlog: a burst of browser connections must not be refused.
    static constexpr int kListenBacklog = 1024;

    explicit ProxyServer(ServerConfig config, QObject* parent = nullptr);
    ~ProxyServer() override; // stop()

    // Listens on options.listenHost:listenPort (port 0: any free port; host "" or "*": every
    // interface) and starts the worker threads. On failure returns false with `error` like
    // "cannot listen on 127.0.0.1:8080: address already in use". Listening twice is a no-op.
    bool listen(QString* error);
    // The port actually listened on (useful with port 0), or 0.
    quint16 serverPort() const { return m_port; }
    // Stops accepting, closes every connection at once, joins the threads. Safe to call twice.
    void stop();

    // New connections get these options; running connections keep theirs. Changing the
    // listen address or the worker count takes a stop() and listen().
    void setOptions(std::shared_ptr<const Options> options);
    std::shared_ptr<const Options> options() const;

    // Any thread.
    int activeConnections() const;
    int workerCount() const { return int(m_workers.size()); }
    // Bytes queued for sending by all handlers, and the most one handler ever held.
    qint64 bufferedBytes() const;
    qint64 peakHandlerBufferedBytes() const;

private:
    void dispatch(qintptr descriptor); // in the accept thread

    ServerConfig m_config;
    mutable std::mutex m_mutex; // guards m_config.options
    std::shared_ptr<ServerStats> m_stats;
    std::vector<std::unique_ptr<WorkerThread>> m_workers;
    std::atomic<unsigned> m_nextWorker{0};
    QThread* m_acceptThread = nullptr;
    TcpListener* m_listener = nullptr;
    quint16 m_port = 0;
};

} // namespace spyglass
