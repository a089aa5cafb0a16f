#include "layers/http/http1_client_codec.h"

#include "layers/http/http1_wire.h"

namespace spyglass::layers::http {

namespace {

void appendResponseData(std::vector<HttpEvent>& events, int streamId, QByteArrayView data,
                        const QByteArray& buffer)
{
    if (!events.empty()) {
        if (auto* last = std::get_if<ResponseData>(&events.back());
            last && last->streamId == streamId) {
            last->data.append(data);
            return;
        }
    }
    events.push_back(ResponseData{streamId, Http1Parser::bodyBytes(data, buffer)});
}

bool onlyBlankLines(QByteArrayView data)
{
    for (const char c : data)
        if (c != '\r' && c != '\n')
            return false;
    return true;
}

} // namespace

Http1ClientCodec::Http1ClientCodec(CodecLimits limits)
    : m_limits(limits), m_parser(Http1Parser::Kind::Response, limits.maxHeadSize, *this)
{
}

Http1ClientCodec::~Http1ClientCodec() = default;

void Http1ClientCodec::receiveData(const QByteArray& data, CodecOutput& out)
{
    if (m_phase == Phase::HandedOver) {
        m_buffer.append(data);
        return;
    }
    if (m_phase == Phase::Closed) {
        if (!data.isEmpty())
            out.debug << QStringLiteral("ignored %1 bytes from the server after the HTTP/1 "
                                        "connection was closed")
                             .arg(data.size());
        return;
    }
    http1BufferInput(m_buffer, data);
    pump(out);
}

void Http1ClientCodec::pump(CodecOutput& out)
{
    m_out = &out;
    while (m_phase == Phase::Http && !m_buffer.isEmpty()) {
        if (m_outstanding.empty()) {
            if (onlyBlankLines(m_buffer)) { // tolerated between messages (RFC 9112 2.2)
                m_buffer.clear();
                break;
            }
            out.debug << QStringLiteral("the server sent %1 bytes without a request: closing "
                                        "the connection")
                             .arg(m_buffer.size());
            closeConnection(out);
            break;
        }
        const qsizetype used = m_parser.parse(m_buffer);
        http1ConsumeInput(m_buffer, used);
        if (m_parser.state() == Http1Parser::State::Error) {
            failAll(m_parser.errorMessage(), out);
            break;
        }
        if (m_parser.state() == Http1Parser::State::Done) {
            if (m_phase != Phase::Http)
                break;
            m_parser.startNextMessage();
            closeIfDone(out);
            continue;
        }
        if (used == 0)
            break;
    }
    m_out = nullptr;
}

bool Http1ClientCodec::onHead(Http1Parser::Head&& head)
{
    const Outstanding& request = m_outstanding.front();
    const int status = head.statusCode;
    if (status >= 100 && status < 200 && status != 101) {
        m_informational = true;
        m_out->debug << QStringLiteral("dropped %1 %2 for stream %3")
                            .arg(status)
                            .arg(QString::fromLatin1(head.reason))
                            .arg(request.streamId);
        return false;
    }
    m_informational = false;
    m_handOver = status == 101 || (request.method == "CONNECT" && status >= 200 && status < 300);
    const bool skipBody = m_handOver || request.method == "HEAD" || status == 204 || status == 304;
    m_responseEndStream = skipBody || head.framing == Http1Parser::Framing::None;
    if (!head.keepAlive)
        m_closing = true;
    if (!skipBody && head.framing == Http1Parser::Framing::UntilClose)
        m_closing = true;

    Response response;
    response.httpVersion = head.version;
    response.statusCode = status;
    response.reason = head.reason;
    response.headers = std::move(head.headers);
    m_out->events.push_back(
        ResponseHeaders{request.streamId, std::move(response), m_responseEndStream});
    return !skipBody;
}

void Http1ClientCodec::onBody(QByteArrayView data)
{
    appendResponseData(m_out->events, m_outstanding.front().streamId, data, m_buffer);
}

void Http1ClientCodec::onTrailers(Headers&& trailers)
{
    m_out->events.push_back(ResponseTrailers{m_outstanding.front().streamId, std::move(trailers)});
}

void Http1ClientCodec::onMessageEnd()
{
    if (m_informational) {
        m_informational = false;
        return;
    }
    const Outstanding request = m_outstanding.front();
    m_outstanding.pop_front();
    if (!m_responseEndStream)
        m_out->events.push_back(ResponseEndOfMessage{request.streamId});
    // A response that overtook its request: the rest of the request body cannot be sent
    // on a connection that will be reused.
    if (!request.requestDone)
        m_closing = true;
    if (m_handOver) {
        m_phase = Phase::HandedOver;
        m_handOver = false;
    }
}

void Http1ClientCodec::failAll(const QString& firstMessage, CodecOutput& out)
{
    bool first = true;
    for (const Outstanding& request : m_outstanding) {
        out.events.push_back(ResponseProtocolError{
            request.streamId,
            first ? firstMessage
                  : QStringLiteral("the connection failed before the response to this "
                                   "pipelined request")});
        first = false;
    }
    m_outstanding.clear();
    m_sendingStream = 0;
    closeConnection(out);
}

void Http1ClientCodec::closeIfDone(CodecOutput& out)
{
    if (m_phase == Phase::Http && m_closing && m_outstanding.empty())
        closeConnection(out);
}

void Http1ClientCodec::receiveClose(CodecOutput& out)
{
    if (m_phase != Phase::Http)
        return;
    // A body delimited by the close ends here; anything else still open was cut short.
    m_out = &out;
    const bool complete = m_parser.finish();
    m_out = nullptr;
    if (!complete)
        failAll(QStringLiteral("server closed the connection before the response was complete"),
                out);
    else if (!m_outstanding.empty())
        failAll(QStringLiteral("server closed the connection without sending a response"), out);
    else
        closeConnection(out);
}

void Http1ClientCodec::send(const HttpEvent& event, CodecOutput& out)
{
    if (m_phase != Phase::Http) {
        if (const auto* headers = std::get_if<RequestHeaders>(&event)) {
            out.events.push_back(ResponseProtocolError{
                headers->streamId,
                m_phase == Phase::Closed
                    ? QStringLiteral("the upstream connection is closed")
                    : QStringLiteral("the upstream connection was handed over to another "
                                     "protocol")});
        } else {
            out.debug << QStringLiteral("ignored an HTTP event for stream %1: the upstream "
                                        "connection no longer speaks HTTP/1")
                             .arg(streamIdOf(event));
        }
        return;
    }
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, RequestHeaders>) {
                sendHeaders(e, out);
            } else if constexpr (std::is_same_v<T, RequestData>) {
                sendData(e, out);
            } else if constexpr (std::is_same_v<T, RequestTrailers>) {
                sendTrailers(e, out);
            } else if constexpr (std::is_same_v<T, RequestEndOfMessage>) {
                sendEnd(e.streamId, out);
            } else if constexpr (std::is_same_v<T, RequestProtocolError>) {
                // The client's request broke off mid-way: the server is left waiting for
                // bytes that will never come, so this connection is finished.
                if (e.streamId == m_sendingStream) {
                    closeConnection(out);
                }
            } else {
                out.debug << QStringLiteral("ignored a response event for stream %1: the "
                                            "upstream connection only sends requests")
                                 .arg(e.streamId);
            }
        },
        event);
}

