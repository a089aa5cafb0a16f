#include "layers/http/replay_client_codec.h"

#include "flow/flow.h"

namespace spyglass::layers::http {

namespace {
constexpr int kStream = 1; // the one exchange, numbered as an HTTP/1 codec numbers its first
} // namespace

ReplayClientCodec::ReplayClientCodec(std::shared_ptr<HttpFlow> flow) : m_flow(std::move(flow)) {}

void ReplayClientCodec::start(CodecOutput& out)
{
    if (m_started || !m_flow)
        return;
    m_started = true;
    Request head = m_flow->request;
    const QByteArray body = head.body.content;
    const Headers trailers = head.trailers;
    head.body = BodyInfo{};
    head.trailers = Headers{};
    const bool endStream = body.isEmpty() && trailers.isEmpty();
    out.events.push_back(RequestHeaders{kStream, std::move(head), endStream, {}, m_flow});
    if (endStream)
        return;
    if (!body.isEmpty())
        out.events.push_back(RequestData{kStream, body});
    if (!trailers.isEmpty())
        out.events.push_back(RequestTrailers{kStream, trailers});
    out.events.push_back(RequestEndOfMessage{kStream});
}

void ReplayClientCodec::receiveData(const QByteArray& /*data*/, CodecOutput& /*out*/) {}

void ReplayClientCodec::receiveClose(CodecOutput& /*out*/) {}

void ReplayClientCodec::send(const HttpEvent& event, CodecOutput& out)
{
    if (m_answered)
        return;
    bool end = std::holds_alternative<ResponseEndOfMessage>(event);
    if (const auto* h = std::get_if<ResponseHeaders>(&event))
        end = h->endStream && (h->response.statusCode < 100 || h->response.statusCode >= 200);
    if (!end)
        return;
    m_answered = true;
    out.close = true;
}

} // namespace spyglass::layers::http
