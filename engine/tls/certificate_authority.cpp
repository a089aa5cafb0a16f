#include "tls/certificate_authority.h"

#include "options/options.h"
#include "tls/x509_util.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <filesystem>
#include <openssl/err.h>

namespace spyglass {

namespace {

constexpr int kCaValidityDays = 3650;
constexpr long kBackdateSeconds = 2 * 24 * 3600; // tolerate clients whose clock is behind
constexpr QFileDevice::Permissions kSecretMode = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions kPublicMode = QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                 QFileDevice::ReadGroup | QFileDevice::ReadOther;
constexpr QFileDevice::Permissions kOthersMask = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                                 QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                                 QFileDevice::WriteOther | QFileDevice::ExeOther;

// Used only where a mode can be wrong (Q_OS_UNIX below); unused on Windows.
[[maybe_unused]] QString octalMode(QFileDevice::Permissions p)
{
    const int v = int(p);
    return QStringLiteral("0%1%2%3").arg((v >> 12) & 7).arg((v >> 4) & 7).arg(v & 7);
}

bool ensureDirectory(const QString& dir, QString* error)
{
    const QFileInfo info(dir);
    if (info.exists()) {
        if (!info.isDir()) {
            *error = QStringLiteral("%1 exists but is not a directory").arg(dir);
            return false;
        }
        return true;
    }
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create the configuration directory %1").arg(dir);
        return false;
    }
    if (!QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                        QFileDevice::ExeOwner)) {
        *error = QStringLiteral("cannot restrict the permissions of %1 to 0700").arg(dir);
        return false;
    }
    return true;
}

// Reads a file that must stay private. A key file that other users can read is narrowed to
// 0600 (as ssh would insist); when that is impossible (not our file) it is an error.
bool readSecretFile(const QString& path, QByteArray* out, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    *out = f.readAll();
    if (f.error() != QFileDevice::NoError) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
#ifdef Q_OS_UNIX
    const QFileDevice::Permissions mode = f.permissions();
    if (mode & kOthersMask) {
        if (!f.setPermissions(kSecretMode)) {
            *error = QStringLiteral("%1 holds a private key but is accessible by other users "
                                    "(mode %2) and its mode cannot be changed to 0600: %3")
                         .arg(path, octalMode(mode), f.errorString());
            return false;
        }
    }
#endif
    return true;
}

// Writes through a temporary file and a rename, so a crash never leaves half a key behind,
// and a secret file never exists with wider permissions, not even for a moment.
bool writeFileAtomically(const QString& path, const QByteArray& data, bool secret, QString* error)
{
    const QString tmp = path + QStringLiteral(".tmp");
    QFile::remove(tmp);
    QFile f(tmp);
    if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly, secret ? kSecretMode : kPublicMode) ||
        f.write(data) != data.size() || !f.flush()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        f.close();
        QFile::remove(tmp);
        return false;
    }
    f.close();
    std::error_code ec;
    std::filesystem::rename(std::filesystem::path(tmp.toStdU16String()),
                            std::filesystem::path(path.toStdU16String()), ec);
    if (ec) {
        *error = QStringLiteral("cannot write %1: %2")
                     .arg(path, QString::fromLocal8Bit(ec.message().c_str()));
        QFile::remove(tmp);
        return false;
    }
    return true;
}

bool setName(X509_NAME* name, const char* field, const QByteArray& value)
{
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.constData()),
                                      int(value.size()), -1, 0) == 1;
}

X509Ptr createCaCertificate(EVP_PKEY* key)
{
    X509Ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
        !setRandomSerial(cert.get()) ||
        !X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) ||
        !X509_time_adj_ex(X509_getm_notAfter(cert.get()), kCaValidityDays, 0, nullptr))
        return nullptr;
    X509_NAME* name = X509_get_subject_name(cert.get());
    if (!setName(name, "CN", "Spyglass CA") || !setName(name, "O", "Spyglass") ||
        X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key) != 1)
        return nullptr;
    if (!addExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
        !addExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
        !addExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash"))
        return nullptr;
    if (X509_sign(cert.get(), key, EVP_sha256()) <= 0)
        return nullptr;
    return cert;
}

// PKCS#12 with the certificate only, no encryption of the certificate bag and an SHA-1 MAC
// under the empty password: the combination that Windows' and macOS' import dialogs accept
// (OpenSSL 3's AES/SHA-256 defaults are refused by older Windows versions).
QByteArray certificateOnlyPkcs12(X509* cert)
{
    Pkcs12Ptr p12(PKCS12_create("", "Spyglass CA", nullptr, cert, nullptr, 0, -1, 0, -1, 0));
    if (!p12 || PKCS12_set_mac(p12.get(), "", 0, nullptr, 0, PKCS12_DEFAULT_ITER, EVP_sha1()) != 1)
        return {};
    const int n = i2d_PKCS12(p12.get(), nullptr);
    if (n <= 0)
        return {};
    QByteArray out(n, Qt::Uninitialized);
    auto* p = reinterpret_cast<unsigned char*>(out.data());
    i2d_PKCS12(p12.get(), &p);
    return out;
}

QByteArray spkiSha256Base64(EVP_PKEY* key)
{
    const int n = i2d_PUBKEY(key, nullptr);
    if (n <= 0)
        return {};
    QByteArray der(n, Qt::Uninitialized);
    auto* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_PUBKEY(key, &p);
    return QCryptographicHash::hash(der, QCryptographicHash::Sha256).toBase64();
}

