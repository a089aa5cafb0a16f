#include "flow_detail_view.h"

#include "comment_view.h"
#include "connection_view.h"
#include "message_view.h"
#include "messages_view.h"
#include "timing_view.h"

#include <QScrollArea>

namespace spyglass {

FlowDetailView::FlowDetailView(QWidget* parent)
    : QTabWidget(parent), m_request(new MessageView(this)), m_response(new MessageView(this)),
      m_webSocket(new MessagesView(true, this)), m_tcp(new MessagesView(false, this)),
      m_timing(new TimingView(this)), m_connection(new ConnectionView(this)),
      m_comment(new CommentView(this))
{
    addTab(m_request, tr("Request"));
    addTab(m_response, tr("Response"));
    addTab(m_webSocket, tr("WebSocket"));
    addTab(m_tcp, tr("TCP stream"));
    auto* timingScroll = new QScrollArea(this);
    timingScroll->setWidget(m_timing);
    timingScroll->setWidgetResizable(true);
    timingScroll->setFrameShape(QFrame::NoFrame);
    addTab(timingScroll, tr("Timing"));
    addTab(m_connection, tr("Connection"));
    addTab(m_comment, tr("Comment"));
    setTabToolTip(indexOf(m_comment), tr("Your note on this flow (searchable with ~comment)"));
    setTabToolTip(indexOf(m_webSocket), tr("The WebSocket messages of this flow"));
    setTabToolTip(indexOf(m_tcp), tr("The bytes each side sent on this TCP connection"));
    setTabToolTip(indexOf(timingScroll), tr("When each phase of the exchange happened"));
    setTabToolTip(indexOf(m_connection), tr("Addresses, TLS and the server's certificates"));
    setDocumentMode(true);
    setFlow(nullptr);
}

void FlowDetailView::setFlow(const FlowSnapshot& flow)
{
    const bool tcp = flow && flow->kind == FlowKind::Tcp;
    const bool onMessages = currentWidget() == m_request || currentWidget() == m_response;
    const bool onStream = currentWidget() == m_tcp;
    setTabVisible(indexOf(m_request), !tcp);
    setTabVisible(indexOf(m_response), !tcp);
    setTabVisible(indexOf(m_webSocket), flow && flow->websocket);
    setTabVisible(indexOf(m_tcp), tcp);
    // Hiding the current tab moves Qt to a neighbour; the equivalent tab is the better place.
    if (tcp && onMessages)
        setCurrentWidget(m_tcp);
    else if (!tcp && onStream)
        setCurrentWidget(m_request);
    m_webSocket->setFlow(flow && flow->websocket ? flow : nullptr);
    m_tcp->setFlow(tcp ? flow : nullptr);
    m_timing->setFlow(flow);
    m_connection->setFlow(flow);
    m_comment->setFlow(flow);

    m_flow = flow;
    if (!flow) {
        m_request->showNote(tr("Select a flow to see its request and response."));
        m_response->showNote(QString());
        return;
    }
    const Request& rq = flow->request;
    const QString requestLine =
        QStringLiteral("%1 %2 %3")
            .arg(QString::fromLatin1(rq.method), QString::fromUtf8(rq.url()),
                 QString::fromLatin1(rq.httpVersion));
    const qsizetype mark = rq.path.indexOf('?');
    m_request->setMessage(requestLine, rq.headers, rq.body,
                          mark < 0 ? QByteArray() : rq.path.mid(mark + 1));

    if (flow->response) {
        const Response& rs = *flow->response;
        QString statusLine = QStringLiteral("%1 %2 %3")
                                 .arg(QString::fromLatin1(rs.httpVersion))
                                 .arg(rs.statusCode)
                                 .arg(QString::fromLatin1(rs.reason));
        if (flow->error)
            statusLine += QLatin1Char('\n') + tr("Error: %1").arg(flow->error->message);
        m_response->setMessage(statusLine, rs.headers, rs.body);
    } else if (flow->error) {
        m_response->showNote(tr("Error: %1").arg(flow->error->message));
    } else {
        m_response->showNote(flow->live ? tr("Waiting for the response…") : tr("No response."));
    }
}

} // namespace spyglass
