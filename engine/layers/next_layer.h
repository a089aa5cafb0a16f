#pragma once
// Decides what runs next on a connection by peeking at its first bytes (mitmproxy
// `layers/modes.py` + `NextLayer` addon), then hands every event to that layer:
//   - on the proxy port itself (no server yet): HTTP/1 -> HttpLayer(Regular)
//   - inside a tunnel (CONNECT target known):
//       ignore_hosts / allow_hosts say pass through -> TcpLayer (bytes relayed untouched)
//       a TLS ClientHello                           -> ServerTls(ClientTls(NextLayer))
//       an HTTP/1 request                           -> HttpLayer(Transparent)
//       the server speaks first, or anything else   -> TcpLayer
// Events that arrive before the decision are kept and replayed to the chosen layer.

#include "proxy/layer.h"

#include <memory>
#include <vector>

namespace spyglass::layers {

class NextLayer : public proxy::Layer
{
public:
    explicit NextLayer(proxy::Context context);
    ~NextLayer() override;

    proxy::Commands handleEvent(const proxy::Event& event) override;
    QString name() const override { return QStringLiteral("NextLayer"); }
    const proxy::Layer* child() const { return m_child.get(); }

private:
    // Returns the layer to use, or null while more bytes are needed.
    std::unique_ptr<proxy::Layer> decide(proxy::Commands& out);
    bool isIgnored(const QByteArray& sni) const;
    proxy::Commands replayTo(std::unique_ptr<proxy::Layer> child);

    std::unique_ptr<proxy::Layer> m_child;
    std::vector<proxy::Event> m_pending; // events seen before the decision, in order
    QByteArray m_clientData;
    bool m_serverSpokeFirst = false;
    bool m_clientEof = false;
};

} // namespace spyglass::layers
