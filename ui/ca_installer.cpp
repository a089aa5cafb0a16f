#include "ca_installer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

#ifdef Q_OS_WIN
#include <windows.h>
// After windows.h (clang-format must not sort it first): wincrypt.h uses DWORD, BYTE and LONG
// without including the header that defines them.
#include <wincrypt.h>
#else
#include <unistd.h>
#endif
#ifdef Q_OS_MACOS
#include <CoreFoundation/CoreFoundation.h>
#include <Security/Security.h>
#endif

namespace spyglass {

namespace {

// update-ca-certificates lives in /usr/sbin, which is not on every user's PATH.
QString findAdminTool(const CaInstaller::Environment& env, const QString& name)
{
    QString path = env.findExecutable(name);
    if (path.isEmpty()) {
        for (const char* dir : {"/usr/sbin", "/sbin", "/usr/local/sbin"}) {
            const QString candidate = QLatin1String(dir) + QLatin1Char('/') + name;
            if (QFileInfo(candidate).isExecutable())
                return candidate;
        }
    }
    return path;
}

#ifdef Q_OS_MACOS
// The Security framework's text for a status code.
QString describeStatus(OSStatus status)
{
    CFStringRef text = SecCopyErrorMessageString(status, nullptr);
    if (!text)
        return QStringLiteral("OSStatus %1").arg(status);
    const QString message = QString::fromCFString(text);
    CFRelease(text);
    return message;
}

// Adds the DER certificate to the default (login) keychain and marks it trusted as a root for
// the user (SecTrustSettingsSetTrustSettings with no constraints: "Always Trust"); macOS asks
// for the user's password. An already present certificate is trusted again.
bool addTrustedRoot(const QByteArray& der, QString* message)
{
    CFDataRef data =
        CFDataCreate(nullptr, reinterpret_cast<const UInt8*>(der.constData()), CFIndex(der.size()));
    SecCertificateRef cert = data ? SecCertificateCreateWithData(nullptr, data) : nullptr;
    if (data)
        CFRelease(data);
    if (!cert) {
        *message = QStringLiteral("the CA file is not a DER certificate");
        return false;
    }
    const void* keys[] = {kSecClass, kSecValueRef};
    const void* values[] = {kSecClassCertificate, cert};
    CFDictionaryRef item = CFDictionaryCreate(
        nullptr, keys, values, 2, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    OSStatus status = SecItemAdd(item, nullptr);
    CFRelease(item);
    if (status != errSecSuccess && status != errSecDuplicateItem) {
        *message = describeStatus(status);
        CFRelease(cert);
        return false;
    }
    status = SecTrustSettingsSetTrustSettings(cert, kSecTrustSettingsDomainUser, nullptr);
    CFRelease(cert);
    if (status != errSecSuccess) {
        *message = describeStatus(status);
        return false;
    }
    return true;
}
#endif

QString tilde(const QString& path, const QString& home)
{
    if (!home.isEmpty() && path.startsWith(home + QLatin1Char('/')))
        return QStringLiteral("~") + path.mid(home.size());
    return path;
}

} // namespace

CaInstaller::Environment CaInstaller::Environment::system()
{
    Environment env;
#if defined(Q_OS_WIN)
    env.platform = Platform::Windows;
#elif defined(Q_OS_MACOS)
    env.platform = Platform::MacOs;
    env.isRoot = ::geteuid() == 0;
#else
    env.platform = Platform::Linux;
    env.isRoot = ::geteuid() == 0;
#endif
    env.home = QDir::homePath();
    env.findExecutable = [](const QString& name) { return QStandardPaths::findExecutable(name); };
    return env;
}

CaInstaller::CaInstaller(QString pemPath, QString derPath, Environment env, QObject* parent)
    : QObject(parent), m_pem(std::move(pemPath)), m_der(std::move(derPath)), m_env(std::move(env))
{
}

CaInstaller::~CaInstaller()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

QString CaInstaller::shellQuote(const QStringList& argv)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_@%+=:,./~-]+$"));
    QStringList out;
    for (const QString& a : argv) {
        if (safe.match(a).hasMatch() && !a.startsWith(QLatin1Char('~')))
            out << a;
        else
            out << QLatin1Char('\'') +
                       QString(a).replace(QLatin1String("'"), QLatin1String("'\\''")) +
                       QLatin1Char('\'');
    }
    return out.join(QLatin1Char(' '));
}

QStringList CaInstaller::firefoxProfiles(const QString& home)
{
    // Debian's package, the snap and the flatpak each keep their profiles elsewhere.
    const QStringList roots{
        home + QStringLiteral("/.mozilla/firefox"),
        home + QStringLiteral("/snap/firefox/common/.mozilla/firefox"),
        home + QStringLiteral("/.var/app/org.mozilla.firefox/.mozilla/firefox"),
        home + QStringLiteral("/Library/Application Support/Firefox/Profiles"),
        home + QStringLiteral("/AppData/Roaming/Mozilla/Firefox/Profiles"), // Windows
    };
    QStringList out;
    for (const QString& root : roots) {
        const QDir dir(root);
        if (!dir.exists())
            continue;
        const QStringList entries = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        for (const QString& e : entries) {
            const QString profile = dir.filePath(e);
            if (QFileInfo::exists(profile + QStringLiteral("/cert9.db")))
                out << profile;
        }
    }
    return out;
}