bool fileHasContent(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) && f.readAll() == data;
}

} // namespace

CertificateAuthority::~CertificateAuthority() = default;

QString CertificateAuthority::filePath(const char* fileName) const
{
    return QDir(m_confdir).filePath(QString::fromLatin1(fileName));
}

std::shared_ptr<const CertificateAuthority>
CertificateAuthority::loadOrCreate(const QString& confdir, QString* error)
{
    QString localError;
    QString& err = error ? *error : localError;
    err.clear();
    ERR_clear_error();

    if (confdir.trimmed().isEmpty()) {
        err = QStringLiteral("no configuration directory given for the CA");
        return nullptr;
    }
    std::shared_ptr<CertificateAuthority> ca(new CertificateAuthority());
    ca->m_confdir = QDir::cleanPath(expandHome(confdir));
    if (!ensureDirectory(ca->m_confdir, &err))
        return nullptr;

    // The CA itself.
    const QString caPath = ca->filePath(kCaFile);
    if (QFileInfo::exists(caPath)) {
        QByteArray pem;
        if (!readSecretFile(caPath, &pem, &err))
            return nullptr;
        ca->m_key = privateKeyFromPem(pem);
        ca->m_cert = x509FromPem(pem);
        ERR_clear_error();
        if (!ca->m_key) {
            err = QStringLiteral("%1 is corrupt: no readable unencrypted private key in it")
                      .arg(caPath);
            return nullptr;
        }
        if (!ca->m_cert) {
            err = QStringLiteral("%1 is corrupt: no readable certificate in it").arg(caPath);
            return nullptr;
        }
        if (X509_check_private_key(ca->m_cert.get(), ca->m_key.get()) != 1) {
            ERR_clear_error();
            err = QStringLiteral("%1 is corrupt: its private key does not match its certificate")
                      .arg(caPath);
            return nullptr;
        }
        if (X509_check_ca(ca->m_cert.get()) <= 0) {
            err = QStringLiteral("%1 does not hold a CA certificate (basicConstraints CA:TRUE "
                                 "is missing)")
                      .arg(caPath);
            return nullptr;
        }
    } else {
        ca->m_key.reset(EVP_RSA_gen(2048));
        if (ca->m_key)
            ca->m_cert = createCaCertificate(ca->m_key.get());
        if (!ca->m_key || !ca->m_cert) {
            err =
                QStringLiteral("cannot create the CA for %1: %2").arg(caPath, takeOpenSslErrors());
            return nullptr;
        }
        const QByteArray pem = privateKeyToPem(ca->m_key.get()) + toPem(ca->m_cert.get());
        if (!writeFileAtomically(caPath, pem, true, &err))
            return nullptr;
        ca->m_createdNow = true;
    }

    ca->m_certPem = toPem(ca->m_cert.get());
    ca->m_certDer = toDer(ca->m_cert.get());
    ca->m_fingerprint = spyglass::sha256Fingerprint(ca->m_cert.get());

    // The public copies, rewritten when missing or when they no longer match the CA.
    const QString pemPath = ca->filePath(kCaCertPemFile);
    const QString derPath = ca->filePath(kCaCertDerFile);
    const QString p12Path = ca->filePath(kCaCertP12File);
    const bool pemStale = !fileHasContent(pemPath, ca->m_certPem);
    if (pemStale && !writeFileAtomically(pemPath, ca->m_certPem, false, &err))
        return nullptr;
    if (!fileHasContent(derPath, ca->m_certDer) &&
        !writeFileAtomically(derPath, ca->m_certDer, false, &err))
        return nullptr;
    if (pemStale || ca->m_createdNow || !QFileInfo::exists(p12Path)) {
        const QByteArray p12 = certificateOnlyPkcs12(ca->m_cert.get());
        if (p12.isEmpty()) {
            err = QStringLiteral("cannot build %1: %2").arg(p12Path, takeOpenSslErrors());
            return nullptr;
        }
        if (!writeFileAtomically(p12Path, p12, false, &err))
            return nullptr;
    }

    // The shared leaf key.
    const QString leafPath = ca->filePath(kLeafKeyFile);
    if (QFileInfo::exists(leafPath)) {
        QByteArray pem;
        if (!readSecretFile(leafPath, &pem, &err))
            return nullptr;
        ca->m_leafKey = privateKeyFromPem(pem);
        ERR_clear_error();
        if (!ca->m_leafKey) {
            err = QStringLiteral("%1 is corrupt: no readable unencrypted private key in it")
                      .arg(leafPath);
            return nullptr;
        }
        const int type = EVP_PKEY_get_base_id(ca->m_leafKey.get());
        if (type != EVP_PKEY_EC && type != EVP_PKEY_RSA) {
            err = QStringLiteral("%1 holds a key type that TLS servers cannot use (expected an "
                                 "EC or RSA key)")
                      .arg(leafPath);
            return nullptr;
        }
    } else {
        ca->m_leafKey.reset(EVP_EC_gen("prime256v1"));
        if (!ca->m_leafKey) {
            err = QStringLiteral("cannot create the leaf key for %1: %2")
                      .arg(leafPath, takeOpenSslErrors());
            return nullptr;
        }
        if (!writeFileAtomically(leafPath, privateKeyToPem(ca->m_leafKey.get()), true, &err))
            return nullptr;
    }
    ca->m_leafSpki = spkiSha256Base64(ca->m_leafKey.get());
    ERR_clear_error();
    return ca;
}

} // namespace spyglass
