#pragma once
// A codec frames one connection: bytes from the peer become HttpEvents, HttpEvents for the
// peer become bytes. Codecs are pure (no sockets, no clock) and know nothing of flows, hooks
// or options beyond the limits they are built with. The HttpLayer owns them: one for the
// client connection (the "server" side of HTTP: parses requests, writes responses) and one
// per upstream connection (the "client" side: writes requests, parses responses).
//
// Counterparts: mitmproxy `layers/http/_http1.py` (Http1Server / Http1Client) and, for the
// HTTP/2 issue, `_http2.py`.

#include "layers/http/http_events.h"

#include <QByteArray>
#include <QStringList>
#include <vector>

namespace spyglass::layers::http {

struct CodecOutput
{
    std::vector<HttpEvent> events; // what the peer said, in order
    QByteArray toPeer;             // bytes to write to the peer
    // After writing toPeer: close the connection (both directions) ...
    bool close = false;
    // ... or shut down only our sending side (HTTP/1 response read until close).
    bool halfClose = false;
    QStringList debug; // notes for the log, e.g. "dropped 103 Early Hints"
    // Streams whose pendingOutput() fell to zero during this call (their body went out or
    // the stream ended): the layer may now acknowledge() what it held back on the other side.
    std::vector<int> drained;
};

struct CodecLimits
{
    qint64 maxHeadSize = 64 * 1024; // request line / status line + all header fields
    // RFC 8441: the client-facing HTTP/2 codec advertises SETTINGS_ENABLE_CONNECT_PROTOCOL and
    // accepts extended CONNECT (`:protocol`). HttpLayer sets it when the websocket option is on.
    bool extendedConnect = false;
};

class HttpCodec
{
public:
    virtual ~HttpCodec() = default;

    // The layer starts (proxy::Start). A client-side codec whose peer speaks without being
    // asked (client replay: ReplayClientCodec) says here what the peer sent; others say nothing.
    virtual void start(CodecOutput& /*out*/) {}
    // Bytes from the peer.
    virtual void receiveData(const QByteArray& data, CodecOutput& out) = 0;
    // The peer closed its sending side (EOF). Completes a read-until-close body or reports a
    // truncated message as a protocol error.
    virtual void receiveClose(CodecOutput& out) = 0;
    // An event for the peer (a request for an upstream codec, a response for a client codec).
    virtual void send(const HttpEvent& event, CodecOutput& out) = 0;

    // True once the connection has been handed over to another protocol (CONNECT answered
    // with 2xx, or 101 Switching Protocols): the codec produces and accepts nothing more, and
    // takeUnparsed() returns bytes the peer already sent after the HTTP message.
    virtual bool isHandedOver() const = 0;
    virtual QByteArray takeUnparsed() = 0;

    // True when no message is in progress in either direction (the connection may be reused
    // or closed without losing anything).
    virtual bool isIdle() const = 0;
    // True when the connection must not be reused (Connection: close seen, HTTP/1.0 without
    // keep-alive, a read-until-close body, a protocol error).
    virtual bool isClosing() const = 0;

    // Multiplexing and flow control (HTTP/2). The defaults are what HTTP/1 means by them:
    // one exchange at a time, TCP's own back-pressure, and the connection as the only unit
    // that can be cut.

    // True when requests on this connection run side by side (HTTP/2).
    virtual bool isMultiplexed() const { return false; }
    // True when a new request may be sent now (HTTP/2: the server's
    // SETTINGS_MAX_CONCURRENT_STREAMS leaves room and no GOAWAY has been seen).
    virtual bool canOpenStream() const { return isIdle() && !isClosing(); }
    // The layer has passed on `bytes` of this stream's received body: HTTP/2 reopens the
    // peer's flow-control window by that much. Until then the peer's window shrinks, which
    // is the back-pressure. Every received body byte must be acknowledged or its stream
    // aborted, or the connection's window runs dry.
    virtual void acknowledge(int /*streamId*/, qint64 /*bytes*/, CodecOutput& /*out*/) {}
    // Body bytes of this stream given to send() and still waiting for the peer's window.
    virtual qint64 pendingOutput(int /*streamId*/) const { return 0; }
    // Cancels one exchange (HTTP/2: RST_STREAM CANCEL for that stream only, no event for it).
    virtual void abortStream(int /*streamId*/, CodecOutput& out) { out.close = true; }
    // True when the peer (an HTTP/2 server) said it takes RFC 8441 extended CONNECT
    // (SETTINGS_ENABLE_CONNECT_PROTOCOL = 1), so a RequestHeaders with a `protocol` may be sent.
    virtual bool supportsExtendedConnect() const { return false; }
    // False while what the peer supports is not known yet (HTTP/2: its SETTINGS, the first
    // frame it must send, has not arrived).
    virtual bool peerSettingsKnown() const { return true; }
    // A liveness probe (HTTP/2: PING; answers to the peer's PINGs are automatic).
    virtual void sendPing(CodecOutput& /*out*/) {}
    // Ends the connection gracefully (HTTP/2: GOAWAY NO_ERROR; open streams finish, then
    // out.close; isClosing() is true from now on).
    virtual void shutdown(CodecOutput& out) { out.close = true; }
};

} // namespace spyglass::layers::http
