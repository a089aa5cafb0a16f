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
    // The proxy translates between the two HTTP versions, so an offer of either one goes
    // upstream as an offer of both: the server may speak whichever it can.
    if (options.http2 && offers.contains(kHttp11) && !offers.contains(kH2))
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
