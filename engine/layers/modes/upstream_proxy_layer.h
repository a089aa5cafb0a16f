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
// TLS to the parent (upstream:https) is used for the absolute-form pool only, where HttpLayer
// runs it; tunnels to an https parent are refused with a message (see handshakeFor()).

#include "layers/tunnel/upstream_handshake.h"
#include "proxy/layer.h"

#include <memory>
#include <set>
#include <vector>

namespace spyglass::layers {

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
        ConnectionPtr conn;
        proxy::CommandId openId = 0;
        proxy::CommandId timerId = 0;
        std::unique_ptr<tunnel::UpstreamHandshake> handshake;
    };

    std::unique_ptr<tunnel::UpstreamHandshake> handshakeFor(const Connection& server) const;
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
    const Address m_parent;
};

} // namespace spyglass::layers
