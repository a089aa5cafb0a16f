#include "layers/http/http1_server_codec.h"

#include "layers/http/http1_wire.h"

namespace spyglass::layers::http {

namespace {

// "http://user@host:8080/x" -> "user@host:8080": the authority exactly as sent.
QByteArray authorityOf(const QByteArray& absoluteUrl)
{
    const qsizetype start = absoluteUrl.indexOf("//");
    if (start < 0)
        return {};
    qsizetype end = start + 2;
    for (; end < absoluteUrl.size(); ++end) {
        const char c = absoluteUrl.at(end);
        if (c == '/' || c == '?' || c == '#')
            break;
    }
    return absoluteUrl.mid(start + 2, end - start - 2);
}

// Counted in place: values() would build a list for every request.
qsizetype hostFieldCount(const Headers& headers)
{
    qsizetype n = 0;
    for (const auto& field : headers.fields())
        if (equalsIgnoreCase(field.first, "host"))
            ++n;
    return n;
}

// absolute-form "scheme://authority[path]": scheme, host and port come from
// Request::setUrl() on the scheme and authority alone, and the path travels exactly as the
// client wrote it (QUrl's strict parsing would refuse paths that llhttp accepted, with "|"
// or "{}" in them).
bool setAbsoluteTarget(Request& request, const QByteArray& target)
{
    const qsizetype sep = target.indexOf("://");
    if (sep <= 0)
        return false;
    const QByteArray authority = authorityOf(target);
    if (authority.isEmpty() || !request.setUrl(target.first(sep + 3) + authority + '/'))
        return false;
    const QByteArray rest = target.mid(sep + 3 + authority.size());
    request.authority = authority;
    request.path = rest.startsWith('/') ? rest : '/' + rest;
    return true;
}

bool isInformational(int status)
{
    return status >= 100 && status < 200 && status != 101;
}

template <typename Data>
void appendData(std::vector<HttpEvent>& events, int streamId, QByteArrayView data,
                const QByteArray& buffer)
{
    if (!events.empty()) {
        if (auto* last = std::get_if<Data>(&events.back()); last && last->streamId == streamId) {
            last->data.append(data);
            return;
        }
    }
    events.push_back(Data{streamId, Http1Parser::bodyBytes(data, buffer)});
}

} // namespace

Http1ServerCodec::Http1ServerCodec(CodecLimits limits)
    : m_limits(limits), m_parser(Http1Parser::Kind::Request, limits.maxHeadSize, *this)
{
}

Http1ServerCodec::~Http1ServerCodec() = default;

void Http1ServerCodec::receiveData(const QByteArray& data, CodecOutput& out)
{
    if (m_phase == Phase::HandedOver) {
        m_buffer.append(data);
        return;
    }
    if (m_phase == Phase::Closed) {
        if (!data.isEmpty())
            out.debug << QStringLiteral("ignored %1 bytes from the client after the HTTP/1 "
                                        "connection was closed")
                             .arg(data.size());
        return;
    }
    http1BufferInput(m_buffer, data);
    pump(out);
}

void Http1ServerCodec::pump(CodecOutput& out)
{
    m_out = &out;
    while (m_phase == Phase::Http && !m_buffer.isEmpty() &&
           m_parser.state() != Http1Parser::State::Done) {
        const qsizetype used = m_parser.parse(m_buffer);
        http1ConsumeInput(m_buffer, used);
        if (m_parser.state() == Http1Parser::State::Error) {
            protocolError(m_parser.errorMessage(), m_parser.errorStatus(), out);
            break;
        }
        if (used == 0)
            break;
    }
    // A client that closed its side mid-request (possibly a pipelined one, parsed only now).
    if (m_phase == Phase::Http && m_peerClosed && m_buffer.isEmpty() && m_parser.inMessage()) {
        out.events.push_back(RequestProtocolError{
            m_streamId, QStringLiteral("client disconnected before the request was complete"), 0});
        closeConnection(out);
    }
    m_out = nullptr;
}

bool Http1ServerCodec::onHead(Http1Parser::Head&& head)
{
    Request request;
    request.method = head.method;
    request.httpVersion = head.version;
    request.headers = std::move(head.headers);
    const QByteArray& target = head.target;

    if (hostFieldCount(request.headers) > 1) {
        m_parser.reject(400, QStringLiteral("several Host header fields in the request"));
        return true;
    }
    if (request.isConnect()) {
        if (!http1ParseAuthority(target, &request.host, &request.port)) {
            m_parser.reject(400, QStringLiteral("invalid CONNECT target \"%1\" (expected "
                                                "host:port)")
                                     .arg(QString::fromLatin1(target.toPercentEncoding("/:[]@"))));
            return true;
        }
        request.authority = target;
    } else if (target == "*") {
        if (request.method != "OPTIONS") {
            m_parser.reject(400, QStringLiteral("the target \"*\" is only valid for OPTIONS"));
            return true;
        }
        request.path = target;
    } else if (target.startsWith('/')) {
        request.path = target;
    } else if (setAbsoluteTarget(request, target)) {
        // absolute-form (a request to a regular proxy)
    } else {
        m_parser.reject(400, QStringLiteral("invalid request target \"%1\"")
                                 .arg(QString::fromLatin1(target.toPercentEncoding(":/?#[]@&=+"))));
        return true;
    }

    m_requestHeadSeen = true;
    m_method = request.method;
    m_http10 = head.version == "HTTP/1.0";
    if (!head.keepAlive)
        m_closeAfterResponse = true;
    m_requestEndStream = head.framing == Http1Parser::Framing::None;
    m_out->events.push_back(RequestHeaders{m_streamId, std::move(request), m_requestEndStream});
    return true;
}

void Http1ServerCodec::onBody(QByteArrayView data)
{
    appendData<RequestData>(m_out->events, m_streamId, data, m_buffer);
}

void Http1ServerCodec::onTrailers(Headers&& trailers)
{
    m_out->events.push_back(RequestTrailers{m_streamId, std::move(trailers)});
}

void Http1ServerCodec::onMessageEnd()
{
    m_requestComplete = true;
    if (!m_requestEndStream)
        m_out->events.push_back(RequestEndOfMessage{m_streamId});
}

void Http1ServerCodec::protocolError(const QString& message, int status, CodecOutput& out)
{
    out.events.push_back(RequestProtocolError{m_streamId, message, status});
    if (m_response == ResponseState::None && status != 0)
        out.toPeer += http1ErrorResponse(status, message);
    closeConnection(out);
}

void Http1ServerCodec::receiveClose(CodecOutput& out)
{
    m_peerClosed = true;
    if (m_phase != Phase::Http)
        return;
    // Bytes still buffered behind an unanswered request are looked at when their turn comes.
    if (m_parser.state() == Http1Parser::State::Done)
        return;
    pump(out);
}

void Http1ServerCodec::send(const HttpEvent& event, CodecOutput& out)
{
    if (m_phase == Phase::HandedOver) {
        const bool trailing = std::holds_alternative<ResponseEndOfMessage>(event) &&
                              streamIdOf(event) == m_handedOverStream;
        if (!trailing)
            out.debug << QStringLiteral("ignored an HTTP event for stream %1: the connection was "
                                        "handed over to another protocol")
                             .arg(streamIdOf(event));
        return;
    }
    if (m_phase == Phase::Closed) {
        out.debug << QStringLiteral("ignored an HTTP event for stream %1: the connection is "
                                    "closed")
                         .arg(streamIdOf(event));
        return;
    }
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ResponseHeaders>) {
                if (acceptsResponseEvent(e.streamId, "response headers", out))
                    sendHeaders(e, out);
            } else if constexpr (std::is_same_v<T, ResponseData>) {
                if (acceptsResponseEvent(e.streamId, "response data", out))
                    sendData(e, out);
            } else if constexpr (std::is_same_v<T, ResponseTrailers>) {
                if (acceptsResponseEvent(e.streamId, "response trailers", out))
                    sendTrailers(e, out);
            } else if constexpr (std::is_same_v<T, ResponseEndOfMessage>) {
                if (acceptsResponseEvent(e.streamId, "response end", out))
                    sendEnd(out);
            } else if constexpr (std::is_same_v<T, ResponseProtocolError>) {
                // The response cannot be completed (the upstream failed mid-way): the client
                // can only learn that from the connection closing.
                if (e.streamId == m_streamId) {
                    closeConnection(out);
                }
            } else {
                out.debug << QStringLiteral("ignored a request event for stream %1: the client "
                                            "connection only sends responses")
                                 .arg(e.streamId);
            }
        },
        event);
}

