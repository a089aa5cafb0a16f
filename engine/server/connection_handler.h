#pragma once
// One client connection and the server connections its layers open: the onRead / onWrite
// half of the I/O shell (CONVENTIONS 6). It runs the layer stack, executes the Commands it
// returns and feeds it Events; SocketStream does the system calls.
// Counterparts: mitmproxy `proxy/server.py` ConnectionHandler, nghttpx `ClientHandler`.
//
// Rules
// - Lives on one worker thread, created there by the worker; everything below runs there.
// - The layer is never re-entered: every event (socket, timer, hook reply, and those that
//   arise while commands execute) goes to one FIFO queue, drained one event at a time; the
//   commands of an event are all executed before the next event is fed.
// - After CloseConnection{half=false} no event for that connection reaches the layer; its
//   pending output is still flushed, then FIN, then the socket lingers briefly and closes.
//   A CloseConnection while the connection is still being opened cancels it: no reply.
// - Peer EOF clears CanRead and feeds ConnectionClosed; a reset or error sets `error`, state
//   Closed, and feeds ConnectionClosed. A connection with neither CanRead nor CanWrite left
//   is closed.
// - Back-pressure: a connection whose pending output exceeds kHighWater pauses reading from
//   every other connection of this handler until it drains below kLowWater. A paused
//   socket is simply not read: the kernel's buffers fill and TCP pushes back on the sender.
//   So what this handler holds stays below kHighWater + SocketStream::kMaxReadPerWakeup per
//   writing connection, whatever the transfer size (a slow client never makes us hold a
//   whole download).
// - Idle timeout: no byte in either direction for options.tcpTimeout seconds logs
//   "idle timeout" and aborts every connection (each gets error "idle timeout" and one
//   ConnectionClosed). A pending hook disarms it (an intercepted flow may wait for the user).
// - The client gone (the layer saw ConnectionClosed(client) with state Closed, or closed the
//   client itself) aborts every server connection still open: they get ConnectionClosed.
// - The handler deletes itself once every socket is closed, no event is queued and no hook
//   is pending. A hook completed after that is ignored.
// - Connection hooks (mitmproxy `proxy/server.py`) are the handler's own, run only when
//   Services::wants() them (nobody listening costs one atomic load per socket): server_connect
//   before a server socket is opened (an `error` a hook sets refuses it: the layer gets a failed
//   OpenConnectionCompleted "connection to HOST:PORT failed: ERROR", as for a refused connect);
//   server_connected after the TCP connect (the layer is not held for it); server_disconnected
//   once its socket is closed, for every server socket that connected; client_disconnected
//   once the client's socket is closed, as the handler's last hook (after every
//   server_disconnected). They run one at a time, in the order they arose.

#include "server/server_config.h"
#include "server/server_stats.h"

#include <QObject>
#include <QUuid>
#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

class QTimer;

namespace spyglass {

class SocketStream;

class ConnectionHandler : public QObject
{
    Q_OBJECT
public:
    // Above this many bytes queued for one connection, the others stop being read. 512 KiB
    // keeps a fast link busy (several bandwidth-delay products on a LAN) at a bounded cost.
    static constexpr qint64 kHighWater = 512 * 1024;
    // ...and reading resumes once that connection is down to this.
    static constexpr qint64 kLowWater = 128 * 1024;

    // Takes ownership of `descriptor`, an accepted client socket. `stats` may be null.
    ConnectionHandler(qintptr descriptor, ServerConfig config, std::shared_ptr<ServerStats> stats,
                      QObject* parent = nullptr);
    ~ConnectionHandler() override;

    // Adopts the socket, makes the client Connection and the root layer, feeds Start.
    // If any of that fails the handler logs why and deletes itself.
    void start();
    // Instead of start(), for a handler made without a descriptor (-1): its client is
    // virtual (client replay, replay_handler.h). `layer` was made with `context`, whose
    // client is that virtual connection: it has no socket, what the layers send it is
    // dropped, and closing it counts as the client going away (the server connections are
    // aborted and the handler finishes as usual). Feeds Start.
    void startVirtual(proxy::Context context, std::unique_ptr<proxy::Layer> layer);

