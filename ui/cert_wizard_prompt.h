#pragma once
// The certificate wizard (cert_wizard.h) opening by itself on a first start (issue 6): when
// this start created the CA in the confdir (CertificateAuthority::createdNow) and the system
// does not trust it yet, a new user sees how to install it before the first HTTPS site fails.
// It opens non-modal (show(), never exec()), so the window, its proxy and anything driving the
// app (tests/integration/test_app_xvfb.py) go on around it.
//
// The wizard then has a "Don't show this at start again" box; the choice is the QSettings key
// settingsKey() (bool, default true), which a test or a deployment can also set beforehand.
// The trust test is local and synchronous (is the CA among the system's CA certificates?),
// not TrustCheck's fetch through the proxy, which would put a flow in the user's list.

#include <QCoreApplication>
#include <QSslCertificate>
#include <QString>

namespace spyglass {

class CertWizard;
class CertificateAuthority;
class ProxyTools;

class CertWizardPrompt
{
    Q_DECLARE_TR_FUNCTIONS(CertWizardPrompt)
public:
    static QString settingsKey();
    // Whether the wizard may open by itself (false once "Don't show again" was checked).
    static bool isEnabled();
    static void setEnabled(bool enabled);
    // True when the CA was created by this start, the prompt is enabled and `ca` is not among
    // the system's CA certificates. A null certificate is never offered (nothing to install).
    static bool shouldOffer(bool caCreatedNow, const QSslCertificate& ca);
    // Opens the wizard through `tools` (non-modal) with the "Don't show again" box when
    // shouldOffer() says so for `ca`; returns it, else null. Either may be null (no proxy).
    static CertWizard* offer(ProxyTools* tools, const CertificateAuthority* ca);
};

} // namespace spyglass
