#include "addons/anticache.h"

#include "options/options.h"
#include "proxy/context.h"

namespace spyglass::addons {

QString AntiCache::configure(const Options& options)
{
    m_enabled.store(options.anticache);
    return {};
}

quint64 AntiCache::wantedHooks() const
{
    return m_enabled.load() ? proxy::Services::bit(proxy::HookKind::Request) : 0;
}

void AntiCache::request(HttpFlow& flow)
{
    if (!m_enabled.load())
        return;
    flow.request.headers.remove("if-modified-since");
    flow.request.headers.remove("if-none-match");
}

} // namespace spyglass::addons
