#pragma once
// Relays a WebSocket connection (RFC 6455) after a 101 answer and records every message into
// the handshake's HttpFlow (mitmproxy `proxy/layers/websocket.py` WebsocketLayer). HttpLayer
// hands both connections over to it when takesOver() says so; bytes either peer sent right
// after the handshake arrive as the first DataReceived events.
//
//   Start --[websocket_start]--> Open --(Close from one peer)--> Closing --(Close back)--> Done
//                                  \----(protocol error, connection lost)------------------/
//
// Rules
//  - Each complete message is appended to flow->websocket, decompressed, then the
//    websocket_message hook runs; the layer waits for it (later bytes wait in the readers),
//    then forwards the message: its original frames when the hook left it alone, new frames
//    when the hook changed its content or type, nothing when the hook marked it `dropped`.
//  - Ping and Pong are forwarded as they arrive (also between the fragments of a message).
//  - Close: the first Close (either peer) is recorded (code, reason, by whom, when) and
//    forwarded; the other peer's answering Close is forwarded back, and then both
//    connections are closed and websocket_end runs. A peer that ends its connection without
//    a Close records 1006, and the other peer gets a Close 1001 from the proxy.
//  - A protocol error (frame_parser / message_reader rules: 1002, 1007, 1009) records the
//    error's code and text, sends a Close with them to both peers and ends the connection.
//  - Message size limit: body_size_limit when set, else DefaultMaxMessageSize.
//
// permessage-deflate: the extension the server accepted in the 101 passes through untouched;
// the layer inflates each compressed message with its own inflater per direction. Original
// frames stay valid as long as the receiver saw everything the sender compressed. When a hook
// changes or drops a compressed message of a direction with context takeover, the receiver's
// window no longer matches the sender's, whose later messages may refer back into what the
// receiver never got: from then on every compressed message of that direction is deflated
// again by the proxy's own deflater (its history is a suffix of the receiver's window, so its
// back-references are valid). That deflater starts primed with the last window of what the
// receiver decompressed before (setDictionary, kept as shared QByteArrays, no copy), so the
// re-compressed messages still compress as well as the sender's did. Without context takeover
// a changed message is simply compressed on its own. A direction limited to an 8-bit window
// (zlib cannot write one) gets such messages uncompressed, which permessage-deflate allows.
//
// Injection (mitmproxy's inject.websocket): a MessageInjected event naming this flow sends a
// message of the proxy's own to one peer, between two whole messages of the other: text or
// binary, cut into frames like a re-encoded message, masked towards the server, and
// compressed when permessage-deflate is on (the receiver's window then holds what its
// sender never wrote, so that sender's later compressed messages are re-compressed by the
// proxy, as after a changed message). It is recorded with `injected` set; no hook runs for it.
// While the layer waits for a hook (or for websocket_start), injections wait in order behind
// it; once a Close went to that peer, or the WebSocket is over, they are dropped (logged).
//
// Frames the proxy writes towards the server are masked with a key from Services::random (or
// a PRNG seeded from the flow id when unset); frames towards the client never are.
//
// Publishing: the flow's `websocket` data is copy-on-write (flow/websocket_data.h); the layer
// holds the only writable reference and makes a copy before changing data that a published
// snapshot shares, so the hooks can publish `*flow` as it is at every message.

#include "flow/flow.h"
#include "layers/websocket/permessage_deflate_params.h"
#include "proxy/layer.h"

#include <deque>
#include <memory>
#include <random>

namespace spyglass {
struct Options;
}

namespace spyglass::layers {

namespace websocket {
class WebSocketMessageReader;
class WebSocketDeflater;
} // namespace websocket

class WebSocketLayer : public proxy::Layer
{
public:
    static constexpr qint64 DefaultMaxMessageSize = 64LL * 1024 * 1024;

    // `context.server` is the connected server; `flow` is the handshake (its response a 101).
    WebSocketLayer(proxy::Context context, HttpFlowPtr flow);
    ~WebSocketLayer() override;