CaInstaller::Target CaInstaller::linuxSystemStore() const
{
    Target t{Kind::LinuxSystemStore,
             tr("Linux system store (curl, Python, Go, most tools)"),
             QString::fromLatin1(kLinuxAnchor),
             {},
             {},
             {}};
    const QString update = findAdminTool(m_env, QStringLiteral("update-ca-certificates"));
    const QString updateName = update.isEmpty() ? QStringLiteral("update-ca-certificates") : update;
    const QStringList copy{QStringLiteral("install"), QStringLiteral("-m"), QStringLiteral("0644"),
                           m_pem, t.location};
    t.manualCommand = QStringLiteral("sudo ") + shellQuote(copy) + QStringLiteral(" && sudo ") +
                      shellQuote({updateName});
    if (update.isEmpty()) {
        t.missing = tr("update-ca-certificates is missing (package ca-certificates)");
        return t;
    }
    if (m_env.isRoot) {
        t.commands = {copy, {update}};
        return t;
    }
    const QString pkexec = m_env.findExecutable(QStringLiteral("pkexec"));
    if (pkexec.isEmpty()) {
        t.missing = tr("pkexec is not installed: run the command below");
        return t;
    }
    // One polkit prompt for both steps.
    t.commands = {{pkexec, QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                   shellQuote(copy) + QStringLiteral(" && ") + shellQuote({update})}};
    return t;
}

CaInstaller::Target CaInstaller::nssDatabase(const QString& name, const QString& dir,
                                             bool create) const
{
    Target t{Kind::NssDatabase, name, dir, {}, {}, {}};
    const QString db = QStringLiteral("sql:") + dir;
    const QStringList add{QStringLiteral("certutil"), QStringLiteral("-A"),
                          QStringLiteral("-n"),       QString::fromLatin1(kNickname),
                          QStringLiteral("-t"),       QStringLiteral("C,,"),
                          QStringLiteral("-i"),       m_pem,
                          QStringLiteral("-d"),       db};
    const QStringList mkdir{QStringLiteral("mkdir"), QStringLiteral("-p"), dir};
    const QStringList init{QStringLiteral("certutil"), QStringLiteral("-N"), QStringLiteral("-d"),
                           db, QStringLiteral("--empty-password")};
    t.manualCommand = create ? shellQuote(mkdir) + QStringLiteral(" && ") + shellQuote(init) +
                                   QStringLiteral(" && ") + shellQuote(add)
                             : shellQuote(add);
    if (m_env.platform == Platform::Windows) {
        // Windows' own certutil.exe (on every PATH) is another program: it must never be run
        // with NSS's arguments. NSS's certutil is not shipped for Windows.
        t.missing = tr("Firefox 120 and later trust the Windows store (the target above); "
                       "older versions need NSS's certutil, which is not part of Windows");
        return t;
    }
    const QString certutil = m_env.findExecutable(QStringLiteral("certutil"));
    if (certutil.isEmpty()) {
        t.missing = tr("certutil is missing (package libnss3-tools)");
        return t;
    }
    QStringList addResolved = add;
    addResolved[0] = certutil;
    if (create) {
        QStringList initResolved = init;
        initResolved[0] = certutil;
        QStringList mkdirResolved = mkdir;
        const QString mkdirPath = m_env.findExecutable(QStringLiteral("mkdir"));
        mkdirResolved[0] = mkdirPath.isEmpty() ? QStringLiteral("/bin/mkdir") : mkdirPath;
        t.commands = {mkdirResolved, initResolved, addResolved};
    } else {
        t.commands = {addResolved};
    }
    return t;
}

CaInstaller::Target CaInstaller::windowsUserRoot() const
{
    Target t{Kind::WindowsUserRoot,
             tr("Windows: current user's trusted root store (Edge, Chrome, most apps)"),
             QStringLiteral("CurrentUser\\Root"),
             {},
             {},
             {}};
    t.manualCommand =
        QStringLiteral("certutil -addstore -user Root \"%1\"").arg(QDir::toNativeSeparators(m_der));
#ifndef Q_OS_WIN
    t.missing = tr("only possible on Windows itself");
#endif
    return t;
}

CaInstaller::Target CaInstaller::macLoginKeychain() const
{
    const QString keychain = m_env.home + QStringLiteral("/Library/Keychains/login.keychain-db");
    Target t{Kind::MacLoginKeychain,
             tr("macOS login keychain (Safari, Chrome, most apps)"),
             keychain,
             {},
             {},
             {}};
    const QStringList argv{QStringLiteral("security"),
                           QStringLiteral("add-trusted-cert"),
                           QStringLiteral("-r"),
                           QStringLiteral("trustRoot"),
                           QStringLiteral("-k"),
                           keychain,
                           m_pem};
    t.manualCommand = shellQuote(argv);
    const QString security = m_env.findExecutable(QStringLiteral("security"));
    if (security.isEmpty()) {
        t.missing = tr("the security tool was not found");
        return t;
    }
    QStringList resolved = argv;
    resolved[0] = security;
    t.commands = {resolved};
    return t;
}

