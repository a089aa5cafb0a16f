#include "cert_wizard.h"

#include "browser_launcher.h"
#include "main_window.h"
#include "proxy_tools.h"
#include "server/proxy_engine.h"
#include "tls/certificate_authority.h"
#include "trust_check.h"

#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolBar>
#include <QTreeWidget>
#include <QtTest>

using namespace spyglass;

namespace {

void shoot(QWidget& widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("SPYGLASS_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    QCoreApplication::processEvents();
    widget.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A Linux machine where every tool is present, with one Firefox profile.
CaInstaller::Environment fakeLinux(const QString& home)
{
    CaInstaller::Environment env;
    env.platform = CaInstaller::Platform::Linux;
    env.home = home;
    env.findExecutable = [](const QString& name) {
        if (name == QLatin1String("pkexec"))
            return QString(); // no polkit here: the system store shows its command
        return QStringLiteral("/usr/bin/") + name;
    };
    return env;
}

} // namespace

class CertWizardTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_ca = CertificateAuthority::loadOrCreate(m_confdir.path(), &error);
        QVERIFY2(m_ca, qPrintable(error));
        QDir(m_home.path()).mkpath(".mozilla/firefox/x1y2.default-release");
        QFile db(m_home.filePath(".mozilla/firefox/x1y2.default-release/cert9.db"));
        QVERIFY(db.open(QIODevice::WriteOnly));
    }

