#include "server/server_stats.h"

namespace spyglass {

void ServerStats::bufferedChanged(qint64 before, qint64 after)
{
    if (before == after)
        return;
    bufferedBytes.fetch_add(after - before, std::memory_order_relaxed);
    qint64 peak = peakHandlerBufferedBytes.load(std::memory_order_relaxed);
    while (after > peak && !peakHandlerBufferedBytes.compare_exchange_weak(
                               peak, after, std::memory_order_relaxed)) {
    }
}

} // namespace spyglass
