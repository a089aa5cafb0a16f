#pragma once
// A loaded JavaScript file as an addon (addons/addon.h): the counterpart of a script loaded
// by mitmproxy's ScriptLoader. It owns a ScriptRuntime on a thread of its own. A hook the
// script defines arrives on a worker; run() copies what the hook carries, posts it to the
// script thread and returns false (answer later); the script thread calls the function, turns
// what it changed into a FlowChange and queues that in HookData::onWorker, then posts the rest
// of the hook back to the worker (worker_return.h): there the change is made and complete
// runs the addons after this one on the changed flow (a second script that also edits the
// request must see the first one's edit, not overwrite it). The flow is only ever changed on
// its own worker. Hooks the script does not define are not wanted, so flows nobody scripts are
// never held.
//
// flow.intercept(): instead of finishing, the script thread hands the hook and that way back
// to the host (script_host.h: the engine's Intercept), which holds the flow until it is
// resumed, killed or replaced; only then do the addons after this one run.
//
// Threads: run() from any worker, configure() from any thread, the rest from the thread that
// made the addon. The destructor runs `done` and stops the thread (after the engine stopped).

#include "addons/addon.h"
#include "proxy/hook.h"
#include "script/flow_to_js.h"
#include "script/script_host.h"

#include <QString>
#include <atomic>
#include <functional>
#include <mutex>

class QThread;

namespace spyglass::script {

class ScriptRuntime;

class ScriptAddon : public addons::Addon
{
public:
    explicit ScriptAddon(const QString& path);
    ~ScriptAddon() override;

    // The first load, waiting for it: "" or "FILE:LINE: message".
    QString load();
    // The `running` hook, once the proxy listens (queued to the script thread).
    void running();
    QString path() const { return m_path; }
    // The last error (load, reload, or hook), "" when none yet.
    QString lastError() const;
    // Called (from the script thread) when a reload changes the hooks the script defines;
    // the engine then recomputes which hooks it emits (ProxyEngine::refreshWantedHooks).
    void setOnWantedHooksChanged(std::function<void()> callback);
    // The engine's side of flow.intercept(), flow.resume() and spyglass.replay; set before
    // hooks run (ScriptSet::install). Without one those calls are refused with a reason.
    void setHost(ScriptHost host);
    // Waits until the script thread has handled everything posted so far (tests).
    void sync();

    QString name() const override;
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override { return m_wanted.load(std::memory_order_relaxed); }
    bool run(const proxy::HookPtr& hook, const std::function<void()>& complete) override;

private:
    void setError(const QString& error);
    // On the script thread, after a hook called flow.intercept(): false when nothing held it.
    bool hold(const proxy::HookPtr& hook, const std::function<void()>& complete,
              const HttpFlow& seen, const FlowChange& change);

    QString m_path;
    QThread* m_thread = nullptr;
    ScriptRuntime* m_runtime = nullptr; // lives on m_thread
    std::atomic<quint64> m_wanted{0};
    mutable std::mutex m_mutex;
    QString m_lastError;
    std::function<void()> m_onWantedChanged;
    std::shared_ptr<const ScriptHost> m_host; // under m_mutex
};

} // namespace spyglass::script
