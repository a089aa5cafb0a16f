#pragma once
// Which ALPN protocols travel where during TLS interception (mitmproxy `addons/tlsconfig.py`
// decides the same in tls_start_server / alpn_select_callback).
//
// The upstream is offered what the client offered (minus "h2" when `http2` is off). The
// client is answered with the server's choice, except that the proxy translates between
// HTTP/1.1 and HTTP/2: a client that offered "h2" gets HTTP/2 even from a server that speaks
// only HTTP/1.1 (its offer goes upstream with "http/1.1" appended). A client that offered only
// "http/1.1" keeps HTTP/1.1 upstream, as in mitmproxy, so the server sees the client's version;
// with `http2_for_http1_clients` its offer goes upstream with "h2" appended, which lets it
// reach HTTP/2-only servers. Each exchange is still one flow that records both versions.

#include <QByteArray>
#include <QList>

namespace spyglass {
struct Options;
}

namespace spyglass::layers::tls {

// The ALPN offer for the upstream handshake, from the client's offer, in the client's order
// (duplicates and empty names dropped). "h2" is dropped when `options.http2` is false;
// otherwise "h2" brings "http/1.1" along, and "http/1.1" brings "h2" along only with
// `options.http2ForHttp1Clients`.
QList<QByteArray> upstreamAlpnOffers(const Options& options, const QList<QByteArray>& clientOffers);

// What to answer the client, given what the server selected (empty: no ALPN):
//  - "h2" when the client offered it, HTTP/2 is on and the server chose an HTTP version (or
//    nothing, which means HTTP/1.1);
//  - else the server's choice when the client offered it;
//  - else "http/1.1" when the client offered that;
//  - else nothing (no ALPN extension in the reply).
QByteArray clientAlpnAnswer(const Options& options, const QByteArray& serverSelected,
                            const QList<QByteArray>& clientOffers);

// What to answer a client that speaks TLS to the proxy port itself (a "secure web proxy",
// `curl --proxy https://...`): "http/1.1" when offered, else nothing. HTTP/2 to the proxy is
// not offered because CONNECT inside HTTP/2 streams is not proxied yet (HttpStream answers
// 501 to it), and a tunnel is what such clients mostly want.
QByteArray proxyConnectionAlpnAnswer(const QList<QByteArray>& clientOffers);

} // namespace spyglass::layers::tls
