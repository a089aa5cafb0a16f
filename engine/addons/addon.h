#pragma once
// An addon: a feature that acts on flows through hooks (DESIGN.md, engine/addons/), the
// counterpart of a mitmproxy addon class. The AddonManager calls one method per hook, on the
// worker thread that owns the flow, with the flow itself: what an addon changes there is what
// the layer does next (a request edited in `request` is what goes upstream, a response set in
// `request` is answered without a server, a killed flow is closed without an answer).
//
// Threads: hooks arrive from every worker thread at once, and `configure` from the engine's
// thread while they run. An addon therefore keeps what it reads from the options in an
// immutable snapshot that configure swaps atomically (addons/config_slot.h), and guards any
// state it learns from flows (sticky cookies) with a mutex of its own.
//
// Waiting: `run` may return false and call `complete` later, from any thread (intercept will
// hold a flow this way); the default dispatches to the per-hook methods and returns true.

#include "flow/flow.h"
#include "proxy/command.h"

#include <QString>
#include <functional>

namespace spyglass {
struct Options;
}

namespace spyglass::addons {

using LogSink = std::function<void(proxy::LogLevel, const QString&)>;

class Addon
{
public:
    virtual ~Addon();

    virtual QString name() const = 0;
    // Reads this addon's options. On a bad value returns a one-line message for the user and
    // keeps the configuration it had.
    virtual QString configure(const Options& options) = 0;
    // The hooks this addon acts on under its current configuration, as a mask of
    // Services::bit(kind); 0 when it is idle. Hooks nobody wants are not even emitted.
    virtual quint64 wantedHooks() const = 0;

    // Runs one hook: true when done; false when `complete` will be called later, once.
    virtual bool run(const proxy::HookPtr& hook, const std::function<void()>& complete);
    // Whether run() may return false (intercept, scripts). The manager builds `complete` (a
    // closure holding the rest of the chain) only for addons that may wait; the others get
    // one that does nothing, and a false from them is taken as done.
    virtual bool mayWait() const { return false; }

    // mitmproxy's hook names. The connection or flow may be changed in place.
    virtual void clientConnected(Connection& client);
    // The connection hooks the ConnectionHandler emits (server/connection_handler.h). Setting
    // `client.error` in clientConnected, or `server.error` in serverConnect, refuses that
    // connection; in the others a change is ignored.
    virtual void clientDisconnected(Connection& client);
    virtual void serverConnect(const Connection& client, Connection& server);
    virtual void serverConnected(const Connection& client, Connection& server);
    virtual void serverDisconnected(const Connection& client, Connection& server);
    virtual void httpConnect(HttpFlow& flow);
    virtual void requestHeaders(HttpFlow& flow);
    virtual void request(HttpFlow& flow);
    virtual void responseHeaders(HttpFlow& flow);
    virtual void response(HttpFlow& flow);
    virtual void error(HttpFlow& flow);

    // Set once by the manager before any hook runs.
    void setLogSink(LogSink sink) { m_log = std::move(sink); }

    // Sends a message into a live WebSocket or TCP flow (ProxyEngine::injectMessage, which
    // sets it when the addon is added; mitmproxy's inject.websocket / inject.tcp). Null for
    // an addon outside an engine. Thread-safe.
    using Injector = std::function<bool(const QUuid& flowId, bool toClient,
                                        const QByteArray& content, bool isText, QString* error)>;
    void setInjector(Injector injector) { m_injector = std::move(injector); }
    const Injector& injector() const { return m_injector; }

protected:
    void log(proxy::LogLevel level, const QString& message) const;

private:
    LogSink m_log;
    Injector m_injector;
};

} // namespace spyglass::addons
