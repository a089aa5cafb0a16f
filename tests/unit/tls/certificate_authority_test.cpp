// CertificateAuthority: create in a fresh confdir, reload, repair, and refuse broken files
// with a message that names the file.

#include "tls/cert_store.h"
#include "tls/certificate_authority.h"
#include "tls/x509_util.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <openssl/pkcs12.h>
#include <sys/stat.h>

using namespace spyglass;

namespace {

int modeOf(const QString& path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 0777);
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

X509_EXTENSION* extension(X509* cert, int nid)
{
    const int i = X509_get_ext_by_NID(cert, nid, -1);
    return i < 0 ? nullptr : X509_get_ext(cert, i);
}

} // namespace

class CertificateAuthorityTest : public QObject
{
    Q_OBJECT

private slots:
    void createsEveryFileWithTheRightModes();
    void caCertificateProfile();
    void derAndPkcs12HoldTheSameCertificate();
    void leafKeyIsP256AndSpkiHashMatchesMintedLeaves();
    void reloadGivesTheSameCaAndLeafKey();
    void regeneratesMissingPublicFiles();
    void narrowsLoosePermissionsOnKeyFiles();
    void corruptCaFileIsAnErrorNamingTheFile_data();
    void corruptCaFileIsAnErrorNamingTheFile();
    void corruptLeafKeyIsAnErrorNamingTheFile();
    void unreadableCaFileIsAnError();
    void confdirThatIsAFileIsAnError();
};

void CertificateAuthorityTest::createsEveryFileWithTheRightModes()
{
    QTemporaryDir tmp;
    const QString confdir = tmp.filePath(QStringLiteral("deep/conf"));
    QString error;
    auto ca = CertificateAuthority::loadOrCreate(confdir, &error);
    QVERIFY2(ca, qPrintable(error));
    QVERIFY(error.isEmpty());
    QVERIFY(ca->createdNow());
    QCOMPARE(modeOf(confdir), 0700);
    QCOMPARE(modeOf(confdir + "/spyglass-ca.pem"), 0600);
    QCOMPARE(modeOf(confdir + "/spyglass-leaf-key.pem"), 0600);
    for (const char* name :
         {"spyglass-ca-cert.pem", "spyglass-ca-cert.cer", "spyglass-ca-cert.p12"})
        QVERIFY2(QFile::exists(confdir + '/' + name), name);
    // Public files must not be writable by others, and key files must not be readable.
    QCOMPARE(modeOf(confdir + "/spyglass-ca-cert.pem") & 022, 0);
    QVERIFY(!QFile::exists(confdir + "/spyglass-ca.pem.tmp"));

    const QByteArray caPem = readAll(confdir + "/spyglass-ca.pem");
    QVERIFY(caPem.contains("PRIVATE KEY-----"));
    QVERIFY(caPem.contains("-----BEGIN CERTIFICATE-----"));
    QCOMPARE(readAll(confdir + "/spyglass-ca-cert.pem"), ca->certificatePem());
    QVERIFY(!ca->certificatePem().contains("PRIVATE KEY"));
}

void CertificateAuthorityTest::caCertificateProfile()
{
    QTemporaryDir tmp;
    QString error;
    auto ca = CertificateAuthority::loadOrCreate(tmp.path(), &error);
    QVERIFY2(ca, qPrintable(error));
    X509* cert = ca->certificate();

    const CertificateNames names = certificateNames(cert);
    QCOMPARE(names.commonName, QByteArray("Spyglass CA"));
    QCOMPARE(names.organization, QByteArray("Spyglass"));
    QCOMPARE(X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)), 0);

    EVP_PKEY* key = ca->privateKey();
    QCOMPARE(EVP_PKEY_get_base_id(key), EVP_PKEY_RSA);
    QCOMPARE(EVP_PKEY_get_bits(key), 2048);
    QCOMPARE(X509_verify(cert, key), 1); // self-signed
    QCOMPARE(X509_get_signature_nid(cert), NID_sha256WithRSAEncryption);

    X509_EXTENSION* bc = extension(cert, NID_basic_constraints);
    QVERIFY(bc);
    QCOMPARE(X509_EXTENSION_get_critical(bc), 1);
    QCOMPARE(X509_check_ca(cert), 1);
    const uint32_t usage = X509_get_key_usage(cert);
    QVERIFY(usage & KU_KEY_CERT_SIGN);
    QVERIFY(usage & KU_CRL_SIGN);
    QVERIFY(!(usage & KU_DIGITAL_SIGNATURE));
    QVERIFY(X509_get0_subject_key_id(cert));

    // 10 years, backdated a little.
    int days = 0, seconds = 0;
    QCOMPARE(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert), X509_get0_notAfter(cert)),
             1);
    QVERIFY2(days >= 3650 && days <= 3653, qPrintable(QString::number(days)));
    QCOMPARE(X509_cmp_current_time(X509_get0_notBefore(cert)), -1);
}

