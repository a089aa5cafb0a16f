#pragma once
// Which ALPN protocols travel where during TLS interception (mitmproxy `addons/tlsconfig.py`
// decides the same in tls_start_server / alpn_select_callback).
//
// The client's offer goes upstream minus what Spyglass cannot proxy yet; the client is then
// answered with the server's choice when the client offered it. Keeping this in two named
// functions makes the day HTTP/2 lands a one-line change.

#include <QByteArray>
#include <QList>

namespace spyglass {
struct Options;
}

namespace spyglass::layers::tls {

// The ALPN offer for the upstream handshake, from the client's offer, in the client's order.
// Drops "h2" for now (the HTTP/2 layer arrives in a later issue), and always when
// `options.http2` is false.
QList<QByteArray> upstreamAlpnOffers(const Options& options, const QList<QByteArray>& clientOffers);

// What to answer the client: the protocol the server selected if the client offered it, else
// "http/1.1" if the client offered that, else nothing (empty: no ALPN extension in the reply).
QByteArray clientAlpnAnswer(const QByteArray& serverSelected,
                            const QList<QByteArray>& clientOffers);

} // namespace spyglass::layers::tls
