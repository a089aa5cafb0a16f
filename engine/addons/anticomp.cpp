#include "addons/anticomp.h"

#include "options/options.h"
#include "proxy/context.h"

namespace spyglass::addons {

QString AntiComp::configure(const Options& options)
{
    m_enabled.store(options.anticomp);
    return {};
}

quint64 AntiComp::wantedHooks() const
{
    return m_enabled.load() ? proxy::Services::bit(proxy::HookKind::Request) : 0;
}

void AntiComp::request(HttpFlow& flow)
{
    if (!m_enabled.load())
        return;
    flow.request.headers.set("Accept-Encoding", "identity");
}

} // namespace spyglass::addons
