// The ALPN policy: what goes upstream, what the client is answered.

#include "layers/tls/alpn_policy.h"
#include "options/options.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::layers::tls;

class AlpnPolicyTest : public QObject
{
    Q_OBJECT

private slots:
    void upstreamOfferDropsH2();
    void clientAnswer();
};

void AlpnPolicyTest::upstreamOfferDropsH2()
{
    Options options;
    QCOMPARE(upstreamAlpnOffers(options, {"h2", "http/1.1"}), QList<QByteArray>{"http/1.1"});
    QCOMPARE(upstreamAlpnOffers(options, {"h2"}), QList<QByteArray>{});
    QCOMPARE(upstreamAlpnOffers(options, {"http/1.1", "http/1.0", "http/1.1"}),
             (QList<QByteArray>{"http/1.1", "http/1.0"}));
    QCOMPARE(upstreamAlpnOffers(options, {"acme-tls/1", ""}), QList<QByteArray>{"acme-tls/1"});
    options.http2 = false;
    QCOMPARE(upstreamAlpnOffers(options, {"h2", "http/1.1"}), QList<QByteArray>{"http/1.1"});
    QCOMPARE(upstreamAlpnOffers(options, {}), QList<QByteArray>{});
}

void AlpnPolicyTest::clientAnswer()
{
    QCOMPARE(clientAlpnAnswer("http/1.1", {"h2", "http/1.1"}), QByteArray("http/1.1"));
    QCOMPARE(clientAlpnAnswer("h2", {"h2", "http/1.1"}), QByteArray("h2"));
    QCOMPARE(clientAlpnAnswer("", {"h2", "http/1.1"}), QByteArray("http/1.1"));
    QCOMPARE(clientAlpnAnswer("spdy/3", {"h2", "http/1.1"}), QByteArray("http/1.1"));
    QCOMPARE(clientAlpnAnswer("", {"h2"}), QByteArray());
    QCOMPARE(clientAlpnAnswer("http/1.1", {}), QByteArray());
}

QTEST_GUILESS_MAIN(AlpnPolicyTest)
#include "alpn_policy_test.moc"
