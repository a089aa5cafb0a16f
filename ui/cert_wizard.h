#pragma once
// The certificate wizard (DESIGN "The desktop app", issue 6): what the Spyglass CA is, where it
// can be installed and how, exporting it, and checking that it worked.
//
//   CA       subject, validity and the SHA-256 fingerprint in readable groups
//   Install  the places CaInstaller (ca_installer.h) finds for this platform, with checkboxes
//            for those it can do here and, for every one, the exact command to run by hand
//   Export   PEM, CER (DER) and P12 through save dialogs
//   Check    TrustCheck (trust_check.h): an https fetch through the proxy with the system's
//            trust, reported as trusted or not
//
// The wizard only drives those two classes: every platform decision lives in CaInstaller.
// It reads the certificate files of `confdir` (CertificateAuthority's file names).

#include "ca_installer.h"

#include <QSslCertificate>
#include <QWizard>

class QLabel;
class QPlainTextEdit;
class QTreeWidget;
class QLineEdit;
class QPushButton;

namespace spyglass {

class TrustCheck;

class CertWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId
    {
        CaPage,
        InstallPage,
        ExportPage,
        CheckPage,
    };
    enum class Format
    {
        Pem,
        Cer,
        P12,
    };

    // `proxyHost`/`proxyPort`: where the running proxy listens (for the check page).
    CertWizard(const QString& confdir, const QString& proxyHost, quint16 proxyPort,
               QWidget* parent = nullptr,
               CaInstaller::Environment env = CaInstaller::Environment::system());
    ~CertWizard() override;

    QSslCertificate certificate() const { return m_cert; }
    // "AB:CD:..." in lines of eight bytes, four groups of two per line.
    static QString groupedFingerprint(const QByteArray& digest);
    // Copies the certificate in `format` to `path`; false and a reason on failure.
    bool exportCertificate(Format format, const QString& path, QString* error) const;
    static QString fileName(Format format);

    CaInstaller* installer() const { return m_installer; }
    TrustCheck* trustCheck() const { return m_check; }
    QTreeWidget* targetList() const { return m_targets; }
    QPlainTextEdit* manualCommands() const { return m_manual; }
    QLabel* checkResult() const { return m_checkResult; }
    QLineEdit* checkUrl() const { return m_checkUrlEdit; }
    // Installs the checked targets one after another.
    void installChecked();
    void runCheck();

private:
    QWizardPage* makeCaPage();
    QWizardPage* makeInstallPage();
    QWizardPage* makeExportPage();
    QWizardPage* makeCheckPage();
    void exportWithDialog(Format format);
    void installNext();

    QString m_confdir;
    QString m_proxyHost;
    quint16 m_proxyPort;
    QSslCertificate m_cert;
    CaInstaller* m_installer;
    TrustCheck* m_check;
    QList<CaInstaller::Target> m_targetList;
    QList<int> m_installQueue;
    QTreeWidget* m_targets = nullptr;
    QPlainTextEdit* m_manual = nullptr;
    QPlainTextEdit* m_installLog = nullptr;
    QPushButton* m_installButton = nullptr;
    QLabel* m_exportStatus = nullptr;
    QLineEdit* m_checkUrlEdit = nullptr;
    QLabel* m_checkResult = nullptr;
    QPushButton* m_checkButton = nullptr;
};

} // namespace spyglass
