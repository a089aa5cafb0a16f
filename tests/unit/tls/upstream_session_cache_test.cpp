// UpstreamSessionCache with TlsSession as the upstream side uses it: a real OpenSSL server
// (one SSL_CTX for all its connections, so its tickets stay valid) over memory BIOs. The
// second connection to the same server under the same key resumes, still knows the server's
// certificate chain, and a different key, name or verification setting never resumes.

#include "options/options.h"
#include "tls/cert_store.h"
#include "tls/certificate_authority.h"
#include "tls/tls_contexts.h"
#include "tls/tls_session.h"
#include "tls/upstream_session_cache.h"
#include "tls/x509_util.h"

#include "test_tls_peer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <openssl/err.h>
#include <openssl/ssl.h>

using namespace spyglass;

namespace {

// The origin: one context for every connection, a leaf for example.test from a CA of its own.
struct Origin
{
    SslCtxPtr ctx;

    Origin(X509* leaf, EVP_PKEY* key, X509* ca, int maxVersion)
    {
        ctx.reset(SSL_CTX_new(TLS_server_method()));
        SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
        SSL_CTX_set_max_proto_version(ctx.get(), maxVersion);
        SSL_CTX_use_certificate(ctx.get(), leaf);
        SSL_CTX_use_PrivateKey(ctx.get(), key);
        SSL_CTX_add1_chain_cert(ctx.get(), ca);
        SSL_CTX_set_session_id_context(ctx.get(), reinterpret_cast<const unsigned char*>("t"), 1);
    }
};

// One connection: the client's handshake against a fresh SSL of the origin, then a little
// application data from the server, which makes the client read the session tickets that a
// TLS 1.3 server sends after its handshake. Returns the client session, done or failed.
std::unique_ptr<TlsSession> openConnection(const TlsContexts& contexts, Origin& origin,
                                           const QByteArray& key, const QByteArray& name,
                                           bool verify)
{
    auto client = std::make_unique<TlsSession>(contexts.upstream(), TlsSession::Role::Client);
    QString error;
    if (!client->configureClient(name, {"http/1.1"}, verify, name, &error))
        qWarning("configureClient: %s", qPrintable(error));
    client->useSessionCache(contexts.upstreamSessions(), key);

    SslPtr server(SSL_new(origin.ctx.get()));
    BIO* in = BIO_new(BIO_s_mem());
    BIO* out = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(in, -1);
    SSL_set_bio(server.get(), in, out);
    SSL_set_accept_state(server.get());

    for (int round = 0; round < 20; ++round) {
        const TlsSession::Progress p = client->handshake();
        const QByteArray toServer = client->takeOutgoing();
        BIO_write(in, toServer.constData(), int(toServer.size()));
        SSL_do_handshake(server.get());
        client->receive(test::drainBio(out));
        if (p == TlsSession::Progress::Failed)
            return client;
        if (p == TlsSession::Progress::Done && SSL_is_init_finished(server.get()))
            break;
    }
    ERR_clear_error();
    if (!client->handshakeDone())
        return client;
    SSL_write(server.get(), "hello", 5);
    client->receive(test::drainBio(out));
    const TlsSession::ReadResult r = client->read();
    if (r.data != "hello")
        qWarning("read after the handshake: \"%s\" %s", r.data.constData(), qPrintable(r.error));
    return client;
}

} // namespace

class UpstreamSessionCacheTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void secondConnectionResumesWithTheChain_data();
    void secondConnectionResumesWithTheChain();
    void otherKeysNeverResume();
    void tls13TicketsAreUsedOnce();
    void capacityDropsTheLeastRecentServer();

private:
    std::shared_ptr<const TlsContexts> contexts(bool insecure);

    QTemporaryDir m_spyglassDir;
    QTemporaryDir m_originDir;
    std::shared_ptr<const CertificateAuthority> m_originCa;
    std::unique_ptr<CertStore> m_originCerts;
    SharedX509 m_leaf;
};

void UpstreamSessionCacheTest::initTestCase()
{
    QString error;
    m_originCa = CertificateAuthority::loadOrCreate(m_originDir.path(), &error);
    QVERIFY2(m_originCa, qPrintable(error));
    m_originCerts = std::make_unique<CertStore>(m_originCa);
    m_leaf = m_originCerts->leafFor({"example.test"});
    QVERIFY(m_leaf);
}

std::shared_ptr<const TlsContexts> UpstreamSessionCacheTest::contexts(bool insecure)
{
    Options options;
    options.sslInsecure = insecure;
    // Trust the origin's CA, as ssl_verify_upstream_trusted_ca does.
    const QString caFile = m_originDir.filePath(QStringLiteral("origin-ca.pem"));
    QFile f(caFile);
    if (!f.exists() && f.open(QIODevice::WriteOnly))
        f.write(toPem(m_originCa->certificate()));
    f.close();
    options.sslVerifyUpstreamTrustedCa = caFile;
    QString error;
    auto c = TlsContexts::create(options, &error);
    if (!c)
        qWarning("TlsContexts: %s", qPrintable(error));
    return c;
}

void UpstreamSessionCacheTest::secondConnectionResumesWithTheChain_data()
{
    QTest::addColumn<int>("maxVersion");
    QTest::addColumn<bool>("insecure");
    QTest::newRow("TLS 1.3, verified") << int(TLS1_3_VERSION) << false;
    QTest::newRow("TLS 1.3, ssl_insecure") << int(TLS1_3_VERSION) << true;
    QTest::newRow("TLS 1.2, verified") << int(TLS1_2_VERSION) << false;
}

