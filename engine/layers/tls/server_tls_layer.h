#pragma once
// TLS towards the server: Spyglass is the TLS client (mitmproxy `layers/tls.py` ServerTLSLayer).
//
// It sits above its child and watches the child's commands for an OpenConnection of
// `context.server` with `server->tls` set. That command goes up unchanged (same id); when its
// OpenConnectionCompleted comes back successful, this layer runs the handshake (SNI, the ALPN
// offer in `server->alpnOffers`, certificate verification against the system store unless
// `ssl_insecure`, hostname check against the SNI or the IP) and only then hands the child the
// OpenConnectionCompleted, with the server's TLS facts filled in, or with a readable error
// after closing the connection. If the server is already TCP-connected when the child asks
// (the eager connection strategy connected it before the ClientHello was read), the handshake
// starts at once and the OpenConnection is answered here.
//
//            child OpenConnection(server, tls)
//   Idle ------------------------------------> Connecting --OpenConnectionCompleted ok--+
//    ^  \__ already connected (eager) _____________________________________________   |
//    |                                                                             v   v
//    +---- CloseConnection / failure / full close <---- Established <--done--- Handshaking
//
// Afterwards SendData(server) from the child is encrypted and DataReceived(server) decrypted;
// close_notify from the server reaches the child as ConnectionClosed(server). Every other
// connection's events and commands pass through untouched, and replies to commands this layer
// did not originate go to the child. A later OpenConnection for the same server (keep-alive
// reuse ended) runs a new handshake.

#include "proxy/layer.h"

#include <QSet>
#include <memory>

namespace spyglass {
class TlsContexts;
class TlsSession;
} // namespace spyglass

namespace spyglass::layers::tls {

class ServerTlsLayer : public proxy::Layer
{
public:
    ServerTlsLayer(proxy::Context context, std::unique_ptr<proxy::Layer> child);
    ~ServerTlsLayer() override;

    proxy::Commands handleEvent(const proxy::Event& event) override;
    QString name() const override { return QStringLiteral("ServerTlsLayer"); }
    proxy::Layer* child() const { return m_child.get(); }
    // Commands the child issued outside handleEvent() (a layer that hosts this one for an
    // extra upstream connection pushes its SendData/OpenConnection/CloseConnection here).
    proxy::Commands fromChildCommands(proxy::Commands commands)
    {
        return fromChild(std::move(commands));
    }
    // Puts another layer below this one, keeping the TLS session (a hosted connection that a
    // 101 turns into a tunnel: the tunnel's layer goes where the host's inbox was).
    void replaceChild(std::unique_ptr<proxy::Layer> child);

private:
    enum class State : quint8
    {
        Idle,
        Connecting,
        Handshaking,
        Established
    };

    proxy::Commands toChild(const proxy::Event& event);
    proxy::Commands fromChild(proxy::Commands commands);
    proxy::Commands onOpenCompleted(const proxy::OpenConnectionCompleted& event);
    proxy::Commands onServerData(const QByteArray& data);
    proxy::Commands onServerClosed(const proxy::ConnectionClosed& event);
    proxy::Commands startHandshake();
    proxy::Commands advanceHandshake();
    proxy::Commands handshakeFailed(const QString& reason, bool peerGone);
    proxy::Commands deliverPlaintext();
    void flush(proxy::Commands& out);
    void reset();
    bool isTlsServer(const ConnectionPtr& connection) const;

    std::unique_ptr<proxy::Layer> m_child;
    std::shared_ptr<const TlsContexts> m_contexts;
    std::unique_ptr<TlsSession> m_session;
    State m_state = State::Idle;
    proxy::CommandId m_openId = 0;  // the child's OpenConnection this layer answers
    proxy::CommandId m_timerId = 0; // the handshake timeout in force
    QSet<proxy::CommandId> m_ownIds;
    QByteArray m_pendingPlain; // the child's data sent before the handshake ended
    bool m_pendingHalfClose = false;
    bool m_closeNotifySeen = false;
    bool m_closedByUs = false; // a full CloseConnection(server) went out since the last open
};

} // namespace spyglass::layers::tls
