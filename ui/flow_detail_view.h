#pragma once
// The detail pane: the selected flow's request and response (MessageView each) in tabs, plus
// an error line when the exchange failed. It holds the one snapshot it shows.

#include "flow/flow.h"

#include <QTabWidget>

namespace spyglass {

class MessageView;

class FlowDetailView : public QTabWidget
{
    Q_OBJECT
public:
    explicit FlowDetailView(QWidget* parent = nullptr);

    // Null clears the pane.
    void setFlow(const FlowSnapshot& flow);
    const FlowSnapshot& flow() const { return m_flow; }
    MessageView* requestView() const { return m_request; }
    MessageView* responseView() const { return m_response; }

private:
    FlowSnapshot m_flow;
    MessageView* m_request;
    MessageView* m_response;
};

} // namespace spyglass
