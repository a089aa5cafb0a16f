#include "trust_check.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QStringList>

namespace spyglass {

TrustCheck::TrustCheck(QObject* parent)
    : QObject(parent), m_manager(new QNetworkAccessManager(this))
{
}

TrustCheck::~TrustCheck()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void TrustCheck::setExtraCaCertificates(const QList<QSslCertificate>& certificates)
{
    m_extraCas = certificates;
}

void TrustCheck::start(const QUrl& url, const QString& proxyHost, quint16 proxyPort)
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    m_manager->setProxy(QNetworkProxy(QNetworkProxy::HttpProxy, proxyHost, proxyPort));
    // A fresh connection each time: a kept-alive one would skip the handshake being tested.
    m_manager->clearConnectionCache();
    m_manager->clearAccessCache();

    QNetworkRequest request(url);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!m_extraCas.isEmpty())
        tls.addCaCertificates(m_extraCas);
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    request.setSslConfiguration(tls);
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);

    QNetworkReply* reply = m_manager->get(request);
    m_reply = reply;
    auto sslErrors = std::make_shared<QStringList>();
    connect(reply, &QNetworkReply::sslErrors, this, [sslErrors](const QList<QSslError>& errors) {
        for (const QSslError& e : errors)
            sslErrors->append(e.errorString());
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, sslErrors, url] {
        if (reply != m_reply)
            return;
        m_reply = nullptr;
        reply->deleteLater();
        if (!sslErrors->isEmpty()) {
            sslErrors->removeDuplicates();
            Q_EMIT finished(Verdict::NotTrusted, sslErrors->join(QStringLiteral("; ")));
            return;
        }
        if (reply->error() == QNetworkReply::NoError) {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            Q_EMIT finished(Verdict::Trusted,
                            tr("%1 answered HTTP %2 over a verified TLS connection")
                                .arg(url.host())
                                .arg(status));
            return;
        }
        if (reply->error() == QNetworkReply::SslHandshakeFailedError) {
            Q_EMIT finished(Verdict::NotTrusted, reply->errorString());
            return;
        }
        const int code = int(reply->error());
        if ((code >= QNetworkReply::ContentAccessDenied &&
             code <= QNetworkReply::UnknownContentError) ||
            (code >= QNetworkReply::InternalServerError &&
             code <= QNetworkReply::UnknownServerError)) {
            // An HTTP error status: TLS itself was verified.
            Q_EMIT finished(Verdict::Trusted, tr("%1 answered over a verified TLS connection (%2)")
                                                  .arg(url.host(), reply->errorString()));
            return;
        }
        Q_EMIT finished(Verdict::Failed, reply->errorString());
    });
}

} // namespace spyglass
