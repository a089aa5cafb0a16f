#pragma once
// The native half of the scripting API: what the prelude (prelude.js) cannot do in
// JavaScript itself (UTF-8, files, logging, options, the message lists of the flow a hook
// is running on). One per script engine, on the script's thread; only the prelude calls it.
//
// Files: relative paths are taken from the script's directory, so an example can read the
// file next to it; a script can read and write wherever the proxy's user can (like a
// mitmproxy addon), which is why scripts are only loaded from the command line or the user.

#include "flow/flow.h"
#include "script/script_host.h"

#include <QHash>
#include <QJSValue>
#include <QObject>
#include <functional>
#include <memory>

class QJSEngine;
class QTimer;

namespace spyglass::script {

class ScriptNative : public QObject
{
    Q_OBJECT
public:
    using LogFn = std::function<void(int level, const QString& message)>;
    // Sends a message into a live WebSocket or TCP flow (ProxyEngine::injectMessage); the
    // error, or empty. Thread-safe.
    using InjectFn = std::function<QString(const QUuid& flowId, bool toClient,
                                           const QByteArray& content, bool isText)>;

    ScriptNative(QString scriptPath, LogFn log);
    // A JavaScript wrapper the engine does not own (this object outlives it).
    QJSValue wrap(QJSEngine& engine);
    // The flow the running hook sees, for websocketMessages and tcpMessages.
    void setCurrentFlow(std::shared_ptr<const HttpFlow> flow) { m_flow = std::move(flow); }
    // The engine's side of intercept and replay (script_host.h); null: refused with a reason.
    void setHost(std::shared_ptr<const ScriptHost> host) { m_host = std::move(host); }
    // Called on this thread when a spyglass.setTimeout timer is due, with its id.
    void setOnTimer(std::function<void(int)> onTimer) { m_onTimer = std::move(onTimer); }
    void setInject(InjectFn inject) { m_inject = std::move(inject); }

    Q_INVOKABLE void log(int level, const QString& message);
    // Registers an option (OptionRegistry::addScriptOption); the error, or empty.
    Q_INVOKABLE QString addOption(const QString& name, const QString& type,
                                  const QString& defaultValue, const QString& help);
    // The file's bytes as an ArrayBuffer, or null when it cannot be read.
    Q_INVOKABLE QJSValue readFile(const QString& path);
    Q_INVOKABLE QString writeFile(const QString& path, const QByteArray& data, bool append);
    Q_INVOKABLE QString decodeUtf8(const QByteArray& bytes) const;
    Q_INVOKABLE QByteArray encodeUtf8(const QString& text) const;
    Q_INVOKABLE QJSValue websocketMessages();
    Q_INVOKABLE QJSValue tcpMessages();
    // spyglass.inject.websocket / .tcp: the error, or empty.
    Q_INVOKABLE QString inject(const QString& flowId, bool toClient, const QByteArray& content,
                               bool isText);
    Q_INVOKABLE QString scriptPath() const { return m_path; }
    // A held flow (ScriptHost), by the id scripts see: false when it is not held (any more).
    Q_INVOKABLE bool resumeFlow(const QString& id);
    Q_INVOKABLE bool killFlow(const QString& id);
    Q_INVOKABLE bool isHeld(const QString& id) const;
    // Client replay of a request the prelude collected (Request._rawOut, plus `fullContent`)
    // from the flow `id`: {id: "new id"} or {error: "reason"}. The flow of the running hook
    // is the base (its connection, a body the script left alone); any other flow is rebuilt
    // from what the script object holds.
    Q_INVOKABLE QJSValue replay(const QJSValue& request, const QString& id);
    // A single-shot timer on the script's thread (spyglass.setTimeout keeps the callback):
    // its id. Cancelling an id that already fired does nothing.
    Q_INVOKABLE int addTimer(int ms);
    Q_INVOKABLE void cancelTimer(int id);
    // A value mitmproxy's flow.marked accepts (flow/flow_marker.h).
    Q_INVOKABLE bool isValidMarker(const QString& marker) const;

private:
    QString resolve(const QString& path) const;

    QString m_path;
    LogFn m_log;
    QJSEngine* m_engine = nullptr;
    std::shared_ptr<const HttpFlow> m_flow;
    std::shared_ptr<const ScriptHost> m_host;
    std::function<void(int)> m_onTimer;
    QHash<int, QTimer*> m_timers; // children of this object
    int m_nextTimer = 1;
    InjectFn m_inject;
};

} // namespace spyglass::script
