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
#include <functional>
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

    // Listens on options.listenHost, one listener per entry of options.mode (proxy_mode.h:
    // MODE@PORT, else listenPort; port 0: any free port; host "" or "*": every interface), and
    // starts the worker threads. Each connection's Context carries its listener's mode. On
    // failure returns false with `error` like "cannot listen on 127.0.0.1:8080: address
    // already in use" or a mode error. Listening twice is a no-op.
    bool listen(QString* error);
    // The port the first mode's listener actually listens on (useful with port 0), or 0.
    quint16 serverPort() const { return m_ports.empty() ? 0 : m_ports.front(); }
    // Every listener's port, in the order of options.mode.
    std::vector<quint16> serverPorts() const { return m_ports; }
    // Starts the worker threads without listening (spyglass-dump -n with client_replay: work
    // that needs no client socket). listen() may follow.
    void startWorkers();
    // Any thread, while the workers run (between startWorkers()/listen() and stop()): runs
    // `work` on the next worker (round-robin) in its thread, with the configuration a new
    // connection of the first mode would get, the stats and the object that must parent the
    // handlers it makes. False when no worker runs.
    using WorkerJob = std::function<void(const ServerConfig& config,
                                         const std::shared_ptr<ServerStats>& stats, QObject* home)>;
    bool runOnWorker(WorkerJob work);
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
    // In the accept thread.
    void dispatch(qintptr descriptor, const std::shared_ptr<const ProxyMode>& mode);

    ServerConfig m_config;
    mutable std::mutex m_mutex; // guards m_config.options and m_workers' lifetime
    std::shared_ptr<ServerStats> m_stats;
    std::vector<std::unique_ptr<WorkerThread>> m_workers;
    std::atomic<unsigned> m_nextWorker{0};
    QThread* m_acceptThread = nullptr;
    std::vector<TcpListener*> m_listeners; // live in the accept thread
    std::vector<quint16> m_ports;
};

} // namespace spyglass
