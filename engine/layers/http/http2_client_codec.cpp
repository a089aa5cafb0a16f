#include "layers/http/http2_client_codec.h"

#include <nghttp2/nghttp2.h>

namespace spyglass::layers::http {

namespace {

// host[:port] for :authority, the port left out when it is the scheme's default.
QByteArray hostPort(const Request& request, const QByteArray& scheme)
{
    QByteArray out = request.host.contains(':') ? '[' + request.host + ']' : request.host;
    if (request.port != 0 && (request.isConnect() || request.port != defaultPort(scheme)))
        out += ':' + QByteArray::number(request.port);
    return out;
}

} // namespace

Http2ClientCodec::Http2ClientCodec(CodecLimits limits) : Http2CodecBase(Side::Client, limits) {}

Http2ClientCodec::~Http2ClientCodec() = default;

bool Http2ClientCodec::canOpenStream() const
{
    if (sessionFailed() || isClosing() || !nghttp2_session_check_request_allowed(session()))
        return false;
    return quint32(openStreamCount()) <
           nghttp2_session_get_remote_settings(session(), NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
}

bool Http2ClientCodec::supportsExtendedConnect() const
{
    return !sessionFailed() && nghttp2_session_get_remote_settings(
                                   session(), NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL) == 1;
}

void Http2ClientCodec::onHead(Stream& stream, bool endStream)
{
    if (stream.tooLarge) {
        emitError(stream,
                  QStringLiteral("response head larger than %1 bytes").arg(limits().maxHeadSize));
        resetStream(stream, NGHTTP2_INTERNAL_ERROR);
        return;
    }
    const int status = stream.pseudo.value(":status").toInt();
    if (status < 200) {
        out().debug << QStringLiteral("dropped %1 %2 for stream %3")
                           .arg(status)
                           .arg(QString::fromLatin1(defaultReason(status)))
                           .arg(stream.layerId);
        return;
    }
    Response response;
    response.httpVersion = "HTTP/2.0";
    response.statusCode = status;
    response.reason = defaultReason(status);
    response.headers = std::move(stream.fields);
    if (!stream.protocol.isEmpty() && status < 300 && !endStream) {
        // RFC 8441: the extended CONNECT succeeded. The layer sees the 101 of the HTTP/1.1
        // upgrade it stands for, complete; the stream's DATA are the protocol's bytes.
        response.statusCode = 101;
        response.reason = defaultReason(101);
        emitHead(stream, ResponseHeaders{stream.layerId, std::move(response), true}, false);
        return;
    }
    emitHead(stream, ResponseHeaders{stream.layerId, std::move(response), endStream}, endStream);
}

Http2CodecBase::Stream* Http2ClientCodec::requestStream(int streamId, const char* what)
{
    Stream* stream = findByLayerId(streamId);
    if (stream && !stream->finished && !stream->closed)
        return stream;
    out().debug << QStringLiteral("ignored %1 for stream %2: %3")
                       .arg(QString::fromLatin1(what))
                       .arg(streamId)
                       .arg(stream ? QStringLiteral("the stream is over")
                                   : QStringLiteral("no such stream"));
    return nullptr;
}

void Http2ClientCodec::dispatch(const HttpEvent& event)
{
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, RequestHeaders>) {
                sendHeaders(e);
            } else if constexpr (std::is_same_v<T, RequestData>) {
                if (Stream* s = requestStream(e.streamId, "request data"))
                    queueData(*s, e.data);
            } else if constexpr (std::is_same_v<T, RequestTrailers>) {
                if (Stream* s = requestStream(e.streamId, "request trailers"))
                    queueTrailers(*s, e.trailers);
            } else if constexpr (std::is_same_v<T, RequestEndOfMessage>) {
                if (Stream* s = requestStream(e.streamId, "a request end"))
                    queueEnd(*s);
            } else if constexpr (std::is_same_v<T, RequestProtocolError>) {
                // The client's request broke off: the server must not take it as complete.
                Stream* s = findByLayerId(e.streamId);
                if (s && !s->finished && !s->closed)
                    resetStream(*s, NGHTTP2_CANCEL);
            } else {
                out().debug << QStringLiteral("ignored a response event for stream %1: the "
                                              "upstream connection only sends requests")
                                   .arg(e.streamId);
            }
        },
        event);
}

void Http2ClientCodec::sendHeaders(const RequestHeaders& event)
{
    if (Stream* open = findByLayerId(event.streamId); open && !open->finished && !open->closed) {
        out().debug
            << QStringLiteral("ignored a second request head for stream %1").arg(event.streamId);
        return;
    }
    if (isClosing()) {
        out().events.push_back(ResponseProtocolError{
            event.streamId, QStringLiteral("the upstream HTTP/2 connection is going away "
                                           "(GOAWAY)")});
        return;
    }
    const Request& request = event.request;
    const QByteArray scheme = request.scheme.isEmpty() ? QByteArray("https") : request.scheme;
    const QByteArray hostField = request.headers.value("host");
    QByteArray authority = request.authority;
    if (authority.isEmpty())
        authority = request.isConnect() ? hostPort(request, scheme) : hostField;
    if (authority.isEmpty())
        authority = hostPort(request, scheme);

    if (!event.protocol.isEmpty()) {
        // RFC 8441 extended CONNECT, for a request that reads as an HTTP/1.1 upgrade.
        FieldList fields{{":method", "CONNECT"},
                         {":protocol", event.protocol},
                         {":scheme", scheme},
                         {":authority", authority},
                         {":path", request.path.isEmpty() ? QByteArray("/") : request.path}};
        for (auto&& field : outboundFields(request.headers, true))
            if (field.first != "sec-websocket-key")
                fields.append(std::move(field));
        if (Stream* s = submitRequest(event.streamId, "CONNECT", fields, false))
            s->protocol = event.protocol;
        return;
    }
    FieldList fields{{":method", request.method}};
    if (request.isConnect()) {
        fields.append(Headers::Field{":authority", authority});
    } else {
        fields.append(Headers::Field{":scheme", scheme});
        if (!authority.isEmpty())
            fields.append(Headers::Field{":authority", authority});
        fields.append(
            Headers::Field{":path", request.path.isEmpty() ? QByteArray("/") : request.path});
    }
    const bool sameHost = equalsIgnoreCase(hostField, authority);
    if (request.headers.contains("host") && !sameHost)
        out().debug << QStringLiteral("kept the Host field \"%1\" of stream %2: it differs from "
                                      ":authority \"%3\"")
                           .arg(QString::fromLatin1(hostField))
                           .arg(event.streamId)
                           .arg(QString::fromLatin1(authority));
    fields.append(outboundFields(request.headers, sameHost));

    const bool endStream = event.endStream && !request.isConnect();
    submitRequest(event.streamId, request.method, fields, endStream);
}

} // namespace spyglass::layers::http
