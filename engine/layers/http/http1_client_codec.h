#pragma once
// Http1ClientCodec: the upstream-facing HTTP/1 codec. It writes the requests it is given
// and parses the server's responses (through Http1Parser) into ResponseHeaders /
// ResponseData / ResponseTrailers / ResponseEndOfMessage for the same streamId.
// Counterpart: mitmproxy `layers/http/_http1.py` Http1Client; its client-facing twin is
// Http1ServerCodec.
//
// Rules
//  - Requests: `METHOD path HTTP/1.x` (`CONNECT authority HTTP/1.1`), fields verbatim, body
//    framed as the request's own headers say (chunked, Content-Length, or none). An HTTP/2
//    request is written as HTTP/1.1 with a Host field and, when it has a body of unknown
//    length, chunked.
//  - One request is written at a time; requests may be pipelined (their heads sent before
//    earlier responses arrive): responses are matched to them in order, each knowing its
//    request's method (HEAD: no body; CONNECT 2xx: handed over).
//  - Responses are streamed as they arrive. 1xx other than 101 are dropped (noted in
//    out.debug). 101, or 2xx to CONNECT, hands the connection over: takeUnparsed() returns
//    what the server sent after that head. A body delimited by the close ends at
//    receiveClose(); a response cut short there, or malformed, is a ResponseProtocolError
//    (llhttp's reason in words) and out.close.
//  - The connection is closing (isClosing) after Connection: close in either direction, an
//    HTTP/1.0 response without keep-alive, a body read until close, a response that arrived
//    before its request was fully sent, or an error; once nothing is outstanding on a
//    closing connection, out.close is set.

#include "layers/http/http1_body_writer.h"
#include "layers/http/http1_parser.h"
#include "layers/http/http_codec.h"

#include <deque>

namespace spyglass::layers::http {

class Http1ClientCodec final : public HttpCodec, private Http1Parser::Listener
{
public:
    explicit Http1ClientCodec(CodecLimits limits = {});
    ~Http1ClientCodec() override;

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

    // A request whose response has not ended yet, oldest first.
    struct Outstanding
    {
        int streamId = 0;
        QByteArray method;
        bool requestDone = false; // its body has been written to the end
    };

    // Http1Parser::Listener
    bool onHead(Http1Parser::Head&& head) override;
    void onBody(QByteArrayView data) override;
    void onTrailers(Headers&& trailers) override;
    void onMessageEnd() override;

    void pump(CodecOutput& out);
    void closeConnection(CodecOutput& out);
    void failAll(const QString& firstMessage, CodecOutput& out);
    void closeIfDone(CodecOutput& out);
    void sendHeaders(const RequestHeaders& event, CodecOutput& out);
    void sendData(const RequestData& event, CodecOutput& out);
    void sendTrailers(const RequestTrailers& event, CodecOutput& out);
    void sendEnd(int streamId, CodecOutput& out);
    void markRequestDone(int streamId);

    CodecLimits m_limits;
    Http1Parser m_parser;
    QByteArray m_buffer; // received and not parsed yet (after handover: the other protocol's)
    CodecOutput* m_out = nullptr; // where parser callbacks put events, during pump()
    Phase m_phase = Phase::Http;
    bool m_closing = false;

    std::deque<Outstanding> m_outstanding;
    int m_sendingStream = 0; // the request whose body is being written, 0 when none
    Http1BodyWriter m_requestBody;

    // The response being parsed (for m_outstanding.front()).
    bool m_informational = false;
    bool m_responseEndStream = false;
    bool m_handOver = false;
};

} // namespace spyglass::layers::http
