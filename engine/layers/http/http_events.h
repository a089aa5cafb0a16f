#pragma once
// Version-neutral HTTP events (CONVENTIONS 4, mitmproxy `layers/http/_events.py`).
// The HTTP/1 and (later) HTTP/2 codecs turn bytes into these and these into bytes; one
// HttpStream per exchange holds the proxy logic, so translating HTTP/1 <-> HTTP/2 is not a
// feature but a consequence. `streamId` identifies the exchange on its connection: HTTP/1
// codecs number requests 1, 3, 5, ... like HTTP/2 client streams.

#include "flow/http_message.h"

#include <memory>
#include <variant>

namespace spyglass {
struct HttpFlow;
}

namespace spyglass::layers::http {

// The head of a request: method, target and headers. `request.body` is empty here.
struct RequestHeaders
{
    int streamId = 0;
    Request request;
    bool endStream = false; // no body follows (no RequestData, RequestEndOfMessage implied)
    // RFC 8441 extended CONNECT (HTTP/2 only): the `:protocol` ("websocket"). `request` then
    // reads as the HTTP/1.1 request it stands for (method GET, see Http2ServerCodec), and the
    // stream stays open after the answer: RequestData / ResponseData are the protocol's bytes.
    QByteArray protocol = {};
    // Client replay (mitmproxy's `replay_flow`, ReplayClientCodec): the stream records into
    // this flow, prepared by the replay, instead of a new one.
    std::shared_ptr<HttpFlow> replayFlow = {};
};

struct RequestData
{
    int streamId = 0;
    QByteArray data; // de-framed body bytes (chunked encoding already removed)
};

struct RequestTrailers
{
    int streamId = 0;
    Headers trailers;
};

struct RequestEndOfMessage
{
    int streamId = 0;
};

// The peer's request could not be read (malformed head, bad chunk size, smuggling attempt,
// oversized head) or it vanished mid-message. `statusCode` is what the client should be told
// (400, 413, 414, 431, ...) when it can still be told anything; 0 when the peer is gone.
struct RequestProtocolError
{
    int streamId = 0;
    QString message;
    int statusCode = 400;
};

struct ResponseHeaders
{
    int streamId = 0;
    Response response;
    bool endStream = false;
};

struct ResponseData
{
    int streamId = 0;
    QByteArray data;
};

struct ResponseTrailers
{
    int streamId = 0;
    Headers trailers;
};

struct ResponseEndOfMessage
{
    int streamId = 0;
};

struct ResponseProtocolError
{
    int streamId = 0;
    QString message;
};

using HttpEvent = std::variant<RequestHeaders, RequestData, RequestTrailers, RequestEndOfMessage,
                               RequestProtocolError, ResponseHeaders, ResponseData,
                               ResponseTrailers, ResponseEndOfMessage, ResponseProtocolError>;

int streamIdOf(const HttpEvent& event);

} // namespace spyglass::layers::http