bool Http1ServerCodec::acceptsResponseEvent(int streamId, const char* what, CodecOutput& out) const
{
    if (streamId == m_streamId && m_requestHeadSeen)
        return true;
    out.debug << QStringLiteral("ignored %1 for stream %2: the open request is stream %3%4")
                     .arg(QString::fromLatin1(what))
                     .arg(streamId)
                     .arg(m_streamId)
                     .arg(m_requestHeadSeen ? QString() : QStringLiteral(" (no head yet)"));
    return false;
}

void Http1ServerCodec::sendHeaders(const ResponseHeaders& event, CodecOutput& out)
{
    if (m_response != ResponseState::None) {
        out.debug
            << QStringLiteral("ignored a second response head for stream %1").arg(event.streamId);
        return;
    }
    const Response& response = event.response;
    const int status = response.statusCode;
    if (isInformational(status)) {
        // RFC 9110 15.2: never to an HTTP/1.0 client.
        if (m_http10) {
            out.debug << QStringLiteral("did not send %1 to an HTTP/1.0 client").arg(status);
            return;
        }
        const QString error = http1WriteResponseHead(response, out.toPeer, out.debug);
        if (!error.isEmpty())
            out.debug << error;
        return;
    }
    const bool handOver = status == 101 || (m_method == "CONNECT" && status >= 200 && status < 300);
    const bool bodyAllowed = !handOver && m_method != "HEAD" && status != 204 && status != 304;
    qint64 length = 0;
    auto framing = bodyAllowed ? Http1BodyWriter::framingFor(response.headers, true, &length)
                               : Http1BodyWriter::Framing::None;
    const Response* written = &response;
    Response unchunked;
    if (m_http10 && framing == Http1BodyWriter::Framing::Chunked &&
        equalsIgnoreCase(response.headers.joined("transfer-encoding").trimmed(), "chunked")) {
        // RFC 9112 6.1: no Transfer-Encoding to an HTTP/1.0 client; the close ends the body.
        unchunked = response;
        unchunked.headers.remove("transfer-encoding");
        written = &unchunked;
        framing = Http1BodyWriter::Framing::UntilClose;
        out.debug << QStringLiteral("sent the chunked response for stream %1 to an HTTP/1.0 "
                                    "client unchunked, delimited by the close")
                         .arg(event.streamId);
    }
    QByteArray head;
    const QString error = http1WriteResponseHead(*written, head, out.debug);
    if (!error.isEmpty()) {
        // The response given to us cannot be written: the client gets a 502 instead.
        out.debug << error;
        out.toPeer += http1ErrorResponse(502, error);
        closeConnection(out);
        return;
    }
    out.toPeer += head;
    if (handOver) {
        m_phase = Phase::HandedOver;
        m_handedOverStream = event.streamId;
        return;
    }
    m_body = Http1BodyWriter(framing, length);
    if (framing == Http1BodyWriter::Framing::UntilClose ||
        response.headers.hasToken("connection", "close"))
        m_closeAfterResponse = true;
    m_response = ResponseState::Body;
    if (event.endStream)
        sendEnd(out);
}

