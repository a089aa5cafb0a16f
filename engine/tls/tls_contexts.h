#pragma once
// The two shared SSL_CTX objects of the engine (mitmproxy's `addons/tlsconfig.py` builds them
// per connection; OpenSSL lets us build them once): one for the client-facing side, where
// Spyglass is the TLS server with minted certificates, and one for upstream, where Spyglass is
// the TLS client that verifies servers against the system trust store plus
// `ssl_verify_upstream_trusted_ca`. Both speak TLS 1.2 and 1.3.
//
// Built once from an Options snapshot (loading the system trust store takes tens of
// milliseconds) and shared by every worker thread: an SSL_CTX that is no longer modified is
// safe to use for SSL_new() from many threads. When the TLS options change, the engine builds
// a new TlsContexts; layers keep the one they started with (shared_ptr).
//
// Per-connection choices (the certificate, the ALPN answer, SNI, hostname checks,
// `ssl_insecure`) are made on each SSL by TlsSession and the TLS layers, never here.
// Reached by layers through `proxy::Services::tls`.

#include "tls/openssl_ptr.h"

#include <QString>
#include <memory>

namespace spyglass {

struct Options;
class CertStore;
class UpstreamSessionCache;

class TlsContexts
{
public:
    // Returns null and sets `error` when the extra CA file cannot be read or OpenSSL fails.
    static std::shared_ptr<const TlsContexts> create(const Options& options, QString* error);

    ~TlsContexts();
    TlsContexts(const TlsContexts&) = delete;
    TlsContexts& operator=(const TlsContexts&) = delete;

    // Spyglass as the TLS server, towards clients.
    SSL_CTX* clientFacing() const { return m_clientFacing.get(); }
    // Spyglass as the TLS client, towards servers.
    SSL_CTX* upstream() const { return m_upstream.get(); }
    // The sessions upstream servers issued on upstream() (thread-safe; lives as long as this).
    UpstreamSessionCache* upstreamSessions() const { return m_upstreamSessions.get(); }

private:
    TlsContexts() = default;

    SslCtxPtr m_clientFacing;
    SslCtxPtr m_upstream;
    std::unique_ptr<UpstreamSessionCache> m_upstreamSessions;
};

} // namespace spyglass
