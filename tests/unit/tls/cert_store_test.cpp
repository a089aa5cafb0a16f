// CertStore: minted leaves verify against the CA for exactly their names, follow the profile
// browsers require, and come from an LRU cache that several threads share.

#include "tls/cert_store.h"
#include "tls/certificate_authority.h"
#include "tls/x509_util.h"

#include <QTemporaryDir>
#include <QtTest>

#include <openssl/err.h>
#include <thread>

using namespace spyglass;

namespace {

// X509_verify_cert with the CA as the only trust anchor, for TLS server use, checking a host
// name or an IP address.
bool verifies(X509* leaf, X509* ca, const QByteArray& host, const QByteArray& ip,
              QString* why = nullptr)
{
    X509_STORE* store = X509_STORE_new();
    X509_STORE_add_cert(store, ca);
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, leaf, nullptr);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
    if (!host.isEmpty())
        X509_VERIFY_PARAM_set1_host(param, host.constData(), size_t(host.size()));
    if (!ip.isEmpty())
        X509_VERIFY_PARAM_set1_ip_asc(param, ip.constData());
    const bool ok = X509_verify_cert(ctx) == 1;
    if (why)
        *why = QString::fromLatin1(X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return ok;
}

X509_EXTENSION* extension(X509* cert, int nid)
{
    const int i = X509_get_ext_by_NID(cert, nid, -1);
    return i < 0 ? nullptr : X509_get_ext(cert, i);
}

} // namespace

class CertStoreTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void leafVerifiesForEachDnsAndIpName();
    void leafProfile();
    void longFirstNameHasNoCommonName();
    void organizationIsCopied();
    void unusableNamesAreSkippedOrRefused();
    void cacheReusesBySortedNameSet();
    void cacheEvictsLeastRecentlyUsed();
    void concurrentMintingIsSafe();
    void upstreamNamesAreParsedOncePerCertificate();

private:
    QTemporaryDir m_dir;
    std::shared_ptr<const CertificateAuthority> m_ca;
};

void CertStoreTest::initTestCase()
{
    QString error;
    m_ca = CertificateAuthority::loadOrCreate(m_dir.path(), &error);
    QVERIFY2(m_ca, qPrintable(error));
}

void CertStoreTest::leafVerifiesForEachDnsAndIpName()
{
    CertStore store(m_ca);
    QString error;
    SharedX509 leaf = store.leafFor(
        {"example.com", "www.example.com", "10.0.0.1", "2001:db8::1", "[::1]"}, {}, &error);
    QVERIFY2(leaf, qPrintable(error));
    X509* ca = m_ca->certificate();
    QString why;
    QVERIFY2(verifies(leaf.get(), ca, "example.com", {}, &why), qPrintable(why));
    QVERIFY2(verifies(leaf.get(), ca, "WWW.Example.com", {}, &why), qPrintable(why));
    QVERIFY2(verifies(leaf.get(), ca, {}, "10.0.0.1", &why), qPrintable(why));
    QVERIFY2(verifies(leaf.get(), ca, {}, "2001:db8:0::1", &why), qPrintable(why));
    QVERIFY2(verifies(leaf.get(), ca, {}, "::1", &why), qPrintable(why));
    QVERIFY(!verifies(leaf.get(), ca, "other.example.com", {}, &why));
    QVERIFY(!verifies(leaf.get(), ca, {}, "10.0.0.2"));

    // Another CA does not vouch for it.
    QTemporaryDir otherDir;
    auto other = CertificateAuthority::loadOrCreate(otherDir.path(), &error);
    QVERIFY(other);
    QVERIFY(!verifies(leaf.get(), other->certificate(), "example.com", {}));

    const CertificateNames names = certificateNames(leaf.get());
    QCOMPARE(names.dnsNames, (QList<QByteArray>{"example.com", "www.example.com"}));
    QCOMPARE(names.ipAddresses.size(), 3);
    QVERIFY(names.ipAddresses.contains("10.0.0.1"));
}

