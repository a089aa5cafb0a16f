#include "browser_launcher.h"

#include "tls/certificate_authority.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;

namespace {

QByteArray shell(const QString& command)
{
    QProcess p;
    p.start("/bin/sh", {"-c", command});
    if (!p.waitForFinished(20000) || p.exitCode() != 0)
        return "failed: " + p.readAllStandardError();
    return p.readAllStandardOutput().trimmed();
}

void writeScript(const QString& path, const QByteArray& body)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("#!/bin/sh\n" + body);
    f.close();
    QVERIFY(f.setPermissions(f.permissions() | QFileDevice::ExeOwner));
}

} // namespace

class BrowserLauncherTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_ca = CertificateAuthority::loadOrCreate(m_confdir.path(), &error);
        QVERIFY2(m_ca, qPrintable(error));
    }

    // The hashes Chromium is given are what openssl computes for the same keys.
    void spkiHashesMatchOpenssl()
    {
        if (QStandardPaths::findExecutable("openssl").isEmpty())
            QSKIP("openssl is not installed");
        const QString caPem = m_ca->filePath(CertificateAuthority::kCaCertPemFile);
        const QByteArray expectedCa =
            shell("openssl x509 -in '" + caPem +
                  "' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 "
                  "-binary | base64");
        QCOMPARE(BrowserLauncher::spkiSha256Base64(m_ca->certificate()), expectedCa);
        const QByteArray expectedLeaf =
            shell("openssl pkey -in '" + m_ca->filePath(CertificateAuthority::kLeafKeyFile) +
                  "' -pubout -outform der | openssl dgst -sha256 -binary | base64");
        QCOMPARE(m_ca->leafSpkiSha256Base64(), expectedLeaf);
        QCOMPARE(BrowserLauncher::spkiSha256Base64(nullptr), QByteArray());
    }

    void chromiumArguments()
    {
        QCOMPARE(BrowserLauncher::chromiumArguments("/tmp/p", "127.0.0.1", 8080, {"LEAF=", "CA="},
                                                    "http://spyglass.proxy/"),
                 (QStringList{
                     "--user-data-dir=/tmp/p", "--proxy-server=127.0.0.1:8080",
                     "--proxy-bypass-list=<-loopback>", "--no-first-run",
                     "--no-default-browser-check", "--disable-quic",
                     "--ignore-certificate-errors-spki-list=LEAF=,CA=", "http://spyglass.proxy/"}));
    }

    void firefoxPreferences()
    {
        const QByteArray js = BrowserLauncher::firefoxUserJs("127.0.0.1", 8081);
        for (const char* line : {"user_pref(\"network.proxy.type\", 1);",
                                 "user_pref(\"network.proxy.http\", \"127.0.0.1\");",
                                 "user_pref(\"network.proxy.http_port\", 8081);",
                                 "user_pref(\"network.proxy.ssl\", \"127.0.0.1\");",
                                 "user_pref(\"network.proxy.ssl_port\", 8081);",
                                 "user_pref(\"network.proxy.allow_hijacking_localhost\", true);"})
            QVERIFY2(js.contains(line), line);
    }

    void findsBrowsersInOrder()
    {
        const QMap<QString, QString> installed{{"firefox", "/usr/bin/firefox"},
                                               {"google-chrome", "/opt/chrome"},
                                               {"chromium", "/usr/bin/chromium"}};
        const auto found = BrowserLauncher::findBrowsers(
            [&](const QString& name) { return installed.value(name); });
        QCOMPARE(found.size(), 3);
        QCOMPARE(found[0].name, QString("chromium"));
        QCOMPARE(found[1].name, QString("google-chrome"));
        QCOMPARE(found[2].name, QString("firefox"));
        QCOMPARE(found[2].family, BrowserLauncher::Family::Firefox);
        QVERIFY(BrowserLauncher::findBrowsers([](const QString&) { return QString(); }).isEmpty());
    }

    // Fake browsers: each records its arguments and waits to be closed.
    void launchesSeveralAndCleansUp()
    {
        QTemporaryDir bin;
        const QString record = bin.filePath("args");
        writeScript(bin.filePath("chromium"),
                    "echo \"$@\" >> '" + record.toUtf8() + "'\nexec sleep 60\n");
        writeScript(bin.filePath("firefox"),
                    "echo \"$@\" >> '" + record.toUtf8() + "'\nexec sleep 60\n");
        const BrowserLauncher::Browser chromium{BrowserLauncher::Family::Chromium, "chromium",
                                                bin.filePath("chromium")};
        const BrowserLauncher::Browser firefox{BrowserLauncher::Family::Firefox, "firefox",
                                               bin.filePath("firefox")};
        QStringList dirs;
        {
            BrowserLauncher launcher;
            QString error;
            QVERIFY2(
                launcher.launch(chromium, "127.0.0.1", 8080, {"HASH="}, {}, "about:blank", &error),
                qPrintable(error));
            QVERIFY2(
                launcher.launch(chromium, "127.0.0.1", 8080, {"HASH="}, {}, "about:blank", &error),
                qPrintable(error));
            QVERIFY2(launcher.launch(firefox, "127.0.0.1", 8080, {}, {}, "about:blank", &error),
                     qPrintable(error));
            QCOMPARE(launcher.runningCount(), 3);
            dirs = launcher.profileDirs();
            QCOMPARE(QSet<QString>(dirs.begin(), dirs.end()).size(), 3); // a fresh one each
            for (const QString& d : dirs)
                QVERIFY(QFileInfo(d).isDir());
            QVERIFY(QFile::exists(dirs[2] + "/user.js"));
            QTRY_COMPARE(shell("wc -l < '" + record + "'"), QByteArray("3"));
            const QByteArray args = shell("cat '" + record + "'");
            QVERIFY(args.contains("--user-data-dir=" + dirs[0].toUtf8()));
            QVERIFY(args.contains("--proxy-server=127.0.0.1:8080"));
            QVERIFY(args.contains("--ignore-certificate-errors-spki-list=HASH="));
            QVERIFY(args.contains("-no-remote -new-instance -profile " + dirs[2].toUtf8() +
                                  " about:blank"));
        } // the app exits
        for (const QString& d : dirs)
            QVERIFY2(!QFileInfo::exists(d), qPrintable(d));

        // A browser that quits by itself takes its profile with it.
        writeScript(bin.filePath("quick"), "exit 0\n");
        BrowserLauncher launcher;
        QSignalSpy exited(&launcher, &BrowserLauncher::browserExited);
        QString error;
        QVERIFY(launcher.launch({BrowserLauncher::Family::Chromium, "quick", bin.filePath("quick")},
                                "127.0.0.1", 1, {}, {}, {}, &error));
        const QString dir = launcher.profileDirs().value(0);
        QTRY_COMPARE(exited.count(), 1);
        QCOMPARE(launcher.runningCount(), 0);
        QVERIFY(!QFileInfo::exists(dir));

        QVERIFY(!launcher.launch({BrowserLauncher::Family::Chromium, "none", bin.filePath("none")},
                                 "127.0.0.1", 1, {}, {}, {}, &error));
        QVERIFY(error.contains("none"));
        QCOMPARE(launcher.runningCount(), 0);
    }

private:
    QTemporaryDir m_confdir;
    std::shared_ptr<const CertificateAuthority> m_ca;
};

QTEST_GUILESS_MAIN(BrowserLauncherTest)
#include "browser_launcher_test.moc"
