#pragma once
// The onboarding app (mitmproxy `addons/onboarding.py`, its mitm.it): requests for the host
// `onboarding_host` (default "spyglass.proxy") are answered by the proxy itself, without any
// upstream connection, with a page that offers the CA certificate in every format and the
// steps to install it on each platform:
//
//   /            the page (HTML)
//   /cert/pem    spyglass-ca-cert.pem   application/x-x509-ca-cert   (Linux, Firefox, iOS)
//   /cert/cer    spyglass-ca-cert.cer   application/x-x509-ca-cert   (DER: Windows, Android)
//   /cert/p12    spyglass-ca-cert.p12   application/x-pkcs12         (Windows, macOS import)
//
// Downloads carry Content-Disposition: attachment with the confdir file name. The files are
// read from the confdir when asked for (so a CA created after configure is served too).
//
// Over plain proxying the `request` hook answers. Through CONNECT, nothing must try to reach
// the (unresolvable) host: `http_connect` answers 200 itself (HttpStream then opens the tunnel
// without a server, mitmproxy's semantics for a 2xx set in that hook), `tls_clienthello` turns
// off establishServerTlsFirst for that SNI, and the inner request is answered by `request`.
// `onboarding=false` turns all of this off.

#include "addons/addon.h"
#include "addons/config_slot.h"

namespace spyglass::addons {

class Onboarding : public Addon
{
public:
    struct Config
    {
        bool enabled = false;
        QByteArray host; // lower case
        QString confdir; // ~ expanded
    };

    QString name() const override { return QStringLiteral("onboarding"); }
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override;
    bool run(const proxy::HookPtr& hook, const std::function<void()>& complete) override;
    void httpConnect(HttpFlow& flow) override;
    void request(HttpFlow& flow) override;

    // The answer for `method` and `path` (origin-form, query allowed) under `config`.
    static Response answer(const Config& config, const QByteArray& method, const QByteArray& path);
    // The HTML page; `fingerprint` is the certificate's SHA-256 ("AB:CD:..."), empty when the
    // certificate could not be read.
    static QByteArray page(const QByteArray& host, const QString& fingerprint);

private:
    bool isOnboardingHost(const Config& config, const QByteArray& host) const;

    ConfigSlot<Config> m_config;
};

} // namespace spyglass::addons
