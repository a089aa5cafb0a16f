#include "layers/tls/alpn_policy.h"

#include "options/options.h"

namespace spyglass::layers::tls {

namespace {
const QByteArray kH2 = QByteArrayLiteral("h2");
const QByteArray kHttp11 = QByteArrayLiteral("http/1.1");
} // namespace

QList<QByteArray> upstreamAlpnOffers(const Options& options, const QList<QByteArray>& clientOffers)
{
    QList<QByteArray> offers;
    for (const QByteArray& p : clientOffers) {
        if (p == kH2 && !options.http2)
            continue;
        if (!p.isEmpty() && !offers.contains(p))
            offers.append(p);
    }
    // The proxy translates between the two HTTP versions. An offer of h2 goes upstream with
    // http/1.1 appended: a server that speaks h2 still chooses it, one that does not is reachable.
    // Appending h2 to an offer of http/1.1 would make every server that speaks both switch the
    // client's exchange to HTTP/2, so that is left to `http2_for_http1_clients` (mitmproxy also
    // keeps the client's version, for what the server sees: header case, Connection, cookies).
    if (options.http2 && options.http2ForHttp1Clients && offers.contains(kHttp11) &&
        !offers.contains(kH2))
        offers.append(kH2);
    if (options.http2 && offers.contains(kH2) && !offers.contains(kHttp11))
        offers.append(kHttp11);
    return offers;
}

QByteArray clientAlpnAnswer(const Options& options, const QByteArray& serverSelected,
                            const QList<QByteArray>& clientOffers)
{
    const bool serverSpeaksHttp =
        serverSelected.isEmpty() || serverSelected == kH2 || serverSelected == kHttp11;
    if (options.http2 && serverSpeaksHttp && clientOffers.contains(kH2))
        return kH2;
    if (!serverSelected.isEmpty() && clientOffers.contains(serverSelected))
        return serverSelected;
    if (clientOffers.contains(kHttp11))
        return kHttp11;
    return {};
}

QByteArray proxyConnectionAlpnAnswer(const QList<QByteArray>& clientOffers)
{
    return clientOffers.contains(kHttp11) ? kHttp11 : QByteArray();
}

} // namespace spyglass::layers::tls
