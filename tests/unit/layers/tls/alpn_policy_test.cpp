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
    void upstreamOffer();
    void clientAnswer();
    void proxyConnectionAnswer();
};

void AlpnPolicyTest::upstreamOffer()
{
    Options options;
    QCOMPARE(upstreamAlpnOffers(options, {"h2", "http/1.1"}),
             (QList<QByteArray>{"h2", "http/1.1"}));
    // An HTTP/2 client may still reach an HTTP/1.1-only server.
    QCOMPARE(upstreamAlpnOffers(options, {"h2"}), (QList<QByteArray>{"h2", "http/1.1"}));
    // An HTTP/1.1 client keeps HTTP/1.1 upstream (a server that speaks both would choose h2).
    QCOMPARE(upstreamAlpnOffers(options, {"http/1.1"}), QList<QByteArray>{"http/1.1"});
    QCOMPARE(upstreamAlpnOffers(options, {"http/1.1", "http/1.0", "http/1.1"}),
             (QList<QByteArray>{"http/1.1", "http/1.0"}));
    QCOMPARE(upstreamAlpnOffers(options, {"acme-tls/1", ""}), QList<QByteArray>{"acme-tls/1"});
    QCOMPARE(upstreamAlpnOffers(options, {}), QList<QByteArray>{});
    // Asked to, it may reach an HTTP/2-only server too.
    options.http2ForHttp1Clients = true;
    QCOMPARE(upstreamAlpnOffers(options, {"http/1.1"}), (QList<QByteArray>{"http/1.1", "h2"}));
    QCOMPARE(upstreamAlpnOffers(options, {"http/1.1", "http/1.0", "http/1.1"}),
             (QList<QByteArray>{"http/1.1", "http/1.0", "h2"}));
    QCOMPARE(upstreamAlpnOffers(options, {"h2"}), (QList<QByteArray>{"h2", "http/1.1"}));
    QCOMPARE(upstreamAlpnOffers(options, {"acme-tls/1"}), QList<QByteArray>{"acme-tls/1"});
    options.http2 = false;
    QCOMPARE(upstreamAlpnOffers(options, {"h2", "http/1.1"}), QList<QByteArray>{"http/1.1"});
    QCOMPARE(upstreamAlpnOffers(options, {"http/1.1"}), QList<QByteArray>{"http/1.1"});
    QCOMPARE(upstreamAlpnOffers(options, {"h2"}), QList<QByteArray>{});
    // Without HTTP/2 there is nothing to translate to.
    QCOMPARE(upstreamAlpnOffers(options, {"http/1.1"}), QList<QByteArray>{"http/1.1"});
}

void AlpnPolicyTest::clientAnswer()
{
    Options options;
    // An h2 client gets h2 whatever HTTP version the server speaks.
    QCOMPARE(clientAlpnAnswer(options, "http/1.1", {"h2", "http/1.1"}), QByteArray("h2"));
    QCOMPARE(clientAlpnAnswer(options, "h2", {"h2", "http/1.1"}), QByteArray("h2"));
    QCOMPARE(clientAlpnAnswer(options, "", {"h2", "http/1.1"}), QByteArray("h2"));
    QCOMPARE(clientAlpnAnswer(options, "", {"h2"}), QByteArray("h2"));
    // An HTTP/1.1 client keeps HTTP/1.1 when the server chose h2.
    QCOMPARE(clientAlpnAnswer(options, "h2", {"http/1.1"}), QByteArray("http/1.1"));
    // Not HTTP: the server's choice, else what the client can fall back to.
    QCOMPARE(clientAlpnAnswer(options, "spdy/3", {"h2", "spdy/3"}), QByteArray("spdy/3"));
    QCOMPARE(clientAlpnAnswer(options, "spdy/3", {"h2", "http/1.1"}), QByteArray("http/1.1"));
    QCOMPARE(clientAlpnAnswer(options, "http/1.1", {}), QByteArray());
    options.http2 = false;
    QCOMPARE(clientAlpnAnswer(options, "http/1.1", {"h2", "http/1.1"}), QByteArray("http/1.1"));
    QCOMPARE(clientAlpnAnswer(options, "", {"h2", "http/1.1"}), QByteArray("http/1.1"));
    QCOMPARE(clientAlpnAnswer(options, "", {"h2"}), QByteArray());
}

void AlpnPolicyTest::proxyConnectionAnswer()
{
    // TLS to the proxy itself: HTTP/1.1 only, whatever else is offered.
    QCOMPARE(proxyConnectionAlpnAnswer({"h2", "http/1.1"}), QByteArray("http/1.1"));
    QCOMPARE(proxyConnectionAlpnAnswer({"http/1.1"}), QByteArray("http/1.1"));
    QCOMPARE(proxyConnectionAlpnAnswer({"h2"}), QByteArray());
    QCOMPARE(proxyConnectionAlpnAnswer({}), QByteArray());
}

QTEST_GUILESS_MAIN(AlpnPolicyTest)
#include "alpn_policy_test.moc"
