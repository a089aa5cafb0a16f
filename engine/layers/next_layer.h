#pragma once
// Decides what runs next on a connection by peeking at its first bytes (mitmproxy
// `layers/modes.py` + `NextLayer` addon), then hands every event to that layer:
//   - on the proxy port itself (no server yet):
//       a TLS ClientHello ("secure web proxy", curl --proxy https://...)
//                                     -> ClientTls(NextLayer(InsideProxyTls)), no server TLS
//       the HTTP/2 preface            -> HttpLayer(Regular, HTTP/2)
//       HTTP/1, or garbage (a 400)    -> HttpLayer(Regular)
//     Inside that TLS the same holds, except that a second ClientHello (TLS in TLS to the
//     proxy) is refused with a close: one TLS layer to the proxy is all any client needs.
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
    // Where this NextLayer sits; only matters on the proxy port (context.server == null).
    enum class Position : quint8
    {
        Plain,          // the client's TCP connection as accepted, or a tunnel
        InsideProxyTls, // the plaintext of a TLS connection to the proxy port itself
    };

    explicit NextLayer(proxy::Context context, Position position = Position::Plain);
    ~NextLayer() override;

    proxy::Commands handleEvent(const proxy::Event& event) override;
    QString name() const override { return QStringLiteral("NextLayer"); }
    const proxy::Layer* child() const { return m_child.get(); }

private:
    // Returns the layer to use, or null while more bytes are needed.
    std::unique_ptr<proxy::Layer> decide(proxy::Commands& out);
    std::unique_ptr<proxy::Layer> decideOnProxyPort(proxy::Commands& out);
    bool isIgnored(const QByteArray& sni) const;
    bool isTcpHost() const;
    QStringList hostSubjects(const QByteArray& sni) const; // "host:port" (and "sni:port")
    // A recording TcpLayer, or (rawtcp off) null after closing the connection.
    std::unique_ptr<proxy::Layer> rawTcp(proxy::Commands& out);
    proxy::Commands replayTo(std::unique_ptr<proxy::Layer> child);

    Position m_position = Position::Plain;
    std::unique_ptr<proxy::Layer> m_child;
    std::vector<proxy::Event> m_pending; // events seen before the decision, in order
    QByteArray m_clientData;
    bool m_serverSpokeFirst = false;
    bool m_clientEof = false;
    bool m_refused = false; // rawtcp off closed the connection: ignore what still arrives
};

} // namespace spyglass::layers
