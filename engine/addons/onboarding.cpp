#include "addons/onboarding.h"

#include "options/options.h"
#include "proxy/context.h"
#include "tls/certificate_authority.h"

#include <QCryptographicHash>
#include <QFile>

namespace spyglass::addons {

namespace {

struct Download
{
    const char* path;
    const char* file;
    const char* contentType;
};

constexpr Download kDownloads[] = {
    {"/cert/pem", CertificateAuthority::kCaCertPemFile, "application/x-x509-ca-cert"},
    {"/cert/cer", CertificateAuthority::kCaCertDerFile, "application/x-x509-ca-cert"},
    {"/cert/p12", CertificateAuthority::kCaCertP12File, "application/x-pkcs12"},
};

Response made(int status, const QByteArray& body, const QByteArray& contentType)
{
    Response r = Response::make(status, body, contentType);
    r.headers.add("Server", "Spyglass");
    r.headers.add("Cache-Control", "no-store");
    return r;
}

QString readableFingerprint(const QByteArray& der)
{
    const QByteArray hex = QCryptographicHash::hash(der, QCryptographicHash::Sha256).toHex(':');
    return QString::fromLatin1(hex.toUpper());
}

// The page's text. It is English only: the engine has no translations (it is headless).
constexpr const char* kPage = R"HTML(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Spyglass: install the certificate</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:56rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0 .6rem}
.dl a{display:inline-block;margin:.2rem .4rem .2rem 0;padding:.5rem .9rem;border-radius:.4rem;background:#2457c5;color:#fff;text-decoration:none;font-weight:600}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
pre{background:#eceff4;padding:.6rem;border-radius:.3rem;overflow-x:auto;white-space:pre-wrap}
details{background:#fff;border:1px solid #d6dae3;border-radius:.4rem;margin:.5rem 0;padding:.5rem .9rem}
summary{font-weight:600;cursor:pointer}
.fp{word-break:break-all}
.warn{background:#fff5d6;border:1px solid #e8d28a;border-radius:.4rem;padding:.5rem .9rem}
</style></head><body><main>
<h1>Install the Spyglass certificate</h1>
<p>Traffic is flowing through Spyglass. To see HTTPS, this device must trust the Spyglass
certificate authority (CA). Download it in the format your system wants, then follow the steps
for your platform.</p>
<p class="dl"><a href="/cert/pem" title="PEM: Linux, macOS, Firefox, iOS">Certificate (PEM)</a><a
href="/cert/cer" title="DER: Windows, Android">Certificate (CER)</a><a href="/cert/p12"
title="PKCS#12: Windows and macOS import">Certificate (P12)</a></p>
%FINGERPRINT%
<p class="warn">This CA is unique to your Spyglass installation: anyone holding its private key
(<code>spyglass-ca.pem</code> in the Spyglass configuration directory) can intercept traffic of
the devices that trust it. Keep it secret and remove the certificate when you are done.</p>
<details open><summary>Windows</summary><ol>
<li>Download the <a href="/cert/p12">P12</a> (or <a href="/cert/cer">CER</a>) file and open it.</li>
<li>Choose <b>Current User</b>, then <b>Place all certificates in the following store</b>,
<b>Browse</b>, <b>Trusted Root Certification Authorities</b>.</li>
<li>Finish and confirm the security warning with <b>Yes</b>.</li></ol>
<p>From a command prompt:</p><pre>certutil -addstore -user Root spyglass-ca-cert.cer</pre></details>
<details><summary>macOS</summary><ol>
<li>Download the <a href="/cert/pem">PEM</a> file and open it: Keychain Access adds it to the
<b>login</b> keychain.</li>
<li>Open the certificate "spyglass" there, expand <b>Trust</b> and set <b>When using this
certificate</b> to <b>Always Trust</b>.</li></ol>
<p>From a terminal:</p><pre>security add-trusted-cert -r trustRoot -k ~/Library/Keychains/login.keychain-db spyglass-ca-cert.pem</pre></details>
<details><summary>Linux</summary>
<p>Debian, Ubuntu and derivatives (system store, used by curl, Python, Go and most tools):</p>
<pre>sudo cp spyglass-ca-cert.pem /usr/local/share/ca-certificates/spyglass.crt
sudo update-ca-certificates</pre>
<p>Fedora, Arch and others with p11-kit:</p><pre>sudo trust anchor --store spyglass-ca-cert.pem</pre>
<p>Chromium and Chrome read their own NSS database (package <code>libnss3-tools</code> gives
<code>certutil</code>):</p>
<pre>certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n Spyglass -i spyglass-ca-cert.pem</pre></details>
<details><summary>Firefox (every platform)</summary><ol>
<li>Open <b>Settings</b>, <b>Privacy &amp; Security</b>, <b>Certificates</b>, <b>View
Certificates</b>, tab <b>Authorities</b>.</li>
<li><b>Import</b> the <a href="/cert/pem">PEM</a> file and tick <b>Trust this CA to identify
websites</b>.</li></ol>
<p>Opening the <a href="/cert/pem">PEM link</a> in Firefox shows the same dialog.</p></details>
<details><summary>Android</summary><ol>
<li>Download the <a href="/cert/cer">CER</a> file.</li>
<li>Open <b>Settings</b>, <b>Security</b>, <b>Encryption &amp; credentials</b>, <b>Install a
certificate</b>, <b>CA certificate</b>, and pick the file.</li></ol>
<p>Apps built for Android 7 and later trust user CAs only when their network security
configuration allows it; browsers such as Chrome do.</p></details>
<details><summary>iOS and iPadOS</summary><ol>
<li>Open this page in Safari and download the <a href="/cert/pem">PEM</a> file; allow the
profile to be downloaded.</li>
<li>Open <b>Settings</b>, <b>General</b>, <b>VPN &amp; Device Management</b>, and install the
profile.</li>
<li>Open <b>Settings</b>, <b>General</b>, <b>About</b>, <b>Certificate Trust Settings</b> and
turn on full trust for the Spyglass certificate.</li></ol></details>
<p><small>Served by the Spyglass proxy at %HOST%, without any connection to the
internet.</small></p>
</main></body></html>
)HTML";

} // namespace

QString Onboarding::configure(const Options& options)
{
    auto config = std::make_shared<Config>();
    config->enabled = options.onboarding;
    config->host = options.onboardingHost.trimmed().toLower().toUtf8();
    config->confdir = expandHome(options.confdir);
    if (config->enabled && config->host.isEmpty())
        return QStringLiteral("onboarding_host: must not be empty while onboarding is on");
    m_config.store(std::move(config));
    return {};
}

quint64 Onboarding::wantedHooks() const
{
    using proxy::HookKind;
    using proxy::Services;
    if (!m_config.load()->enabled)
        return 0;
    return Services::bit(HookKind::HttpConnect) | Services::bit(HookKind::TlsClientHello) |
           Services::bit(HookKind::Request);
}

bool Onboarding::isOnboardingHost(const Config& config, const QByteArray& host) const
{
    // toLower() keeps the size: a host of another length is settled without a copy.
    return config.enabled && !host.isEmpty() && host.size() == config.host.size() &&
           host.toLower() == config.host;
}

bool Onboarding::run(const proxy::HookPtr& hook, const std::function<void()>& complete)
{
    if (hook->kind == proxy::HookKind::TlsClientHello) {
        // Nothing to ask upstream first: the proxy itself is the server for this name.
        if (hook->clientHello && isOnboardingHost(*m_config.load(), hook->clientHello->sni))
            hook->clientHello->establishServerTlsFirst = false;
        return true;
    }
    return Addon::run(hook, complete);
}

void Onboarding::httpConnect(HttpFlow& flow)
{
    if (flow.response || flow.error || !isOnboardingHost(*m_config.load(), flow.request.host))
        return;
    Response ok = Response::make(200, {}, {});
    ok.reason = "Connection established";
    flow.response = std::move(ok);
}

void Onboarding::request(HttpFlow& flow)
{
    if (flow.response || flow.error || flow.request.isConnect())
        return;
    const auto config = m_config.load();
    if (!isOnboardingHost(*config, flow.request.host))
        return;
    flow.response = answer(*config, flow.request.method, flow.request.path);
}

Response Onboarding::answer(const Config& config, const QByteArray& method, const QByteArray& path)
{
    if (method != "GET" && method != "HEAD") {
        Response r =
            made(405, "Only GET and HEAD are answered here.\n", "text/plain; charset=utf-8");
        r.headers.add("Allow", "GET, HEAD");
        return r;
    }
    const qsizetype query = path.indexOf('?');
    QByteArray route = query < 0 ? path : path.left(query);
    if (route.size() > 1 && route.endsWith('/'))
        route.chop(1);
    const QString dir = config.confdir + QLatin1Char('/');
    if (route.isEmpty() || route == "/" || route == "/index.html") {
        QFile der(dir + QLatin1String(CertificateAuthority::kCaCertDerFile));
        const QString fingerprint =
            der.open(QIODevice::ReadOnly) ? readableFingerprint(der.readAll()) : QString();
        return made(200, page(config.host, fingerprint), "text/html; charset=utf-8");
    }
    for (const Download& d : kDownloads) {
        if (route != d.path)
            continue;
        QFile f(dir + QLatin1String(d.file));
        if (!f.open(QIODevice::ReadOnly))
            return made(503,
                        QStringLiteral("The certificate file %1 cannot be read: %2\n")
                            .arg(f.fileName(), f.errorString())
                            .toUtf8(),
                        "text/plain; charset=utf-8");
        Response r = made(200, f.readAll(), d.contentType);
        r.headers.add("Content-Disposition", QByteArray("attachment; filename=\"") + d.file + '"');
        return r;
    }
    return made(404, "Not found. The certificate is at /cert/pem, /cert/cer and /cert/p12.\n",
                "text/plain; charset=utf-8");
}

QByteArray Onboarding::page(const QByteArray& host, const QString& fingerprint)
{
    QString html = QString::fromUtf8(kPage);
    const QString fp =
        fingerprint.isEmpty()
            ? QStringLiteral("<p class=\"warn\">The certificate could not be read from the "
                             "configuration directory.</p>")
            : QStringLiteral("<p>SHA-256 fingerprint, to compare with what your system "
                             "shows:<br><code class=\"fp\">%1</code></p>")
                  .arg(fingerprint);
    html.replace(QLatin1String("%FINGERPRINT%"), fp);
    html.replace(QLatin1String("%HOST%"), QString::fromUtf8(host).toHtmlEscaped());
    return html.toUtf8();
}

} // namespace spyglass::addons
