#pragma once
// "Open browser" (issue 6; mitmproxy 7's `browser.start`): starts Chromium, Chrome or Firefox
// with a fresh profile of its own that uses the proxy and trusts Spyglass for that profile
// only, so the user's everyday browser and its store are never touched.
//
//   Chromium  --user-data-dir=TEMP --proxy-server=HOST:PORT --proxy-bypass-list=<-loopback>
//             --ignore-certificate-errors-spki-list=LIST --no-first-run
//             --no-default-browser-check. LIST holds the SPKI hash of the one leaf key every
//             minted certificate shares (Chromium matches the leaf, not the CA: TOOLCHAIN.md)
//             and the CA's own.
//   Firefox   -no-remote -profile TEMP: a user.js sets the proxy for http and https (loopback
//             included); when certutil (libnss3-tools) exists the CA is imported into the
//             profile's NSS store, else the onboarding page tells how.
//
// Several browsers may run at once. When the launcher goes away (the app exits) the browsers
// it started are closed and their profile directories removed.

#include <QList>
#include <QObject>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

class QProcess;
class QTemporaryDir;
typedef struct x509_st X509;

namespace spyglass {

class BrowserLauncher : public QObject
{
    Q_OBJECT
public:
    enum class Family
    {
        Chromium,
        Firefox,
    };
    struct Browser
    {
        Family family;
        QString name;       // "chromium"
        QString executable; // absolute path
    };
    using FindExecutable = std::function<QString(const QString&)>;

    explicit BrowserLauncher(QObject* parent = nullptr);
    ~BrowserLauncher() override;

    // The browsers installed, Chromium-based ones first (they need no certutil).
    static QList<Browser> findBrowsers(const FindExecutable& find = {});
    static QStringList chromiumArguments(const QString& profileDir, const QString& proxyHost,
                                         quint16 proxyPort, const QStringList& spkiHashes,
                                         const QString& url);
    static QByteArray firefoxUserJs(const QString& proxyHost, quint16 proxyPort);
    // base64(SHA-256(DER SubjectPublicKeyInfo)) of a certificate's key.
    static QByteArray spkiSha256Base64(X509* certificate);

    // Extra arguments for every Chromium started after this (tests: --headless ...).
    void setExtraChromiumArguments(const QStringList& arguments) { m_extraChromium = arguments; }

    // Starts `browser` on `url`. `caPemPath` is imported into a Firefox profile when certutil
    // exists. False and a one-line reason when it could not start.
    bool launch(const Browser& browser, const QString& proxyHost, quint16 proxyPort,
                const QStringList& spkiHashes, const QString& caPemPath, const QString& url,
                QString* error);
    int runningCount() const;
    QStringList profileDirs() const;
    // The last process started (tests read its output).
    QProcess* lastProcess() const;
    // Closes every browser started here and removes the profiles.
    void closeAll();

Q_SIGNALS:
    void browserExited(const QString& name, int exitCode);

private:
    struct Instance;
    bool prepareFirefoxProfile(const QString& dir, const QString& proxyHost, quint16 proxyPort,
                               const QString& caPemPath, QString* error);

    std::vector<std::unique_ptr<Instance>> m_instances;
    QStringList m_extraChromium;
};

} // namespace spyglass
