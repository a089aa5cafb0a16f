#include "options/proxy_mode.h"

#include <QUrl>
#include <map>
#include <vector>

namespace spyglass {

namespace {

QString bad(const QString& spec, const QString& why)
{
    return QStringLiteral("invalid mode '%1': %2").arg(spec, why);
}

std::optional<quint16> parsePort(QStringView text)
{
    bool ok = false;
    const uint n = text.toUInt(&ok);
    if (!ok || n > 65535)
        return std::nullopt;
    return quint16(n);
}

QString availableModes()
{
    return ProxyMode::transparentSupported()
               ? QStringLiteral("regular, upstream:URL, reverse:URL, socks5, transparent")
               : QStringLiteral("regular, upstream:URL, reverse:URL, socks5");
}

} // namespace

bool ProxyMode::transparentSupported()
{
#ifdef Q_OS_LINUX
    return true;
#else
    return false;
#endif
}

std::optional<ProxyMode> ProxyMode::parse(const QString& spec, QString* error)
{
    const auto fail = [&](const QString& why) -> std::optional<ProxyMode> {
        if (error)
            *error = bad(spec, why);
        return std::nullopt;
    };
    ProxyMode m;
    m.spec = spec;
    QString body = spec.trimmed();
    if (body.isEmpty())
        return fail(QStringLiteral("empty"));

    // "@PORT" at the end: the listen port. The URL part may hold user:pass@ only before the
    // host, which never ends the spec without a host after it, so the last '@' followed by
    // digits only is the listen port.
    const qsizetype at = body.lastIndexOf(QLatin1Char('@'));
    if (at >= 0) {
        const QString portText = body.mid(at + 1);
        const auto p = parsePort(portText);
        if (!p)
            return fail(QStringLiteral("'@%1' is not a listen port (0-65535)").arg(portText));
        m.listenPort = *p;
        body = body.left(at);
    }

    const qsizetype colon = body.indexOf(QLatin1Char(':'));
    const QString kind = (colon < 0 ? body : body.left(colon)).toLower();
    const QString data = colon < 0 ? QString() : body.mid(colon + 1);

    if (kind == QLatin1String("regular") || kind == QLatin1String("socks5")) {
        if (!data.isEmpty())
            return fail(QStringLiteral("%1 takes no argument").arg(kind));
        m.kind = kind == QLatin1String("regular") ? Kind::Regular : Kind::Socks5;
        return m;
    }
    if (kind == QLatin1String("transparent")) {
        if (!data.isEmpty())
            return fail(QStringLiteral("transparent takes no argument"));
        if (!transparentSupported())
            return fail(QStringLiteral("transparent mode needs Linux (the original destination "
                                       "of a redirected connection comes from netfilter's "
                                       "SO_ORIGINAL_DST); available here: %1")
                            .arg(availableModes()));
        m.kind = Kind::Transparent;
        return m;
    }
    if (kind == QLatin1String("wireguard") || kind == QLatin1String("local") ||
        kind == QLatin1String("socks4") || kind == QLatin1String("dns") ||
        kind == QLatin1String("tun"))
        return fail(QStringLiteral("%1 mode is not supported in this version; available: %2")
                        .arg(kind, availableModes()));
    if (kind != QLatin1String("reverse") && kind != QLatin1String("upstream"))
        return fail(QStringLiteral("unknown mode '%1'; available: %2").arg(kind, availableModes()));

    m.kind = kind == QLatin1String("reverse") ? Kind::Reverse : Kind::Upstream;
    if (data.isEmpty())
        return fail(QStringLiteral("%1 needs a URL, e.g. %1:https://example.com").arg(kind));
    const QUrl url(data, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty() ||
        !data.contains(QLatin1String("://")))
        return fail(QStringLiteral("'%1' is not a URL of the form SCHEME://HOST[:PORT]").arg(data));
    if (!url.path().isEmpty() && url.path() != QLatin1String("/"))
        return fail(QStringLiteral("a path ('%1') is not allowed here").arg(url.path()));
    if (url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty())
        return fail(QStringLiteral("only SCHEME://HOST[:PORT] is allowed here"));

    m.scheme = url.scheme().toLower().toLatin1();
    const QStringList schemes = m.kind == Kind::Reverse ? QStringList{"http", "https", "tcp", "tls"}
                                                        : QStringList{"http", "https", "socks5"};
    if (!schemes.contains(QString::fromLatin1(m.scheme)))
        return fail(QStringLiteral("scheme '%1' is not supported for %2 mode; use one of %3")
                        .arg(QString::fromLatin1(m.scheme), kind, schemes.join(", ")));
    m.host = QUrl::toAce(url.host());
    if (m.host.isEmpty())
        m.host = url.host().toLatin1(); // a literal IP
    if (url.port() > 0) {
        m.port = quint16(url.port());
    } else if (m.scheme == "http") {
        m.port = m.kind == Kind::Upstream ? 8080 : 80;
    } else if (m.scheme == "https") {
        m.port = 443;
    } else if (m.scheme == "socks5") {
        m.port = 1080;
    } else {
        return fail(QStringLiteral("%1:// needs a port").arg(QString::fromLatin1(m.scheme)));
    }
    return m;
}

int ProxyMode::effectivePort(int defaultPort) const
{
    return listenPort ? int(*listenPort) : defaultPort;
}

QString ProxyMode::kindName() const
{
    switch (kind) {
    case Kind::Regular:
        return QStringLiteral("regular");
    case Kind::Reverse:
        return QStringLiteral("reverse");
    case Kind::Upstream:
        return QStringLiteral("upstream");
    case Kind::Socks5:
        return QStringLiteral("socks5");
    case Kind::Transparent:
        return QStringLiteral("transparent");
    }
    return {};
}

QString checkModes(const QStringList& specs, int listenPort, std::vector<ProxyMode>* out)
{
    std::vector<ProxyMode> modes;
    std::map<int, QString> byPort;
    if (specs.isEmpty())
        return QStringLiteral("no proxy mode given");
    for (const QString& s : specs) {
        QString error;
        auto m = ProxyMode::parse(s, &error);
        if (!m)
            return error;
        const int port = m->effectivePort(listenPort);
        if (port != 0) {
            auto [it, fresh] = byPort.emplace(port, s);
            if (!fresh)
                return QStringLiteral("modes '%1' and '%2' both listen on port %3; give one of "
                                      "them another port with @PORT")
                    .arg(it->second, s)
                    .arg(port);
        }
        modes.push_back(*m);
    }
    if (out)
        *out = std::move(modes);
    return {};
}

} // namespace spyglass
