#pragma once
// The engine's change feed (DESIGN "Flows and threads", CONVENTIONS 9). Worker threads
// publish immutable snapshots from any thread; the hub coalesces them (the newest snapshot of
// a flow wins) and emits at most one `flowsChanged` batch per interval on its own thread.
// The producer wakes the consumer only when the queue was empty, so 50,000 flows a second
// cost a few dozen signals, not 50,000.

#include "flow/flow.h"

#include <QList>
#include <QMutex>
#include <QObject>

namespace spyglass {

class FlowHub : public QObject
{
    Q_OBJECT
public:
    explicit FlowHub(int intervalMs = 30, QObject* parent = nullptr);

    // Thread-safe.
    void publish(FlowSnapshot snapshot);
    // Emits whatever is pending now (on the hub's thread); used at shutdown.
    void flush();

Q_SIGNALS:
    // Each flow at most once per batch, in the order it was first published in the batch.
    void flowsChanged(const QList<spyglass::FlowSnapshot>& batch);

private:
    const int m_intervalMs;
    QMutex m_mutex;
    QList<FlowSnapshot> m_pending;
    bool m_scheduled = false;
};

} // namespace spyglass
