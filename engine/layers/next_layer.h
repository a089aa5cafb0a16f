#pragma once
// Decides what runs next on a connection by peeking at its first bytes (mitmproxy
// `layers/modes.py` + `NextLayer` addon), then hands every event to that layer:
//   - on the proxy port itself (no server yet): HTTP/1 -> HttpLayer(Regular)
//   - inside a tunnel (CONNECT target known):
//       ignore_hosts / allow_hosts say pass through -> TcpLayer(Relay): untouched, unrecorded
//       a TLS ClientHello                           -> ServerTls(ClientTls(NextLayer))
//       tcp_hosts matches host:port (or SNI:port)   -> TcpLayer(Record)
//       an HTTP/1 request                           -> HttpLayer(Transparent)
//       the server speaks first, or anything else   -> TcpLayer(Record), a TCP flow; with
//                                                      rawtcp off: a log line, both closed
// (mitmproxy's order: ignore, TLS, tcp_hosts, HTTP, raw TCP.) The same applies inside an
// intercepted TLS connection: the inner NextLayer sees the plaintext.
// Events that arrive before the decision are kept and replayed to the chosen layer.

#include "proxy/layer.h"

#include <QStringList>
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
    bool isTcpHost() const;
    QStringList hostSubjects(const QByteArray& sni) const; // "host:port" (and "sni:port")
    // A recording TcpLayer, or (rawtcp off) null after closing the connection.
    std::unique_ptr<proxy::Layer> rawTcp(proxy::Commands& out);
    proxy::Commands replayTo(std::unique_ptr<proxy::Layer> child);

    std::unique_ptr<proxy::Layer> m_child;
    std::vector<proxy::Event> m_pending; // events seen before the decision, in order
    QByteArray m_clientData;
    bool m_serverSpokeFirst = false;
    bool m_clientEof = false;
    bool m_refused = false; // rawtcp off closed the connection: ignore what still arrives
};

} // namespace spyglass::layers
