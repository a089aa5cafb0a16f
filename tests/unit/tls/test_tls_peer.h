#pragma once
// A TLS client or server for tests, written against raw OpenSSL (not TlsSession) so that the
// code under test is checked by an independent implementation. Memory BIOs, no sockets:
// feed() what the other side sent, take() what this side wants to send.

#include "tls/openssl_ptr.h"

#include <QByteArray>
#include <QList>
#include <openssl/err.h>

namespace spyglass::test {

// Everything a memory BIO holds (what one side of a test connection wants to send).
inline QByteArray drainBio(BIO* bio)
{
    QByteArray out;
    char buf[16384];
    int n;
    while ((n = BIO_read(bio, buf, sizeof buf)) > 0)
        out.append(buf, n);
    return out;
}

class TestTlsPeer
{
public:
    struct ClientConfig
    {
        QByteArray sni;         // sent unless empty
        QList<QByteArray> alpn; // offered unless empty
        X509* trust = nullptr;  // trusted root; null: verification off
        QByteArray verifyHost;  // DNS name checked when trust is set
        QByteArray verifyIp;    // or an IP address
        int minVersion = TLS1_2_VERSION;
        int maxVersion = TLS1_3_VERSION;
        QByteArray tls13Suites; // offered in this order; OpenSSL's default when empty
    };
    struct ServerConfig
    {
        X509* cert = nullptr;
        EVP_PKEY* key = nullptr;
        X509* chain = nullptr;
        QList<QByteArray> alpnSupported; // picks the first client offer found here
        int minVersion = TLS1_2_VERSION;
        int maxVersion = TLS1_3_VERSION;
    };

    static std::unique_ptr<TestTlsPeer> client(const ClientConfig& c)
    {
        auto peer = std::unique_ptr<TestTlsPeer>(new TestTlsPeer());
        peer->m_ctx.reset(SSL_CTX_new(TLS_client_method()));
        SSL_CTX* ctx = peer->m_ctx.get();
        SSL_CTX_set_min_proto_version(ctx, c.minVersion);
        SSL_CTX_set_max_proto_version(ctx, c.maxVersion);
        if (!c.tls13Suites.isEmpty())
            SSL_CTX_set_ciphersuites(ctx, c.tls13Suites.constData());
        if (c.trust) {
            X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), c.trust);
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
        } else {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
        }
        peer->init(false);
        SSL* ssl = peer->m_ssl.get();
        if (!c.sni.isEmpty())
            SSL_set_tlsext_host_name(ssl, c.sni.constData());
        if (!c.alpn.isEmpty()) {
            QByteArray wire;
            for (const auto& p : c.alpn)
                wire += char(p.size()) + p;
            SSL_set_alpn_protos(ssl, reinterpret_cast<const unsigned char*>(wire.constData()),
                                unsigned(wire.size()));
        }
        if (!c.verifyHost.isEmpty())
            SSL_set1_host(ssl, c.verifyHost.constData());
        if (!c.verifyIp.isEmpty())
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), c.verifyIp.constData());
        return peer;
    }

    static std::unique_ptr<TestTlsPeer> server(const ServerConfig& c)
    {
        auto peer = std::unique_ptr<TestTlsPeer>(new TestTlsPeer());
        peer->m_ctx.reset(SSL_CTX_new(TLS_server_method()));
        SSL_CTX* ctx = peer->m_ctx.get();
        SSL_CTX_set_min_proto_version(ctx, c.minVersion);
        SSL_CTX_set_max_proto_version(ctx, c.maxVersion);
        SSL_CTX_use_certificate(ctx, c.cert);
        SSL_CTX_use_PrivateKey(ctx, c.key);
        if (c.chain)
            SSL_CTX_add1_chain_cert(ctx, c.chain);
        SSL_CTX_set_tlsext_servername_callback(ctx, &TestTlsPeer::onServerName);
        SSL_CTX_set_alpn_select_cb(ctx, &TestTlsPeer::onAlpn, nullptr);
        peer->m_alpnSupported = c.alpnSupported;
        peer->init(true);
        return peer;
    }

    void feed(const QByteArray& bytes)
    {
        if (!bytes.isEmpty())
            BIO_write(m_in, bytes.constData(), int(bytes.size()));
    }
    QByteArray take() { return drainBio(m_out); }
    // 1 done, 0 wants more, -1 failed.
    int handshake()
    {
        ERR_clear_error();
        const int rc = SSL_do_handshake(m_ssl.get());
        if (rc == 1)
            return 1;
        const int e = SSL_get_error(m_ssl.get(), rc);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
            return 0;
        m_failed = true;
        ERR_clear_error();
        return -1;
    }
    bool write(const QByteArray& data)
    {
        return SSL_write(m_ssl.get(), data.constData(), int(data.size())) == int(data.size());
    }
    QByteArray read()
    {
        QByteArray out;
        char buf[16384];
        int n;
        while ((n = SSL_read(m_ssl.get(), buf, sizeof buf)) > 0)
            out.append(buf, n);
        if (SSL_get_error(m_ssl.get(), n) == SSL_ERROR_ZERO_RETURN)
            m_closeNotify = true;
        ERR_clear_error();
        return out;
    }
    void shutdown() { SSL_shutdown(m_ssl.get()); }

    SSL* ssl() const { return m_ssl.get(); }
    bool done() const { return SSL_is_init_finished(m_ssl.get()); }
    bool failed() const { return m_failed; }
    bool closeNotify() const { return m_closeNotify; }
    long verifyResult() const { return SSL_get_verify_result(m_ssl.get()); }
    QByteArray alpn() const
    {
        const unsigned char* d = nullptr;
        unsigned int n = 0;
        SSL_get0_alpn_selected(m_ssl.get(), &d, &n);
        return d ? QByteArray(reinterpret_cast<const char*>(d), int(n)) : QByteArray();
    }
    // Server side: what the client asked for.
    QByteArray seenSni() const { return m_seenSni; }
    QList<QByteArray> seenAlpnOffers() const { return m_seenAlpn; }
    X509* peerCertificate() const { return SSL_get0_peer_certificate(m_ssl.get()); }
    QByteArray version() const { return SSL_get_version(m_ssl.get()); }