QList<CaInstaller::Target> CaInstaller::targets() const
{
    QList<Target> out;
    switch (m_env.platform) {
    case Platform::Linux: {
        out << linuxSystemStore();
        const QString nssdb = m_env.home + QStringLiteral("/.pki/nssdb");
        const bool exists = QFileInfo::exists(nssdb + QStringLiteral("/cert9.db"));
        out << nssDatabase(
            tr("Chromium and Chrome (NSS database %1)").arg(tilde(nssdb, m_env.home)), nssdb,
            !exists);
        break;
    }
    case Platform::Windows:
        out << windowsUserRoot();
        break;
    case Platform::MacOs:
        out << macLoginKeychain();
        break;
    }
    // Firefox keeps its own store on every platform (unless it is told to use the system's).
    for (const QString& profile : firefoxProfiles(m_env.home)) {
        Target t = nssDatabase(tr("Firefox profile %1").arg(QFileInfo(profile).fileName()), profile,
                               false);
        if (m_env.platform == Platform::Windows)
            t.manualCommand.replace(QLatin1Char('\''), QLatin1Char('"'));
        out << t;
    }
    return out;
}

bool CaInstaller::install(const Target& target)
{
    if (m_process || !target.canInstall())
        return false;
    if (target.kind == Kind::WindowsUserRoot) {
#ifdef Q_OS_WIN
        QFile f(m_der);
        QString message;
        bool ok = false;
        if (!f.open(QIODevice::ReadOnly)) {
            message = tr("cannot read %1: %2").arg(m_der, f.errorString());
        } else {
            const QByteArray der = f.readAll();
            // The store name goes through a void*: typed here, so a narrow "Root" cannot
            // compile (CERT_STORE_PROV_SYSTEM_W reads UTF-16).
            const wchar_t* const rootStore = L"Root";
            HCERTSTORE store = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
                                             CERT_SYSTEM_STORE_CURRENT_USER, rootStore);
            if (!store) {
                message = tr("cannot open the Root store (error %1)").arg(GetLastError());
            } else {
                // Windows shows its own confirmation dialog for a new root.
                ok = CertAddEncodedCertificateToStore(
                    store, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING,
                    reinterpret_cast<const BYTE*>(der.constData()), DWORD(der.size()),
                    CERT_STORE_ADD_REPLACE_EXISTING, nullptr);
                message = ok ? tr("added to the current user's Root store")
                             : tr("the Root store refused the certificate (error %1)")
                                   .arg(GetLastError());
                CertCloseStore(store, 0);
            }
        }
        QMetaObject::invokeMethod(
            this, [this, name = target.name, ok, message] { Q_EMIT finished(name, ok, message); },
            Qt::QueuedConnection);
        return true;
#else
        return false;
#endif
    }
#ifdef Q_OS_MACOS
    if (target.kind == Kind::MacLoginKeychain) {
        // Through the Security framework itself; the `security` command stays the manual way.
        QFile f(m_der);
        QString message;
        bool ok = false;
        if (!f.open(QIODevice::ReadOnly)) {
            message = tr("cannot read %1: %2").arg(m_der, f.errorString());
        } else {
            QString reason;
            ok = addTrustedRoot(f.readAll(), &reason);
            message = ok ? tr("added to the login keychain and trusted as a root")
                         : tr("the keychain refused the certificate: %1").arg(reason);
        }
        QMetaObject::invokeMethod(
            this, [this, name = target.name, ok, message] { Q_EMIT finished(name, ok, message); },
            Qt::QueuedConnection);
        return true;
    }
#endif
    if (target.commands.isEmpty())
        return false;
    m_pending = target.commands;
    m_runningName = target.name;
    m_output.clear();
    runNext();
    return true;
}

void CaInstaller::runNext()
{
    if (m_pending.isEmpty()) {
        const QString name = std::exchange(m_runningName, {});
        Q_EMIT finished(name, true, m_output.trimmed());
        return;
    }
    const QStringList argv = m_pending.takeFirst();
    m_output += QStringLiteral("$ ") + shellQuote(argv) + QLatin1Char('\n');
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        QProcess* p = std::exchange(m_process, nullptr);
        m_output += QString::fromLocal8Bit(p->readAll());
        p->deleteLater();
        if (status != QProcess::NormalExit || code != 0) {
            m_pending.clear();
            m_output += tr("(exit code %1)").arg(code);
            Q_EMIT finished(std::exchange(m_runningName, {}), false, m_output.trimmed());
            return;
        }
        runNext();
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || !m_process)
            return;
        QProcess* p = std::exchange(m_process, nullptr);
        m_output += p->errorString();
        p->deleteLater();
        m_pending.clear();
        Q_EMIT finished(std::exchange(m_runningName, {}), false, m_output.trimmed());
    });
    m_process->start(argv.first(), argv.mid(1));
}

} // namespace spyglass
