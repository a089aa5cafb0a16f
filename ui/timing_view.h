#pragma once
// The detail pane's Timing tab: a waterfall of the flow's phases (client connection, client
// TLS, server connection, server TLS, request sent, waiting for the answer, response
// received, WebSocket or TCP lifetime), each a bar on one time axis starting at the flow's
// first event, with its start offset and duration written beside it.

#include "flow/flow.h"

#include <QWidget>
#include <vector>

namespace spyglass {

class TimingView : public QWidget
{
    Q_OBJECT
public:
    struct Phase
    {
        QString label;
        double start = 0;     // seconds since the epoch
        double end = 0;       // == start for an instant
        bool waiting = false; // idle time (drawn lighter)
        bool error = false;
    };

    explicit TimingView(QWidget* parent = nullptr);

    void setFlow(const FlowSnapshot& flow);
    // The phases the flow recorded, in the order they are drawn; phases a flow lacks (no TLS,
    // no response yet, a reused server connection) are left out.
    static std::vector<Phase> phases(const HttpFlow& flow);
    const std::vector<Phase>& shownPhases() const { return m_phases; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<Phase> m_phases;
};

} // namespace spyglass
