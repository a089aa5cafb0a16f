#pragma once
// The live figures of the status bar: throughput (flows finished and their body bytes per
// second, from FlowHub's batches, shown once a second) and the process's memory (resident set
// size from /proc/self/statm; on platforms without it the label stays hidden). The listen
// address and the flow count are MainWindow's own labels beside these.
//
// Throughput counts snapshots that arrive finished (not live): each flow once, as the engine
// publishes its last snapshot once. Bytes are the request and response bodies as recorded
// (BodyInfo::size), not the bytes on the wire (headers, TLS and framing are not counted).

#include "flow/flow.h"

#include <QList>
#include <QObject>

class QLabel;
class QStatusBar;
class QTimer;

namespace spyglass {

class FlowHub;

class StatusBarMonitor : public QObject
{
    Q_OBJECT
public:
    // Adds its labels to `bar` (permanent widgets, left of those added later) and counts the
    // hub's batches; both must outlive it. `hub` may be null (nothing counted).
    StatusBarMonitor(QStatusBar* bar, FlowHub* hub, QObject* parent = nullptr);

    // Resident memory of this process in bytes; -1 where unknown.
    static qint64 residentBytes();

    // Counts a batch (what the hub's signal does).
    void count(const QList<spyglass::FlowSnapshot>& batch);
    // Closes the current second: updates the labels and starts counting anew (the timer
    // calls it each second; tests call it directly).
    void tick();

    double flowsPerSecond() const { return m_flowsPerSecond; }
    double bytesPerSecond() const { return m_bytesPerSecond; }
    QLabel* throughputLabel() const { return m_throughput; }
    QLabel* memoryLabel() const { return m_memory; }

private:
    QLabel* m_throughput;
    QLabel* m_memory;
    QTimer* m_timer;
    qint64 m_flows = 0;
    qint64 m_bytes = 0;
    qint64 m_lastTickMs = 0;
    double m_flowsPerSecond = 0;
    double m_bytesPerSecond = 0;
};

} // namespace spyglass
