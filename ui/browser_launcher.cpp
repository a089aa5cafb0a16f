#include "browser_launcher.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <openssl/x509.h>

namespace spyglass {

struct BrowserLauncher::Instance
{
    QString name;
    std::unique_ptr<QTemporaryDir> profile;
    QProcess* process = nullptr;
};

BrowserLauncher::BrowserLauncher(QObject* parent) : QObject(parent) {}

BrowserLauncher::~BrowserLauncher()
{
    closeAll();
}

QList<BrowserLauncher::Browser> BrowserLauncher::findBrowsers(const FindExecutable& find)
{
    const FindExecutable lookup =
        find ? find : [](const QString& name) { return QStandardPaths::findExecutable(name); };
    const struct
    {
        Family family;
        const char* name;
    } candidates[] = {
        {Family::Chromium, "chromium"},       {Family::Chromium, "chromium-browser"},
        {Family::Chromium, "google-chrome"},  {Family::Chromium, "google-chrome-stable"},
        {Family::Chromium, "microsoft-edge"}, {Family::Firefox, "firefox"},
        {Family::Firefox, "firefox-esr"},
    };
    QList<Browser> out;
    QStringList seen;
    for (const auto& c : candidates) {
        const QString path = lookup(QString::fromLatin1(c.name));
        if (path.isEmpty())
            continue;
        const QString real = QFileInfo(path).canonicalFilePath();
        const QString key = real.isEmpty() ? path : real;
        if (seen.contains(key)) // chromium-browser -> chromium
            continue;
        seen << key;
        out << Browser{c.family, QString::fromLatin1(c.name), path};
    }
#ifdef Q_OS_MACOS
    const struct
    {
        Family family;
        const char* name;
        const char* path;
    } apps[] = {
        {Family::Chromium, "google-chrome",
         "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"},
        {Family::Chromium, "chromium", "/Applications/Chromium.app/Contents/MacOS/Chromium"},
        {Family::Firefox, "firefox", "/Applications/Firefox.app/Contents/MacOS/firefox"},
    };
    for (const auto& a : apps)
        if (!find && QFileInfo(QString::fromUtf8(a.path)).isExecutable())
            out << Browser{a.family, QString::fromLatin1(a.name), QString::fromUtf8(a.path)};
#endif
#ifdef Q_OS_WIN
    // Windows installers do not put browsers on PATH: their usual folders, per machine and
    // per user.
    const struct
    {
        Family family;
        const char* name;
        const char* base; // environment variable
        const char* path;
    } installs[] = {
        {Family::Chromium, "google-chrome", "ProgramFiles", "Google/Chrome/Application/chrome.exe"},
        {Family::Chromium, "google-chrome", "ProgramFiles(x86)",
         "Google/Chrome/Application/chrome.exe"},
        {Family::Chromium, "google-chrome", "LOCALAPPDATA", "Google/Chrome/Application/chrome.exe"},
        {Family::Chromium, "chromium", "LOCALAPPDATA", "Chromium/Application/chrome.exe"},
        {Family::Chromium, "microsoft-edge", "ProgramFiles(x86)",
         "Microsoft/Edge/Application/msedge.exe"},
        {Family::Chromium, "microsoft-edge", "ProgramFiles",
         "Microsoft/Edge/Application/msedge.exe"},
        {Family::Firefox, "firefox", "ProgramFiles", "Mozilla Firefox/firefox.exe"},
        {Family::Firefox, "firefox", "ProgramFiles(x86)", "Mozilla Firefox/firefox.exe"},
    };
    for (const auto& i : installs) {
        const QString base = qEnvironmentVariable(i.base);
        if (find || base.isEmpty())
            continue;
        const QString path = QDir::cleanPath(base + QLatin1Char('/') + QLatin1String(i.path));
        if (!QFileInfo(path).isExecutable() || seen.contains(path))
            continue;
        seen << path;
        out << Browser{i.family, QString::fromLatin1(i.name), QDir::toNativeSeparators(path)};
    }
#endif
    return out;
}

QStringList BrowserLauncher::chromiumArguments(const QString& profileDir, const QString& proxyHost,
                                               quint16 proxyPort, const QStringList& spkiHashes,
                                               const QString& url)
{
    QStringList args{
        QStringLiteral("--user-data-dir=") + profileDir,
        QStringLiteral("--proxy-server=%1:%2").arg(proxyHost).arg(proxyPort),
        // Without it Chromium sends localhost past the proxy.
        QStringLiteral("--proxy-bypass-list=<-loopback>"),
        QStringLiteral("--no-first-run"),
        QStringLiteral("--no-default-browser-check"),
        QStringLiteral("--disable-quic"),
    };
    if (!spkiHashes.isEmpty())
        args << QStringLiteral("--ignore-certificate-errors-spki-list=") +
                    spkiHashes.join(QLatin1Char(','));
    if (!url.isEmpty())
        args << url;
    return args;
}

QByteArray BrowserLauncher::firefoxUserJs(const QString& proxyHost, quint16 proxyPort)
{
    const QByteArray host = proxyHost.toUtf8();
    const QByteArray port = QByteArray::number(proxyPort);
    QByteArray js;
    auto pref = [&js](const char* name, const QByteArray& value) {
        js += "user_pref(\"" + QByteArray(name) + "\", " + value + ");\n";
    };
    pref("network.proxy.type", "1");
    pref("network.proxy.http", '"' + host + '"');
    pref("network.proxy.http_port", port);
    pref("network.proxy.ssl", '"' + host + '"');
    pref("network.proxy.ssl_port", port);
    pref("network.proxy.share_proxy_settings", "true");
    pref("network.proxy.no_proxies_on", "\"\"");
    pref("network.proxy.allow_hijacking_localhost", "true");
    pref("network.http.http3.enable", "false");
    pref("browser.shell.checkDefaultBrowser", "false");
    pref("browser.startup.homepage_override.mstone", "\"ignore\"");
    pref("browser.aboutwelcome.enabled", "false");
    pref("datareporting.policy.dataSubmissionEnabled", "false");
    pref("toolkit.telemetry.reportingpolicy.firstRun", "false");
    return js;
}

QByteArray BrowserLauncher::spkiSha256Base64(X509* certificate)
{
    if (!certificate)
        return {};
    unsigned char* der = nullptr;
    const int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate), &der);
    if (len <= 0)
        return {};
    const QByteArray spki(reinterpret_cast<const char*>(der), len);
    OPENSSL_free(der);
    return QCryptographicHash::hash(spki, QCryptographicHash::Sha256).toBase64();
}

