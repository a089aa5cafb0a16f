#include "tls/tls_session.h"

#include "tls/upstream_session_cache.h"

#include "tls/x509_util.h"

#include <openssl/err.h>

#include <algorithm>
#include <cstring>

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

// The BIO under every TlsSession's SSL (both directions): its data pointer is the session.
struct TlsSession::Bio
{
    static TlsSession* session(BIO* bio) { return static_cast<TlsSession*>(BIO_get_data(bio)); }

    static int write(BIO* bio, const char* data, size_t size, size_t* written)
    {
        BIO_clear_retry_flags(bio);
        session(bio)->m_out.append(data, qsizetype(size));
        *written = size;
        return 1;
    }

    // A short read is fine: OpenSSL reads again for the rest of a record.
    static int read(BIO* bio, char* out, size_t size, size_t* readBytes)
    {
        BIO_clear_retry_flags(bio);
        TlsSession* s = session(bio);
        if (s->m_inBuffered == 0) {
            *readBytes = 0;
            BIO_set_retry_read(bio); // no data yet, not the end of the stream
            return 0;
        }
        const QByteArray& front = s->m_in.front();
        const qsizetype n = std::min(qsizetype(size), front.size() - s->m_inPos);
        std::memcpy(out, front.constData() + s->m_inPos, std::size_t(n));
        s->m_inPos += n;
        s->m_inBuffered -= n;
        if (s->m_inPos == front.size()) {
            s->m_in.removeFirst();
            s->m_inPos = 0;
        }
        *readBytes = std::size_t(n);
        return 1;
    }

    static long control(BIO* bio, int command, long, void*)
    {
        switch (command) {
        case BIO_CTRL_PENDING:
            return long(session(bio)->m_inBuffered);
        case BIO_CTRL_WPENDING:
            return long(session(bio)->m_out.size());
        case BIO_CTRL_FLUSH:
            return 1;
        default:
            return 0;
        }
    }

    static int create(BIO* bio)
    {
        BIO_set_init(bio, 1);
        return 1;
    }

    // Made once, kept for the life of the process.
    static const BIO_METHOD* method()
    {
        static BIO_METHOD* const m = [] {
            BIO_METHOD* made =
                BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "spyglass tls session");
            if (made) {
                BIO_meth_set_write_ex(made, write);
                BIO_meth_set_read_ex(made, read);
                BIO_meth_set_ctrl(made, control);
                BIO_meth_set_create(made, create);
            }
            return made;
        }();
        return m;
    }
};

TlsSession::TlsSession(SSL_CTX* ctx, Role role) : m_role(role)
{
    clearErrorQueue();
    if (!ctx)
        return;
    m_ssl.reset(SSL_new(ctx));
    const BIO_METHOD* method = Bio::method();
    BIO* bio = method ? BIO_new(method) : nullptr;
    if (!m_ssl || !bio) {
        m_ssl.reset();
        BIO_free(bio);
        clearErrorQueue();
        return;
    }
    BIO_set_data(bio, this);
    SSL_set_bio(m_ssl.get(), bio, bio); // one reference, taken by the SSL
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

void TlsSession::receive(const QByteArray& bytes)
{
    if (!m_ssl || bytes.isEmpty())
        return;
    m_in.append(bytes);
    m_inBuffered += bytes.size();
}

bool TlsSession::hasBufferedInput() const
{
    return m_inBuffered > 0 || (m_ssl && SSL_has_pending(m_ssl.get()));
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

TlsSession::ReadResult TlsSession::read(qsizetype limit)
{
    ReadResult result;
    if (!m_ssl || !m_handshakeDone || m_fatal)
        return result;
    clearErrorQueue();
    while (result.data.size() < limit) {
        // Nothing buffered on either side of OpenSSL: SSL_read would only say WANT_READ, at the
        // price of a call and an error-queue round trip per received segment.
        if (!hasBufferedInput())
            break;
        // Plaintext is never longer than the ciphertext it comes from: decrypt straight into
        // the result, sized once per record or per read.
        const qsizetype old = result.data.size();
        const qsizetype wanted =
            std::min(m_inBuffered + qsizetype(SSL_pending(m_ssl.get())), limit - old);
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
    // Room for the records once: at most 16 KiB of plaintext each, plus a header, a tag and
    // (TLS 1.3) the content type; 64 bytes covers every cipher suite.
    m_out.reserve(m_out.size() + plain.size() + (plain.size() / 16384 + 1) * 64);
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