private:
    TestTlsPeer() = default;

    void init(bool server)
    {
        m_ssl.reset(SSL_new(m_ctx.get()));
        m_in = BIO_new(BIO_s_mem());
        m_out = BIO_new(BIO_s_mem());
        BIO_set_mem_eof_return(m_in, -1);
        SSL_set_bio(m_ssl.get(), m_in, m_out);
        SSL_set_app_data(m_ssl.get(), this);
        if (server)
            SSL_set_accept_state(m_ssl.get());
        else
            SSL_set_connect_state(m_ssl.get());
    }

    static int onServerName(SSL* ssl, int*, void*)
    {
        auto* self = static_cast<TestTlsPeer*>(SSL_get_app_data(ssl));
        if (const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name))
            self->m_seenSni = name;
        return SSL_TLSEXT_ERR_OK;
    }
    static int onAlpn(SSL* ssl, const unsigned char** out, unsigned char* outlen,
                      const unsigned char* in, unsigned int inlen, void*)
    {
        auto* self = static_cast<TestTlsPeer*>(SSL_get_app_data(ssl));
        self->m_seenAlpn.clear();
        for (unsigned i = 0; i < inlen; i += 1 + in[i])
            self->m_seenAlpn.append(QByteArray(reinterpret_cast<const char*>(in + i + 1), in[i]));
        for (unsigned i = 0; i < inlen; i += 1 + in[i]) {
            const QByteArray p(reinterpret_cast<const char*>(in + i + 1), in[i]);
            if (self->m_alpnSupported.contains(p)) {
                *out = in + i + 1;
                *outlen = in[i];
                return SSL_TLSEXT_ERR_OK;
            }
        }
        return SSL_TLSEXT_ERR_NOACK;
    }

    SslCtxPtr m_ctx;
    SslPtr m_ssl;
    BIO* m_in = nullptr;
    BIO* m_out = nullptr;
    QList<QByteArray> m_alpnSupported;
    QByteArray m_seenSni;
    QList<QByteArray> m_seenAlpn;
    bool m_failed = false;
    bool m_closeNotify = false;
};

// The first flight of a fresh client: its ClientHello record(s).
inline QByteArray makeClientHello(const TestTlsPeer::ClientConfig& config)
{
    auto peer = TestTlsPeer::client(config);
    peer->handshake();
    return peer->take();
}

} // namespace spyglass::test
