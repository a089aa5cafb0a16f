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
// Threads: run() from any worker, configure() from any thread, the status getters from any
// thread, the rest from the thread that made the addon. The destructor runs `done` and stops
// the thread (after the engine stopped).
//
// Status (the window's Scripts panel): Running after a successful (re)load; Error once a
// load, a reload or a hook failed (a failed reload keeps the previous version running);
// Unloaded before the first load and after unload(), which keeps the addon in the engine but
// wanting no hook, so reload() can bring it back. Every change calls the status callback
// from the script thread.

#include "addons/addon.h"
#include "proxy/hook.h"
#include "script/flow_change.h"
#include "script/script_host.h"

#include <QString>
#include <QStringList>
#include <atomic>
#include <functional>
#include <mutex>

class QThread;

namespace spyglass::script {

class ScriptRuntime;

class ScriptAddon : public addons::Addon
{
public:
    enum class State
    {
        Unloaded,
        Running,
        Error
    };

    explicit ScriptAddon(const QString& path);
    ~ScriptAddon() override;

    // The first load, waiting for it: "" or "FILE:LINE: message".
    QString load();
    // The `running` hook, once the proxy listens (queued to the script thread).
    void running();
    QString path() const { return m_path; }
    // The last error (load, reload, or hook) since the last successful load, "" when none.
    QString lastError() const;
    State state() const;
    // The hook functions the running version defines ("request", "load", ...).
    QStringList hooks() const;
    // Loads the file again, or after unload() (queued to the script thread; the outcome
    // arrives through the status callback).
    void reload();
    // Runs `done`, frees the script's engine and stops watching the file; the addon then
    // wants no hook (queued to the script thread).
    void unload();
    // Called from the script thread whenever state(), lastError() or hooks() changed.
    void setOnStatusChanged(std::function<void()> callback);
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
    bool mayWait() const override { return true; }

private:
    void setError(const QString& error);
    // On the script thread, after a hook called flow.intercept(): false when nothing held it.
    bool hold(const proxy::HookPtr& hook, const std::function<void()>& complete,
              const HttpFlow& seen, const FlowChange& change);
    void onLoaded(quint64 wanted, const QString& error);
    void setWanted(quint64 wanted);
    void statusChanged();

    QString m_path;
    QThread* m_thread = nullptr;
    ScriptRuntime* m_runtime = nullptr; // lives on m_thread
    std::atomic<quint64> m_wanted{0};
    mutable std::mutex m_mutex;
    QString m_lastError;
    State m_state = State::Unloaded;
    QStringList m_hooks;
    std::function<void()> m_onWantedChanged;
    std::shared_ptr<const ScriptHost> m_host; // under m_mutex
    std::function<void()> m_onStatusChanged;
};

} // namespace spyglass::script
