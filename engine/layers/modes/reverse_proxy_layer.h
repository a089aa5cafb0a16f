#pragma once
// Reverse proxy mode (mitmproxy `layers/modes.py` ReverseProxy plus its NextLayer decisions):
// every client connection goes to the one server of the mode, which makeRootLayer() has put
// in context.server (peer = the mode's host:port, tls for https/tls, SNI = the host unless it
// is an IP literal). This layer peeks at the client's first bytes and builds the stack:
//
//   client sent a TLS ClientHello -> ClientTls( ReverseProxyLayer(inside TLS) ), which
//                                    decides again on the decrypted bytes (ALPN is known then)
//   anything else                 ->            [ServerTls]( proto )
//   proto: http/https -> HttpLayer(Transparent), HTTP/2 with prior knowledge when the client
//          opened with the preface (h2c); tcp/tls -> TcpLayer
//   [ServerTls] only for https/tls: TLS towards the server whatever the client speaks.
//
// The client certificate is minted for the client's SNI, else the mode's host. The server is
// opened when the chosen layer first needs it (HTTP: the first request; TCP: at once with
// connection_strategy=eager). Events before the decision are kept and replayed.

#include "proxy/layer.h"

#include <memory>
#include <vector>

namespace spyglass::layers {

class ReverseProxyLayer : public proxy::Layer
{
public:
    // `insideClientTls`: the client's TLS is already handled above; decide on plaintext.
    explicit ReverseProxyLayer(proxy::Context context, bool insideClientTls = false);
    ~ReverseProxyLayer() override;

    proxy::Commands handleEvent(const proxy::Event& event) override;
    QString name() const override { return QStringLiteral("ReverseProxyLayer"); }
    const proxy::Layer* child() const { return m_child.get(); }

    // The context of a reverse-mode client connection: `context` with its server set to the
    // mode's target. `context.mode` must be a reverse mode.
    static proxy::Context targetContext(proxy::Context context);

private:
    std::unique_ptr<proxy::Layer> decide(proxy::Commands& out);
    std::unique_ptr<proxy::Layer> protocolLayer(bool clientTls, bool http2Preface) const;

    std::unique_ptr<proxy::Layer> m_child;
    std::vector<proxy::Event> m_pending; // events seen before the decision, in order
    QByteArray m_clientData;
    bool m_clientEof = false;
    const bool m_insideClientTls;
};

} // namespace spyglass::layers
