#include "status_bar_monitor.h"

#include "flow/flow_hub.h"

#include <QDateTime>
#include <QLabel>
#include <QLocale>
#include <QStatusBar>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <QFile>
#include <unistd.h>
#endif

namespace spyglass {

StatusBarMonitor::StatusBarMonitor(QStatusBar* bar, FlowHub* hub, QObject* parent)
    : QObject(parent), m_throughput(new QLabel(bar)), m_memory(new QLabel(bar)),
      m_timer(new QTimer(this))
{
    m_throughput->setToolTip(tr("Flows finished in the last second, and the bytes of their "
                                "request and response bodies"));
    m_throughput->setMinimumWidth(m_throughput->fontMetrics().horizontalAdvance(
        tr("%1 flows/s, %2/s").arg(88888).arg(QStringLiteral("888.8 MB"))));
    m_memory->setToolTip(tr("Memory this process holds (resident set size)"));
    bar->addPermanentWidget(m_throughput);
    bar->addPermanentWidget(m_memory);
    m_memory->setVisible(residentBytes() >= 0);
    if (hub)
        connect(hub, &FlowHub::flowsChanged, this, &StatusBarMonitor::count);
    m_lastTickMs = QDateTime::currentMSecsSinceEpoch();
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &StatusBarMonitor::tick);
    m_timer->start();
    tick();
}

qint64 StatusBarMonitor::residentBytes()
{
#ifdef Q_OS_LINUX
    // statm: size resident shared text lib data dt, in pages.
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().simplified().split(' ');
    bool ok = false;
    const qint64 pages = fields.size() > 1 ? fields.at(1).toLongLong(&ok) : 0;
    const long pageSize = sysconf(_SC_PAGESIZE);
    return ok && pageSize > 0 ? pages * pageSize : -1;
#else
    return -1;
#endif
}

void StatusBarMonitor::count(const QList<FlowSnapshot>& batch)
{
    for (const FlowSnapshot& f : batch) {
        if (!f || f->live)
            continue;
        ++m_flows;
        m_bytes += f->request.body.size + (f->response ? f->response->body.size : 0);
    }
}

void StatusBarMonitor::tick()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const double seconds = qMax<qint64>(now - m_lastTickMs, 1) / 1000.0;
    m_lastTickMs = now;
    m_flowsPerSecond = m_flows / seconds;
    m_bytesPerSecond = m_bytes / seconds;
    m_flows = 0;
    m_bytes = 0;
    const QLocale locale;
    m_throughput->setText(tr("%1 flows/s, %2/s")
                              .arg(qRound(m_flowsPerSecond))
                              .arg(locale.formattedDataSize(qint64(m_bytesPerSecond), 1,
                                                            QLocale::DataSizeTraditionalFormat)));
    const qint64 rss = residentBytes();
    if (rss >= 0)
        m_memory->setText(
            tr("Memory: %1")
                .arg(locale.formattedDataSize(rss, 1, QLocale::DataSizeTraditionalFormat)));
}

} // namespace spyglass
