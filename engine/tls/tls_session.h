#pragma once
// One TLS connection as a byte transformer: OpenSSL's SSL over an in-memory BIO, no socket
// (DESIGN.md "OpenSSL does TLS over memory BIOs"; mitmproxy drives pyOpenSSL the same way in
// `layers/tls.py`). The BIO is our own rather than BIO_s_mem: OpenSSL reads records straight
// out of the received buffers (kept shared, not copied in) and writes records straight onto
// the outgoing bytes (not into a buffer of its own that takeOutgoing() would copy out). With a
// 256 KiB read per wake-up, those two copies took a third of the CPU of an intercepted HTTPS
// download (bench/s4_floor.sh's set-up over https, perf). The TLS layers own one TlsSession per
// connection they encrypt:
//
//   receive(bytes from the peer) -> handshake() / read()  -> plaintext for the child layer
//   write(plaintext from the child)  -> takeOutgoing()     -> bytes for the peer
//
// Nothing here blocks or allocates threads; "need more data" is a normal answer. Failures
// come back as a Failure value with a readable reason (the OpenSSL error queue is drained on
// every call, so a failure never leaks into another connection on the same thread).
//
// The client-facing SSL_CTX (TlsContexts) calls selectAlpnCallback, which answers with the
// protocol set by setAlpnToSelect(): the ALPN choice is made by the layer (the server's
// choice, when the client offered it) before the handshake runs. SSL app data points back to
// this object for that callback.

#include "tls/openssl_ptr.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <limits>
#include <utility>

namespace spyglass {

class UpstreamSessionCache;

class TlsSession
{
public:
    // Our role in the TLS protocol.
    enum class Role : quint8
    {
        Client,
        Server
    };
    enum class Progress : quint8
    {
        Done,
        NeedMore,
        Failed
    };

    struct Failure
    {
        QString reason;         // "certificate verify failed (self-signed certificate)"
        int alertReceived = -1; // TLS alert description the peer sent, if that was the cause
        bool verifyFailed = false;
        bool peerClosed = false; // the peer ended the stream (close_notify or EOF) mid-handshake
    };

    struct ReadResult
    {
        QByteArray data;
        bool closeNotify = false; // the peer sent close_notify: no more data will come
        QString error;            // a fatal alert or a corrupt record after the handshake
    };

    // How much plaintext a TLS layer decrypts before passing it on: relayed, a slice is
    // encrypted again for the other side before the next is decrypted, so the bytes in hand
    // stay in the CPU's cache instead of a whole 256 KiB read going through each step in turn.
    static constexpr qsizetype kRelaySlice = 32 * 1024;

    TlsSession(SSL_CTX* ctx, Role role);
    ~TlsSession();
    TlsSession(const TlsSession&) = delete;
    TlsSession& operator=(const TlsSession&) = delete;

    bool isValid() const { return m_ssl != nullptr; }
    SSL* ssl() const { return m_ssl.get(); }
    Role role() const { return m_role; }

    // Server role, before the handshake.
    bool useCertificate(X509* leaf, EVP_PKEY* key, X509* chainCertificate, QString* error);
    void setAlpnToSelect(const QByteArray& protocol) { m_alpnToSelect = protocol; }
    // Client role, before the handshake. `sni` is sent unless empty or an IP literal;
    // `expectedName` (a DNS name or an IP literal) is checked against the certificate when
    // `verify` is true.
    bool configureClient(const QByteArray& sni, const QList<QByteArray>& alpnOffers, bool verify,
                         const QByteArray& expectedName, QString* error);

    // Client role, before the handshake: resumes a session `cache` holds under `key`, when it
    // has one, and files there the sessions this server issues (UpstreamSessionCache). The
    // cache must outlive this session.
    void useSessionCache(UpstreamSessionCache* cache, const QByteArray& key);
    UpstreamSessionCache* sessionCache() const { return m_sessionCache; }
    const QByteArray& sessionCacheKey() const { return m_sessionCacheKey; }
    // The handshake resumed a session (valid after it).
    bool resumed() const;

    // Received bytes are kept as they are (shared, not copied) until OpenSSL has read them.
    void receive(const QByteArray& bytes);
    QByteArray takeOutgoing() { return std::exchange(m_out, QByteArray()); }

    Progress handshake();
    bool handshakeDone() const { return m_handshakeDone; }
    const Failure& failure() const { return m_failure; }

    // Decrypts what is buffered (after the handshake): everything, or about `limit` bytes of
    // plaintext, leaving the rest for the next call (hasBufferedInput() says whether any is
    // left).
    ReadResult read(qsizetype limit = std::numeric_limits<qsizetype>::max());
    bool hasBufferedInput() const;
    // Encrypts `plain`; false once the session can no longer send.
    bool write(QByteArrayView plain);
    // Queues close_notify (once); harmless when the session is unusable.
    void shutdown();
    bool shutdownSent() const { return m_shutdownSent; }

    // Facts for Connection, valid after the handshake.
    QByteArray protocolVersion() const; // "TLSv1.3"
    QByteArray cipherName() const;      // IANA name, "TLS_AES_128_GCM_SHA256"
    QByteArray negotiatedAlpn() const;
    QList<QByteArray> peerChainDer() const; // leaf first

    // SSL_CTX_set_alpn_select_cb for the client-facing context.
    static int selectAlpnCallback(SSL* ssl, const unsigned char** out, unsigned char* outlen,
                                  const unsigned char* in, unsigned int inlen, void* arg);

    // Lower-case long text of a TLS alert description: 48 -> "unknown ca".
    static QString alertText(int alert);

private:
    struct Bio;
    void recordFailure(int sslError);

    // The BIO's two sides: received bytes not yet read by OpenSSL (m_in's first array from
    // m_inPos on, then the others whole; m_inBuffered in all), and records not yet taken.
    QList<QByteArray> m_in;
    qsizetype m_inPos = 0;
    qsizetype m_inBuffered = 0;
    QByteArray m_out;
    SslPtr m_ssl; // after the buffers: freed first, while its BIO can still see them
    Role m_role;
    QByteArray m_alpnToSelect;
    UpstreamSessionCache* m_sessionCache = nullptr;
    QByteArray m_sessionCacheKey;
    Failure m_failure;
    bool m_handshakeDone = false;
    bool m_fatal = false;
    bool m_shutdownSent = false;
};

} // namespace spyglass