void CertificateAuthorityTest::derAndPkcs12HoldTheSameCertificate()
{
    QTemporaryDir tmp;
    QString error;
    auto ca = CertificateAuthority::loadOrCreate(tmp.path(), &error);
    QVERIFY2(ca, qPrintable(error));

    const QByteArray der = readAll(tmp.filePath("spyglass-ca-cert.cer"));
    QCOMPARE(der, toDer(ca->certificate()));
    // The fingerprint is SHA-256 over exactly these bytes.
    QCOMPARE(ca->sha256Fingerprint(),
             QString::fromLatin1(
                 QCryptographicHash::hash(der, QCryptographicHash::Sha256).toHex(':').toUpper()));

    const QByteArray p12Bytes = readAll(tmp.filePath("spyglass-ca-cert.p12"));
    const auto* p = reinterpret_cast<const unsigned char*>(p12Bytes.constData());
    Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, long(p12Bytes.size())));
    QVERIFY(p12);
    QCOMPARE(PKCS12_verify_mac(p12.get(), "", 0), 1);
    EVP_PKEY* key = nullptr;
    X509* cert = nullptr;
    STACK_OF(X509)* extra = nullptr;
    QCOMPARE(PKCS12_parse(p12.get(), "", &key, &cert, &extra), 1);
    // Certificate only: no private key in the file meant for import dialogs.
    QVERIFY(!key);
    const bool inCert = cert && X509_cmp(cert, ca->certificate()) == 0;
    bool inExtra = false;
    for (int i = 0; extra && i < sk_X509_num(extra); ++i)
        inExtra = inExtra || X509_cmp(sk_X509_value(extra, i), ca->certificate()) == 0;
    X509_free(cert);
    sk_X509_pop_free(extra, X509_free);
    QVERIFY(inCert || inExtra);
}

void CertificateAuthorityTest::leafKeyIsP256AndSpkiHashMatchesMintedLeaves()
{
    QTemporaryDir tmp;
    QString error;
    auto ca = CertificateAuthority::loadOrCreate(tmp.path(), &error);
    QVERIFY2(ca, qPrintable(error));
    QCOMPARE(EVP_PKEY_get_base_id(ca->leafKey()), EVP_PKEY_EC);
    char group[64] = {};
    size_t len = 0;
    QCOMPARE(EVP_PKEY_get_group_name(ca->leafKey(), group, sizeof group, &len), 1);
    QCOMPARE(QByteArray(group), QByteArray("prime256v1"));

    // What Chromium hashes: the SubjectPublicKeyInfo inside a served leaf certificate.
    CertStore store(ca);
    SharedX509 leaf = store.leafFor({"example.com"});
    QVERIFY(leaf);
    X509_PUBKEY* spki = X509_get_X509_PUBKEY(leaf.get());
    unsigned char* der = nullptr;
    const int n = i2d_X509_PUBKEY(spki, &der);
    QVERIFY(n > 0);
    const QByteArray expected =
        QCryptographicHash::hash(QByteArray(reinterpret_cast<char*>(der), n),
                                 QCryptographicHash::Sha256)
            .toBase64();
    OPENSSL_free(der);
    QCOMPARE(ca->leafSpkiSha256Base64(), expected);
    QCOMPARE(ca->leafSpkiSha256Base64().size(), 44);
}

void CertificateAuthorityTest::reloadGivesTheSameCaAndLeafKey()
{
    QTemporaryDir tmp;
    QString error;
    auto first = CertificateAuthority::loadOrCreate(tmp.path(), &error);
    QVERIFY2(first, qPrintable(error));
    const QByteArray p12 = readAll(tmp.filePath("spyglass-ca-cert.p12"));

    auto second = CertificateAuthority::loadOrCreate(tmp.path(), &error);
    QVERIFY2(second, qPrintable(error));
    QVERIFY(!second->createdNow());
    QCOMPARE(X509_cmp(first->certificate(), second->certificate()), 0);
    QCOMPARE(second->sha256Fingerprint(), first->sha256Fingerprint());
    QCOMPARE(EVP_PKEY_eq(first->privateKey(), second->privateKey()), 1);
    QCOMPARE(second->leafSpkiSha256Base64(), first->leafSpkiSha256Base64());
    // Nothing is rewritten when everything is in place.
    QCOMPARE(readAll(tmp.filePath("spyglass-ca-cert.p12")), p12);
}

