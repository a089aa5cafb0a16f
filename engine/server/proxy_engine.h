#pragma once
// The engine's one facade (CONVENTIONS 11): what spyglass-dump and the window use. It owns
// the CA and certificate store, the listening ProxyServer with its worker threads, and the
// FlowHub that carries flow snapshots to the caller's thread. Nothing here is a layer or a
// socket; those stay behind ProxyServer.

#include "flow/flow_hub.h"
#include "options/options.h"

#include <QList>
#include <QObject>
#include <QUuid>
#include <memory>
#include <vector>

namespace spyglass {

class CertificateAuthority;
namespace addons {
class Addon;
class Intercept;
} // namespace addons

class ProxyEngine : public QObject
{
    Q_OBJECT
public:
    explicit ProxyEngine(QObject* parent = nullptr);
    ~ProxyEngine() override;

    // Loads (or creates, on first start) the CA in options.confdir and starts listening.
    // On failure returns false and a one-line reason for the user.
    bool start(const Options& options, QString* error);
    // Stops accepting, closes every connection (flows held by intercept are dropped), joins
    // the workers, flushes the hub.
    void stop();
    bool isRunning() const;
    quint16 listenPort() const;
    // One port per options.mode entry, in that order (empty when not running).
    std::vector<quint16> listenPorts() const;

    FlowHub& hub() { return m_hub; }
    // Whether flows are published while they run (the window shows them live) or only when
    // they end (spyglass-dump prints finished flows only). Set before start().
    void setLiveUpdates(bool live) { m_liveUpdates = live; }
    // Whether start() opens the listeners (the default) or only starts the worker threads,
    // for work that needs no proxy port: spyglass-dump -n with client_replay. Set before
    // start(); listenPort() is then 0.
    void setListening(bool listening) { m_listening = listening; }
    const CertificateAuthority* certificateAuthority() const;

    // Changes an addon option (block_list, modify_headers, map_local, ... : the names in
    // addons::AddonManager::optionNames()) while the proxy runs, from any thread. The value
    // is parsed as `--set NAME=VALUE` is: a list option gets one entry added, and an empty
    // value empties it. The new configuration applies to every hook that starts after the
    // call returns; nothing changes on a bad value (false and a one-line message).
    bool setOption(const QString& name, const QString& value, QString* error);
    // The options in force (those given to start(), with setOption's changes).
    Options options() const;

    // Intercept (the `intercept` option, addons/intercept.h). Thread-safe, from any thread:
    // the window calls them from its own. A held flow is published with `intercepted` set;
    // each call returns false (0) when the flow is not held (any more).
    QList<QUuid> interceptedFlows() const;
    bool resumeFlow(const QUuid& id);
    int resumeAllFlows();
    // Closes a held request or response without an answer; drops a held WebSocket message.
    bool killFlow(const QUuid& id);
    // Takes the request (held at request), the response (held at response) or the message
    // (held at a WebSocket message) from `edited`, then resumes.
    bool replaceFlow(const QUuid& id, const HttpFlow& edited);
    // The intercept addon itself: scripts hand it the flows they intercept
    // (Intercept::hold, script/script_set.cpp). Lives as long as the engine.
    addons::Intercept* interceptAddon() const;

    // Injection (mitmproxy's inject.websocket and inject.tcp commands). Thread-safe, from any
    // thread: sends `content` to the client (toClient) or the server of the live WebSocket or
    // TCP flow `flowId`, after whatever that connection is relaying now. A WebSocket message
    // is framed as the peer expects (masked towards the server, compressed when
    // permessage-deflate is on), text or binary as `isText` says; TCP bytes go as they are.
    // The flow records it as a message with `injected` set. Returns false and a one-line
    // reason when the flow is unknown (or not a WebSocket or TCP flow, or no hook carried it
    // yet: a flow is reachable once one of its hooks ran) or has ended. A peer that closed
    // before the message gets there drops it (logged).
    bool injectMessage(const QUuid& flowId, bool toClient, const QByteArray& content, bool isText,
                       QString* error);

    // Client replay (server/replay_handler.h, mitmproxy's ClientPlayback). Thread-safe, from
    // any thread, while the engine runs. The request of `flow` (edited or not) is copied into
    // a new flow with a new id, marked as a replay (HttpFlow::isReplay, `~replayq`), and
    // replayed on a worker once its turn comes (client_replay_concurrency, in order): the
    // hooks run and the flow is published like any other, with the response or an error
    // (a dead server: the connect error, after connect_timeout at most). Returns the new id,
    // or a null id and a one-line reason (the engine is not running, a WebSocket or TCP flow,
    // a request body that was streamed and not recorded, ...).
    QUuid replayFlow(const HttpFlow& flow, QString* error);
    // Each of `flows` as replayFlow; returns how many were queued. Reasons for the others go
    // to `errors` when given (one line each, naming the URL).
    int replayFlows(const QList<HttpFlow>& flows, QStringList* errors = nullptr);
    // Replays waiting or running.
    int pendingReplays() const;

    // Adds an addon (a loaded script, engine/script/) before intercept, from any thread,
    // before start() or while the engine runs (then it is configured with the options in
    // force and the hooks it wants are emitted from the next hook on). The engine owns it
    // from then on; it is configured with the options at each start.
    void addAddon(std::unique_ptr<addons::Addon> addon);
    // Recomputes which hooks are emitted, from any thread: an addon whose wanted hooks
    // changed (a script reloaded with other functions) calls it.
    void refreshWantedHooks();

Q_SIGNALS:
    // From any thread; delivered queued to receivers on other threads.
    void logMessage(int level, const QString& message);
    // The last client replay has ended and none waits (from a worker thread). Flows the
    // replays published reach the hub before this is emitted.
    void replaysFinished();

private:
    void openReplays(const Options& options);

    struct Private;
    std::unique_ptr<Private> d;
    FlowHub m_hub;
    bool m_liveUpdates = true;
    bool m_listening = true;
};

} // namespace spyglass