    proxy::Commands handleEvent(const proxy::Event& event) override;
    QString name() const override { return QStringLiteral("WebSocketLayer"); }

    const HttpFlowPtr& flow() const { return m_flow; }
    // Waiting for a hook's answer: what the peers send meanwhile only piles up (a host that
    // can hold its peers back, HttpLayer for an HTTP/2 stream, does so).
    bool isWaiting() const { return m_waitingFor != 0; }
    // The WebSocket is over (both Closes, an error or a lost connection).
    bool isDone() const { return m_state == State::Done; }

    // Whether the finished exchange `flow` continues as a WebSocket connection for this
    // layer: a 101 answer to a request with `Upgrade: websocket`, and the websocket option on.
    static bool takesOver(const HttpFlow& flow, const Options& options);

private:
    enum class State : quint8
    {
        Starting, // websocket_start pending
        Open,
        Done
    };

    struct Peer
    {
        ConnectionPtr conn;
        bool isClient = false;
        std::unique_ptr<websocket::WebSocketMessageReader> reader;
        bool eof = false; // ConnectionClosed seen (handled once its bytes are read)
        bool eofHandled = false;
        bool closeReceived = false; // it sent a Close
        bool closeSent = false;     // a Close went to it
        // Messages *from* this peer to the other one, when compressed (see the header):
        bool diverged = false; // the receiver's window no longer matches this peer's
        std::unique_ptr<websocket::WebSocketDeflater> deflater;
        std::deque<QByteArray> history; // what the receiver decompressed last, oldest first
        qsizetype historySize = 0;
    };

    // The message waiting for its websocket_message hook.
    struct Pending
    {
        Peer* from = nullptr;
        qsizetype index = 0; // in flow->websocket->messages
        bool isText = false;
        bool compressed = false;
        QByteArray content;
        QByteArray raw;
        qsizetype largestFramePayload = 0;
    };

    void start();
    void pump();
    bool readOne(Peer& peer); // false: nothing complete to read
    void onMessage(Peer& from, Pending pending);
    void inject(const proxy::MessageInjected& injected);
    void afterMessageHook();
    void reencode(const Pending& pending, const QByteArray& content, bool isText);
    void onControl(Peer& from, const QByteArray& raw, bool isPing);
    void onClose(Peer& from, std::optional<quint16> code, const QString& reason,
                 const QByteArray& raw);
    void onEof(Peer& peer);
    void onProtocolError(Peer& from, quint16 code, const QString& message);
    void finish();

    QByteArray compressFor(Peer& from, const QByteArray& content, bool& rsv1);
    void diverge(Peer& from);
    void remember(Peer& from, const QByteArray& content);
    void sendClose(Peer& to, quint16 code, const QString& reason);
    void send(Peer& to, const QByteArray& data);
    std::optional<quint32> maskFor(const Peer& to);
    quint32 random();
    void recordClose(const Peer& by, std::optional<int> code, const QString& reason);
    WebSocketData& data();
    void runHook(proxy::HookKind kind, bool wait);
    void log(proxy::LogLevel level, const QString& message);
    Peer& other(const Peer& p) { return &p == &m_client ? m_server : m_client; }
    Peer* peerFor(const ConnectionPtr& conn);
    QString who(const Peer& p) const;

    HttpFlowPtr m_flow;
    std::shared_ptr<WebSocketData> m_data; // the writable copy flow->websocket points to
    std::optional<websocket::PerMessageDeflateParams> m_deflate;
    qint64 m_maxMessageSize = DefaultMaxMessageSize;
    Peer m_client;
    Peer m_server;
    State m_state = State::Starting;
    proxy::CommandId m_waitingFor = 0; // the hook the layer waits for, 0 = none
    std::optional<Pending> m_pending;
    std::deque<proxy::MessageInjected> m_injections; // waiting while a hook is answered
    std::mt19937 m_rng;
    proxy::Commands m_out;
};

} // namespace spyglass::layers