void Http1ClientCodec::sendHeaders(const RequestHeaders& event, CodecOutput& out)
{
    if (m_sendingStream != 0) {
        out.events.push_back(ResponseProtocolError{
            event.streamId, QStringLiteral("cannot start a request while request %1 is still "
                                           "being sent on this connection")
                                .arg(m_sendingStream)});
        return;
    }
    Request request = event.request;
    const bool http1 = request.httpVersion.startsWith("HTTP/1.");
    qint64 length = 0;
    auto framing = Http1BodyWriter::framingFor(request.headers, false, &length);
    if (request.headers.contains("transfer-encoding") &&
        framing != Http1BodyWriter::Framing::Chunked)
        out.debug << QStringLiteral("request %1 has a Transfer-Encoding that is not chunked: "
                                    "its body cannot be sent")
                         .arg(event.streamId);
    if (!http1 && !event.endStream && framing == Http1BodyWriter::Framing::None &&
        !request.headers.contains("transfer-encoding") && !request.isConnect()) {
        request.headers.add("Transfer-Encoding", "chunked");
        framing = Http1BodyWriter::Framing::Chunked;
    }
    const QString error = http1WriteRequestHead(request, out.toPeer, out.debug);
    if (!error.isEmpty()) {
        out.events.push_back(ResponseProtocolError{event.streamId, error});
        return;
    }
    m_requestBody =
        Http1BodyWriter(request.isConnect() ? Http1BodyWriter::Framing::None : framing, length);
    m_outstanding.push_back({event.streamId, request.method, false});
    if (request.headers.hasToken("connection", "close"))
        m_closing = true;
    m_sendingStream = event.streamId;
    if (event.endStream)
        sendEnd(event.streamId, out);
}

