#pragma once
// Relays raw bytes between the client and the server, both ways, with half-closes
// (mitmproxy `layers/tcp.py`). Used for ignored hosts (TLS passed through untouched), for
// protocols that are neither TLS nor HTTP, and after a 101 upgrade. Recording TCP messages as
// flows arrives with the raw-TCP issue; this layer only relays.

#include "proxy/layer.h"

namespace spyglass::layers {

class TcpLayer : public proxy::Layer
{
public:
    explicit TcpLayer(proxy::Context context);

    proxy::Commands handleEvent(const proxy::Event& event) override;
    QString name() const override { return QStringLiteral("TcpLayer"); }

private:
    void openServer(proxy::Commands& out);
    void maybeFinish(proxy::Commands& out);

    proxy::CommandId m_openId = 0;
    QByteArray m_toServer; // client bytes waiting for the server connection
    bool m_clientEof = false;
    bool m_serverEof = false;
    bool m_closed = false;
};

} // namespace spyglass::layers