    // Bytes queued for sending on all of this handler's sockets, now and at most so far.
    qint64 bufferedBytes() const { return m_buffered; }
    qint64 peakBufferedBytes() const { return m_peakBuffered; }
    const ConnectionPtr& client() const { return m_client; }

private:
    struct Peer;
    struct Mailbox;

    // Transparent mode: a server Connection to the socket's original destination (or, when
    // there is none, without a peer and with the reason in `error`).
    ConnectionPtr originalDestination(const SocketStream& socket) const;
    void post(proxy::Event event);
    void pump();
    void execute(const proxy::Command& command);
    void sendData(const proxy::SendData& command);
    void openConnection(const proxy::OpenConnection& command);
    void closeConnection(const proxy::CloseConnection& command);
    void requestWakeup(const proxy::RequestWakeup& command);
    void runHook(const proxy::Hook& command);
    void pauseReading(const proxy::PauseReading& command);
    void hookDone(proxy::CommandId id);
    // Lists (or, at its end hook, unlists) a WebSocket or TCP flow in m_config.liveFlows.
    void noteLiveFlow(const proxy::HookData& hook);

    // The handler's own connection hooks (see Rules). `then` runs on completion (may be empty).
    bool wantsHook(proxy::HookKind kind) const;
    void queueOwnHook(proxy::HookKind kind, const ConnectionPtr& connection,
                      std::function<void()> then);
    void runOwnHooks();
    void finishOwnHook(proxy::CommandId id);
    std::function<void()> completer(proxy::CommandId id) const;
    void afterServerConnect(proxy::CommandId openCommand);
    void onPeerClosedHooks(Peer* peer);

    Peer* addPeer(const ConnectionPtr& connection, SocketStream* socket);
    Peer* find(const ConnectionPtr& connection) const;
    void wire(Peer* peer);
    void onConnected(Peer* peer);
    void onConnectFailed(Peer* peer, const QString& reason);
    void onReceived(Peer* peer, const QByteArray& data);
    void onReadClosed(Peer* peer);
    void onFailed(Peer* peer, const QString& reason);
    void onWritten(Peer* peer, qint64 pending);
    void onFinished(Peer* peer);

    // Closes `peer` now, dropping its output. The layer hears of it (ConnectionClosed, or a
    // failed OpenConnectionCompleted) unless it already knows or asked for it.
    void kill(Peer* peer, const QString& reason);
    void abortUpstream();
    void onIdleTimer();
    void activity();
    static qint64 idleClockMs();
    void updateBuffered();
    void updateReading();
    void scheduleCleanup();
    void cleanup();
    bool canFinish() const;

    void logLine(proxy::LogLevel level, const QString& text) const;
    double now() const;
    QString targetText(const Peer* peer) const;

    ServerConfig m_config;
    std::shared_ptr<ServerStats> m_stats;
    qintptr m_descriptor;
    ConnectionPtr m_client;
    proxy::Context m_context;
    std::unique_ptr<proxy::Layer> m_layer;
    std::vector<std::unique_ptr<Peer>> m_peers; // the client first
    std::deque<proxy::Event> m_queue;
    std::unordered_map<proxy::CommandId, proxy::HookPtr> m_pendingHooks;
    struct OwnHook
    {
        proxy::HookPtr hook;
        std::function<void()> then;
    };
    std::deque<OwnHook> m_ownHooks; // the front one runs while m_ownHookId != 0
    proxy::CommandId m_ownHookId = 0;
    std::shared_ptr<Mailbox> m_mailbox;
    std::vector<QUuid> m_liveFlows; // listed in m_config.liveFlows, unlisted when we go
    QString m_logPrefix;

    QTimer* m_idleTimer = nullptr;
    qint64 m_lastActivityMs = 0; // idleClockMs()
    qint64 m_buffered = 0;
    qint64 m_peakBuffered = 0;

    bool m_pumping = false;
    bool m_clientGone = false;
    bool m_upstreamAborted = false;
    bool m_cleanupScheduled = false;
    bool m_finishing = false;
    bool m_virtualClient = false; // startVirtual(): the client has no socket
    bool m_runningOwnHooks = false;
    bool m_clientDisconnectedQueued = false;
};

} // namespace spyglass
