#include "tls/x509_util.h"

#include <openssl/err.h>
#include <openssl/rand.h>

namespace spyglass {

namespace {

QByteArray bioContents(BIO* bio)
{
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return n > 0 ? QByteArray(data, n) : QByteArray();
}

QByteArray asn1ToUtf8(const ASN1_STRING* s)
{
    unsigned char* out = nullptr;
    const int n = ASN1_STRING_to_UTF8(&out, s);
    if (n < 0)
        return {};
    QByteArray r(reinterpret_cast<const char*>(out), n);
    OPENSSL_free(out);
    return r;
}

QByteArray nameEntry(X509_NAME* name, int nid)
{
    if (!name)
        return {};
    const int i = X509_NAME_get_index_by_NID(name, nid, -1);
    if (i < 0)
        return {};
    return asn1ToUtf8(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
}

QByteArray ipToText(const ASN1_OCTET_STRING* ip)
{
    const unsigned char* p = ASN1_STRING_get0_data(ip);
    const int n = ASN1_STRING_length(ip);
    if (n == 4)
        return QByteArray::number(p[0]) + '.' + QByteArray::number(p[1]) + '.' +
               QByteArray::number(p[2]) + '.' + QByteArray::number(p[3]);
    if (n == 16) {
        // Plain (uncompressed) groups; a2i_IPADDRESS and X509_VERIFY_PARAM read them back.
        QByteArray out;
        for (int i = 0; i < 16; i += 2) {
            if (i)
                out += ':';
            out += QByteArray::number((p[i] << 8) | p[i + 1], 16);
        }
        return out;
    }
    return {};
}

} // namespace

CertificateNames certificateNames(X509* cert)
{
    CertificateNames names;
    if (!cert)
        return names;
    X509_NAME* subject = X509_get_subject_name(cert);
    names.commonName = nameEntry(subject, NID_commonName);
    names.organization = nameEntry(subject, NID_organizationName);
    auto* gens =
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    if (!gens)
        return names;
    for (int i = 0; i < sk_GENERAL_NAME_num(gens); ++i) {
        const GENERAL_NAME* g = sk_GENERAL_NAME_value(gens, i);
        if (g->type == GEN_DNS) {
            const QByteArray dns = asn1ToUtf8(g->d.dNSName);
            if (!dns.isEmpty())
                names.dnsNames.append(dns);
        } else if (g->type == GEN_IPADD) {
            const QByteArray ip = ipToText(g->d.iPAddress);
            if (!ip.isEmpty())
                names.ipAddresses.append(ip);
        }
    }
    GENERAL_NAMES_free(gens);
    return names;
}

QByteArray toDer(X509* cert)
{
    if (!cert)
        return {};
    const int n = i2d_X509(cert, nullptr);
    if (n <= 0)
        return {};
    QByteArray out(n, Qt::Uninitialized);
    auto* p = reinterpret_cast<unsigned char*>(out.data());
    i2d_X509(cert, &p);
    return out;
}

QByteArray toPem(X509* cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!cert || !bio || PEM_write_bio_X509(bio.get(), cert) != 1)
        return {};
    return bioContents(bio.get());
}

QByteArray privateKeyToPem(EVP_PKEY* key)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!key || !bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return bioContents(bio.get());
}

X509Ptr x509FromDer(QByteArrayView der)
{
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    return X509Ptr(d2i_X509(nullptr, &p, long(der.size())));
}

X509Ptr x509FromPem(QByteArrayView pem)
{
    BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
    if (!bio)
        return nullptr;
    return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

EvpPkeyPtr privateKeyFromPem(QByteArrayView pem)
{
    BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
    if (!bio)
        return nullptr;
    // An empty passphrase callback result: an encrypted key fails instead of prompting on a tty.
    auto noPassword = [](char*, int, int, void*) -> int { return 0; };
    return EvpPkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassword, nullptr));
}

bool isIpAddress(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 64)
        return false;
    const QByteArray z = text.toByteArray(); // NUL-terminated copy
    if (z.contains('\0'))
        return false;
    Asn1OctetStringPtr ip(a2i_IPADDRESS(z.constData()));
    ERR_clear_error();
    return ip != nullptr;
}

QString sha256Fingerprint(X509* cert)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!cert || X509_digest(cert, EVP_sha256(), md, &n) != 1)
        return {};
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(md), int(n)).toHex(':').toUpper());
}

QString takeOpenSslErrors(const QString& fallback)
{
    QStringList parts;
    while (const unsigned long e = ERR_get_error()) {
        const char* reason = ERR_reason_error_string(e);
        parts.append(reason ? QString::fromLatin1(reason)
                            : QStringLiteral("error %1").arg(e, 0, 16));
    }
    parts.removeDuplicates();
    return parts.isEmpty() ? fallback : parts.join(QStringLiteral("; "));
}

bool setRandomSerial(X509* cert)
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return false;
    bytes[0] &= 0x7f; // DER INTEGERs are signed: keep it positive without a padding byte
    BIGNUM* bn = BN_bin2bn(bytes, sizeof bytes, nullptr);
    if (!bn)
        return false;
    ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, nullptr);
    BN_free(bn);
    if (!serial)
        return false;
    const bool ok = X509_set_serialNumber(cert, serial) == 1;
    ASN1_INTEGER_free(serial);
    return ok;
}

bool addExtension(X509* cert, X509* issuer, int nid, const char* value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

} // namespace spyglass