void CertificateAuthorityTest::regeneratesMissingPublicFiles()
{
    QTemporaryDir tmp;
    QString error;
    auto first = CertificateAuthority::loadOrCreate(tmp.path(), &error);
    QVERIFY2(first, qPrintable(error));
    QVERIFY(QFile::remove(tmp.filePath("spyglass-ca-cert.cer")));
    QVERIFY(QFile::remove(tmp.filePath("spyglass-ca-cert.p12")));
    QVERIFY(writeAll(tmp.filePath("spyglass-ca-cert.pem"), "stale"));

    auto second = CertificateAuthority::loadOrCreate(tmp.path(), &error);
    QVERIFY2(second, qPrintable(error));
    QVERIFY(!second->createdNow());
    QCOMPARE(readAll(tmp.filePath("spyglass-ca-cert.cer")), toDer(first->certificate()));
    QCOMPARE(readAll(tmp.filePath("spyglass-ca-cert.pem")), first->certificatePem());
    QVERIFY(QFile::exists(tmp.filePath("spyglass-ca-cert.p12")));
}

void CertificateAuthorityTest::narrowsLoosePermissionsOnKeyFiles()
{
    QTemporaryDir tmp;
    QString error;
    QVERIFY2(CertificateAuthority::loadOrCreate(tmp.path(), &error), qPrintable(error));
    ::chmod(QFile::encodeName(tmp.filePath("spyglass-ca.pem")).constData(), 0644);
    ::chmod(QFile::encodeName(tmp.filePath("spyglass-leaf-key.pem")).constData(), 0640);
    QVERIFY2(CertificateAuthority::loadOrCreate(tmp.path(), &error), qPrintable(error));
    QCOMPARE(modeOf(tmp.filePath("spyglass-ca.pem")), 0600);
    QCOMPARE(modeOf(tmp.filePath("spyglass-leaf-key.pem")), 0600);
}

void CertificateAuthorityTest::corruptCaFileIsAnErrorNamingTheFile_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("garbage") << 0 << "no readable unencrypted private key";
    QTest::newRow("key without certificate") << 1 << "no readable certificate";
    QTest::newRow("key of another CA") << 2 << "does not match";
    QTest::newRow("truncated") << 3 << "corrupt";
}

void CertificateAuthorityTest::corruptCaFileIsAnErrorNamingTheFile()
{
    QFETCH(int, kind);
    QFETCH(QString, expected);
    QTemporaryDir tmp, other;
    QString error;
    auto ca = CertificateAuthority::loadOrCreate(tmp.path(), &error);
    auto otherCa = CertificateAuthority::loadOrCreate(other.path(), &error);
    QVERIFY(ca && otherCa);
    const QString path = tmp.filePath("spyglass-ca.pem");
    const QByteArray good = readAll(path);
    const QByteArray keyPem = privateKeyToPem(ca->privateKey());
    QByteArray bad;
    switch (kind) {
    case 0:
        bad = "this is not a PEM file\n";
        break;
    case 1:
        bad = keyPem;
        break;
    case 2:
        bad = privateKeyToPem(otherCa->privateKey()) + ca->certificatePem();
        break;
    case 3:
        bad = good.left(good.size() / 3);
        break;
    }
    QVERIFY(writeAll(path, bad));

    error.clear();
    auto broken = CertificateAuthority::loadOrCreate(tmp.path(), &error);
    QVERIFY(!broken);
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(!error.contains('\n'), qPrintable(error));
    // The broken file is left alone for the user to look at, not silently replaced.
    QCOMPARE(readAll(path), bad);
}

void CertificateAuthorityTest::corruptLeafKeyIsAnErrorNamingTheFile()
{
    QTemporaryDir tmp;
    QString error;
    QVERIFY(CertificateAuthority::loadOrCreate(tmp.path(), &error));
    const QString path = tmp.filePath("spyglass-leaf-key.pem");
    QVERIFY(writeAll(path, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
    QVERIFY(!CertificateAuthority::loadOrCreate(tmp.path(), &error));
    QVERIFY2(error.contains(path), qPrintable(error));
}

void CertificateAuthorityTest::unreadableCaFileIsAnError()
{
    QTemporaryDir tmp;
    QString error;
    // A directory where the file should be cannot be read, even by root (which ignores modes).
    QVERIFY(QDir(tmp.path()).mkdir(QStringLiteral("spyglass-ca.pem")));
    QVERIFY(!CertificateAuthority::loadOrCreate(tmp.path(), &error));
    QVERIFY2(error.contains(tmp.filePath("spyglass-ca.pem")), qPrintable(error));

    if (::geteuid() != 0) {
        QTemporaryDir tmp2;
        QVERIFY(CertificateAuthority::loadOrCreate(tmp2.path(), &error));
        ::chmod(QFile::encodeName(tmp2.filePath("spyglass-ca.pem")).constData(), 0000);
        QVERIFY(!CertificateAuthority::loadOrCreate(tmp2.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("cannot read ")), qPrintable(error));
    }
}

void CertificateAuthorityTest::confdirThatIsAFileIsAnError()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath("notadir");
    QVERIFY(writeAll(path, "x"));
    QString error;
    QVERIFY(!CertificateAuthority::loadOrCreate(path, &error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(!CertificateAuthority::loadOrCreate(QString(), &error));
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(CertificateAuthorityTest)
#include "certificate_authority_test.moc"
