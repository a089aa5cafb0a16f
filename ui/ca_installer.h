#pragma once
// Where the Spyglass CA certificate can be installed on this machine, and how: the platform
// logic of the certificate wizard (cert_wizard.h), kept out of the widgets so a test can check
// the commands without running them.
//
//   Linux    system store: the PEM copied to /usr/local/share/ca-certificates/spyglass.crt and
//            update-ca-certificates, through pkexec (a polkit prompt) unless already root;
//            NSS databases: Chromium's ~/.pki/nssdb (created when missing) and each Firefox
//            profile (~/.mozilla/firefox, the snap's and flatpak's), with certutil from
//            libnss3-tools: `certutil -A -n Spyglass -t C,, -i PEM -d sql:DIR`.
//   Windows  the current user's Root store through CryptoAPI (Windows asks the user to confirm);
//            Firefox 120 and later read it, so a Firefox profile (%APPDATA%\Mozilla) is
//            listed but never handed to Windows' unrelated certutil.exe.
//   macOS    the login keychain through the Security framework (SecItemAdd, then
//            SecTrustSettingsSetTrustSettings in the user domain; macOS asks for the password);
//            the equivalent `security add-trusted-cert -r trustRoot -k LOGIN PEM` is the command
//            shown to copy, and what a test checks on other systems.
//
// Every target carries the exact shell command a user can copy, so a missing tool or
// privilege never leaves the user without a way. Install runs a target's commands one after
// another with QProcess (asynchronously, so a polkit or keychain prompt does not freeze the
// window) and reports through `finished`.

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

class QProcess;

namespace spyglass {

class CaInstaller : public QObject
{
    Q_OBJECT
public:
    enum class Platform
    {
        Linux,
        Windows,
        MacOs,
    };
    enum class Kind
    {
        LinuxSystemStore,
        NssDatabase,
        WindowsUserRoot,
        MacLoginKeychain,
    };

    // What the installer looks at; `system()` is the real machine, tests make their own.
    struct Environment
    {
        Platform platform = Platform::Linux;
        QString home;
        bool isRoot = false;
        // The absolute path of an executable, or empty (QStandardPaths::findExecutable).
        std::function<QString(const QString&)> findExecutable;
        static Environment system();
    };

    struct Target
    {
        Kind kind;
        QString name;     // shown to the user ("Chromium (NSS database ~/.pki/nssdb)")
        QString location; // the directory or store written to
        // argv lists run in order by install(); empty when it cannot run here (see `missing`).
        QList<QStringList> commands;
        // Why it cannot run here ("certutil is missing (package libnss3-tools)"), or empty.
        QString missing;
        // The command a user can paste in a terminal (sh on Linux/macOS, cmd on Windows).
        QString manualCommand;
        bool canInstall() const { return missing.isEmpty(); }
    };

    static constexpr const char* kNickname = "Spyglass";
    static constexpr const char* kLinuxAnchor = "/usr/local/share/ca-certificates/spyglass.crt";

    // `pemPath` and `derPath`: the confdir's spyglass-ca-cert.pem and .cer.
    CaInstaller(QString pemPath, QString derPath, Environment env = Environment::system(),
                QObject* parent = nullptr);
    ~CaInstaller() override;

    // Every place this platform offers, the unavailable ones included (with their command).
    QList<Target> targets() const;
    // Firefox profile directories (holding cert9.db) under the known roots of `home`.
    static QStringList firefoxProfiles(const QString& home);
    // `argv` as one POSIX shell line, quoted where needed.
    static QString shellQuote(const QStringList& argv);

    // Runs `target`'s commands (or the CryptoAPI call on Windows); `finished` follows, once.
    // False (and no signal) when something is already running or the target cannot run here.
    bool install(const Target& target);
    bool isBusy() const { return m_process != nullptr; }

Q_SIGNALS:
    void finished(const QString& targetName, bool ok, const QString& output);

private:
    Target linuxSystemStore() const;
    Target nssDatabase(const QString& name, const QString& dir, bool create) const;
    Target windowsUserRoot() const;
    Target macLoginKeychain() const;
    void runNext();

    QString m_pem;
    QString m_der;
    Environment m_env;
    QProcess* m_process = nullptr;
    QList<QStringList> m_pending;
    QString m_runningName;
    QString m_output;
};

} // namespace spyglass
