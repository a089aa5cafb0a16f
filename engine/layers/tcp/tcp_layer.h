#pragma once
// Relays raw bytes between the client and the server, both ways, with half-closes
// (mitmproxy `proxy/layers/tcp.py` TCPLayer). Two modes:
//   - Relay: bytes pass untouched and nothing is recorded. For ignore_hosts / allow_hosts
//     passthrough (mitmproxy's `TCPLayer(ignore=True)`) and a tunnel closed before a byte.
//   - Record: a flow of kind Tcp (flow/tcp_data.h) records every chunk relayed as a message,
//     in order, and is published live through the hooks: tcp_start when the layer starts,
//     tcp_message after each message, then tcp_end when both sides are closed, or tcp_error
//     (with flow->error) when the server cannot be reached. For what is neither TLS nor HTTP,
//     tcp_hosts, server-first protocols, and what follows a 101 that no other protocol
//     takes (NextLayer decides; mitmproxy records those as TCP flows too).
//
// tcp_message waits (mitmproxy's TcpMessageHook, and like websocket_message in
// websocket_layer.h): the message is appended to flow->tcp, the hook carries the layer's own
// flow, and the layer waits for HookCompleted before it forwards the message: its content as
// the hook left it (flow->tcp->messages[i], a hook may replace flow->tcp with a copy whose
// message has other content), or nothing when the hook marked it `dropped` (intercept's kill).
// Only this flow waits: the other connections of the proxy go on. While it waits, what
// either peer sends (and its end of stream) is queued in arrival order and handled once the
// answer comes; above MaxQueuedWhileHeld queued bytes both peers stop being read
// (PauseReading) until the queue has drained, so a held message never makes the proxy buffer
// a whole stream. When nobody wants tcp_message (Services::wants), nothing waits and nothing
// is copied: the bytes are recorded and relayed at once.
// The other hooks (tcp_start, tcp_end, tcp_error) carry a snapshot and are not waited for.
// The snapshot shares the messages copy-on-write, so publishing one is cheap.
//
// Injection (mitmproxy's inject.tcp): a MessageInjected event for this flow sends its bytes
// to the peer it names, as they are, after whatever is held or queued before it, and records
// them as a message with `injected` set (no hook runs for it).
//
// Closing: a side's end (ConnectionClosed) is passed on as a half-close to the other side;
// when both sides have ended, both connections are closed and the flow ends. closedByClient
// says which side ended first.

#include "flow/flow.h"
#include "proxy/layer.h"

#include <deque>
#include <optional>

namespace spyglass::layers {

class TcpLayer : public proxy::Layer
{
public:
    // Bytes queued while a message is held, above which both peers stop being read.
    static constexpr qint64 MaxQueuedWhileHeld = 256 * 1024;

    enum class Mode : quint8
    {
        Relay,
        Record,
    };

    explicit TcpLayer(proxy::Context context, Mode mode = Mode::Relay);

    proxy::Commands handleEvent(const proxy::Event& event) override;
    QString name() const override { return QStringLiteral("TcpLayer"); }

    // The recorded flow (Record mode), null in Relay mode.
    const HttpFlowPtr& flow() const { return m_flow; }
    // Waiting for a tcp_message hook's answer.
    bool isWaiting() const { return m_waitingFor != 0; }

private:
    // The message waiting for its tcp_message hook.
    struct Held
    {
        bool fromClient = false;
        qsizetype index = 0; // in flow->tcp->messages
        QByteArray content;  // as received
    };

    void handleNow(const proxy::Event& event, proxy::Commands& out);
    void onData(bool fromClient, const QByteArray& bytes, proxy::Commands& out);
    void afterMessageHook(proxy::Commands& out);
    void forward(bool fromClient, const QByteArray& bytes, proxy::Commands& out);
    void inject(const proxy::MessageInjected& event, proxy::Commands& out);
    void queue(const proxy::Event& event, proxy::Commands& out);
    void drainQueue(proxy::Commands& out);
    void setPaused(bool paused, proxy::Commands& out);
    void openServer(proxy::Commands& out);
    void maybeFinish(proxy::Commands& out);
    void noteEnd(bool byClient);
    void publish(proxy::HookKind kind, proxy::Commands& out);
    TcpData& data();

    HttpFlowPtr m_flow;              // Record mode only
    std::shared_ptr<TcpData> m_data; // the writable copy m_flow->tcp points to
    proxy::CommandId m_openId = 0;
    QByteArray m_toServer; // client bytes waiting for the server connection
    bool m_clientEof = false;
    bool m_serverEof = false;
    bool m_closed = false;
    proxy::CommandId m_waitingFor = 0; // the tcp_message hook the layer waits for, 0 = none
    std::optional<Held> m_held;
    std::deque<proxy::Event> m_queued; // events that arrived while a message was held
    qint64 m_queuedBytes = 0;
    bool m_paused = false; // PauseReading sent for both peers
};

} // namespace spyglass::layers
