#include "server/live_flows.h"

namespace spyglass {

void LiveFlows::add(const QUuid& id, Poster poster)
{
    std::lock_guard lock(m_mutex);
    m_live.insert(id, std::move(poster));
}

void LiveFlows::remove(const QUuid& id)
{
    std::lock_guard lock(m_mutex);
    if (!m_live.remove(id) || m_ended.contains(id))
        return;
    m_ended.insert(id);
    m_endedOrder.push_back(id);
    while (qsizetype(m_endedOrder.size()) > MaxEnded) {
        m_ended.remove(m_endedOrder.front());
        m_endedOrder.pop_front();
    }
}

LiveFlows::Result LiveFlows::post(const QUuid& id, proxy::Event event)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_live.constFind(id);
    if (it == m_live.cend())
        return m_ended.contains(id) ? Result::Ended : Result::Unknown;
    (*it)(std::move(event));
    return Result::Posted;
}

bool LiveFlows::contains(const QUuid& id) const
{
    std::lock_guard lock(m_mutex);
    return m_live.contains(id);
}

} // namespace spyglass
