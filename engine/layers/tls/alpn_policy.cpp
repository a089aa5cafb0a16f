#include "layers/tls/alpn_policy.h"

#include "options/options.h"

namespace spyglass::layers::tls {

namespace {
// HTTP/2 is not proxied yet: offering it upstream would let the server pick a protocol that
// the layers behind this one cannot speak.
constexpr bool kHttp2Supported = false;
} // namespace

QList<QByteArray> upstreamAlpnOffers(const Options& options, const QList<QByteArray>& clientOffers)
{
    QList<QByteArray> offers;
    for (const QByteArray& p : clientOffers) {
        if (p == "h2" && (!kHttp2Supported || !options.http2))
            continue;
        if (!p.isEmpty() && !offers.contains(p))
            offers.append(p);
    }
    return offers;
}

QByteArray clientAlpnAnswer(const QByteArray& serverSelected, const QList<QByteArray>& clientOffers)
{
    if (!serverSelected.isEmpty() && clientOffers.contains(serverSelected))
        return serverSelected;
    if (clientOffers.contains(QByteArrayLiteral("http/1.1")))
        return QByteArrayLiteral("http/1.1");
    return {};
}

} // namespace spyglass::layers::tls