void Http1ServerCodec::sendData(const ResponseData& event, CodecOutput& out)
{
    if (m_response != ResponseState::Body) {
        out.debug << QStringLiteral("ignored response data for stream %1 before its head")
                         .arg(event.streamId);
        return;
    }
    const qint64 dropped = m_body.writeData(event.data, out.toPeer);
    if (dropped > 0)
        out.debug << QStringLiteral("dropped %1 bytes of response body for stream %2 (%3)")
                         .arg(dropped)
                         .arg(event.streamId)
                         .arg(m_body.framing() == Http1BodyWriter::Framing::Length
                                  ? QStringLiteral("beyond its Content-Length")
                                  : QStringLiteral("this response has no body"));
}

void Http1ServerCodec::sendTrailers(const ResponseTrailers& event, CodecOutput& out)
{
    if (m_response != ResponseState::Body) {
        out.debug << QStringLiteral("ignored response trailers for stream %1 before its head")
                         .arg(event.streamId);
        return;
    }
    if (!m_body.writeTrailers(event.trailers, out.toPeer, out.debug))
        out.debug << QStringLiteral("dropped the response trailers for stream %1: only a "
                                    "chunked body can carry them")
                         .arg(event.streamId);
}

void Http1ServerCodec::sendEnd(CodecOutput& out)
{
    if (m_response != ResponseState::Body) {
        out.debug << QStringLiteral("ignored a response end for stream %1 without a response "
                                    "head")
                         .arg(m_streamId);
        return;
    }
    if (!m_body.finish(out.toPeer)) {
        out.debug << QStringLiteral("response body for stream %1 ended after %2 of %3 bytes: "
                                    "closing the connection")
                         .arg(m_streamId)
                         .arg(m_body.written())
                         .arg(m_body.contentLength());
        m_closeAfterResponse = true;
    }
    m_response = ResponseState::Done;
    finishExchange(out);
}

