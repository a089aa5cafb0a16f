#include "addons/addon_manager.h"

#include "addons/anticache.h"
#include "addons/anticomp.h"
#include "addons/block.h"
#include "addons/block_list.h"
#include "addons/intercept.h"
#include "addons/map_local.h"
#include "addons/map_remote.h"
#include "addons/modify_body.h"
#include "addons/modify_headers.h"
#include "addons/onboarding.h"
#include "addons/server_replay.h"
#include "addons/sticky_auth.h"
#include "addons/sticky_cookie.h"
#include "proxy/context.h"

namespace spyglass::addons {

namespace {

std::vector<std::unique_ptr<Addon>> defaultAddons()
{
    std::vector<std::unique_ptr<Addon>> v;
    v.push_back(std::make_unique<Block>());
    v.push_back(std::make_unique<BlockList>());
    v.push_back(std::make_unique<AntiCache>());
    v.push_back(std::make_unique<AntiComp>());
    v.push_back(std::make_unique<Onboarding>());
    v.push_back(std::make_unique<ServerReplay>()); // mitmproxy: serverplayback before mapremote
    v.push_back(std::make_unique<MapRemote>());
    v.push_back(std::make_unique<MapLocal>());
    v.push_back(std::make_unique<ModifyBody>());
    v.push_back(std::make_unique<ModifyHeaders>());
    v.push_back(std::make_unique<StickyAuth>());
    v.push_back(std::make_unique<StickyCookie>());
    v.push_back(std::make_unique<Intercept>()); // last, as the tools add it after the defaults
    return v;
}

} // namespace

AddonManager::AddonManager(LogSink log) : AddonManager(defaultAddons(), std::move(log)) {}

AddonManager::AddonManager(std::vector<std::unique_ptr<Addon>> addons, LogSink log)
    : m_owned(std::move(addons)), m_log(std::move(log))
{
    auto chain = std::make_unique<Chain>();
    for (auto& a : m_owned) {
        a->setLogSink(m_log);
        chain->push_back(a.get());
    }
    m_chain.store(chain.get(), std::memory_order_release);
    m_chains.push_back(std::move(chain));
}

void AddonManager::add(std::unique_ptr<Addon> addon)
{
    addon->setLogSink(m_log);
    std::lock_guard lock(m_addMutex);
    auto chain = std::make_unique<Chain>(*m_chain.load(std::memory_order_acquire));
    auto at = chain->end();
    for (auto it = chain->begin(); it != chain->end(); ++it)
        if (dynamic_cast<Intercept*>(*it)) {
            at = it;
            break;
        }
    chain->insert(at, addon.get());
    m_owned.push_back(std::move(addon));
    m_chain.store(chain.get(), std::memory_order_release);
    m_chains.push_back(std::move(chain));
}

AddonManager::~AddonManager() = default;

const QStringList& AddonManager::optionNames()
{
    static const QStringList names{
        QStringLiteral("block_global"),
        QStringLiteral("block_private"),
        QStringLiteral("block_list"),
        QStringLiteral("anticache"),
        QStringLiteral("anticomp"),
        QStringLiteral("onboarding"),
        QStringLiteral("onboarding_host"),
        QStringLiteral("map_remote"),
        QStringLiteral("map_local"),
        QStringLiteral("modify_body"),
        QStringLiteral("modify_headers"),
        QStringLiteral("stickyauth"),
        QStringLiteral("stickycookie"),
        QStringLiteral("showhost"),
        QStringLiteral("intercept"),
        QStringLiteral("intercept_active"),
        QStringLiteral("server_replay"),
        QStringLiteral("server_replay_extra"),
        QStringLiteral("server_replay_kill_extra"),
        QStringLiteral("server_replay_reuse"),
        QStringLiteral("server_replay_refresh"),
        QStringLiteral("server_replay_use_headers"),
        QStringLiteral("server_replay_ignore_content"),
        QStringLiteral("server_replay_ignore_host"),
        QStringLiteral("server_replay_ignore_port"),
        QStringLiteral("server_replay_ignore_params"),
        QStringLiteral("server_replay_ignore_payload_params"),
    };
    return names;
}

QString AddonManager::configure(const Options& options)
{
    for (Addon* a : addons()) {
        const QString err = a->configure(options);
        if (!err.isEmpty())
            return err;
    }
    return {};
}

quint64 AddonManager::wantedHooks() const
{
    quint64 bits = 0;
    for (const Addon* a : addons())
        bits |= a->wantedHooks();
    return bits;
}

bool AddonManager::run(const proxy::HookPtr& hook, std::function<void()> done)
{
    return runFrom(addons(), 0, hook, done);
}

bool AddonManager::runFrom(const Chain& chain, size_t index, const proxy::HookPtr& hook,
                           const std::function<void()>& done)
{
    const quint64 bit = proxy::Services::bit(hook->kind);
    for (size_t i = index; i < chain.size(); ++i) {
        if (!(chain[i]->wantedHooks() & bit))
            continue;
        if (!chain[i]->mayWait()) {
            // No continuation to build (a heap-allocated closure per addon and hook).
            static const std::function<void()> nothing = [] {};
            if (!chain[i]->run(hook, nothing))
                qWarning("addon %s did not finish a hook, though it never waits; continuing",
                         qPrintable(chain[i]->name()));
            continue;
        }
        // `chain` is kept until the manager is destroyed, so the rest runs on the same one.
        auto next = [this, &chain, i, hook, done] {
            if (runFrom(chain, i + 1, hook, done))
                done();
        };
        if (!chain[i]->run(hook, next))
            return false;
    }
    return true;
}

} // namespace spyglass::addons
