#pragma once
// One worker: a QThread with its own event loop that owns the ConnectionHandlers handed to
// it (nghttpx `Worker`). Nothing is shared with other threads: a new connection arrives as a
// posted call carrying the socket descriptor (CONVENTIONS 8).

#include "server/server_config.h"
#include "server/server_stats.h"

#include <QThread>
#include <functional>
#include <memory>

namespace spyglass {

class WorkerThread
{
public:
    explicit WorkerThread(int index);
    ~WorkerThread(); // stop()
    WorkerThread(const WorkerThread&) = delete;
    WorkerThread& operator=(const WorkerThread&) = delete;

    void start();
    // Thread-safe. The worker makes a ConnectionHandler for `descriptor` in its own thread;
    // a descriptor still queued when the worker stops is closed.
    void adopt(qintptr descriptor, ServerConfig config, std::shared_ptr<ServerStats> stats);
    // Thread-safe. Runs `work` in the worker's thread with the object that must parent its
    // handlers (so that stop() deletes them); dropped when the worker has stopped.
    void run(std::function<void(QObject* home)> work);
    // Deletes every handler in the worker's thread (their sockets close at once), then joins
    // the thread. Call from another thread than this worker's; safe to call twice.
    void stop();

    QThread* thread() { return &m_thread; }

private:
    QThread m_thread;
    QObject* m_home = nullptr; // lives in m_thread; parent of the handlers
};

} // namespace spyglass
