#pragma once
// TLS towards the client: Spyglass is the TLS server with a minted certificate (mitmproxy
// `layers/tls.py` ClientTLSLayer). Built by the NextLayer when a client's first bytes are a
// ClientHello: inside a tunnel as `ServerTlsLayer(ClientTlsLayer(inner))`; on the proxy port
// itself (a "secure web proxy" client, context.server == null) as `ClientTlsLayer(NextLayer)`,
// with no server to ask first, a leaf for the SNI or else the address the client connected
// to (client->sockname), and ALPN "http/1.1" or nothing (proxyConnectionAlpnAnswer).
//
//   Start
//     v
//   ReadingClientHello --garbage / EOF / timeout---------------------------> Failed
//     v  (parseClientHello: SNI + ALPN into client->sni / alpnOffers)           ^
//   WaitingForHook (Hook tls_clienthello) --ignoreConnection--> Passthrough     |
//     v  establishServerTlsFirst and a ServerTlsLayer above                     |
//   WaitingForServer (OpenConnection(server) with SNI and ALPN offers)          |
//     v  success or error: either way the client gets its handshake             |
//   Handshaking (leaf minted for SNI or server IP [+ upstream cert names]) -----+
//     v                                                         client alert / EOF / timeout
//   Established: Start{} to the child, then plaintext both ways
//
// Rules:
// - The upstream is asked first so the client's answer carries the server's ALPN choice and
//   certificate names; an upstream failure still completes the client handshake, so the HTTP
//   layer can give the client a readable 502 instead of a TLS error (mitmproxy does the same).
// - The child starts only after the handshake; events for other connections that arrive
//   earlier are queued and replayed after Start.
// - Replies to this layer's own commands (the ClientHello hook, the server open, timers,
//   failure hooks) stop here; every other reply goes to the child.
// - The child's SendData(client) is encrypted; its CloseConnection(client) sends close_notify
//   first. close_notify from the client reaches the child as ConnectionClosed(client).
// - A failed client handshake: Log with the reason, Hook tls_failed_client, CloseConnection.

#include "proxy/layer.h"
#include "tls/client_hello.h"

#include <QSet>
#include <deque>
#include <memory>

namespace spyglass {
class CertStore;
class TlsContexts;
class TlsSession;
} // namespace spyglass

namespace spyglass::layers::tls {

class ClientTlsLayer : public proxy::Layer
{
public:
    ClientTlsLayer(proxy::Context context, std::unique_ptr<proxy::Layer> child);
    ~ClientTlsLayer() override;

    proxy::Commands handleEvent(const proxy::Event& event) override;
    QString name() const override { return QStringLiteral("ClientTlsLayer"); }
    proxy::Layer* child() const { return m_child.get(); }

    // Set by a ServerTlsLayer parent: only then can the server's TLS be established first.
    void setServerTlsAvailable(bool available) { m_serverTlsAvailable = available; }

private:
    enum class State : quint8
    {
        Created,
        ReadingClientHello,
        WaitingForHook,
        WaitingForServer,
        Handshaking,
        Established,
        Passthrough,
        Failed,
    };

    proxy::Commands toChild(const proxy::Event& event);
    proxy::Commands fromChild(proxy::Commands commands);
    proxy::Commands onOwnReply(const proxy::Event& event, proxy::CommandId id);
    proxy::Commands onClientData(const QByteArray& data);
    proxy::Commands onClientClosed(const proxy::ConnectionClosed& event);
    proxy::Commands onOtherEvent(const proxy::Event& event);
    proxy::Commands parseHello();
    proxy::Commands onHelloHookDone(const proxy::HookPtr& hook);
    proxy::Commands startClientHandshake(const QString& upstreamError);
    proxy::Commands advanceHandshake();
    proxy::Commands onEstablished();
    proxy::Commands deliverPlaintext();
    proxy::Commands fail(const QString& reason, proxy::LogLevel level);
    proxy::Commands failHandshake();
    proxy::Commands startPassthrough();
    proxy::Commands passthroughEvent(const proxy::Event& event);
    QList<QByteArray> leafNames(CertStore& certs, bool upstreamOk, QByteArray* organization) const;
    QString destination() const;
    void armTimer(proxy::Commands& out);
    void flush(proxy::Commands& out);

    std::unique_ptr<proxy::Layer> m_child;
    std::shared_ptr<const TlsContexts> m_contexts;
    std::unique_ptr<TlsSession> m_session;
    State m_state = State::Created;
    bool m_serverTlsAvailable = false;

    QByteArray m_buffer; // client bytes not yet given to OpenSSL (the ClientHello and more)
    ClientHello m_hello;
    std::shared_ptr<proxy::ClientHelloData> m_helloData;
    proxy::CommandId m_helloHookId = 0;
    proxy::CommandId m_openId = 0;
    proxy::CommandId m_timerId = 0;
    QSet<proxy::CommandId> m_ownIds;
    std::deque<proxy::Event> m_queued; // events for the child before it started

    bool m_serverOpenedHere = false; // our OpenConnection(server) succeeded
    bool m_closeNotifySeen = false;
    // Passthrough (ignoreConnection): a plain relay between client and server.
    bool m_relayConnected = false;
    bool m_clientEof = false;
    bool m_serverEof = false;
};

} // namespace spyglass::layers::tls
