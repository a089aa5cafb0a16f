#include "cert_wizard.h"

#include "options/options.h"
#include "tls/certificate_authority.h"
#include "trust_check.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace spyglass {

namespace {

QLabel* wrapped(const QString& text, QWidget* parent)
{
    auto* l = new QLabel(text, parent);
    l->setWordWrap(true);
    return l;
}

QLabel* selectable(const QString& text, QWidget* parent)
{
    auto* l = new QLabel(text, parent);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setWordWrap(true);
    return l;
}

} // namespace

CertWizard::CertWizard(const QString& confdir, const QString& proxyHost, quint16 proxyPort,
                       QWidget* parent, CaInstaller::Environment env)
    : QWizard(parent), m_confdir(expandHome(confdir)), m_proxyHost(proxyHost),
      m_proxyPort(proxyPort),
      m_installer(new CaInstaller(
          m_confdir + QLatin1Char('/') + QLatin1String(CertificateAuthority::kCaCertPemFile),
          m_confdir + QLatin1Char('/') + QLatin1String(CertificateAuthority::kCaCertDerFile),
          std::move(env), this)),
      m_check(new TrustCheck(this))
{
    setWindowTitle(tr("Certificate wizard"));
    setObjectName(QStringLiteral("certWizard"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::HaveHelpButton, false);
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(
        m_confdir + QLatin1Char('/') + QLatin1String(CertificateAuthority::kCaCertPemFile));
    if (!certs.isEmpty())
        m_cert = certs.first();
    setPage(CaPage, makeCaPage());
    setPage(InstallPage, makeInstallPage());
    setPage(ExportPage, makeExportPage());
    setPage(CheckPage, makeCheckPage());
    setStartId(CaPage);
    resize(860, 600);
}

CertWizard::~CertWizard() = default;

QString CertWizard::groupedFingerprint(const QByteArray& digest)
{
    const QString hex = QString::fromLatin1(digest.toHex().toUpper());
    QStringList lines;
    for (int line = 0; line * 16 < hex.size(); ++line) {
        QStringList groups;
        for (int g = line * 16; g < qMin<int>(hex.size(), line * 16 + 16); g += 4) {
            const QString group = hex.mid(g, 4);
            groups << group.left(2) + QLatin1Char(':') + group.mid(2);
        }
        lines << groups.join(QStringLiteral("  "));
    }
    return lines.join(QLatin1Char('\n'));
}

QString CertWizard::fileName(Format format)
{
    switch (format) {
    case Format::Pem:
        return QLatin1String(CertificateAuthority::kCaCertPemFile);
    case Format::Cer:
        return QLatin1String(CertificateAuthority::kCaCertDerFile);
    case Format::P12:
        return QLatin1String(CertificateAuthority::kCaCertP12File);
    }
    return {};
}

bool CertWizard::exportCertificate(Format format, const QString& path, QString* error) const
{
    QFile source(m_confdir + QLatin1Char('/') + fileName(format));
    if (!source.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read %1: %2").arg(source.fileName(), source.errorString());
        return false;
    }
    const QByteArray data = source.readAll();
    QFile target(path);
    if (!target.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        target.write(data) != data.size() || !target.flush()) {
        *error = tr("Cannot write %1: %2").arg(path, target.errorString());
        return false;
    }
    return true;
}

QWizardPage* CertWizard::makeCaPage()
{
    auto* page = new QWizardPage(this);
    page->setObjectName(QStringLiteral("caPage"));
    page->setTitle(tr("The Spyglass certificate authority"));
    page->setSubTitle(tr("Spyglass decrypts HTTPS with certificates it signs itself. A device "
                         "or browser accepts them once it trusts this certificate authority."));
    auto* layout = new QVBoxLayout(page);
    if (m_cert.isNull()) {
        layout->addWidget(
            wrapped(tr("No certificate was found in %1. Start the proxy once: it creates the "
                       "certificate authority there.")
                        .arg(QDir::toNativeSeparators(m_confdir)),
                    page));
        layout->addStretch();
        return page;
    }
    auto* form = new QFormLayout;
    const QLocale locale;
    const QString subject = m_cert.subjectDisplayName();
    const QString org =
        m_cert.subjectInfo(QSslCertificate::Organization).join(QStringLiteral(", "));
    form->addRow(tr("Subject:"), selectable(org.isEmpty() || org == subject
                                                ? subject
                                                : QStringLiteral("%1 (%2)").arg(subject, org),
                                            page));
    form->addRow(tr("Valid from:"), selectable(locale.toString(m_cert.effectiveDate().toLocalTime(),
                                                               QLocale::LongFormat),
                                               page));
    form->addRow(
        tr("Valid until:"),
        selectable(locale.toString(m_cert.expiryDate().toLocalTime(), QLocale::LongFormat), page));
    auto* fp = selectable(groupedFingerprint(m_cert.digest(QCryptographicHash::Sha256)), page);
    fp->setObjectName(QStringLiteral("fingerprint"));
    fp->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    fp->setToolTip(tr("Compare this with what a device shows when it installs the certificate"));
    form->addRow(tr("SHA-256 fingerprint:"), fp);
    form->addRow(tr("Files:"), selectable(QDir::toNativeSeparators(m_confdir), page));
    layout->addLayout(form);
    layout->addSpacing(12);
    layout->addWidget(wrapped(
        tr("Keep the private key (%1) secret: whoever holds it can read the traffic of every "
           "device that trusts this certificate. Other devices can fetch the certificate from "
           "http://spyglass.proxy/ while they use this proxy.")
            .arg(QLatin1String(CertificateAuthority::kCaFile)),
        page));
    layout->addStretch();
    return page;
}

QWizardPage* CertWizard::makeInstallPage()
{
    auto* page = new QWizardPage(this);
    page->setObjectName(QStringLiteral("installPage"));
    page->setTitle(tr("Install the certificate"));
    page->setSubTitle(tr("Tick where Spyglass should install it. Where it cannot do so from "
                         "here, the command below does the same in a terminal."));
    auto* layout = new QVBoxLayout(page);
    m_targets = new QTreeWidget(page);
    m_targets->setObjectName(QStringLiteral("targets"));
    m_targets->setHeaderLabels({tr("Where"), tr("Status")});
    m_targets->setRootIsDecorated(false);
    m_targets->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_targets->header()->setStretchLastSection(true);
    m_targets->setToolTip(tr("The trust stores found on this machine"));
    m_targetList = m_installer->targets();
    QStringList manual;
    for (const CaInstaller::Target& t : std::as_const(m_targetList)) {
        auto* item = new QTreeWidgetItem(
            m_targets, {t.name, t.canInstall() ? tr("Ready to install") : t.missing});
        item->setToolTip(0, QDir::toNativeSeparators(t.location));
        item->setToolTip(1, t.canInstall() ? t.manualCommand : t.missing);
        if (t.canInstall()) {
            item->setCheckState(0, Qt::Checked);
        } else {
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
        }
        manual << QStringLiteral("# ") + t.name << t.manualCommand;
    }
    layout->addWidget(m_targets, 2);

    auto* buttons = new QHBoxLayout;
    m_installButton = new QPushButton(tr("&Install selected"), page);
    m_installButton->setObjectName(QStringLiteral("installButton"));
    m_installButton->setToolTip(tr("Run the commands for the ticked places; the system may ask "
                                   "for your password"));
    connect(m_installButton, &QPushButton::clicked, this, &CertWizard::installChecked);
    buttons->addWidget(m_installButton);
    buttons->addStretch();
    auto* copy = new QPushButton(tr("&Copy commands"), page);
    copy->setToolTip(tr("Copy the commands below to the clipboard"));
    buttons->addWidget(copy);
    layout->addLayout(buttons);

    layout->addWidget(wrapped(tr("Commands that do the same by hand:"), page));
    m_manual = new QPlainTextEdit(manual.join(QLatin1Char('\n')), page);
    m_manual->setObjectName(QStringLiteral("manualCommands"));
    m_manual->setReadOnly(true);
    m_manual->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_manual->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_manual->setToolTip(tr("Paste these into a terminal to install the certificate yourself"));
    layout->addWidget(m_manual, 2);
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_manual->toPlainText()); });

    m_installLog = new QPlainTextEdit(page);
    m_installLog->setObjectName(QStringLiteral("installLog"));
    m_installLog->setReadOnly(true);
    m_installLog->setPlaceholderText(tr("What the installation printed appears here."));
    m_installLog->setToolTip(tr("Output of the install commands"));
    m_installLog->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_installLog, 1);

    connect(m_installer, &CaInstaller::finished, this,
            [this](const QString& name, bool ok, const QString& output) {
                for (int i = 0; i < m_targets->topLevelItemCount(); ++i) {
                    QTreeWidgetItem* item = m_targets->topLevelItem(i);
                    if (item->text(0) == name)
                        item->setText(1, ok ? tr("Installed") : tr("Failed: see below"));
                }
                m_installLog->appendPlainText(output);
                installNext();
            });
    return page;
}

