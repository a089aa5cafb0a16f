#pragma once
// Http2ServerCodec: the client-facing HTTP/2 codec. It parses the client's requests into
// RequestHeaders / RequestData / RequestTrailers / RequestEndOfMessage and writes the
// responses it is given. Counterpart: mitmproxy `layers/http/_http2.py` Http2Server, nghttpx
// `shrpx_http2_upstream.cc`; its HTTP/1 twin is Http1ServerCodec, its upstream twin
// Http2ClientCodec. What both HTTP/2 codecs share (flow control, resets, GOAWAY, errors) is
// described in http2_common.h.
//
// Rules
//  - The streamId of every event is the HTTP/2 stream id (odd, increasing: the numbering the
//    HTTP/1 codecs imitate). At most kHttp2MaxConcurrentStreams are open at once
//    (SETTINGS_MAX_CONCURRENT_STREAMS); nghttp2 refuses more.
//  - Requests: httpVersion "HTTP/2.0"; method, scheme, authority and path from the
//    pseudo-headers; host and port from :authority (else the Host field), the port defaulting
//    from the scheme. CONNECT has only host, port, authority, and path "host:port". Cookie
//    fields come joined into one. A head above CodecLimits::maxHeadSize is answered 431, a
//    bad :authority (or a Host field naming another one) 400, by the codec itself:
//    RequestProtocolError carries that status; any other malformed stream is reset by
//    nghttp2 and reported with status 0. A RequestProtocolError may also follow the request's
//    end: the client reset the stream or left before the response was complete.
//  - Responses: ResponseHeaders writes :status and the fields (see http2_common.h); 1xx
//    other than 101 go out as informational heads; 101 is dropped (not in HTTP/2). No body
//    after HEAD, 204, 304. A 2xx to CONNECT keeps the stream open whatever endStream says:
//    ResponseData / RequestData are then the tunnel's bytes, ResponseEndOfMessage its close.
//    Trailers go out as a final HEADERS frame. ResponseProtocolError resets the stream
//    (INTERNAL_ERROR): the client learns the response broke off.
//  - Extended CONNECT (RFC 8441, only with CodecLimits::extendedConnect: the codec then
//    advertises SETTINGS_ENABLE_CONNECT_PROTOCOL): `:method CONNECT`, `:protocol P`,
//    `:scheme`, `:path`, `:authority` becomes RequestHeaders with protocol P and a request
//    that reads as the HTTP/1.1 upgrade it stands for: method GET, scheme, authority, path,
//    host and port as for any request (the Upgrade fields are HttpStream's to add). The
//    answer: a 101 (the upgrade's) or a 2xx goes out as :status 200 and keeps the stream
//    open, ResponseData / RequestData being the protocol's bytes, ResponseEndOfMessage and
//    RequestEndOfMessage each side's END_STREAM; Sec-WebSocket-Accept is left out. Any
//    other final status ends the stream: END_STREAM, then RST_STREAM NO_ERROR if the client
//    has not ended its side.
//  - canOpenStream() is false: a server opens no streams (no server push).

#include "layers/http/http2_common.h"

namespace spyglass::layers::http {

class Http2ServerCodec final : public Http2CodecBase
{
public:
    explicit Http2ServerCodec(CodecLimits limits = {});
    ~Http2ServerCodec() override;

    bool canOpenStream() const override;

private:
    void dispatch(const HttpEvent& event) override;
    void onHead(Stream& stream, bool endStream) override;

    void refuse(Stream& stream, int status, const QString& message);
    void sendHeaders(Stream& stream, const ResponseHeaders& event);
    Stream* responseStream(int streamId, const char* what);
};

} // namespace spyglass::layers::http
