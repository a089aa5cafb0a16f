#include "flow/flow_store.h"

namespace spyglass {

qsizetype FlowStore::apply(const QList<FlowSnapshot>& batch)
{
    qsizetype added = 0;
    for (const auto& s : batch) {
        auto it = m_index.constFind(s->id);
        if (it != m_index.constEnd()) {
            m_flows[size_t(*it)] = s;
        } else {
            m_index.insert(s->id, qsizetype(m_flows.size()));
            m_flows.push_back(s);
            ++added;
        }
    }
    return added;
}

void FlowStore::clear()
{
    m_flows.clear();
    m_index.clear();
}

} // namespace spyglass
