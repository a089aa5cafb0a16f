#pragma once
// Upstream proxy mode (mitmproxy `layers/modes.py` with `http/_upstream_proxy.py`
// HttpUpstreamProxy): the root layer of a client connection on an upstream:URL listener. Its
// child is the stack of a regular proxy port (NextLayer, HttpLayer, TLS, ...); this layer sits
// above it and turns every server connection the child opens into one through the parent:
//
//   child OpenConnection(server)
//     server speaks to the parent itself (peer == via == the parent: HttpLayer's pool for
//     plain HTTP requests in absolute-form, upstream http/https) -> passed through untouched
//     anything else -> server.via = the parent; the shell connects there; then a tunnel
//     handshake runs on it (HTTP parent: CONNECT host:port; SOCKS5 parent: RFC 1928 with
//     upstream_auth as RFC 1929 user/pass) and only then does the child get its
//     OpenConnectionCompleted: so TLS interception, WebSocket and raw TCP run through the
//     tunnel exactly as they run on a direct connection.
//
//   Opening --ok--> Handshaking --2xx / SOCKS success--> (gone: the child owns the tunnel)
//      \--error--> child gets the error     \--refusal, close, timeout--> closed, child gets
//                                                                          the error
//
// Failures (parent unreachable, a 407, a SOCKS failure code, no answer within
// handshake_timeout) reach the child as a failed OpenConnectionCompleted with a readable
// message, which HttpLayer turns into a 502. Events on other connections and replies to
// commands this layer did not issue go to the child; the child's commands go up unchanged.
//
// upstream:https speaks TLS to the parent. HttpLayer runs it for its absolute-form pool; for a
// tunnel this layer runs it (mitmproxy stacks ServerTLSLayer(http_proxy) under the CONNECT
// layer the same way): the shell then opens a connection of this layer's own to the parent,
// with a ServerTlsLayer hosted here, and the child's server connection rides inside that TLS
// session: its SendData, CloseConnection and PauseReading are mapped onto the parent
// connection, and the parent connection's decrypted data and close come back as the child
// connection's. The child's own TLS to the real server is then TLS inside TLS.

#include "layers/tunnel/upstream_handshake.h"
#include "proxy/layer.h"

#include <map>
#include <memory>
#include <set>
#include <vector>

namespace spyglass::layers {

class ParentInbox;

class UpstreamProxyLayer : public proxy::Layer
{
public:
    // `context.mode` must be an upstream mode; `child` is what a regular proxy port runs.
    UpstreamProxyLayer(proxy::Context context, std::unique_ptr<proxy::Layer> child);
    ~UpstreamProxyLayer() override;

    proxy::Commands handleEvent(const proxy::Event& event) override;
    QString name() const override { return QStringLiteral("UpstreamProxyLayer"); }
    const proxy::Layer* child() const { return m_child.get(); }

    // True when `server` is a connection to the parent on which its opener speaks proxy HTTP
    // itself (absolute-form requests): no tunnel handshake for it.
    static bool speaksToParent(const Connection& server);

private:
    struct Tunnel
    {
        ConnectionPtr conn; // the child's server connection
        proxy::CommandId openId = 0;
        proxy::CommandId timerId = 0;
        std::unique_ptr<tunnel::UpstreamHandshake> handshake;
        // upstream:https only: the TCP+TLS connection to the parent that carries `conn`, the
        // TLS layer for it, and the layer below that which collects what TLS hands down.
        ConnectionPtr parentConn;
        std::unique_ptr<proxy::Layer> tls;
        ParentInbox* inbox = nullptr;
        bool established = false; // the handshake is done; only the mapping remains
    };

    std::unique_ptr<tunnel::UpstreamHandshake> handshakeFor(const Connection& server) const;
    void startTlsTunnel(Tunnel& t, proxy::OpenConnection open, proxy::Commands& out);
    // Feeds an event for the parent connection to the tunnel's TLS layer, then handles what
    // it handed down.
    void feedTls(Tunnel& t, const proxy::Event& event, proxy::Commands& out);
    // Commands for the parent connection, through the tunnel's TLS layer when it has one.
    void toParent(Tunnel& t, proxy::Command command, proxy::Commands& out);
    void collectTls(Tunnel& t, proxy::Commands commands, proxy::Commands& out);
    void drainInbox(Tunnel& t, proxy::Commands& out);
    // The tunnel (with TLS) an event from the shell belongs to, if any.
    Tunnel* tlsTunnelOf(const proxy::Event& event);
    void fromChild(proxy::Commands commands, proxy::Commands& out);
    void toChild(const proxy::Event& event, proxy::Commands& out);
    void onOpened(Tunnel& t, const proxy::OpenConnectionCompleted& event, proxy::Commands& out);
    void onStep(Tunnel& t, tunnel::HandshakeStep step, proxy::Commands& out);
    // Closes the connection and answers the child's OpenConnection with `message`.
    void fail(Tunnel& t, const QString& message, proxy::Commands& out);
    Tunnel* byConnection(const ConnectionPtr& conn);
    void remove(const Tunnel& t);

    std::unique_ptr<proxy::Layer> m_child;
    std::vector<std::unique_ptr<Tunnel>> m_tunnels;
    std::set<proxy::CommandId> m_timers; // our handshake timers, also those no longer needed
    std::map<proxy::CommandId, ConnectionPtr> m_tlsTimers; // hosted TLS layers' timers
    const Address m_parent;
};

} // namespace spyglass::layers
