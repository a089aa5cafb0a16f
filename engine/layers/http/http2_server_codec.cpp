#include "layers/http/http2_server_codec.h"

#include "layers/http/http1_wire.h"

#include <nghttp2/nghttp2.h>

namespace spyglass::layers::http {

namespace {

// ":authority" (or Host) as host and port: "host", "host:port", "[v6]", "[v6]:port".
bool splitAuthority(const QByteArray& authority, const QByteArray& scheme, QByteArray* host,
                    quint16* port)
{
    if (http1ParseAuthority(authority, host, port))
        return true;
    QByteArrayView h = authority;
    if (h.startsWith('[')) {
        if (!h.endsWith(']') || h.size() < 3)
            return false;
        h = h.sliced(1, h.size() - 2);
    } else {
        for (const char c : h)
            if (c == ':' || c == '@' || c == '/' || c == '?' || c == '#' || c == ' ' || c == '[' ||
                c == ']')
                return false;
    }
    if (h.isEmpty())
        return false;
    *host = h.toByteArray().toLower();
    *port = defaultPort(scheme);
    return true;
}

QString quotedLatin1(const QByteArray& bytes)
{
    return QLatin1Char('"') + QString::fromLatin1(bytes.toPercentEncoding(":/?#[]@!$&'()*+,;=")) +
           QLatin1Char('"');
}

} // namespace

Http2ServerCodec::Http2ServerCodec(CodecLimits limits) : Http2CodecBase(Side::Server, limits) {}

Http2ServerCodec::~Http2ServerCodec() = default;

bool Http2ServerCodec::canOpenStream() const
{
    return false;
}

void Http2ServerCodec::onHead(Stream& stream, bool endStream)
{
    if (stream.tooLarge) {
        refuse(stream, 431,
               QStringLiteral("request head larger than %1 bytes").arg(limits().maxHeadSize));
        return;
    }
    Request request;
    request.httpVersion = "HTTP/2.0";
    request.method = stream.pseudo.value(":method");
    request.scheme = stream.pseudo.value(":scheme").toLower();
    request.authority = stream.pseudo.value(":authority");
    request.path = stream.pseudo.value(":path");
    request.headers = std::move(stream.fields);

    const QByteArray host = request.headers.value("host");
    if (!request.authority.isEmpty() && request.headers.contains("host") &&
        !equalsIgnoreCase(host, request.authority)) {
        // RFC 9113 8.3.1: one request, two targets.
        refuse(stream, 400,
               QStringLiteral("the Host field %1 differs from :authority %2")
                   .arg(quotedLatin1(host), quotedLatin1(request.authority)));
        return;
    }
    const QByteArray protocol = stream.pseudo.value(":protocol");
    if (request.isConnect() && !protocol.isEmpty()) {
        // RFC 8441: nghttp2 checked :scheme, :path and :authority. The request reads as the
        // HTTP/1.1 GET it stands for; the event's `protocol` says what it is.
        if (!splitAuthority(request.authority, request.scheme, &request.host, &request.port)) {
            refuse(stream, 400,
                   QStringLiteral("invalid :authority %1").arg(quotedLatin1(request.authority)));
            return;
        }
        request.method = "GET";
        stream.method = "CONNECT";
        stream.protocol = protocol;
        emitHead(stream, RequestHeaders{stream.layerId, std::move(request), false, protocol},
                 false);
        return;
    }
    if (request.isConnect()) {
        if (!http1ParseAuthority(request.authority, &request.host, &request.port)) {
            refuse(stream, 400,
                   QStringLiteral("invalid CONNECT :authority %1 (expected host:port)")
                       .arg(quotedLatin1(request.authority)));
            return;
        }
        request.path = request.authority;
    } else if (const QByteArray target = request.authority.isEmpty() ? host : request.authority;
               !target.isEmpty() &&
               !splitAuthority(target, request.scheme, &request.host, &request.port)) {
        refuse(stream, 400,
               QStringLiteral("invalid %1 %2")
                   .arg(request.authority.isEmpty() ? QStringLiteral("Host field")
                                                    : QStringLiteral(":authority"),
                        quotedLatin1(target)));
        return;
    }
    stream.method = request.method;
    emitHead(stream, RequestHeaders{stream.layerId, std::move(request), endStream}, endStream);
}

void Http2ServerCodec::refuse(Stream& stream, int status, const QString& message)
{
    const QByteArray body = message.toUtf8();
    const FieldList fields{{":status", QByteArray::number(status)},
                           {"content-type", "text/plain; charset=utf-8"},
                           {"content-length", QByteArray::number(body.size())}};
    if (submitResponse(stream, fields, false)) {
        queueData(stream, body);
        queueEnd(stream);
        stream.answeredByCodec = true;
    }
    emitError(stream, message, status);
}

Http2CodecBase::Stream* Http2ServerCodec::responseStream(int streamId, const char* what)
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

void Http2ServerCodec::dispatch(const HttpEvent& event)
{
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ResponseHeaders>) {
                if (Stream* s = responseStream(e.streamId, "response headers"))
                    sendHeaders(*s, e);
            } else if constexpr (std::is_same_v<T, ResponseData>) {
                if (Stream* s = responseStream(e.streamId, "response data"))
                    queueData(*s, e.data);
            } else if constexpr (std::is_same_v<T, ResponseTrailers>) {
                if (Stream* s = responseStream(e.streamId, "response trailers"))
                    queueTrailers(*s, e.trailers);
            } else if constexpr (std::is_same_v<T, ResponseEndOfMessage>) {
                if (Stream* s = responseStream(e.streamId, "a response end"))
                    queueEnd(*s);
            } else if constexpr (std::is_same_v<T, ResponseProtocolError>) {
                // The response cannot be completed: the client learns it from the reset.
                Stream* s = findByLayerId(e.streamId);
                if (s && !s->finished && !s->closed)
                    resetStream(*s, NGHTTP2_INTERNAL_ERROR);
            } else {
                out().debug << QStringLiteral("ignored a request event for stream %1: the "
                                              "client connection only sends responses")
                                   .arg(e.streamId);
            }
        },
        event);
}

