#include "tls/tls_session.h"

#include "tls/upstream_session_cache.h"

#include "tls/x509_util.h"

#include <openssl/err.h>

#include <algorithm>

namespace spyglass {

namespace {

constexpr int kReadChunk = 16 * 1024;

// ERR_clear_error walks and frees all 16 slots of the thread's error queue whether or not
// anything is queued: ~1,700 instructions a call in OpenSSL 3.0, four calls per record, ~9%
// of an intercepted HTTPS request (bench/cpu_per_request.sh --mode callgrind --scenario S2).
// An empty queue (the normal case) needs only the peek.
void clearErrorQueue()
{
    if (ERR_peek_error() != 0)
        ERR_clear_error();
}

QByteArray alpnWire(const QList<QByteArray>& protocols)
{
    QByteArray wire;
    for (const QByteArray& p : protocols) {
        if (p.isEmpty() || p.size() > 255)
            continue;
        wire += char(p.size());
        wire += p;
    }
    return wire;
}

} // namespace

TlsSession::TlsSession(SSL_CTX* ctx, Role role) : m_role(role)
{
    clearErrorQueue();
    if (!ctx)
        return;
    m_ssl.reset(SSL_new(ctx));
    m_readBio = BIO_new(BIO_s_mem());
    m_writeBio = BIO_new(BIO_s_mem());
    if (!m_ssl || !m_readBio || !m_writeBio) {
        m_ssl.reset();
        BIO_free(m_readBio);
        BIO_free(m_writeBio);
        m_readBio = m_writeBio = nullptr;
        clearErrorQueue();
        return;
    }
    // An empty read BIO means "no data yet", not end of stream.
    BIO_set_mem_eof_return(m_readBio, -1);
    SSL_set_bio(m_ssl.get(), m_readBio, m_writeBio);
    SSL_set_app_data(m_ssl.get(), this);
    if (role == Role::Client)
        SSL_set_connect_state(m_ssl.get());
    else
        SSL_set_accept_state(m_ssl.get());
}

TlsSession::~TlsSession() = default;

bool TlsSession::useCertificate(X509* leaf, EVP_PKEY* key, X509* chainCertificate, QString* error)
{
    clearErrorQueue();
    if (!m_ssl || SSL_use_certificate(m_ssl.get(), leaf) != 1 ||
        SSL_use_PrivateKey(m_ssl.get(), key) != 1 ||
        (chainCertificate && SSL_add1_chain_cert(m_ssl.get(), chainCertificate) != 1)) {
        if (error)
            *error = takeOpenSslErrors(QStringLiteral("no TLS session"));
        clearErrorQueue();
        return false;
    }
    return true;
}

bool TlsSession::configureClient(const QByteArray& sni, const QList<QByteArray>& alpnOffers,
                                 bool verify, const QByteArray& expectedName, QString* error)
{
    clearErrorQueue();
    auto fail = [&](const QString& what) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(what, takeOpenSslErrors());
        clearErrorQueue();
        return false;
    };
    if (!m_ssl)
        return fail(QStringLiteral("no TLS session"));
    SSL* ssl = m_ssl.get();
    // RFC 6066 3: literal IP addresses are not permitted in server_name.
    if (!sni.isEmpty() && !isIpAddress(sni) && SSL_set_tlsext_host_name(ssl, sni.constData()) != 1)
        return fail(QStringLiteral("cannot set SNI %1").arg(QString::fromLatin1(sni)));
    const QByteArray wire = alpnWire(alpnOffers);
    if (!wire.isEmpty() &&
        SSL_set_alpn_protos(ssl, reinterpret_cast<const unsigned char*>(wire.constData()),
                            unsigned(wire.size())) != 0)
        return fail(QStringLiteral("cannot set the ALPN offer"));
    if (!verify) {
        SSL_set_verify(ssl, SSL_VERIFY_NONE, nullptr);
        return true;
    }
    SSL_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
    if (expectedName.isEmpty())
        return true;
    if (isIpAddress(expectedName)) {
        if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), expectedName.constData()) != 1)
            return fail(QStringLiteral("cannot check the certificate for %1")
                            .arg(QString::fromLatin1(expectedName)));
    } else {
        SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        if (SSL_set1_host(ssl, expectedName.constData()) != 1)
            return fail(QStringLiteral("cannot check the certificate for %1")
                            .arg(QString::fromLatin1(expectedName)));
    }
    return true;
}

