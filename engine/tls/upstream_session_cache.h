#pragma once
// TLS sessions that upstream servers issued, so that the next connection to the same server
// resumes one instead of running a full handshake, as browsers and curl do. A resumed
// handshake skips parsing and verifying the server's certificate chain: ~2.1M of the ~7.5M
// instructions an intercepted HTTPS connection costs with OpenSSL 3 (docs/benchmarks.md,
// session 9). The certificate chain stays known: the session carries it, so the flow records
// it and `upstream_cert` copies its names as after a full handshake.
//
// Sessions are filed under a key that holds everything that decided how the first handshake
// was checked (server address, SNI, the name verified, whether it was verified, the ALPN
// offer), so a resumption never stands in for a check the new connection would have made.
// TLS 1.3 tickets are used once (RFC 8446, C.4); servers send one or two per handshake, so
// sequential connections keep finding one, and up to six are kept for parallel ones. TLS 1.2
// sessions may be resumed again.
//
// Installed in the upstream SSL_CTX by TlsContexts and shared by every worker thread (a
// mutex guards it). It lives as long as its TlsContexts: new TLS options mean new contexts
// and an empty cache.

#include "tls/openssl_ptr.h"

#include <QByteArray>
#include <QHash>

#include <list>
#include <mutex>
#include <vector>

namespace spyglass {

class UpstreamSessionCache
{
public:
    static constexpr int kDefaultCapacity = 1000; // keys (servers) kept
    // Sessions kept per server: a browser opens up to six connections to one host at once.
    static constexpr int kSessionsPerKey = 6;

    explicit UpstreamSessionCache(int capacity = kDefaultCapacity);
    ~UpstreamSessionCache();
    UpstreamSessionCache(const UpstreamSessionCache&) = delete;
    UpstreamSessionCache& operator=(const UpstreamSessionCache&) = delete;

    // Makes `ctx` (a client context) file every session its servers issue in the cache and
    // under the key of the TlsSession that SSL app data points to (useSessionCache()).
    static void install(SSL_CTX* ctx);

    // A session for `key` to resume, or null; the caller owns the reference. A TLS 1.3 ticket
    // leaves the cache; a TLS 1.2 session stays, and the caller gets a copy.
    SSL_SESSION* take(const QByteArray& key);
    // Files `session` under `key` (the cache takes over the reference).
    void store(const QByteArray& key, SSL_SESSION* session);

    int keyCount() const;
    int sessionCount(const QByteArray& key) const;

private:
    struct Entry
    {
        QByteArray key;
        std::vector<SSL_SESSION*> sessions; // oldest first
    };
    static int onNewSession(SSL* ssl, SSL_SESSION* session);
    static void freeAll(Entry& e);

    const int m_capacity;
    mutable std::mutex m_mutex;
    std::list<Entry> m_lru; // most recently used first
    QHash<QByteArray, std::list<Entry>::iterator> m_index;
};

} // namespace spyglass
