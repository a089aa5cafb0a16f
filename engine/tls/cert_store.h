#pragma once
// Mints leaf certificates signed by the Spyglass CA, with an LRU cache (mitmproxy's
// `certs.CertStore.get_cert`). Every leaf uses the CA's one shared leaf key, so minting is
// only building and signing a certificate (about a millisecond) and the cache is a speed-up,
// not a necessity.
//
// Thread-safe: the workers of all client connections call leafFor() concurrently. The cache
// is keyed by the sorted, lower-cased name set plus the organization; two threads that miss
// at once may both mint, and the first one stored wins.
//
// Leaf profile (what browsers and Apple's rules accept): random 128-bit serial, notBefore
// now - 2 days (clock skew), notAfter now + 365 days (Apple's 397-day limit), CN = the first
// name when it is at most 64 characters, subjectAltName with every DNS name and IP address,
// basicConstraints CA:FALSE, keyUsage digitalSignature + keyEncipherment, extendedKeyUsage
// serverAuth, subject/authority key identifiers, SHA-256.

#include "tls/openssl_ptr.h"
#include "tls/x509_util.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <atomic>
#include <deque>
#include <list>
#include <mutex>

namespace spyglass {

class CertificateAuthority;

class CertStore
{
public:
    static constexpr int kDefaultCapacity = 1000;

    explicit CertStore(std::shared_ptr<const CertificateAuthority> ca,
                       int capacity = kDefaultCapacity);
    ~CertStore();
    CertStore(const CertStore&) = delete;
    CertStore& operator=(const CertStore&) = delete;

    // A leaf for `names`: DNS names in IDNA form or IP literals (IPv4, IPv6 without brackets),
    // the first one is the primary name (the CN). Names that cannot be in a certificate
    // (empty, spaces, non-ASCII) are skipped; duplicates are folded. `organization`, when
    // given, becomes the subject's O (mitmproxy copies the upstream certificate's).
    // Returns null and sets `error` when no usable name remains or OpenSSL fails.
    SharedX509 leafFor(const QList<QByteArray>& names, const QByteArray& organization = {},
                       QString* error = nullptr);

    // The names in an upstream server's certificate (DER), for `upstream_cert` minting; empty
    // when `der` does not parse. Parsed once per distinct certificate: OpenSSL 3's d2i_X509
    // takes about 1.2 million instructions (a sixth of an intercepted connection's CPU) and a
    // server presents the same certificate on every connection. Keeps the last
    // kUpstreamNamesCapacity certificates.
    CertificateNames upstreamNames(const QByteArray& der);
    static constexpr int kUpstreamNamesCapacity = 256;
    // How many upstream certificates were parsed so far (cache misses), for tests.
    quint64 upstreamParsedCount() const { return m_upstreamParsed.load(); }

    // The key every leaf is issued for, and the CA (for the chain sent to clients).
    EVP_PKEY* leafKey() const;
    X509* caCertificate() const;
    const CertificateAuthority& authority() const { return *m_ca; }

    int capacity() const { return m_capacity; }
    int size() const;
    // How many certificates were signed so far (cache misses), for tests and statistics.
    quint64 mintedCount() const { return m_minted.load(); }

private:
    struct Entry
    {
        QByteArray key;
        SharedX509 cert;
    };

    SharedX509 mint(const QList<QByteArray>& names, const QByteArray& organization,
                    QString* error) const;

    std::shared_ptr<const CertificateAuthority> m_ca;
    const int m_capacity;
    mutable std::mutex m_mutex;
    std::list<Entry> m_lru; // most recently used first
    QHash<QByteArray, std::list<Entry>::iterator> m_index;
    std::atomic<quint64> m_minted{0};

    mutable std::mutex m_upstreamMutex;
    QHash<QByteArray, CertificateNames> m_upstreamNames; // by DER
    std::deque<QByteArray> m_upstreamOrder;              // oldest first, for eviction
    std::atomic<quint64> m_upstreamParsed{0};
};

} // namespace spyglass
