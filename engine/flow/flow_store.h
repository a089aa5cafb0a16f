#pragma once
// The session's flows, in arrival order, as immutable snapshots (DESIGN "Flows and threads").
// Lives on the consumer's thread (the window's or spyglass-dump's main thread) and is fed by
// FlowHub batches; a newer snapshot of a known flow replaces the older one in place.
// Bodies stay shared with the snapshots (Qt's implicit sharing): no copies are made here.

#include "flow/flow.h"

#include <QHash>
#include <QList>
#include <vector>

namespace spyglass {

class FlowStore
{
public:
    // Adds new flows and replaces known ones. Returns how many were new.
    qsizetype apply(const QList<FlowSnapshot>& batch);
    void clear();

    qsizetype size() const { return qsizetype(m_flows.size()); }
    const FlowSnapshot& at(qsizetype i) const { return m_flows[size_t(i)]; }
    // -1 when unknown.
    qsizetype indexOf(const QUuid& id) const { return m_index.value(id, -1); }
    const std::vector<FlowSnapshot>& flows() const { return m_flows; }

private:
    std::vector<FlowSnapshot> m_flows;
    QHash<QUuid, qsizetype> m_index;
};

} // namespace spyglass
