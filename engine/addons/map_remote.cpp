#include "addons/map_remote.h"

#include "options/options.h"
#include "proxy/context.h"

namespace spyglass::addons {

std::optional<MapRemote::Spec> MapRemote::Spec::parse(const QString& text, QString* error)
{
    auto spec = FlowSpec::parse(text, false, error);
    if (!spec)
        return std::nullopt;
    QRegularExpression re(spec->subject);
    if (!re.isValid()) {
        *error = QStringLiteral("invalid regular expression '%1': %2")
                     .arg(spec->subject, re.errorString());
        return std::nullopt;
    }
    re.optimize();
    return Spec{std::move(*spec), std::move(re)};
}

QString MapRemote::configure(const Options& options)
{
    auto specs = std::make_shared<std::vector<Spec>>();
    for (const QString& text : options.mapRemote) {
        QString error;
        auto s = Spec::parse(text, &error);
        if (!s)
            return QStringLiteral("map_remote: ") + error;
        specs->push_back(std::move(*s));
    }
    m_specs.store(std::move(specs));
    return {};
}

quint64 MapRemote::wantedHooks() const
{
    return m_specs.load()->empty() ? 0 : proxy::Services::bit(proxy::HookKind::Request);
}

void MapRemote::request(HttpFlow& flow)
{
    if (flow.response || flow.error || flow.request.isConnect())
        return;
    const auto specs = m_specs.load();
    for (const Spec& s : *specs) {
        if (!s.spec.matches(flow))
            continue;
        const QString url = QString::fromUtf8(flow.request.url());
        QString mapped = url;
        mapped.replace(s.regex, s.spec.replacement);
        if (mapped == url)
            continue;
        Request changed = flow.request;
        if (!changed.setUrl(mapped.toUtf8()) ||
            (changed.scheme != "http" && changed.scheme != "https")) {
            log(proxy::LogLevel::Warn,
                QStringLiteral("map_remote: '%1' is not an http(s) URL; %2 not mapped")
                    .arg(mapped, url));
            continue;
        }
        const bool sameServer = changed.scheme == flow.request.scheme &&
                                changed.host == flow.request.host &&
                                changed.port == flow.request.port;
        QByteArray hostPort = changed.host.contains(':') ? '[' + changed.host + ']' : changed.host;
        if (changed.port != defaultPort(changed.scheme))
            hostPort += ':' + QByteArray::number(changed.port);
        if (!sameServer) {
            if (changed.headers.contains("host"))
                changed.headers.set("Host", hostPort);
            if (!changed.authority.isEmpty())
                changed.authority = hostPort;
        }
        flow.request = std::move(changed);
    }
}

} // namespace spyglass::addons