void Http2ServerCodec::sendHeaders(Stream& stream, const ResponseHeaders& event)
{
    const Response& response = event.response;
    const int status = response.statusCode;
    if (stream.headSent) {
        out().debug
            << QStringLiteral("ignored a second response head for stream %1").arg(stream.layerId);
        return;
    }
    if (status < 100 || status > 999) {
        out().debug << QStringLiteral("status %1 for stream %2 cannot be sent: answered 502")
                           .arg(status)
                           .arg(stream.layerId);
        submitResponse(stream, {{":status", "502"}}, true);
        return;
    }
    const bool extended = !stream.protocol.isEmpty();
    if (status == 101 && !extended) {
        out().debug << QStringLiteral("dropped 101 for stream %1: HTTP/2 has no protocol "
                                      "upgrade")
                           .arg(stream.layerId);
        return;
    }
    // An extended CONNECT (RFC 8441) succeeds with a 2xx: the 101 of the HTTP/1.1 upgrade it
    // was translated into becomes 200, and what only the HTTP/1.1 handshake needs stays out.
    const int sent = extended && status == 101 ? 200 : status;
    const bool informational = sent < 200;
    const bool tunnel = stream.method == "CONNECT" && sent >= 200 && sent < 300;
    if (extended && !tunnel && !informational)
        stream.resetAfterEnd = true;
    const bool bodyless = stream.method == "HEAD" || status == 204 || status == 304;
    FieldList fields{{":status", QByteArray::number(sent)}};
    for (auto&& field : outboundFields(response.headers, false)) {
        if (extended && tunnel && field.first == "sec-websocket-accept")
            continue;
        // RFC 9110 8.6: no Content-Length in a 1xx, a 204 or a 2xx to CONNECT.
        if (field.first == "content-length" && (informational || status == 204 || tunnel))
            continue;
        fields.append(std::move(field));
    }
    if (informational) {
        submitResponse(stream, fields, false, true);
        return;
    }
    const bool endStream = !tunnel && (event.endStream || bodyless);
    submitResponse(stream, fields, endStream);
}

} // namespace spyglass::layers::http