bool BrowserLauncher::prepareFirefoxProfile(const QString& dir, const QString& proxyHost,
                                            quint16 proxyPort, const QString& caPemPath,
                                            QString* error)
{
    QFile userJs(dir + QStringLiteral("/user.js"));
    if (!userJs.open(QIODevice::WriteOnly) ||
        userJs.write(firefoxUserJs(proxyHost, proxyPort)) < 0) {
        *error = tr("cannot write %1: %2").arg(userJs.fileName(), userJs.errorString());
        return false;
    }
    const QString certutil = QStandardPaths::findExecutable(QStringLiteral("certutil"));
    if (certutil.isEmpty() || caPemPath.isEmpty())
        return true; // the onboarding page explains the import
    const QString db = QStringLiteral("sql:") + dir;
    const QList<QStringList> steps{
        {QStringLiteral("-N"), QStringLiteral("-d"), db, QStringLiteral("--empty-password")},
        {QStringLiteral("-A"), QStringLiteral("-n"), QStringLiteral("Spyglass"),
         QStringLiteral("-t"), QStringLiteral("C,,"), QStringLiteral("-i"), caPemPath,
         QStringLiteral("-d"), db},
    };
    for (const QStringList& args : steps) {
        QProcess p;
        p.start(certutil, args);
        if (!p.waitForFinished(15000) || p.exitCode() != 0) {
            *error = tr("certutil %1 failed: %2")
                         .arg(args.first(), QString::fromLocal8Bit(p.readAllStandardError()));
            return false;
        }
    }
    return true;
}

bool BrowserLauncher::launch(const Browser& browser, const QString& proxyHost, quint16 proxyPort,
                             const QStringList& spkiHashes, const QString& caPemPath,
                             const QString& url, QString* error)
{
    auto instance = std::make_unique<Instance>();
    instance->name = browser.name;
    instance->profile = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                                        QStringLiteral("/spyglass-browser-XXXXXX"));
    if (!instance->profile->isValid()) {
        *error = tr("cannot create a profile directory: %1").arg(instance->profile->errorString());
        return false;
    }
    const QString dir = instance->profile->path();
    QStringList args;
    if (browser.family == Family::Chromium) {
        args = m_extraChromium + chromiumArguments(dir, proxyHost, proxyPort, spkiHashes, url);
    } else {
        if (!prepareFirefoxProfile(dir, proxyHost, proxyPort, caPemPath, error))
            return false;
        args = {QStringLiteral("-no-remote"), QStringLiteral("-new-instance"),
                QStringLiteral("-profile"), dir};
        if (!url.isEmpty())
            args << url;
    }
    auto* process = new QProcess(this);
    process->setProcessChannelMode(QProcess::SeparateChannels);
    instance->process = process;
    process->start(browser.executable, args);
    if (!process->waitForStarted(10000)) {
        *error = tr("cannot start %1: %2").arg(browser.executable, process->errorString());
        delete process;
        return false;
    }
    connect(process, &QProcess::finished, this,
            [this, process, name = browser.name](int code, QProcess::ExitStatus) {
                // The profile goes when its browser goes.
                for (auto it = m_instances.begin(); it != m_instances.end(); ++it) {
                    if ((*it)->process == process) {
                        process->deleteLater();
                        (*it)->process = nullptr;
                        m_instances.erase(it);
                        break;
                    }
                }
                Q_EMIT browserExited(name, code);
            });
    m_instances.push_back(std::move(instance));
    return true;
}

int BrowserLauncher::runningCount() const
{
    return int(m_instances.size());
}

QStringList BrowserLauncher::profileDirs() const
{
    QStringList out;
    for (const auto& i : m_instances)
        out << i->profile->path();
    return out;
}

QProcess* BrowserLauncher::lastProcess() const
{
    return m_instances.empty() ? nullptr : m_instances.back()->process;
}

void BrowserLauncher::closeAll()
{
    auto instances = std::move(m_instances);
    m_instances.clear();
    for (auto& i : instances) {
        if (!i->process)
            continue;
        i->process->disconnect(this);
        i->process->terminate();
        if (!i->process->waitForFinished(3000)) {
            i->process->kill();
            i->process->waitForFinished(2000);
        }
        delete i->process;
    }
    // The QTemporaryDirs remove the profiles here.
}

} // namespace spyglass
