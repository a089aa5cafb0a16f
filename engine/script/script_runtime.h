#pragma once
// One loaded script: its QJSEngine, the prelude's API around it, its hook functions, and the
// watcher that reloads it when the file changes. Lives on the script's own thread (a
// ScriptAddon owns both) and is only ever called there, so a script runs one hook at a time
// and never needs a lock (mitmproxy's single-threaded addon semantics).
//
// Failure never spreads: a hook that throws or outlives script_timeout (interrupted by the
// ScriptWatchdog) is reported as "FILE:LINE: ..." through the log and lastError, and the
// flow goes on as it was. A reload that fails to compile keeps the previous version running.

#include "options/options.h"
#include "script/flow_to_js.h"
#include "script/script_native.h"
#include "script/script_watchdog.h"

#include <QHash>
#include <QObject>
#include <QVariantMap>
#include <memory>
#include <optional>

class QFileSystemWatcher;
class QJSEngine;
class QTimer;

namespace spyglass::script {

struct HookInput
{
    proxy::HookKind kind;
    std::shared_ptr<const HttpFlow> flow;
    std::optional<Connection> connection;
    std::optional<Connection> client; // server_* hooks: HookData::client
    std::optional<proxy::ClientHelloData> clientHello;
};

// What a flow hook asked for: a change to make on the worker, and whether the script called
// flow.intercept() (then the hook is held, script_host.h, instead of completed).
struct HookOutcome
{
    FlowChange change;
    bool intercept = false;
};

class ScriptRuntime : public QObject
{
    Q_OBJECT
public:
    using LogFn = ScriptNative::LogFn;

    // `onLoaded` is told the hook mask (Services::bit) and error of every (re)load attempt.
    ScriptRuntime(QString path, LogFn log, std::function<void(quint64, const QString&)> onLoaded);
    ~ScriptRuntime() override;

    // (Re)loads the file: compiles it, runs its top level and its `load` hook. Returns an
    // empty string, or "FILE:LINE: message" (the previous version, if any, stays).
    QString load();
    void configure(const Options& options);
    void running();
    // Runs `done` and frees the engine.
    void shutdown();
    // Runs a flow or connection hook: the change to make on the worker (or empty), and
    // whether to hold the flow.
    HookOutcome runHook(const HookInput& input);
    // The engine's side of intercept and replay, for this and every later (re)load.
    void setHost(std::shared_ptr<const ScriptHost> host);
    // Calls a hook by name with a plain argument (lifecycle hooks, tests).
    bool callHook(const QString& name, const QJSValue& argument);

    QString path() const { return m_path; }
    // The hook functions the running version defines, in ScriptApi::hooks() order.
    QStringList hookNames() const;
    // What spyglass.inject calls (ScriptNative::InjectFn); set before the first load.
    void setInject(ScriptNative::InjectFn inject) { m_inject = std::move(inject); }

private:
    struct Generation;

    void onFileChanged();
    // Calls fn(argument) through the prelude under the watchdog; the prelude's answer, or an
    // undefined value after reporting the failure.
    QJSValue invoke(Generation& g, const QString& hook, const QJSValue& argument);
    // The same for any function of the script (a spyglass.setTimeout callback); `what` names
    // it in reports.
    QJSValue invokeFunction(Generation& g, const QJSValue& fn, const QString& what,
                            const QJSValue& argument);
    // A spyglass.setTimeout timer of `g` is due.
    void fireTimer(Generation& g, int id);
    QString location(const Generation& g, const QJSValue& error, const QString& hook) const;
    void report(const QString& message);
    QJSValue optionsObject(QJSEngine& engine) const;

    QString m_path;
    LogFn m_log;
    ScriptNative::InjectFn m_inject;
    std::function<void(quint64, const QString&)> m_onLoaded;
    std::unique_ptr<Generation> m_current;
    ScriptWatchdog m_watchdog;
    int m_timeoutMs = 5000;
    bool m_running = false;
    QVariantMap m_options; // what configure last saw
    QFileSystemWatcher* m_watcher = nullptr;
    QTimer* m_reloadTimer = nullptr;
    std::shared_ptr<const ScriptHost> m_host;
};

} // namespace spyglass::script
