#pragma once
// Counters the handlers of one ProxyServer keep up to date from their worker threads, read
// from any thread (activeConnections() for the window and shutdown, the buffer figures for
// tests and the status bar). Lock-free: relaxed atomics are enough for figures.

#include <QtGlobal>
#include <atomic>

namespace spyglass {

struct ServerStats
{
    std::atomic<int> connections{0};
    // Bytes queued for sending by all handlers, and the largest one handler ever held.
    std::atomic<qint64> bufferedBytes{0};
    std::atomic<qint64> peakHandlerBufferedBytes{0};

    // A handler's buffered bytes went from `before` to `after`.
    void bufferedChanged(qint64 before, qint64 after);
};

} // namespace spyglass