void TlsSession::useSessionCache(UpstreamSessionCache* cache, const QByteArray& key)
{
    m_sessionCache = cache;
    m_sessionCacheKey = key;
    if (!m_ssl || !cache || key.isEmpty())
        return;
    if (SSL_SESSION* session = cache->take(key)) {
        if (SSL_set_session(m_ssl.get(), session) != 1)
            clearErrorQueue(); // a full handshake then, as without a cache
        SSL_SESSION_free(session);
    }
}

bool TlsSession::resumed() const
{
    return m_ssl && SSL_session_reused(m_ssl.get()) == 1;
}

void TlsSession::receive(QByteArrayView bytes)
{
    if (m_readBio && !bytes.isEmpty())
        BIO_write(m_readBio, bytes.data(), int(bytes.size()));
}

QByteArray TlsSession::takeOutgoing()
{
    if (!m_writeBio)
        return {};
    const int pending = int(BIO_ctrl_pending(m_writeBio));
    if (pending <= 0)
        return {};
    QByteArray out(pending, Qt::Uninitialized);
    const int n = BIO_read(m_writeBio, out.data(), pending);
    out.resize(std::max(0, n));
    return out;
}

TlsSession::Progress TlsSession::handshake()
{
    if (m_handshakeDone)
        return Progress::Done;
    if (!m_ssl || m_fatal) {
        if (m_failure.reason.isEmpty())
            m_failure.reason = QStringLiteral("no TLS session");
        return Progress::Failed;
    }
    clearErrorQueue();
    const int rc = SSL_do_handshake(m_ssl.get());
    if (rc == 1) {
        m_handshakeDone = true;
        clearErrorQueue();
        return Progress::Done;
    }
    const int sslError = SSL_get_error(m_ssl.get(), rc);
    if (sslError == SSL_ERROR_WANT_READ || sslError == SSL_ERROR_WANT_WRITE) {
        clearErrorQueue();
        return Progress::NeedMore;
    }
    recordFailure(sslError);
    return Progress::Failed;
}

void TlsSession::recordFailure(int sslError)
{
    m_fatal = true;
    Failure f;
    QStringList reasons;
    while (const unsigned long e = ERR_get_error()) {
        const int reason = ERR_GET_REASON(e);
        if (ERR_GET_LIB(e) == ERR_LIB_SSL && reason >= SSL_AD_REASON_OFFSET &&
            reason < SSL_AD_REASON_OFFSET + 256)
            f.alertReceived = reason - SSL_AD_REASON_OFFSET;
        if (ERR_GET_LIB(e) == ERR_LIB_SSL && reason == SSL_R_CERTIFICATE_VERIFY_FAILED)
            f.verifyFailed = true;
        const char* text = ERR_reason_error_string(e);
        reasons.append(text ? QString::fromLatin1(text) : QStringLiteral("error %1").arg(e));
    }
    reasons.removeDuplicates();

    if (f.verifyFailed) {
        const long result = SSL_get_verify_result(m_ssl.get());
        f.reason = QStringLiteral("certificate verify failed (%1)")
                       .arg(QString::fromLatin1(X509_verify_cert_error_string(result)));
    } else if (f.alertReceived >= 0) {
        f.reason = QStringLiteral("alert %1").arg(alertText(f.alertReceived));
        if (f.alertReceived == SSL_AD_CLOSE_NOTIFY)
            f.peerClosed = true;
    } else if (sslError == SSL_ERROR_ZERO_RETURN) {
        f.reason = QStringLiteral("the peer closed the TLS connection");
        f.peerClosed = true;
    } else if (!reasons.isEmpty()) {
        f.reason = reasons.join(QStringLiteral("; "));
    } else if (sslError == SSL_ERROR_SYSCALL) {
        f.reason = QStringLiteral("unexpected end of the TLS stream");
        f.peerClosed = true;
    } else {
        f.reason = QStringLiteral("TLS error %1").arg(sslError);
    }
    m_failure = f;
}

