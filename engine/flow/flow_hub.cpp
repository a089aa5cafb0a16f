#include "flow/flow_hub.h"

#include <QHash>
#include <QTimer>

namespace spyglass {

FlowHub::FlowHub(int intervalMs, QObject* parent) : QObject(parent), m_intervalMs(intervalMs)
{
    qRegisterMetaType<QList<FlowSnapshot>>("QList<spyglass::FlowSnapshot>");
}

void FlowHub::publish(FlowSnapshot snapshot)
{
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        m_pending.append(std::move(snapshot));
        if (!m_scheduled) {
            m_scheduled = true;
            wake = true;
        }
    }
    if (wake) {
        QMetaObject::invokeMethod(
            this, [this] { QTimer::singleShot(m_intervalMs, this, &FlowHub::flush); },
            Qt::QueuedConnection);
    }
}

void FlowHub::flush()
{
    QList<FlowSnapshot> batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_pending);
        m_scheduled = false;
    }
    if (batch.isEmpty())
        return;
    // Coalesce: keep the newest snapshot of each flow, at its first position.
    QHash<QUuid, qsizetype> position;
    QList<FlowSnapshot> out;
    out.reserve(batch.size());
    for (auto& s : batch) {
        auto it = position.find(s->id);
        if (it == position.end()) {
            position.insert(s->id, out.size());
            out.append(std::move(s));
        } else {
            out[*it] = std::move(s);
        }
    }
    Q_EMIT flowsChanged(out);
}

} // namespace spyglass
