// The certificate wizard opening by itself (cert_wizard_prompt.h), offscreen: on the start that
// created the CA it opens non-modal with a "Don't show again" box, which is stored and keeps
// it closed afterwards; a CA that already existed, a certificate the system trusts, a null
// certificate and a window without a proxy never open it.

#include "cert_wizard.h"
#include "cert_wizard_prompt.h"

#include "main_window.h"
#include "proxy_tools.h"
#include "server/proxy_engine.h"
#include "tls/certificate_authority.h"

#include <QCheckBox>
#include <QSettings>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;

class CertWizardPromptTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_settings.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("SpyglassTest"));
        QCoreApplication::setApplicationName(QStringLiteral("cert_wizard_prompt_test"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
        QSettings().clear();
    }

    void decision()
    {
        QTemporaryDir confdir;
        QString error;
        auto ca = CertificateAuthority::loadOrCreate(confdir.path(), &error);
        QVERIFY2(ca, qPrintable(error));
        QVERIFY(ca->createdNow());
        const QSslCertificate cert =
            QSslCertificate::fromPath(ca->filePath(CertificateAuthority::kCaCertPemFile)).value(0);
        QVERIFY(!cert.isNull());

        QVERIFY(CertWizardPrompt::isEnabled()); // the default
        QVERIFY(CertWizardPrompt::shouldOffer(true, cert));
        QVERIFY(!CertWizardPrompt::shouldOffer(false, cert)); // the CA was there before
        QVERIFY(!CertWizardPrompt::shouldOffer(true, QSslCertificate()));
        // A certificate the system trusts (any of its own CAs) needs no wizard.
        const QList<QSslCertificate> system = QSslConfiguration::systemCaCertificates();
        if (!system.isEmpty())
            QVERIFY(!CertWizardPrompt::shouldOffer(true, system.first()));
        CertWizardPrompt::setEnabled(false);
        QCOMPARE(QSettings().value(CertWizardPrompt::settingsKey()).toBool(), false);
        QVERIFY(!CertWizardPrompt::shouldOffer(true, cert));
        CertWizardPrompt::setEnabled(true);
        QVERIFY(CertWizardPrompt::shouldOffer(true, cert));
    }

    // As main.cpp does it after the proxy started on a new confdir.
    void opensOnFirstStartOnly()
    {
        QSettings().clear();
        QTemporaryDir confdir;
        Options options;
        options.confdir = confdir.path();
        options.listenPort = 0;
        {
            ProxyEngine engine;
            MainWindow window(&engine, options);
            QVERIFY(!CertWizardPrompt::offer(window.proxyTools(), nullptr)); // not started
            QVERIFY(!CertWizardPrompt::offer(nullptr, nullptr));
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QString error;
            QVERIFY2(window.startProxy(&error), qPrintable(error));
            QVERIFY(engine.certificateAuthority()->createdNow());

            CertWizard* wizard =
                CertWizardPrompt::offer(window.proxyTools(), engine.certificateAuthority());
            QVERIFY(wizard);
            QVERIFY(wizard->isVisible());
            QVERIFY(!wizard->isModal()); // show(), not exec(): the window goes on
            QCOMPARE(wizard->windowModality(), Qt::NonModal);
            QCOMPARE(window.proxyTools()->showCertWizard(), wizard); // the same one
            QVERIFY(!wizard->certificate().isNull());
            auto* dontShow = wizard->findChild<QCheckBox*>(QStringLiteral("dontShowAgain"));
            QVERIFY(dontShow);
            QVERIFY(dontShow->isVisible());
            QVERIFY(!dontShow->isChecked());
            QVERIFY(dontShow->text().contains(QStringLiteral("Don't show")));
            if (const QString dir = qEnvironmentVariable("SPYGLASS_SCREENSHOTS"); !dir.isEmpty())
                QVERIFY(wizard->grab().save(dir + QStringLiteral("/cert_wizard_first_start.png")));
            QTest::mouseClick(dontShow, Qt::LeftButton);
            QVERIFY(dontShow->isChecked());
            QVERIFY(!CertWizardPrompt::isEnabled());
            wizard->close();
            QTRY_VERIFY(!window.findChild<CertWizard*>());
            // Turned off: not again, even for a new CA.
            QVERIFY(!CertWizardPrompt::offer(window.proxyTools(), engine.certificateAuthority()));
            window.stopProxy();
        }
        // The next start with the same confdir loads the CA: no wizard, whatever the setting.
        CertWizardPrompt::setEnabled(true);
        ProxyEngine engine;
        MainWindow window(&engine, options);
        QString error;
        QVERIFY2(window.startProxy(&error), qPrintable(error));
        QVERIFY(!engine.certificateAuthority()->createdNow());
        QVERIFY(!CertWizardPrompt::offer(window.proxyTools(), engine.certificateAuthority()));
        QVERIFY(!window.findChild<CertWizard*>());
        window.stopProxy();
    }

private:
    QTemporaryDir m_settings;
};

QTEST_MAIN(CertWizardPromptTest)
#include "cert_wizard_prompt_test.moc"