void Http1ServerCodec::finishExchange(CodecOutput& out)
{
    // A response that overtook its request (an early 4xx): the rest of the request cannot be
    // told apart from a next one, so the connection ends here (RFC 9112 9.6).
    if (!m_requestComplete)
        m_closeAfterResponse = true;
    if (m_closeAfterResponse) {
        closeConnection(out);
        return;
    }
    m_streamId += 2;
    m_requestHeadSeen = false;
    m_requestEndStream = false;
    m_requestComplete = false;
    m_method.clear();
    m_http10 = false;
    m_response = ResponseState::None;
    m_body = {};
    m_parser.startNextMessage();
    pump(out);
    // The client has closed its side and sent nothing more: the conversation is over.
    if (m_phase == Phase::Http && m_peerClosed && m_parser.state() == Http1Parser::State::Idle &&
        m_buffer.isEmpty()) {
        closeConnection(out);
    }
}

void Http1ServerCodec::closeConnection(CodecOutput& out)
{
    out.close = true;
    m_phase = Phase::Closed;
    m_buffer.clear(); // nothing more is read from this connection
}

bool Http1ServerCodec::isHandedOver() const
{
    return m_phase == Phase::HandedOver;
}

QByteArray Http1ServerCodec::takeUnparsed()
{
    return std::exchange(m_buffer, {});
}

bool Http1ServerCodec::isIdle() const
{
    if (m_phase == Phase::HandedOver)
        return false;
    if (m_phase == Phase::Closed)
        return true;
    return m_parser.state() == Http1Parser::State::Idle && m_response == ResponseState::None &&
           m_buffer.isEmpty();
}

bool Http1ServerCodec::isClosing() const
{
    return m_phase != Phase::Http || m_closeAfterResponse || m_peerClosed;
}

} // namespace spyglass::layers::http
