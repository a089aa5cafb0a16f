#include "tls/tls_contexts.h"

#include <openssl/x509.h>

#include "options/options.h"
#include "tls/tls_session.h"
#include "tls/upstream_session_cache.h"
#include "tls/x509_util.h"

#include <QFile>
#include <openssl/err.h>

namespace spyglass {

namespace {

// Cipher order on both sides: AES-128-GCM first, as Mozilla's recommended configurations,
// nginx, Go, browsers and nghttpx have it. OpenSSL's own default puts AES-256-GCM first, whose
// 14 rounds cost ~40% more per byte than AES-128's 10; an intercepted byte is decrypted and
// encrypted twice. TLS 1.2 keeps OpenSSL's DEFAULT set, with its AES-128-GCM suites moved up.
constexpr char kTls13Suites[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr char kTls12Ciphers[] = "ECDHE+AESGCM+AES128:DEFAULT";

bool limitVersions(SSL_CTX* ctx)
{
    return SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1 &&
           SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) == 1 &&
           SSL_CTX_set_ciphersuites(ctx, kTls13Suites) == 1 &&
           SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) == 1;
}

} // namespace

TlsContexts::~TlsContexts() = default;

std::shared_ptr<const TlsContexts> TlsContexts::create(const Options& options, QString* error)
{
    QString localError;
    QString& err = error ? *error : localError;
    err.clear();
    ERR_clear_error();
    std::shared_ptr<TlsContexts> contexts(new TlsContexts());

    // Client-facing: no session resumption (every connection gets its certificate from the
    // current upstream decision), no renegotiation, ALPN answered per connection.
    contexts->m_clientFacing.reset(SSL_CTX_new(TLS_server_method()));
    SSL_CTX* server = contexts->m_clientFacing.get();
    if (!server || !limitVersions(server)) {
        err = QStringLiteral("cannot create the client-facing TLS context: %1")
                  .arg(takeOpenSslErrors());
        return nullptr;
    }
    // Our order decides (most clients offer AES-256-GCM first only because OpenSSL does),
    // except that a client that asks for ChaCha20 first (no AES instructions) gets it.
    SSL_CTX_set_options(server, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
                                    SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_PRIORITIZE_CHACHA);
    SSL_CTX_set_session_cache_mode(server, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(server, 0);
    SSL_CTX_set_mode(server, SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_alpn_select_cb(server, &TlsSession::selectAlpnCallback, nullptr);

    // Upstream: verify against the system store plus the user's extra CAs. Whether to verify
    // at all (ssl_insecure) and which name to check is set on each SSL.
    contexts->m_upstream.reset(SSL_CTX_new(TLS_client_method()));
    SSL_CTX* client = contexts->m_upstream.get();
    if (!client || !limitVersions(client)) {
        err = QStringLiteral("cannot create the upstream TLS context: %1").arg(takeOpenSslErrors());
        return nullptr;
    }
    // Old servers without RFC 5746 still exist behind many corporate proxies.
    SSL_CTX_set_options(client, SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_mode(client, SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_verify(client, SSL_VERIFY_PEER, nullptr);
    // Resume sessions with servers (UpstreamSessionCache): a full handshake parses and
    // verifies the server's chain again, a sixth of an intercepted connection's CPU.
    contexts->m_upstreamSessions = std::make_unique<UpstreamSessionCache>();
    UpstreamSessionCache::install(client);
    if (!options.sslInsecure) {
        // The system store, read once into memory. OpenSSL verifies the chain even when
        // told not to care, and its directory lookup (default verify paths) lists and stats
        // /etc/ssl/certs on every handshake: 2 ms of a new HTTPS connection here. With
        // ssl_insecure the store stays empty, so that work is not done at all.
        const char* bundle = X509_get_default_cert_file();
        if (!bundle || !QFile::exists(QFile::decodeName(bundle)) ||
            SSL_CTX_load_verify_file(client, bundle) != 1) {
            ERR_clear_error();
            if (SSL_CTX_set_default_verify_paths(client) != 1)
                ERR_clear_error(); // no system store is not fatal: extra CAs may do
        }
    }

    if (!options.sslVerifyUpstreamTrustedCa.isEmpty()) {
        const QString path = expandHome(options.sslVerifyUpstreamTrustedCa);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            err = QStringLiteral("cannot read ssl_verify_upstream_trusted_ca file %1: %2")
                      .arg(path, f.errorString());
            return nullptr;
        }
        f.close();
        if (SSL_CTX_load_verify_locations(client, QFile::encodeName(path).constData(), nullptr) !=
            1) {
            err = QStringLiteral("cannot load CA certificates from %1 "
                                 "(ssl_verify_upstream_trusted_ca): %2")
                      .arg(path, takeOpenSslErrors(QStringLiteral("no PEM certificate found")));
            return nullptr;
        }
    }
    ERR_clear_error();
    return contexts;
}

} // namespace spyglass
