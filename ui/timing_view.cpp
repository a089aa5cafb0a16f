#include "timing_view.h"

#include <QPainter>
#include <QPalette>
#include <algorithm>

namespace spyglass {

namespace {

constexpr int kRowHeight = 24;
constexpr int kMargin = 12;

QString durationText(double seconds)
{
    if (seconds < 0.001)
        return TimingView::tr("%1 µs").arg(qRound(seconds * 1e6));
    if (seconds < 1)
        return TimingView::tr("%1 ms").arg(seconds * 1000, 0, 'f', seconds < 0.01 ? 2 : 1);
    return TimingView::tr("%1 s").arg(seconds, 0, 'f', 2);
}

} // namespace

TimingView::TimingView(QWidget* parent) : QWidget(parent)
{
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

std::vector<TimingView::Phase> TimingView::phases(const HttpFlow& f)
{
    std::vector<Phase> out;
    auto add = [&](const QString& label, double start, double end, bool waiting = false,
                   bool error = false) {
        if (start > 0 && end >= start)
            out.push_back({label, start, end, waiting, error});
    };
    const Connection& c = f.client;
    const Connection& s = f.server;
    add(tr("Client connected"), c.timestampStart, c.timestampStart);
    if (c.tls)
        add(tr("Client TLS handshake"), c.timestampStart, c.timestampTlsSetup);
    // A server connection made for this flow (not an older, reused one) is drawn with its
    // set-up; a reused one only appears as "reused" at its start.
    const double firstUse = f.kind == FlowKind::Tcp ? c.timestampStart : f.request.timestampStart;
    if (s.timestampStart > 0) {
        if (s.timestampStart + 1e-6 >= firstUse || f.kind == FlowKind::Tcp ||
            f.request.isConnect()) {
            add(tr("Server TCP connect"), s.timestampStart, s.timestampTcpSetup);
            if (s.tls)
                add(tr("Server TLS handshake"), s.timestampTcpSetup, s.timestampTlsSetup);
        }
    }
    if (f.kind == FlowKind::Http) {
        add(tr("Request sent"), f.request.timestampStart, f.request.timestampEnd);
        if (f.response) {
            add(tr("Waiting for the response"), f.request.timestampEnd, f.response->timestampStart,
                true);
            add(tr("Response received"), f.response->timestampStart, f.response->timestampEnd);
        }
        if (f.websocket && f.response)
            add(tr("WebSocket open"), f.response->timestampEnd,
                f.websocket->timestampEnd > 0 ? f.websocket->timestampEnd
                                              : f.response->timestampEnd);
    } else if (f.tcp) {
        add(tr("TCP stream"), c.timestampStart,
            f.tcp->timestampEnd > 0 ? f.tcp->timestampEnd : c.timestampStart);
    }
    if (f.error)
        add(tr("Error: %1").arg(f.error->message.left(60)), f.error->timestamp, f.error->timestamp,
            false, true);
    return out;
}

void TimingView::setFlow(const FlowSnapshot& flow)
{
    m_phases = flow ? phases(*flow) : std::vector<Phase>{};
    updateGeometry();
    update();
}

QSize TimingView::sizeHint() const
{
    return {520, kMargin * 3 + kRowHeight * int(m_phases.size() + 1)};
}

QSize TimingView::minimumSizeHint() const
{
    return {320, kMargin * 2 + kRowHeight * 2};
}

void TimingView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    if (m_phases.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No timing recorded for this flow."));
        return;
    }
    double t0 = m_phases.front().start;
    double t1 = t0;
    for (const Phase& ph : m_phases) {
        t0 = std::min(t0, ph.start);
        t1 = std::max(t1, ph.end);
    }
    const double span = std::max(t1 - t0, 1e-6);

    const QFontMetrics fm = fontMetrics();
    int labelWidth = 0;
    for (const Phase& ph : m_phases)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(ph.label));
    const int valueWidth = fm.horizontalAdvance(QStringLiteral("+0000.0 ms  0000.00 ms"));
    const int x0 = kMargin + labelWidth + kMargin;
    const int barWidth = std::max(40, width() - x0 - valueWidth - 2 * kMargin);

    // Bars in the palette's highlight colour, waiting in a lighter tone of it, instants as
    // diamonds: readable on light and dark themes alike.
    const QColor bar = pal.color(QPalette::Highlight);
    QColor wait = bar;
    wait.setAlphaF(0.35);
    int y = kMargin;
    for (const Phase& ph : m_phases) {
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(kMargin, y, labelWidth, kRowHeight), Qt::AlignVCenter | Qt::AlignLeft,
                   ph.label);
        const int bx = x0 + int((ph.start - t0) / span * barWidth);
        const int bw = int((ph.end - ph.start) / span * barWidth);
        const QRect r(bx, y + 6, std::max(bw, 2), kRowHeight - 12);
        if (ph.end > ph.start) {
            p.setPen(Qt::NoPen);
            p.setBrush(ph.waiting ? wait : bar);
            p.drawRoundedRect(r, 3, 3);
        } else {
            const QPointF c(bx, y + kRowHeight / 2.0);
            const QPolygonF diamond{c + QPointF(0, -5), c + QPointF(5, 0), c + QPointF(0, 5),
                                    c + QPointF(-5, 0)};
            p.setPen(Qt::NoPen);
            p.setBrush(ph.error ? QColor(0xd0, 0x40, 0x40) : bar);
            p.drawPolygon(diamond);
        }
        p.setPen(pal.color(QPalette::PlaceholderText));
        const QString value = ph.end > ph.start
                                  ? QStringLiteral("+%1  %2").arg(durationText(ph.start - t0),
                                                                  durationText(ph.end - ph.start))
                                  : QStringLiteral("+%1").arg(durationText(ph.start - t0));
        p.drawText(QRect(x0 + barWidth + kMargin, y, valueWidth, kRowHeight),
                   Qt::AlignVCenter | Qt::AlignLeft, value);
        y += kRowHeight;
    }
    // The axis: total time at the right end.
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(x0, y + 4, x0 + barWidth, y + 4);
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(x0, y + 6, barWidth, kRowHeight), Qt::AlignRight | Qt::AlignTop,
               tr("total %1").arg(durationText(span)));
    p.drawText(QRect(x0, y + 6, barWidth, kRowHeight), Qt::AlignLeft | Qt::AlignTop,
               QStringLiteral("0"));
}

} // namespace spyglass
