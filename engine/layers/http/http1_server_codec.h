#pragma once
// Http1ServerCodec: the client-facing HTTP/1 codec. It parses requests (through
// Http1Parser) into RequestHeaders / RequestData / RequestTrailers / RequestEndOfMessage and
// writes the responses it is given. Counterpart: mitmproxy `layers/http/_http1.py`
// Http1Server; its upstream twin is Http1ClientCodec.
//
// Rules
//  - Exchanges are numbered 1, 3, 5, ... One is open at a time: after a request's end the
//    codec parses nothing more (later bytes are buffered) until the response to it has been
//    sent to its end; then it goes on with the buffered bytes, and the next request's events
//    appear in the CodecOutput of that send().
//  - Request targets: absolute-form fills scheme, host, port, authority and path;
//    origin-form only the path (the HttpStream falls back to the Host header);
//    CONNECT's authority-form host, port and authority (path empty); "*" for OPTIONS.
//  - Refused requests (RFC 9112 defences: ambiguous length, bad chunk, obs-fold, bad bytes,
//    a head above CodecLimits::maxHeadSize (64 KiB by default) -> 431, not HTTP at all) give
//    a RequestProtocolError for the open (or would-be) exchange, a complete error response
//    in out.toPeer (unless a response is already under way) and out.close.
//  - Responses: status line and fields verbatim; the body is framed as the response's own
//    headers say (chunked, Content-Length, or raw until close); no body for HEAD, 1xx, 204,
//    304. A 1xx other than 101 leaves the request open. 101, or 2xx to CONNECT, hands the
//    connection over: takeUnparsed() then returns what the client sent after the request.
//  - After the response's end the connection closes (out.close) when the request or the
//    response said Connection: close, the client speaks HTTP/1.0 without keep-alive, the
//    body was delimited by the close, or the response was sent before the request had ended.
//
//   Idle --head--> Request --end--> Waiting --response end--> Idle (next exchange)
//      \              |                 \--101 / CONNECT 2xx--> HandedOver
//       \-------------+--error / close--> Closed

#include "layers/http/http1_body_writer.h"
#include "layers/http/http1_parser.h"
#include "layers/http/http_codec.h"

namespace spyglass::layers::http {

class Http1ServerCodec final : public HttpCodec, private Http1Parser::Listener
{
public:
    explicit Http1ServerCodec(CodecLimits limits = {});
    ~Http1ServerCodec() override;

    void receiveData(const QByteArray& data, CodecOutput& out) override;
    void receiveClose(CodecOutput& out) override;
    void send(const HttpEvent& event, CodecOutput& out) override;

    bool isHandedOver() const override;
    QByteArray takeUnparsed() override;
    bool isIdle() const override;
    bool isClosing() const override;

private:
    enum class Phase
    {
        Http,
        HandedOver,
        Closed
    };
    enum class ResponseState
    {
        None,
        Body,
        Done
    };

    // Http1Parser::Listener
    bool onHead(Http1Parser::Head&& head) override;
    void onBody(QByteArrayView data) override;
    void onTrailers(Headers&& trailers) override;
    void onMessageEnd() override;

    void pump(CodecOutput& out);
    void closeConnection(CodecOutput& out);
    void protocolError(const QString& message, int status, CodecOutput& out);
    void sendHeaders(const ResponseHeaders& event, CodecOutput& out);
    void sendData(const ResponseData& event, CodecOutput& out);
    void sendTrailers(const ResponseTrailers& event, CodecOutput& out);
    void sendEnd(CodecOutput& out);
    void finishExchange(CodecOutput& out);
    bool acceptsResponseEvent(int streamId, const char* what, CodecOutput& out) const;

    CodecLimits m_limits;
    Http1Parser m_parser;
    QByteArray m_buffer; // received and not parsed yet (after handover: the other protocol's)
    CodecOutput* m_out = nullptr; // where parser callbacks put events, during pump()
    Phase m_phase = Phase::Http;
    bool m_peerClosed = false;

    // The open exchange.
    int m_streamId = 1;
    bool m_requestHeadSeen = false;
    bool m_requestEndStream = false;
    bool m_requestComplete = false;
    QByteArray m_method;
    bool m_http10 = false;
    bool m_closeAfterResponse = false;
    ResponseState m_response = ResponseState::None;
    Http1BodyWriter m_body;
    int m_handedOverStream = 0;
};

} // namespace spyglass::layers::http
