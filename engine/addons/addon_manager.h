#pragma once
// Runs the addons for every hook (mitmproxy's AddonManager), in mitmproxy's default addon
// order: block (block_global, block_private), block_list, anticache, anticomp, onboarding,
// server_replay, map_remote, map_local, modify_body, modify_headers, stickyauth, stickycookie,
// then intercept (last, as mitmproxy's tools add it after the defaults). An addon only sees the
// hooks it asks for (Addon::wantedHooks); the union is what the engine puts in
// Services::wantedHooks, so a proxy with no addon enabled emits no extra hook.
//
// Threads: `run` is called on worker threads, concurrently; `configure` from any thread. The
// addon list is an immutable chain read without a lock: `add` (a script loaded while the
// proxy runs, from any thread) publishes a new chain, and a hook already on its way finishes
// on the chain it started with. Chains and addons are kept until the manager is destroyed
// (an addon is never removed: a script is unloaded in place). Each addon swaps its own
// snapshot. When an addon answers later (returns false), the rest of the chain runs from its
// `complete` call, then `done`.

#include "addons/addon.h"

#include <QStringList>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace spyglass::addons {

class AddonManager
{
public:
    // The default addons, in order.
    explicit AddonManager(LogSink log = {});
    // These addons, in this order (tests).
    AddonManager(std::vector<std::unique_ptr<Addon>> addons, LogSink log = {});
    ~AddonManager();

    // Configures every addon from `options`; the first error, if any, as "name: message".
    QString configure(const Options& options);
    // Union of the addons' wanted hooks (Services::bit masks).
    quint64 wantedHooks() const;
    // Runs the addons that want hook->kind. Returns true when all finished now; otherwise
    // returns false and calls `done` once the last one has finished.
    bool run(const proxy::HookPtr& hook, std::function<void()> done);

    // The addons in order (the current chain; stays valid while the manager lives).
    const std::vector<Addon*>& addons() const { return *m_chain.load(std::memory_order_acquire); }
    // Adds an addon before intercept (scripts: mitmproxy's ScriptLoader runs them before the
    // tool's intercept), with the manager's log sink. From any thread, also while hooks run:
    // the hooks that start afterwards see it.
    void add(std::unique_ptr<Addon> addon);

    // The names of the options the addons read: these can change while the proxy runs.
    static const QStringList& optionNames();

private:
    using Chain = std::vector<Addon*>;
    bool runFrom(const Chain& chain, size_t index, const proxy::HookPtr& hook,
                 const std::function<void()>& done);

    std::mutex m_addMutex;                              // serialises add()
    std::vector<std::unique_ptr<Addon>> m_owned;        // every addon ever added, in no order
    std::vector<std::unique_ptr<const Chain>> m_chains; // every chain published
    std::atomic<const Chain*> m_chain{nullptr};         // the newest of m_chains
    LogSink m_log;
};

} // namespace spyglass::addons