void CertWizard::installChecked()
{
    if (!m_installQueue.isEmpty() || m_installer->isBusy())
        return;
    for (int i = 0; i < m_targets->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_targets->topLevelItem(i);
        if (m_targetList.value(i).canInstall() && item->checkState(0) == Qt::Checked) {
            m_installQueue << i;
            item->setText(1, tr("Waiting…"));
        }
    }
    m_installButton->setEnabled(m_installQueue.isEmpty());
    installNext();
}

void CertWizard::installNext()
{
    while (!m_installQueue.isEmpty()) {
        const int i = m_installQueue.takeFirst();
        m_targets->topLevelItem(i)->setText(1, tr("Installing…"));
        if (m_installer->install(m_targetList.at(i)))
            return;
        m_targets->topLevelItem(i)->setText(1, tr("Cannot run here"));
    }
    m_installButton->setEnabled(true);
}

QWizardPage* CertWizard::makeExportPage()
{
    auto* page = new QWizardPage(this);
    page->setObjectName(QStringLiteral("exportPage"));
    page->setTitle(tr("Export the certificate"));
    page->setSubTitle(tr("For other devices, or to install it by hand. Only the certificate is "
                         "exported, never the private key."));
    auto* layout = new QVBoxLayout(page);
    const struct
    {
        Format format;
        QString label;
        QString help;
    } formats[] = {
        {Format::Pem, tr("Save as &PEM…"), tr("Text format: Linux, macOS, Firefox, iOS, curl")},
        {Format::Cer, tr("Save as &CER…"), tr("Binary DER format: Windows, Android")},
        {Format::P12, tr("Save as P&12…"), tr("PKCS#12: Windows and macOS import dialogs")},
    };
    auto* grid = new QFormLayout;
    for (const auto& f : formats) {
        auto* button = new QPushButton(f.label, page);
        button->setToolTip(f.help);
        connect(button, &QPushButton::clicked, this,
                [this, format = f.format] { exportWithDialog(format); });
        grid->addRow(button, wrapped(f.help, page));
    }
    layout->addLayout(grid);
    m_exportStatus = wrapped(QString(), page);
    m_exportStatus->setObjectName(QStringLiteral("exportStatus"));
    layout->addWidget(m_exportStatus);
    layout->addStretch();
    return page;
}