void UpstreamSessionCacheTest::secondConnectionResumesWithTheChain()
{
    QFETCH(int, maxVersion);
    QFETCH(bool, insecure);
    auto ctx = contexts(insecure);
    QVERIFY(ctx && ctx->upstreamSessions());
    Origin origin(m_leaf.get(), m_originCerts->leafKey(), m_originCa->certificate(), maxVersion);
    const QByteArray key = "10.0.0.1:443|example.test";

    auto first = openConnection(*ctx, origin, key, "example.test", !insecure);
    QVERIFY2(first->handshakeDone(), qPrintable(first->failure().reason));
    QVERIFY(!first->resumed());
    const QList<QByteArray> chain = first->peerChainDer();
    const QByteArray version = first->protocolVersion();
    const QByteArray alpn = first->negotiatedAlpn();
    QCOMPARE(chain.size(), 2);
    QVERIFY(ctx->upstreamSessions()->sessionCount(key) >= 1);

    // Each connection ends without a close_notify from the client, as when a peer goes away;
    // a TLS 1.3 resumption brings new tickets, a TLS 1.2 session is resumed again.
    first.reset();
    for (int i = 0; i < 3; ++i) {
        auto next = openConnection(*ctx, origin, key, "example.test", !insecure);
        QVERIFY2(next->handshakeDone(), qPrintable(next->failure().reason));
        QVERIFY2(next->resumed(), qPrintable(QStringLiteral("connection %1").arg(i + 2)));
        QCOMPARE(next->peerChainDer(), chain);
        QCOMPARE(next->protocolVersion(), version);
        QCOMPARE(next->negotiatedAlpn(), alpn);
    }
}

void UpstreamSessionCacheTest::otherKeysNeverResume()
{
    auto ctx = contexts(false);
    Origin origin(m_leaf.get(), m_originCerts->leafKey(), m_originCa->certificate(),
                  TLS1_3_VERSION);
    auto first = openConnection(*ctx, origin, "a", "example.test", true);
    QVERIFY(first->handshakeDone());
    auto other = openConnection(*ctx, origin, "b", "example.test", true);
    QVERIFY(other->handshakeDone());
    QVERIFY(!other->resumed());
    // Without a key nothing is filed and nothing resumes.
    auto none = openConnection(*ctx, origin, QByteArray(), "example.test", true);
    QVERIFY(none->handshakeDone());
    QVERIFY(!none->resumed());
    QCOMPARE(ctx->upstreamSessions()->keyCount(), 2);
    // The key is matched exactly: "a" gives its session back.
    auto again = openConnection(*ctx, origin, "a", "example.test", true);
    QVERIFY(again->resumed());
}

void UpstreamSessionCacheTest::tls13TicketsAreUsedOnce()
{
    UpstreamSessionCache other;
    auto ctx = contexts(false);
    Origin origin(m_leaf.get(), m_originCerts->leafKey(), m_originCa->certificate(),
                  TLS1_3_VERSION);
    auto first = openConnection(*ctx, origin, "k", "example.test", true);
    QVERIFY(first->handshakeDone());
    UpstreamSessionCache* sessions = ctx->upstreamSessions();
    // OpenSSL servers send two tickets after a full handshake.
    QCOMPARE(sessions->sessionCount("k"), 2);
    SSL_SESSION* s = sessions->take("k");
    QVERIFY(s);
    QCOMPARE(sessions->sessionCount("k"), 1);
    SSL_SESSION_free(s);
    QVERIFY(!other.take("k")); // another cache knows nothing of it
}

void UpstreamSessionCacheTest::capacityDropsTheLeastRecentServer()
{
    auto ctx = contexts(false);
    Origin origin(m_leaf.get(), m_originCerts->leafKey(), m_originCa->certificate(),
                  TLS1_2_VERSION);
    auto first = openConnection(*ctx, origin, "k", "example.test", true);
    QVERIFY(first->handshakeDone());
    SSL_SESSION* s = ctx->upstreamSessions()->take("k"); // TLS 1.2: stays, a new reference
    QVERIFY(s);

    UpstreamSessionCache cache(2);
    SSL_SESSION_up_ref(s);
    cache.store("a", s);
    SSL_SESSION_up_ref(s);
    cache.store("b", s);
    SSL_SESSION* got = cache.take("a"); // "a" is now the most recent
    QVERIFY(got);
    SSL_SESSION_free(got);
    SSL_SESSION_up_ref(s);
    cache.store("c", s); // drops "b"
    QCOMPARE(cache.keyCount(), 2);
    QCOMPARE(cache.sessionCount("b"), 0);
    QCOMPARE(cache.sessionCount("a"), 1);
    QCOMPARE(cache.sessionCount("c"), 1);

    UpstreamSessionCache many; // at most kSessionsPerKey per server, the newest
    for (int i = 0; i < UpstreamSessionCache::kSessionsPerKey + 2; ++i) {
        SSL_SESSION_up_ref(s);
        many.store("k", s);
    }
    QCOMPARE(many.sessionCount("k"), UpstreamSessionCache::kSessionsPerKey);
    SSL_SESSION_free(s);
}

QTEST_GUILESS_MAIN(UpstreamSessionCacheTest)
#include "upstream_session_cache_test.moc"
