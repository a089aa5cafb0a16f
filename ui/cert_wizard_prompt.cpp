#include "cert_wizard_prompt.h"

#include "cert_wizard.h"
#include "proxy_tools.h"
#include "tls/certificate_authority.h"

#include <QCheckBox>
#include <QSettings>
#include <QSslConfiguration>

namespace spyglass {

QString CertWizardPrompt::settingsKey()
{
    return QStringLiteral("certWizard/showOnFirstStart");
}

bool CertWizardPrompt::isEnabled()
{
    return QSettings().value(settingsKey(), true).toBool();
}

void CertWizardPrompt::setEnabled(bool enabled)
{
    QSettings().setValue(settingsKey(), enabled);
}

bool CertWizardPrompt::shouldOffer(bool caCreatedNow, const QSslCertificate& ca)
{
    if (!caCreatedNow || ca.isNull() || !isEnabled())
        return false;
    return !QSslConfiguration::systemCaCertificates().contains(ca);
}

CertWizard* CertWizardPrompt::offer(ProxyTools* tools, const CertificateAuthority* ca)
{
    if (!tools || !ca)
        return nullptr;
    const QList<QSslCertificate> certs =
        QSslCertificate::fromPath(ca->filePath(CertificateAuthority::kCaCertPemFile));
    if (!shouldOffer(ca->createdNow(), certs.value(0)))
        return nullptr;
    CertWizard* wizard = tools->showCertWizard();
    auto* dontShow = new QCheckBox(tr("Don't show this at start again"), wizard);
    dontShow->setObjectName(QStringLiteral("dontShowAgain"));
    dontShow->setToolTip(tr("The wizard opened because Spyglass made a new certificate "
                            "authority; it stays in Tools > Certificate wizard"));
    wizard->setButton(QWizard::CustomButton1, dontShow);
    wizard->setOption(QWizard::HaveCustomButton1, true);
    QObject::connect(dontShow, &QCheckBox::toggled, wizard,
                     [](bool checked) { setEnabled(!checked); });
    return wizard;
}

} // namespace spyglass