void CertStoreTest::leafProfile()
{
    CertStore store(m_ca);
    SharedX509 leaf = store.leafFor({"example.com"});
    QVERIFY(leaf);
    X509* cert = leaf.get();

    QCOMPARE(certificateNames(cert).commonName, QByteArray("example.com"));
    QCOMPARE(X509_NAME_cmp(X509_get_issuer_name(cert), X509_get_subject_name(m_ca->certificate())),
             0);
    QCOMPARE(X509_get_version(cert), long(X509_VERSION_3));
    QCOMPARE(X509_get_signature_nid(cert), NID_sha256WithRSAEncryption);
    QCOMPARE(EVP_PKEY_eq(X509_get0_pubkey(cert), m_ca->leafKey()), 1);

    // 128-bit random serial, positive.
    BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
    QVERIFY(!BN_is_negative(serial));
    QVERIFY2(BN_num_bits(serial) > 100 && BN_num_bits(serial) <= 128,
             qPrintable(QString::number(BN_num_bits(serial))));
    BN_free(serial);
    SharedX509 second = store.leafFor({"second.example.com"});
    QVERIFY(ASN1_INTEGER_cmp(X509_get0_serialNumber(cert), X509_get0_serialNumber(second.get())));

    // notBefore 2 days back, notAfter 365 days ahead (within Apple's 397 days).
    int days = 0, seconds = 0;
    QVERIFY(ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notBefore(cert)));
    QVERIFY2(days == -2 || (days == -1 && seconds < -86000), qPrintable(QString::number(days)));
    QVERIFY(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert), X509_get0_notAfter(cert)));
    QCOMPARE(days, 367);

    X509_EXTENSION* bc = extension(cert, NID_basic_constraints);
    QVERIFY(bc);
    QCOMPARE(X509_EXTENSION_get_critical(bc), 1);
    QCOMPARE(X509_check_ca(cert), 0);
    const uint32_t ku = X509_get_key_usage(cert);
    QVERIFY(ku & KU_DIGITAL_SIGNATURE);
    QVERIFY(ku & KU_KEY_ENCIPHERMENT);
    QVERIFY(!(ku & KU_KEY_CERT_SIGN));
    QCOMPARE(X509_get_extended_key_usage(cert), uint32_t(XKU_SSL_SERVER));
    QVERIFY(X509_get0_subject_key_id(cert));
    const ASN1_OCTET_STRING* aki = X509_get0_authority_key_id(cert);
    QVERIFY(aki);
    QCOMPARE(ASN1_OCTET_STRING_cmp(aki, X509_get0_subject_key_id(m_ca->certificate())), 0);
    X509_EXTENSION* san = extension(cert, NID_subject_alt_name);
    QVERIFY(san);
    QCOMPARE(X509_EXTENSION_get_critical(san), 0);
}

void CertStoreTest::longFirstNameHasNoCommonName()
{
    CertStore store(m_ca);
    const QByteArray longName = QByteArray(60, 'a') + ".example.com"; // 72 > 64
    SharedX509 leaf = store.leafFor({longName});
    QVERIFY(leaf);
    QVERIFY(certificateNames(leaf.get()).commonName.isEmpty());
    QCOMPARE(certificateNames(leaf.get()).dnsNames, QList<QByteArray>{longName});
    // An empty subject makes the subjectAltName critical (RFC 5280 4.2.1.6).
    QCOMPARE(X509_EXTENSION_get_critical(extension(leaf.get(), NID_subject_alt_name)), 1);
    QString why;
    QVERIFY2(verifies(leaf.get(), m_ca->certificate(), longName, {}, &why), qPrintable(why));
}

void CertStoreTest::organizationIsCopied()
{
    CertStore store(m_ca);
    SharedX509 plain = store.leafFor({"example.com"});
    SharedX509 withOrg = store.leafFor({"example.com"}, "Example Org");
    QVERIFY(plain && withOrg);
    QVERIFY(plain != withOrg); // the organization is part of the cache key
    QCOMPARE(certificateNames(withOrg.get()).organization, QByteArray("Example Org"));
    QVERIFY(certificateNames(plain.get()).organization.isEmpty());
}

void CertStoreTest::unusableNamesAreSkippedOrRefused()
{
    CertStore store(m_ca);
    QString error;
    QVERIFY(!store.leafFor({"", "has space", "ex\xc3\xa4mple.com", "a,b=c"}, {}, &error));
    QVERIFY2(error.contains("no usable host name"), qPrintable(error));
    QCOMPARE(store.size(), 0);

    // A CN such as "Example Inc." (from an upstream certificate) is skipped, not fatal.
    SharedX509 leaf = store.leafFor({"Example.COM.", "Example Inc.", "*.example.com"}, {}, &error);
    QVERIFY2(leaf, qPrintable(error));
    QCOMPARE(certificateNames(leaf.get()).dnsNames,
             (QList<QByteArray>{"example.com", "*.example.com"}));
    QString why;
    QVERIFY2(verifies(leaf.get(), m_ca->certificate(), "api.example.com", {}, &why),
             qPrintable(why));
}

void CertStoreTest::cacheReusesBySortedNameSet()
{
    CertStore store(m_ca);
    SharedX509 a = store.leafFor({"a.example.com", "b.example.com"});
    QCOMPARE(store.mintedCount(), quint64(1));
    SharedX509 b = store.leafFor({"b.example.com", "A.example.com", "a.example.com"});
    QCOMPARE(b.get(), a.get());
    QCOMPARE(store.mintedCount(), quint64(1));
    SharedX509 c = store.leafFor({"a.example.com"});
    QVERIFY(c.get() != a.get());
    QCOMPARE(store.mintedCount(), quint64(2));
    QCOMPARE(store.size(), 2);
    QCOMPARE(CertStore(m_ca).capacity(), 1000);
}

