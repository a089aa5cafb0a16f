#include "ca_installer.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;

namespace {

using Env = CaInstaller::Environment;

Env fakeEnv(CaInstaller::Platform platform, const QString& home, QMap<QString, QString> tools,
            bool root = false)
{
    Env env;
    env.platform = platform;
    env.home = home;
    env.isRoot = root;
    env.findExecutable = [tools](const QString& name) { return tools.value(name); };
    return env;
}

void touch(const QString& path)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
}

void writeScript(const QString& path, const QByteArray& body)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("#!/bin/sh\n" + body);
    f.close();
    QVERIFY(f.setPermissions(f.permissions() | QFileDevice::ExeOwner));
}

const QMap<QString, QString> kLinuxTools{
    {"certutil", "/usr/bin/certutil"},
    {"pkexec", "/usr/bin/pkexec"},
    {"update-ca-certificates", "/usr/sbin/update-ca-certificates"},
    {"mkdir", "/bin/mkdir"},
};

} // namespace

class CaInstallerTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void linuxCommands()
    {
        QTemporaryDir home;
        const QString profile = home.filePath(".mozilla/firefox/abcd.default-release");
        touch(profile + "/cert9.db");
        touch(home.filePath(".mozilla/firefox/no-db-here/prefs.js")); // not a profile
        const QString pem = "/conf dir/spyglass-ca-cert.pem";
        CaInstaller installer(pem, "/conf dir/spyglass-ca-cert.cer",
                              fakeEnv(CaInstaller::Platform::Linux, home.path(), kLinuxTools));
        const QList<CaInstaller::Target> targets = installer.targets();
        QCOMPARE(targets.size(), 3);

        const CaInstaller::Target& system = targets[0];
        QCOMPARE(system.kind, CaInstaller::Kind::LinuxSystemStore);
        QVERIFY(system.canInstall());
        QCOMPARE(system.commands,
                 (QList<QStringList>{{"/usr/bin/pkexec", "/bin/sh", "-c",
                                      "install -m 0644 '/conf dir/spyglass-ca-cert.pem' "
                                      "/usr/local/share/ca-certificates/spyglass.crt && "
                                      "/usr/sbin/update-ca-certificates"}}));
        QCOMPARE(system.manualCommand,
                 QString("sudo install -m 0644 '/conf dir/spyglass-ca-cert.pem' "
                         "/usr/local/share/ca-certificates/spyglass.crt && sudo "
                         "/usr/sbin/update-ca-certificates"));

        // Chromium's database does not exist yet: it is made first.
        const QString nssdb = home.filePath(".pki/nssdb");
        const CaInstaller::Target& chromium = targets[1];
        QCOMPARE(chromium.kind, CaInstaller::Kind::NssDatabase);
        QCOMPARE(chromium.location, nssdb);
        QVERIFY(chromium.name.contains("~/.pki/nssdb"));
        QCOMPARE(chromium.commands,
                 (QList<QStringList>{
                     {"/bin/mkdir", "-p", nssdb},
                     {"/usr/bin/certutil", "-N", "-d", "sql:" + nssdb, "--empty-password"},
                     {"/usr/bin/certutil", "-A", "-n", "Spyglass", "-t", "C,,", "-i", pem, "-d",
                      "sql:" + nssdb}}));
        QCOMPARE(chromium.manualCommand,
                 "mkdir -p " + nssdb + " && certutil -N -d sql:" + nssdb +
                     " --empty-password && certutil -A -n Spyglass -t C,, -i '" + pem +
                     "' -d sql:" + nssdb);

        const CaInstaller::Target& firefox = targets[2];
        QVERIFY(firefox.name.contains("abcd.default-release"));
        QCOMPARE(firefox.commands,
                 (QList<QStringList>{{"/usr/bin/certutil", "-A", "-n", "Spyglass", "-t", "C,,",
                                      "-i", pem, "-d", "sql:" + profile}}));

        // An existing Chromium database is only added to.
        touch(nssdb + "/cert9.db");
        QCOMPARE(installer.targets()[1].commands.size(), 1);
    }

    void linuxAsRootAndWithToolsMissing()
    {
        QTemporaryDir home;
        CaInstaller root("/c/ca.pem", "/c/ca.cer",
                         fakeEnv(CaInstaller::Platform::Linux, home.path(), kLinuxTools, true));
        QCOMPARE(root.targets()[0].commands,
                 (QList<QStringList>{{"install", "-m", "0644", "/c/ca.pem",
                                      "/usr/local/share/ca-certificates/spyglass.crt"},
                                     {"/usr/sbin/update-ca-certificates"}}));

        QMap<QString, QString> bare{{"update-ca-certificates", "/usr/sbin/update-ca-certificates"}};
        CaInstaller user("/c/ca.pem", "/c/ca.cer",
                         fakeEnv(CaInstaller::Platform::Linux, home.path(), bare));
        const auto targets = user.targets();
        QVERIFY(!targets[0].canInstall());
        QVERIFY(targets[0].missing.contains("pkexec"));
        QVERIFY(targets[0].commands.isEmpty());
        QVERIFY(targets[0].manualCommand.startsWith("sudo install -m 0644 /c/ca.pem"));
        QVERIFY(!targets[1].canInstall());
        QVERIFY(targets[1].missing.contains("libnss3-tools"));
        QVERIFY(targets[1].manualCommand.contains("certutil -A -n Spyglass -t C,, -i /c/ca.pem"));
        QVERIFY(!user.install(targets[1]));
    }

    void windowsAndMacCommands()
    {
        QTemporaryDir home;
        CaInstaller win("C:/conf/spyglass-ca-cert.pem", "C:/conf/spyglass-ca-cert.cer",
                        fakeEnv(CaInstaller::Platform::Windows, home.path(), {}));
        const auto w = win.targets();
        QCOMPARE(w.size(), 1);
        QCOMPARE(w[0].kind, CaInstaller::Kind::WindowsUserRoot);
        QCOMPARE(w[0].location, QString("CurrentUser\\Root"));
        QVERIFY(w[0].manualCommand.startsWith("certutil -addstore -user Root \""));
        QVERIFY(w[0].manualCommand.endsWith("spyglass-ca-cert.cer\""));
#ifndef Q_OS_WIN
        QVERIFY(!w[0].canInstall()); // CryptoAPI exists only there
#endif

        CaInstaller mac("/Users/me/.spyglass/spyglass-ca-cert.pem", "/x.cer",
                        fakeEnv(CaInstaller::Platform::MacOs, home.path(),
                                {{"security", "/usr/bin/security"}}));
        const auto m = mac.targets();
        QCOMPARE(m.size(), 1);
        QCOMPARE(m[0].kind, CaInstaller::Kind::MacLoginKeychain);
        const QString keychain = home.path() + "/Library/Keychains/login.keychain-db";
        QCOMPARE(m[0].commands, (QList<QStringList>{{"/usr/bin/security", "add-trusted-cert", "-r",
                                                     "trustRoot", "-k", keychain,
                                                     "/Users/me/.spyglass/spyglass-ca-cert.pem"}}));
        QCOMPARE(m[0].manualCommand, "security add-trusted-cert -r trustRoot -k " + keychain +
                                         " /Users/me/.spyglass/spyglass-ca-cert.pem");
    }

    void windowsFirefoxIsNeverGivenWindowsCertutil()
    {
        QTemporaryDir home;
        touch(home.filePath("AppData/Roaming/Mozilla/Firefox/Profiles/x1.default/cert9.db"));
        // On Windows "certutil" on the PATH is Windows' own tool, not NSS's.
        CaInstaller win("C:/conf/ca.pem", "C:/conf/ca.cer",
                        fakeEnv(CaInstaller::Platform::Windows, home.path(),
                                {{"certutil", "C:/Windows/System32/certutil.exe"}}));
        const auto t = win.targets();
        QCOMPARE(t.size(), 2);
        QCOMPARE(t[1].kind, CaInstaller::Kind::NssDatabase);
        QVERIFY(t[1].name.contains("x1.default"));
        QVERIFY(t[1].commands.isEmpty());
        QVERIFY(!t[1].canInstall());
        QVERIFY(t[1].missing.contains("Firefox 120"));
        QVERIFY(!win.install(t[1]));
    }

    void shellQuoting()
    {
        QCOMPARE(CaInstaller::shellQuote({"a", "b c", "it's", "$HOME", "C,,", "sql:/x"}),
                 QString("a 'b c' 'it'\\''s' '$HOME' C,, sql:/x"));
    }

    // install() really runs the commands, one after another, and stops at the first failure.
    void installRunsTheCommands()
    {
        QTemporaryDir dir;
        const QString log = dir.filePath("calls");
        const QString certutil = dir.filePath("certutil");
        writeScript(certutil, "echo \"$@\" >> '" + log.toUtf8() + "'\necho added\n");
        const QString failing = dir.filePath("failing");
        writeScript(failing, "echo nope >&2\nexit 3\n");
        const QString home = dir.filePath("home");
        touch(home + "/.pki/nssdb/cert9.db");

        CaInstaller installer(
            "/c/ca.pem", "/c/ca.cer",
            fakeEnv(CaInstaller::Platform::Linux, home, {{"certutil", certutil}}));
        QSignalSpy done(&installer, &CaInstaller::finished);
        const CaInstaller::Target nss = installer.targets()[1];
        QVERIFY(installer.install(nss));
        QVERIFY(installer.isBusy());
        QVERIFY(!installer.install(nss)); // one at a time
        QTRY_COMPARE(done.count(), 1);
        QCOMPARE(done[0][0].toString(), nss.name);
        QVERIFY(done[0][1].toBool());
        QVERIFY(done[0][2].toString().contains("added"));
        QFile calls(log);
        QVERIFY(calls.open(QIODevice::ReadOnly));
        QCOMPARE(calls.readAll().trimmed(),
                 QByteArray("-A -n Spyglass -t C,, -i /c/ca.pem -d sql:") +
                     (home + "/.pki/nssdb").toUtf8());

        CaInstaller::Target broken = nss;
        broken.commands = {{failing}, {certutil, "never"}};
        QVERIFY(installer.install(broken));
        QTRY_COMPARE(done.count(), 2);
        QVERIFY(!done[1][1].toBool());
        QVERIFY(done[1][2].toString().contains("nope"));
        QVERIFY(done[1][2].toString().contains("3"));

        broken.commands = {{dir.filePath("does-not-exist")}};
        QVERIFY(installer.install(broken));
        QTRY_COMPARE(done.count(), 3);
        QVERIFY(!done[2][1].toBool());
    }
};

QTEST_GUILESS_MAIN(CaInstallerTest)
#include "ca_installer_test.moc"
