#pragma once
// The detail pane: the selected flow in tabs. Request and Response (MessageView each, with an
// error line when the exchange failed), WebSocket messages (for a flow that upgraded), the TCP
// stream (for a raw TCP flow, instead of request and response), Timing (a waterfall) and
// Connection (both ends, TLS, the certificate chain) and Comment (editable, CommentView). Tabs that
// do not apply are hidden. It holds the one snapshot it shows; a newer snapshot of the same flow
// updates in place.

#include "flow/flow.h"

#include <QTabWidget>

namespace spyglass {

class CommentView;
class ConnectionView;
class MessageView;
class MessagesView;
class TimingView;

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
    MessagesView* webSocketView() const { return m_webSocket; }
    MessagesView* tcpView() const { return m_tcp; }
    TimingView* timingView() const { return m_timing; }
    ConnectionView* connectionView() const { return m_connection; }
    CommentView* commentView() const { return m_comment; }

private:
    FlowSnapshot m_flow;
    MessageView* m_request;
    MessageView* m_response;
    MessagesView* m_webSocket;
    MessagesView* m_tcp;
    TimingView* m_timing;
    ConnectionView* m_connection;
    CommentView* m_comment;
};

} // namespace spyglass