void Http1ClientCodec::sendData(const RequestData& event, CodecOutput& out)
{
    if (event.streamId != m_sendingStream || m_sendingStream == 0) {
        out.debug << QStringLiteral("ignored request data for stream %1: no request body is "
                                    "being sent for it")
                         .arg(event.streamId);
        return;
    }
    const qint64 dropped = m_requestBody.writeData(event.data, out.toPeer);
    if (dropped > 0)
        out.debug << QStringLiteral("dropped %1 bytes of request body for stream %2 (%3)")
                         .arg(dropped)
                         .arg(event.streamId)
                         .arg(m_requestBody.framing() == Http1BodyWriter::Framing::Length
                                  ? QStringLiteral("beyond its Content-Length")
                                  : QStringLiteral("its headers announce no body"));
}

void Http1ClientCodec::sendTrailers(const RequestTrailers& event, CodecOutput& out)
{
    if (event.streamId != m_sendingStream || m_sendingStream == 0) {
        out.debug << QStringLiteral("ignored request trailers for stream %1").arg(event.streamId);
        return;
    }
    if (!m_requestBody.writeTrailers(event.trailers, out.toPeer, out.debug))
        out.debug << QStringLiteral("dropped the request trailers for stream %1: only a chunked "
                                    "body can carry them")
                         .arg(event.streamId);
}

void Http1ClientCodec::sendEnd(int streamId, CodecOutput& out)
{
    if (streamId != m_sendingStream || m_sendingStream == 0) {
        out.debug << QStringLiteral("ignored a request end for stream %1").arg(streamId);
        return;
    }
    const bool complete = m_requestBody.finish(out.toPeer);
    m_sendingStream = 0;
    m_requestBody = {};
    if (!complete) {
        // The server would wait for the missing bytes forever.
        failAll(QStringLiteral("the request body ended before its Content-Length: the request "
                               "cannot be completed"),
                out);
        return;
    }
    markRequestDone(streamId);
}

void Http1ClientCodec::markRequestDone(int streamId)
{
    for (Outstanding& request : m_outstanding)
        if (request.streamId == streamId)
            request.requestDone = true;
}

void Http1ClientCodec::closeConnection(CodecOutput& out)
{
    out.close = true;
    m_phase = Phase::Closed;
    m_closing = true;
    m_buffer.clear(); // nothing more is read from this connection
}

bool Http1ClientCodec::isHandedOver() const
{
    return m_phase == Phase::HandedOver;
}

QByteArray Http1ClientCodec::takeUnparsed()
{
    return std::exchange(m_buffer, {});
}

bool Http1ClientCodec::isIdle() const
{
    if (m_phase == Phase::HandedOver)
        return false;
    if (m_phase == Phase::Closed)
        return true;
    return m_outstanding.empty() && m_sendingStream == 0 && !m_parser.inMessage() &&
           m_buffer.isEmpty();
}

bool Http1ClientCodec::isClosing() const
{
    return m_phase != Phase::Http || m_closing;
}

} // namespace spyglass::layers::http
