#pragma once
// The Spyglass root CA and the one leaf key pair that every minted certificate shares,
// loaded from the confdir or created there on first start (mitmproxy's `certs.CertStore
// .from_store`). The file names are a public contract (DESIGN.md, the certificate wizard, the
// docs):
//
//   spyglass-ca.pem        private key + certificate, mode 0600   (the CA: keep it secret)
//   spyglass-ca-cert.pem   certificate, PEM                       (Linux, Firefox, curl)
//   spyglass-ca-cert.cer   certificate, DER                       (Android, Windows)
//   spyglass-ca-cert.p12   PKCS#12 with the certificate only      (Windows/macOS import)
//   spyglass-leaf-key.pem  the shared leaf private key, mode 0600
//
// Why one leaf key: minting is then only signing (fast and cacheable), and a browser started
// by the app can be told to trust exactly that key (Chromium's --ignore-certificate-errors-
// spki-list matches the leaf's SPKI, not the CA's).
//
// A loaded CA is immutable, so one instance is shared by every worker thread. Errors (an
// unreadable or corrupt file, a directory that cannot be created, a key file open to other
// users that cannot be fixed) come back as a message naming the file; nothing throws.

#include "tls/openssl_ptr.h"

#include <QByteArray>
#include <QString>
#include <memory>

namespace spyglass {

class CertificateAuthority
{
public:
    static constexpr const char* kCaFile = "spyglass-ca.pem";
    static constexpr const char* kCaCertPemFile = "spyglass-ca-cert.pem";
    static constexpr const char* kCaCertDerFile = "spyglass-ca-cert.cer";
    static constexpr const char* kCaCertP12File = "spyglass-ca-cert.p12";
    static constexpr const char* kLeafKeyFile = "spyglass-leaf-key.pem";

    // Loads the CA from `confdir` ("~/" expanded), creating the directory (0700) and any
    // missing file. Returns null and sets `error` (a one-line message naming the file) on
    // failure.
    static std::shared_ptr<const CertificateAuthority> loadOrCreate(const QString& confdir,
                                                                    QString* error);

    ~CertificateAuthority();
    CertificateAuthority(const CertificateAuthority&) = delete;
    CertificateAuthority& operator=(const CertificateAuthority&) = delete;

    // OpenSSL objects stay owned by this CA; callers that keep them must up-ref them.
    X509* certificate() const { return m_cert.get(); }
    EVP_PKEY* privateKey() const { return m_key.get(); }
    EVP_PKEY* leafKey() const { return m_leafKey.get(); }

    QString confdir() const { return m_confdir; }
    QString filePath(const char* fileName) const;
    QByteArray certificatePem() const { return m_certPem; }
    QByteArray certificateDer() const { return m_certDer; }
    // "AB:CD:..." over the DER certificate.
    QString sha256Fingerprint() const { return m_fingerprint; }
    // base64(SHA-256(SubjectPublicKeyInfo of the leaf key)): the value for Chromium's
    // --ignore-certificate-errors-spki-list.
    QByteArray leafSpkiSha256Base64() const { return m_leafSpki; }
    // True when this call created the CA (the app then shows the certificate wizard).
    bool createdNow() const { return m_createdNow; }

private:
    CertificateAuthority() = default;

    QString m_confdir;
    X509Ptr m_cert;
    EvpPkeyPtr m_key;
    EvpPkeyPtr m_leafKey;
    QByteArray m_certPem;
    QByteArray m_certDer;
    QString m_fingerprint;
    QByteArray m_leafSpki;
    bool m_createdNow = false;
};

} // namespace spyglass
