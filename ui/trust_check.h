#pragma once
// The certificate wizard's last step (cert_wizard.h): did installing the CA work? Fetches an
// https URL through the running proxy with the system's trust store, as an ordinary client
// would, and says whether the certificate Spyglass minted for it was trusted. The default URL,
// https://spyglass.proxy/, is answered by the proxy itself (addons/onboarding.h), so the check
// needs no internet connection.
//
// Qt's TLS backend reads the system store (on Linux the OpenSSL directory that
// update-ca-certificates fills); browsers with their own NSS store are not covered by this.

#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace spyglass {

class TrustCheck : public QObject
{
    Q_OBJECT
public:
    enum class Verdict
    {
        Trusted,    // the TLS handshake through the proxy verified
        NotTrusted, // it reached the proxy, and the certificate was refused
        Failed,     // no answer (proxy not running, timeout, ...)
    };
    Q_ENUM(Verdict)

    explicit TrustCheck(QObject* parent = nullptr);
    ~TrustCheck() override;

    // Added to the system's CAs (tests: "trusted" without touching the machine's store).
    void setExtraCaCertificates(const QList<QSslCertificate>& certificates);
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // Starts a check; a running one is abandoned. `finished` follows once.
    void start(const QUrl& url, const QString& proxyHost, quint16 proxyPort);
    bool isRunning() const { return m_reply != nullptr; }

Q_SIGNALS:
    void finished(spyglass::TrustCheck::Verdict verdict, const QString& detail);

private:
    QNetworkAccessManager* m_manager;
    QNetworkReply* m_reply = nullptr;
    QList<QSslCertificate> m_extraCas;
    int m_timeoutMs = 15000;
};

} // namespace spyglass