    void fingerprintGroups()
    {
        QByteArray digest;
        for (int i = 0; i < 32; ++i)
            digest.append(char(i * 8));
        const QString g = CertWizard::groupedFingerprint(digest);
        const QStringList lines = g.split('\n');
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines[0], QString("00:08  10:18  20:28  30:38"));
        QCOMPARE(QString(g).remove(' ').remove('\n').remove(':'),
                 QString::fromLatin1(digest.toHex().toUpper()));
    }

    void walksEveryPage()
    {
        CertWizard wizard(m_confdir.path(), "127.0.0.1", 1, nullptr, fakeLinux(m_home.path()));
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QCOMPARE(wizard.currentId(), int(CertWizard::CaPage));
        QVERIFY(!wizard.certificate().isNull());
        auto* fp = wizard.currentPage()->findChild<QLabel*>("fingerprint");
        QVERIFY(fp);
        QCOMPARE(fp->text().remove(' ').remove('\n').remove(':'),
                 m_ca->sha256Fingerprint().remove(':'));
        const QString pageText = allLabels(wizard.currentPage());
        QVERIFY(pageText.contains(wizard.certificate().subjectDisplayName()));
        QVERIFY(pageText.contains(
            QString::number(wizard.certificate().expiryDate().toLocalTime().date().year())));
        shoot(wizard, "cert_wizard_1_ca");

        wizard.next();
        QCOMPARE(wizard.currentId(), int(CertWizard::InstallPage));
        QTreeWidget* targets = wizard.targetList();
        QCOMPARE(targets->topLevelItemCount(), 3);
        // The system store cannot run without pkexec: not tickable, its reason shown.
        QVERIFY(!(targets->topLevelItem(0)->flags() & Qt::ItemIsEnabled));
        QVERIFY(targets->topLevelItem(0)->text(1).contains("pkexec"));
        QCOMPARE(targets->topLevelItem(1)->checkState(0), Qt::Checked);
        QVERIFY(targets->topLevelItem(2)->text(0).contains("x1y2.default-release"));
        const QString manual = wizard.manualCommands()->toPlainText();
        QVERIFY(manual.contains("sudo install -m 0644"));
        QVERIFY(manual.contains("update-ca-certificates"));
        QVERIFY(manual.contains("certutil -A -n Spyglass -t C,, -i"));
        QVERIFY(manual.contains("sql:" + m_home.path() + "/.mozilla/firefox/x1y2.default-release"));
        shoot(wizard, "cert_wizard_2_install");

        wizard.next();
        QCOMPARE(wizard.currentId(), int(CertWizard::ExportPage));
        QTemporaryDir out;
        QString error;
        for (auto [format, name] : {std::pair{CertWizard::Format::Pem, "spyglass-ca-cert.pem"},
                                    std::pair{CertWizard::Format::Cer, "spyglass-ca-cert.cer"},
                                    std::pair{CertWizard::Format::P12, "spyglass-ca-cert.p12"}}) {
            const QString target = out.filePath(QString("copy-") + name);
            QVERIFY2(wizard.exportCertificate(format, target, &error), qPrintable(error));
            QCOMPARE(fileBytes(target), fileBytes(m_ca->filePath(name)));
        }
        QVERIFY(!wizard.exportCertificate(CertWizard::Format::Pem, out.filePath("no/such/dir/x"),
                                          &error));
        QVERIFY(error.contains("no/such/dir"));
        shoot(wizard, "cert_wizard_3_export");

        wizard.next();
        QCOMPARE(wizard.currentId(), int(CertWizard::CheckPage));
        QCOMPARE(wizard.checkUrl()->text(), QString("https://spyglass.proxy/"));
        QVERIFY(wizard.button(QWizard::FinishButton)->isVisible());
        wizard.back();
        QCOMPARE(wizard.currentId(), int(CertWizard::ExportPage));
    }

    // The check through a real engine: refused with the system's trust alone (this CA is not
    // installed here), accepted once the CA is trusted.
    void checkPageThroughTheProxy()
    {
        Options options;
        options.confdir = m_confdir.path();
        options.listenPort = 0;
        ProxyEngine engine;
        QString error;
        QVERIFY2(engine.start(options, &error), qPrintable(error));
        CertWizard wizard(m_confdir.path(), "127.0.0.1", engine.listenPort(), nullptr,
                          fakeLinux(m_home.path()));
        wizard.show();
        while (wizard.currentId() != CertWizard::CheckPage)
            wizard.next();
        QSignalSpy done(wizard.trustCheck(), &TrustCheck::finished);
        wizard.runCheck();
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 20000);
        QCOMPARE(done[0][0].value<TrustCheck::Verdict>(), TrustCheck::Verdict::NotTrusted);
        QVERIFY(wizard.checkResult()->text().contains("Not trusted"));
        shoot(wizard, "cert_wizard_4_check_not_trusted");

        wizard.trustCheck()->setExtraCaCertificates({wizard.certificate()});
        wizard.runCheck();
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 20000);
        QCOMPARE(done[1][0].value<TrustCheck::Verdict>(), TrustCheck::Verdict::Trusted);
        QVERIFY2(done[1][1].toString().contains("200"), qPrintable(done[1][1].toString()));
        QVERIFY(wizard.checkResult()->text().contains("Trusted"));
        shoot(wizard, "cert_wizard_4_check_trusted");

        wizard.checkUrl()->setText("http://plain.example/");
        wizard.runCheck();
        QVERIFY(wizard.checkResult()->text().contains("https://"));
        engine.stop();

        wizard.checkUrl()->setText("https://spyglass.proxy/");
        wizard.runCheck();
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 3, 20000);
        QCOMPARE(done[2][0].value<TrustCheck::Verdict>(), TrustCheck::Verdict::Failed);
    }

    void missingCertificate()
    {
        QTemporaryDir empty;
        CertWizard wizard(empty.path(), "127.0.0.1", 1, nullptr, fakeLinux(m_home.path()));
        QVERIFY(wizard.certificate().isNull());
        QVERIFY(allLabels(wizard.page(CertWizard::CaPage)).contains("No certificate"));
    }

    // The window gets a Tools menu and toolbar buttons; the wizard opens from it.
    void windowActions()
    {
        Options options;
        options.confdir = m_confdir.path();
        ProxyEngine engine;
        MainWindow window(&engine, options);
        auto* tools = window.findChild<ProxyTools*>("proxyTools");
        QVERIFY(tools);
        QStringList menus;
        for (QAction* a : window.menuBar()->actions())
            menus << a->text();
        QVERIFY(menus.contains("&Tools"));
        auto* bar = window.findChild<QToolBar*>("proxyToolBar");
        QVERIFY(bar->actions().contains(tools->certWizardAction()));
        QVERIFY(bar->actions().contains(tools->openBrowserAction()));
        QVERIFY(bar->actions().contains(tools->systemProxyAction()));
        QCOMPARE(tools->openBrowserAction()->shortcut(), QKeySequence("Ctrl+Shift+B"));
        QVERIFY(tools->systemProxyAction()->isCheckable());
        QVERIFY(!tools->certWizardAction()->toolTip().isEmpty());
        QVERIFY(!tools->systemProxyAction()->toolTip().isEmpty());
        tools->certWizardAction()->trigger();
        auto* wizard = window.findChild<CertWizard*>();
        QVERIFY(wizard);
        QVERIFY(wizard->isVisible());
        QCOMPARE(tools->showCertWizard(), wizard); // one at a time
        wizard->close();
        shoot(window, "main_window_tools");
    }

    // Open browser through the window: the first browser on PATH gets a fresh profile, the
    // running proxy's address and the leaf key's SPKI hash (the one Chromium matches).
    void openBrowserFromTheWindow()
    {
        QTemporaryDir bin;
        const QString record = bin.filePath("args");
        QFile script(bin.filePath("chromium"));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\necho \"$@\" > '" + record.toUtf8() + "'\nexec /bin/sleep 60\n");
        script.close();
        QVERIFY(script.setPermissions(script.permissions() | QFileDevice::ExeOwner));
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", bin.path().toUtf8()); // only the fake browser is found

        Options options;
        options.confdir = m_confdir.path();
        options.listenPort = 0;
        ProxyEngine engine;
        QString error;
        QVERIFY2(engine.start(options, &error), qPrintable(error));
        QStringList dirs;
        {
            MainWindow window(&engine, options);
            auto* tools = window.findChild<ProxyTools*>("proxyTools");
            QVERIFY(tools->openBrowser());
            QCOMPARE(tools->browserLauncher()->runningCount(), 1);
            dirs = tools->browserLauncher()->profileDirs();
            QTRY_VERIFY(QFile(record).size() > 0);
            const QByteArray args = fileBytes(record);
            QVERIFY(args.contains("--user-data-dir=" + dirs[0].toUtf8()));
            QVERIFY(args.contains("--proxy-server=127.0.0.1:" +
                                  QByteArray::number(engine.listenPort())));
            QVERIFY(args.contains("--ignore-certificate-errors-spki-list=" +
                                  m_ca->leafSpkiSha256Base64()));
            QVERIFY(args.contains("http://spyglass.proxy/"));
        } // the window goes: the browser is closed, its profile removed
        qputenv("PATH", path);
        QVERIFY(!QFileInfo::exists(dirs[0]));
        engine.stop();
    }

private:
    static QString allLabels(QWidget* w)
    {
        QStringList out;
        for (QLabel* l : w->findChildren<QLabel*>())
            out << l->text();
        return out.join('\n');
    }

    QTemporaryDir m_confdir;
    QTemporaryDir m_home;
    std::shared_ptr<const CertificateAuthority> m_ca;
};

QTEST_MAIN(CertWizardTest)
#include "cert_wizard_test.moc"
