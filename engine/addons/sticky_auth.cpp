#include "addons/sticky_auth.h"

#include "addons/flow_spec.h"
#include "options/options.h"
#include "proxy/context.h"

namespace spyglass::addons {

QString StickyAuth::configure(const Options& options)
{
    if (options.stickyauth.isEmpty()) {
        m_filter.store(std::make_shared<const std::optional<filter::Filter>>());
        return {};
    }
    QString error;
    auto f = FlowSpec::parseFilter(options.stickyauth, &error);
    if (!f)
        return QStringLiteral("stickyauth: ") + error;
    m_filter.store(std::make_shared<const std::optional<filter::Filter>>(std::move(*f)));
    return {};
}

quint64 StickyAuth::wantedHooks() const
{
    return m_filter.load()->has_value() ? proxy::Services::bit(proxy::HookKind::Request) : 0;
}

void StickyAuth::request(HttpFlow& flow)
{
    const auto f = m_filter.load();
    if (!f->has_value())
        return;
    const QByteArray& host = flow.request.host;
    std::lock_guard lock(m_mutex);
    if (flow.request.headers.contains("authorization")) {
        m_hosts.insert(host, flow.request.headers.value("authorization"));
    } else if ((*f)->matches(flow)) {
        const auto it = m_hosts.constFind(host);
        if (it != m_hosts.constEnd())
            flow.request.headers.set("Authorization", *it);
    }
}

} // namespace spyglass::addons