TlsSession::ReadResult TlsSession::read()
{
    ReadResult result;
    if (!m_ssl || !m_handshakeDone || m_fatal)
        return result;
    clearErrorQueue();
    while (true) {
        // Nothing buffered on either side of OpenSSL: SSL_read would only say WANT_READ, at the
        // price of a call and an error-queue round trip per received segment.
        const qsizetype buffered = qsizetype(BIO_ctrl_pending(m_readBio));
        if (buffered == 0 && !SSL_has_pending(m_ssl.get()))
            break;
        // Plaintext is never longer than the ciphertext it comes from: decrypt straight into
        // the result, sized once.
        const qsizetype old = result.data.size();
        const qsizetype wanted = buffered + qsizetype(SSL_pending(m_ssl.get()));
        const int room = int(std::clamp<qsizetype>(wanted, 256, qsizetype(kReadChunk) * 4));
        result.data.resize(old + room);
        const int n = SSL_read(m_ssl.get(), result.data.data() + old, room);
        result.data.resize(old + qMax(n, 0));
        if (n > 0)
            continue;
        const int sslError = SSL_get_error(m_ssl.get(), n);
        if (sslError == SSL_ERROR_WANT_READ || sslError == SSL_ERROR_WANT_WRITE)
            break;
        if (sslError == SSL_ERROR_ZERO_RETURN) {
            result.closeNotify = true;
            break;
        }
        recordFailure(sslError);
        result.error = m_failure.reason;
        break;
    }
    clearErrorQueue();
    return result;
}

bool TlsSession::write(QByteArrayView plain)
{
    if (!m_ssl || !m_handshakeDone || m_fatal || m_shutdownSent)
        return false;
    clearErrorQueue();
    qsizetype offset = 0;
    while (offset < plain.size()) {
        const int chunk = int(std::min<qsizetype>(plain.size() - offset, 1 << 30));
        const int n = SSL_write(m_ssl.get(), plain.data() + offset, chunk);
        if (n <= 0) {
            recordFailure(SSL_get_error(m_ssl.get(), n));
            return false;
        }
        offset += n;
    }
    return true;
}

void TlsSession::shutdown()
{
    if (!m_ssl || m_shutdownSent)
        return;
    m_shutdownSent = true;
    if (!m_handshakeDone || m_fatal)
        return;
    clearErrorQueue();
    SSL_shutdown(m_ssl.get());
    clearErrorQueue();
}

QByteArray TlsSession::protocolVersion() const
{
    return m_ssl ? QByteArray(SSL_get_version(m_ssl.get())) : QByteArray();
}

QByteArray TlsSession::cipherName() const
{
    const SSL_CIPHER* cipher = m_ssl ? SSL_get_current_cipher(m_ssl.get()) : nullptr;
    if (!cipher)
        return {};
    if (const char* standard = SSL_CIPHER_standard_name(cipher))
        return QByteArray(standard);
    return QByteArray(SSL_CIPHER_get_name(cipher));
}

QByteArray TlsSession::negotiatedAlpn() const
{
    const unsigned char* data = nullptr;
    unsigned int len = 0;
    if (m_ssl)
        SSL_get0_alpn_selected(m_ssl.get(), &data, &len);
    return data && len ? QByteArray(reinterpret_cast<const char*>(data), int(len)) : QByteArray();
}

QList<QByteArray> TlsSession::peerChainDer() const
{
    QList<QByteArray> out;
    if (!m_ssl)
        return out;
    // On the client side the chain includes the peer's certificate; on the server side it
    // does not (SSL_get_peer_cert_chain(3)).
    if (m_role == Role::Server)
        if (X509* peer = SSL_get0_peer_certificate(m_ssl.get()))
            out.append(toDer(peer));
    if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(m_ssl.get()))
        for (int i = 0; i < sk_X509_num(chain); ++i)
            out.append(toDer(sk_X509_value(chain, i)));
    return out;
}

int TlsSession::selectAlpnCallback(SSL* ssl, const unsigned char** out, unsigned char* outlen,
                                   const unsigned char* in, unsigned int inlen, void*)
{
    const auto* self = static_cast<const TlsSession*>(SSL_get_app_data(ssl));
    if (!self || self->m_alpnToSelect.isEmpty())
        return SSL_TLSEXT_ERR_NOACK;
    const QByteArray& want = self->m_alpnToSelect;
    for (unsigned int i = 0; i < inlen;) {
        const unsigned int len = in[i];
        if (i + 1 + len > inlen)
            break;
        if (len == unsigned(want.size()) && memcmp(in + i + 1, want.constData(), len) == 0) {
            *out = in + i + 1;
            *outlen = static_cast<unsigned char>(len);
            return SSL_TLSEXT_ERR_OK;
        }
        i += 1 + len;
    }
    return SSL_TLSEXT_ERR_NOACK;
}

QString TlsSession::alertText(int alert)
{
    return QString::fromLatin1(SSL_alert_desc_string_long(alert)).toLower();
}

} // namespace spyglass
