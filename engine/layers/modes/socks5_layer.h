#pragma once
// SOCKS5 mode (RFC 1928, mitmproxy `layers/modes.py` Socks5Proxy): the client greets, may
// authenticate with username/password (RFC 1929, required when the proxyauth option is
// "user:pass"), then asks to CONNECT to an IPv4, IPv6 or domain address. The tunnel is then
// handled like one opened with HTTP CONNECT: a NextLayer with that server decides (TLS
// interception, HTTP, raw TCP).
//
//   Greeting --method chosen--> [Auth --ok-->] Request --CONNECT--> [Connecting (eager)] --> Tunnel
//       \___________ bad version, no acceptable method, bad credentials, bad request _____> Closed
//
// Replies: success is "05 00 00 01 0.0.0.0:0" (no bound address is reported); failures use
// RFC 1928 6 codes: 01 general, 04 host unreachable, 07 command not supported, 08 address
// type not supported. Bytes the client sends after its request are kept for the tunnel.

#include "proxy/layer.h"

#include <memory>

namespace spyglass::layers {

class Socks5Layer : public proxy::Layer
{
public:
    explicit Socks5Layer(proxy::Context context);
    ~Socks5Layer() override;

    proxy::Commands handleEvent(const proxy::Event& event) override;
    QString name() const override { return QStringLiteral("Socks5Layer"); }
    const proxy::Layer* child() const { return m_child.get(); }

private:
    enum class State : quint8
    {
        Greeting,
        Auth,
        Request,
        Connecting,
        Tunnel,
        Closed
    };

    void process(proxy::Commands& out);
    bool onGreeting(proxy::Commands& out);
    bool onAuth(proxy::Commands& out);
    bool onRequest(proxy::Commands& out);
    void startTunnel(proxy::Commands& out);
    void fail(proxy::Commands& out, const QByteArray& reply, const QString& why);

    State m_state = State::Greeting;
    QByteArray m_buffer;
    std::unique_ptr<proxy::Layer> m_child;
    proxy::Context m_tunnelContext;
    proxy::CommandId m_openId = 0;
    bool m_clientEof = false;
};

} // namespace spyglass::layers
