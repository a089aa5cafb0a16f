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
// Hooks carry a snapshot of the flow and the layer does not wait for them: the message is
// relayed as received (mitmproxy lets a tcp_message hook rewrite it; Spyglass does not yet).
// The snapshot shares the messages copy-on-write, so publishing one per message is cheap.
//
// Closing: a side's end (ConnectionClosed) is passed on as a half-close to the other side;
// when both sides have ended, both connections are closed and the flow ends. closedByClient
// says which side ended first.

#include "flow/flow.h"
#include "proxy/layer.h"

namespace spyglass::layers {

class TcpLayer : public proxy::Layer
{
public:
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

private:
    void openServer(proxy::Commands& out);
    void maybeFinish(proxy::Commands& out);
    void record(bool fromClient, const QByteArray& data, proxy::Commands& out);
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
};

} // namespace spyglass::layers
