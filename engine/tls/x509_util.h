#pragma once
// Small OpenSSL helpers shared by the CA, the leaf minting and the TLS layers: PEM/DER
// conversion, the names a certificate is valid for, IP literal detection, error text.
// Everything here returns values (empty on failure); nothing throws.

#include "tls/openssl_ptr.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace spyglass {

// What a certificate says about whom it is for (the input to `upstream_cert` minting).
struct CertificateNames
{
    QByteArray commonName;
    QByteArray organization;
    QList<QByteArray> dnsNames;    // subjectAltName dNSName entries, as written
    QList<QByteArray> ipAddresses; // subjectAltName iPAddress entries, as text ("10.0.0.1", "::1")
};

CertificateNames certificateNames(X509* cert);

QByteArray toDer(X509* cert);
QByteArray toPem(X509* cert);
QByteArray privateKeyToPem(EVP_PKEY* key);
X509Ptr x509FromDer(QByteArrayView der);
// The first certificate / private key in a PEM text, or null.
X509Ptr x509FromPem(QByteArrayView pem);
EvpPkeyPtr privateKeyFromPem(QByteArrayView pem);

// True for an IPv4 or IPv6 literal (no brackets, no port), as OpenSSL's a2i_IPADDRESS reads it.
bool isIpAddress(QByteArrayView text);

// SHA-256 of the DER encoding, "AB:CD:..." (the form browsers and `openssl x509 -fingerprint`
// show).
QString sha256Fingerprint(X509* cert);

// Takes (and clears) this thread's OpenSSL error queue as one line of text; `fallback` when the
// queue is empty.
QString takeOpenSslErrors(const QString& fallback = QStringLiteral("unknown OpenSSL error"));

// Sets a random positive 128-bit serial number.
bool setRandomSerial(X509* cert);

// Adds a v3 extension written in OpenSSL's config syntax ("critical,CA:TRUE"), with `issuer`
// as the issuer for authorityKeyIdentifier. Only for fixed strings we write ourselves: never
// pass names from the network here (use subjectAltName building in CertStore).
bool addExtension(X509* cert, X509* issuer, int nid, const char* value);

} // namespace spyglass
