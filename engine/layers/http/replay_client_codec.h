#pragma once
// The client side of a client replay (mitmproxy `addons/clientplayback.py` MockServer): a
// virtual client that sends one recorded request when the HttpLayer starts, and hangs up
// once its answer has been given. Nothing is read from or written to a real peer: the
// request goes out as HttpEvents carrying the replay's flow (RequestHeaders::replayFlow),
// so the stream records into that flow, and what the layer answers is only watched for
// its end.
//
// Rules
// - start(): RequestHeaders (stream 1, body left out), then RequestData with the recorded
//   body, RequestTrailers when there are any, and RequestEndOfMessage.
// - The answer (ResponseHeaders without endStream, then ResponseEndOfMessage, or an error
//   page from the layer) ends with `close`: one exchange per replay. 1xx answers are
//   interim and ignored.
// - Bytes "from the peer" never arrive (there is none); any given are ignored.

#include "layers/http/http_codec.h"

#include <memory>

namespace spyglass {
struct HttpFlow;
}

namespace spyglass::layers::http {

class ReplayClientCodec : public HttpCodec
{
public:
    // `flow` holds the request to send; the stream records into it.
    explicit ReplayClientCodec(std::shared_ptr<HttpFlow> flow);

    void start(CodecOutput& out) override;
    void receiveData(const QByteArray& data, CodecOutput& out) override;
    void receiveClose(CodecOutput& out) override;
    void send(const HttpEvent& event, CodecOutput& out) override;

    bool isHandedOver() const override { return false; }
    QByteArray takeUnparsed() override { return {}; }
    bool isIdle() const override { return !m_started || m_answered; }
    bool isClosing() const override { return true; }

    // The layer has given the whole answer (or an error page).
    bool answered() const { return m_answered; }

private:
    std::shared_ptr<HttpFlow> m_flow;
    bool m_started = false;
    bool m_answered = false;
};

} // namespace spyglass::layers::http