void CertWizard::exportWithDialog(Format format)
{
    const QString suggested = QDir::homePath() + QLatin1Char('/') + fileName(format);
    const QString filter = format == Format::Pem   ? tr("PEM certificate (*.pem *.crt)")
                           : format == Format::Cer ? tr("DER certificate (*.cer *.der)")
                                                   : tr("PKCS#12 file (*.p12 *.pfx)");
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export the certificate"), suggested, filter);
    if (path.isEmpty())
        return;
    QString error;
    if (exportCertificate(format, path, &error))
        m_exportStatus->setText(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
    else
        m_exportStatus->setText(error);
}

QWizardPage* CertWizard::makeCheckPage()
{
    auto* page = new QWizardPage(this);
    page->setObjectName(QStringLiteral("checkPage"));
    page->setTitle(tr("Check"));
    page->setSubTitle(tr("Fetches an HTTPS page through the proxy with the system's trust "
                         "store, as an application would."));
    auto* layout = new QVBoxLayout(page);
    auto* row = new QHBoxLayout;
    m_checkUrlEdit = new QLineEdit(QStringLiteral("https://spyglass.proxy/"), page);
    m_checkUrlEdit->setObjectName(QStringLiteral("checkUrl"));
    m_checkUrlEdit->setToolTip(tr("Any https URL; the default is answered by Spyglass itself, "
                                  "without the internet"));
    row->addWidget(m_checkUrlEdit, 1);
    m_checkButton = new QPushButton(tr("C&heck now"), page);
    m_checkButton->setToolTip(
        tr("Fetch the URL through the proxy at %1:%2").arg(m_proxyHost).arg(m_proxyPort));
    connect(m_checkButton, &QPushButton::clicked, this, &CertWizard::runCheck);
    row->addWidget(m_checkButton);
    layout->addLayout(row);
    m_checkResult = wrapped(tr("Not checked yet."), page);
    m_checkResult->setObjectName(QStringLiteral("checkResult"));
    m_checkResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_checkResult);
    layout->addWidget(wrapped(tr("Browsers with their own certificate store (Firefox, and "
                                 "Chromium on Linux) are not covered by this check. Applications "
                                 "started before the installation may need a restart."),
                              page));
    layout->addStretch();
    connect(
        m_check, &TrustCheck::finished, this,
        [this](TrustCheck::Verdict verdict, const QString& detail) {
            m_checkButton->setEnabled(true);
            switch (verdict) {
            case TrustCheck::Verdict::Trusted:
                m_checkResult->setText(
                    tr("<b style='color:#1a7f37'>Trusted.</b> %1").arg(detail.toHtmlEscaped()));
                break;
            case TrustCheck::Verdict::NotTrusted:
                m_checkResult->setText(
                    tr("<b style='color:#c62828'>Not trusted.</b> %1").arg(detail.toHtmlEscaped()));
                break;
            case TrustCheck::Verdict::Failed:
                m_checkResult->setText(tr("<b>Could not check:</b> %1. Is the proxy running?")
                                           .arg(detail.toHtmlEscaped()));
                break;
            }
        });
    return page;
}

void CertWizard::runCheck()
{
    const QUrl url = QUrl::fromUserInput(m_checkUrlEdit->text().trimmed());
    if (!url.isValid() || url.scheme() != QLatin1String("https")) {
        m_checkResult->setText(tr("Enter an https:// URL."));
        return;
    }
    m_checkButton->setEnabled(false);
    m_checkResult->setText(tr("Checking…"));
    m_check->start(url, m_proxyHost, m_proxyPort);
}

} // namespace spyglass