void CertStoreTest::cacheEvictsLeastRecentlyUsed()
{
    CertStore store(m_ca, 2);
    SharedX509 a = store.leafFor({"a.test"});
    SharedX509 b = store.leafFor({"b.test"});
    QCOMPARE(store.leafFor({"a.test"}).get(), a.get()); // a is now the most recent
    store.leafFor({"c.test"});                          // evicts b
    QCOMPARE(store.size(), 2);
    QCOMPARE(store.mintedCount(), quint64(3));
    QCOMPARE(store.leafFor({"a.test"}).get(), a.get());
    QCOMPARE(store.mintedCount(), quint64(3));
    SharedX509 b2 = store.leafFor({"b.test"});
    QVERIFY(b2.get() != b.get());
    QCOMPARE(store.mintedCount(), quint64(4));
    // An evicted certificate stays valid for whoever still holds it.
    QVERIFY(verifies(b.get(), m_ca->certificate(), "b.test", {}));
}

void CertStoreTest::concurrentMintingIsSafe()
{
    CertStore store(m_ca);
    constexpr int kThreads = 4, kNames = 40, kRounds = 3;
    std::vector<std::vector<SharedX509>> results(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int r = 0; r < kRounds; ++r)
                for (int i = 0; i < kNames; ++i)
                    results[t].push_back(store.leafFor(
                        {QByteArray("host") + QByteArray::number((i + t * 7) % kNames) + ".test"}));
        });
    for (auto& th : threads)
        th.join();
    QCOMPARE(store.size(), kNames);
    QVERIFY(store.mintedCount() >= quint64(kNames));
    QVERIFY(store.mintedCount() <= quint64(kNames * kThreads));
    for (int t = 0; t < kThreads; ++t)
        for (int k = 0; k < int(results[t].size()); ++k) {
            QVERIFY(results[t][k]);
            const QByteArray host =
                QByteArray("host") + QByteArray::number((k % kNames + t * 7) % kNames) + ".test";
            QVERIFY2(verifies(results[t][k].get(), m_ca->certificate(), host, {}), host);
        }
}

void CertStoreTest::upstreamNamesAreParsedOncePerCertificate()
{
    // Stand-ins for upstream servers' certificates: leaves minted by another store.
    CertStore other(m_ca);
    const QByteArray a = toDer(other.leafFor({"a.test", "10.0.0.1"}, "Org A").get());
    const QByteArray b = toDer(other.leafFor({"b.test"}).get());

    CertStore store(m_ca);
    CertificateNames n = store.upstreamNames(a);
    QCOMPARE(n.commonName, QByteArray("a.test"));
    QCOMPARE(n.dnsNames, QList<QByteArray>{"a.test"});
    QCOMPARE(n.ipAddresses, QList<QByteArray>{"10.0.0.1"});
    QCOMPARE(n.organization, QByteArray("Org A"));
    QCOMPARE(store.upstreamParsedCount(), quint64(1));
    // The same certificate as a separate copy of its bytes (a new connection): not parsed again.
    n = store.upstreamNames(QByteArray(a.constData(), a.size()));
    QCOMPARE(n.dnsNames, QList<QByteArray>{"a.test"});
    QCOMPARE(store.upstreamParsedCount(), quint64(1));
    QCOMPARE(store.upstreamNames(b).dnsNames, QList<QByteArray>{"b.test"});
    QCOMPARE(store.upstreamParsedCount(), quint64(2));

    // Garbage gives no names (and is remembered as such), never a crash.
    n = store.upstreamNames("not a certificate");
    QVERIFY(n.commonName.isEmpty() && n.dnsNames.isEmpty() && n.organization.isEmpty());
    QCOMPARE(ERR_peek_error(), 0ul);
    QVERIFY(store.upstreamNames(QByteArray()).dnsNames.isEmpty());

    // Bounded: past the capacity the oldest certificate is forgotten and parsed again.
    for (int i = 0; i < CertStore::kUpstreamNamesCapacity; ++i)
        store.upstreamNames(QByteArray("filler ") + QByteArray::number(i));
    const quint64 before = store.upstreamParsedCount();
    QCOMPARE(store.upstreamNames(a).organization, QByteArray("Org A"));
    QCOMPARE(store.upstreamParsedCount(), before + 1);
}

QTEST_GUILESS_MAIN(CertStoreTest)
#include "cert_store_test.moc"
