#pragma once
// Transparent mode (mitmproxy `layers/modes.py` TransparentProxy + DestinationKnown): the
// client did not choose us; the firewall redirected its connection here (iptables REDIRECT,
// docs/transparent.md). The I/O shell reads the original destination from the socket
// (SO_ORIGINAL_DST, server/socket_stream.h) and presets it as context.server->peer, or leaves
// the peer empty with a sentence for the user in context.server->error (no destination, or
// the client is Spyglass's own upstream connection redirected back). From then on it is a
// tunnel whose target is known, exactly like one after CONNECT in regular mode, and NextLayer
// decides what it carries (TLS with the client's SNI, else the destination IP, for the
// certificate; HTTP/1 in origin-form; HTTP/2; raw TCP; server-first protocols).
//
// Rules
// - No original destination (or one the shell refused), or one equal to the address the
//   client reached us on (a direct connection to the transparent port: serving it would
//   connect to ourselves, forever), is an error: a Log line at Error level naming the reason,
//   client->error set, the client closed. Nothing is ever opened for it.
// - connection_strategy=eager (the default) opens the server before anything else, so a
//   server that speaks first (SMTP) is heard; a failed connect is logged and closes the
//   client. lazy hands over at once and lets the chosen layer open it when needed.
// - Events that arrive while the connect is under way are kept and replayed in order.
//
//   Start --(no destination / loop)--> Done (client closed)
//     |--(lazy)--> Running(NextLayer)
//     '--(eager)--> Connecting --(failed)--> Done (client closed)
//                       '--(ok)--> Running(NextLayer)

#include "proxy/layer.h"

#include <memory>
#include <vector>

namespace spyglass::layers {

class TransparentLayer : public proxy::Layer
{
public:
    // `context.server` is the connection to the original destination (null or without a
    // valid peer when the shell found none).
    explicit TransparentLayer(proxy::Context context);
    ~TransparentLayer() override;

    proxy::Commands handleEvent(const proxy::Event& event) override;
    QString name() const override { return QStringLiteral("TransparentLayer"); }
    const proxy::Layer* child() const { return m_child.get(); }

    // Why a connection with this context cannot be served (no original destination, or one
    // that points back at the proxy itself), for the user; empty when it can.
    static QString destinationProblem(const proxy::Context& context);

private:
    enum class State : quint8
    {
        Start,
        Connecting,
        Running,
        Done
    };

    proxy::Commands start();
    proxy::Commands connecting(const proxy::Event& event);
    proxy::Commands handOver();
    proxy::Commands refuse(proxy::LogLevel level, const QString& reason);

    State m_state = State::Start;
    proxy::CommandId m_openId = 0;
    std::unique_ptr<proxy::Layer> m_child;
    std::vector<proxy::Event> m_pending; // events seen while connecting, in order
};

} // namespace spyglass::layers
