#pragma once
// Http2ClientCodec: the upstream-facing HTTP/2 codec. It writes the requests it is given and
// parses the server's responses into ResponseHeaders / ResponseData / ResponseTrailers /
// ResponseEndOfMessage. Counterpart: mitmproxy `layers/http/_http2.py` Http2Client, nghttpx
// `shrpx_http2_session.cc`; its HTTP/1 twin is Http1ClientCodec, its client-facing twin
// Http2ServerCodec. What both HTTP/2 codecs share (flow control, resets, GOAWAY, errors) is
// described in http2_common.h.
//
// Rules
//  - The layer numbers requests as it likes (the client side's stream ids); the codec picks
//    the HTTP/2 stream id itself and every response event carries the layer's id.
//  - The connection preface and our SETTINGS go out with the output of the first call
//    (usually the first send()); no separate start is needed.
//  - Requests: :method, :scheme (the request's, else "https"), :authority (the request's
//    authority, else its Host field, else host[:port]) and :path ("/" when empty); CONNECT
//    has only :method and :authority, and its stream stays open whatever endStream says:
//    RequestData / ResponseData are then the tunnel's bytes. A Host field equal to
//    :authority is dropped (it moved there); one that differs is kept (noted in out.debug).
//  - Responses: httpVersion "HTTP/2.0", reason defaultReason(status). 1xx heads are dropped
//    (noted in out.debug). A reset from the server, a GOAWAY that leaves a request out, a
//    malformed response or the connection's end before the response's end give a
//    ResponseProtocolError in words ("server reset stream: REFUSED_STREAM"). A response
//    that ended is complete even if the server stopped reading the request.
//  - A request sent while isClosing() is answered at once with a ResponseProtocolError.
//    canOpenStream() says whether the server's SETTINGS_MAX_CONCURRENT_STREAMS leaves room
//    now; requests beyond it wait inside nghttp2 until a stream closes.
//  - Extended CONNECT (RFC 8441): a RequestHeaders with a `protocol` (its request reads as
//    the HTTP/1.1 upgrade, see Http2ServerCodec) goes out as :method CONNECT, :protocol,
//    :scheme, :authority, :path and the fields minus Sec-WebSocket-Key (and what HTTP/2
//    never carries), and the stream stays open. Only once supportsExtendedConnect() (the
//    server's SETTINGS_ENABLE_CONNECT_PROTOCOL). A 2xx answer comes back as a complete 101
//    Switching Protocols head; then ResponseData are the protocol's bytes and
//    ResponseEndOfMessage the server's END_STREAM. Any other answer is an ordinary response.
//  - RequestProtocolError (the client's request broke off) resets the stream with CANCEL.

#include "layers/http/http2_common.h"

namespace spyglass::layers::http {

class Http2ClientCodec final : public Http2CodecBase
{
public:
    explicit Http2ClientCodec(CodecLimits limits = {});
    ~Http2ClientCodec() override;

    bool canOpenStream() const override;
    bool supportsExtendedConnect() const override;

private:
    void dispatch(const HttpEvent& event) override;
    void onHead(Stream& stream, bool endStream) override;

    void sendHeaders(const RequestHeaders& event);
    Stream* requestStream(int streamId, const char* what);
};

} // namespace spyglass::layers::http
