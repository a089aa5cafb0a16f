#include "flow_detail_view.h"

#include "message_view.h"

namespace spyglass {

FlowDetailView::FlowDetailView(QWidget* parent)
    : QTabWidget(parent), m_request(new MessageView(this)), m_response(new MessageView(this))
{
    addTab(m_request, tr("Request"));
    addTab(m_response, tr("Response"));
    setDocumentMode(true);
    setFlow(nullptr);
}

void FlowDetailView::setFlow(const FlowSnapshot& flow)
{
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
