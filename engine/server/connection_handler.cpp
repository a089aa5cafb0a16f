#include "server/connection_handler.h"

#include "server/hook_runner.h"
#include "server/live_flows.h"
#include "server/own_connections.h"
#include "server/socket_stream.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <ctime>

#include <exception>
#include <mutex>

namespace spyglass {

using namespace proxy;

struct ConnectionHandler::Peer
{
    ConnectionPtr connection;
    SocketStream* socket = nullptr;
    Address target;            // where we connect (server connections)
    CommandId openCommand = 0; // while an OpenConnection is under way
    bool silenced = false;     // the layer gets no more events for it
    bool pausedByLayer = false;
    bool congested = false; // pending output above the high-water mark
    bool done = false;      // the socket is closed
    bool connected = false; // the socket connected once (server_disconnected is due)
};

// How a hook's `complete` finds its handler from any thread: the handler unregisters itself
// under the mutex before it dies, and posting happens under the same mutex, so a posted call
// never targets a dead handler (Qt drops calls still queued for an object it deletes).
struct ConnectionHandler::Mailbox
{
    std::mutex mutex;
    ConnectionHandler* handler = nullptr;
};

namespace {
bool canRead(const Connection& c)
{
    return (quint8(c.state) & quint8(ConnectionState::CanRead)) != 0;
}
bool canWrite(const Connection& c)
{
    return (quint8(c.state) & quint8(ConnectionState::CanWrite)) != 0;
}
void clearState(Connection& c, ConnectionState bit)
{
    c.state = ConnectionState(quint8(c.state) & ~quint8(bit));
}
} // namespace

ConnectionHandler::ConnectionHandler(qintptr descriptor, ServerConfig config,
                                     std::shared_ptr<ServerStats> stats, QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_stats(std::move(stats)),
      m_descriptor(descriptor), m_client(makeConnection(Connection::Role::Client)),
      m_mailbox(std::make_shared<Mailbox>())
{
    if (!m_config.options)
        m_config.options = std::make_shared<const Options>();
    if (!m_config.services)
        m_config.services = std::make_shared<Services>();
    m_mailbox->handler = this;
    if (m_stats)
        m_stats->connections.fetch_add(1, std::memory_order_relaxed);
}

ConnectionHandler::~ConnectionHandler()
{
    {
        std::lock_guard lock(m_mailbox->mutex);
        m_mailbox->handler = nullptr;
    }
    if (m_config.liveFlows)
        for (const QUuid& id : m_liveFlows)
            m_config.liveFlows->remove(id);
    // The layer goes first: it may hold on to what the sockets' owners own.
    m_layer.reset();
    // start() never ran: the descriptor is still ours alone.
    SocketStream::discardDescriptor(m_descriptor);
    if (m_stats) {
        m_stats->bufferedChanged(m_buffered, 0);
        m_stats->connections.fetch_sub(1, std::memory_order_relaxed);
    }
}

// ---- start ---------------------------------------------------------------------------------

void ConnectionHandler::start()
{
    auto* socket = new SocketStream(this);
    QString error;
    const qintptr descriptor = m_descriptor;
    m_descriptor = -1;
    if (!socket->adopt(descriptor, &error)) {
        logLine(LogLevel::Warn, QStringLiteral("cannot use the accepted socket: %1").arg(error));
        m_finishing = true;
        deleteLater();
        return;
    }
    m_client->peer = socket->peerAddress();
    m_client->sockname = socket->localAddress();
    m_client->timestampStart = now();
    m_client->state = ConnectionState::Open;
    m_logPrefix = QStringLiteral("client %1: ").arg(QString::fromLatin1(m_client->peer.toString()));
    wire(addPeer(m_client, socket));

    m_context = Context{m_client, nullptr, m_config.options, m_config.services, m_config.mode};
    if (m_config.mode && m_config.mode->kind == ProxyMode::Kind::Transparent)
        m_context.server = originalDestination(*socket);
    if (m_config.rootLayer)
        m_layer = m_config.rootLayer(m_context);
    if (!m_layer) {
        logLine(LogLevel::Error, QStringLiteral("no root layer configured"));
        socket->abort();
        return;
    }

    const int idleSeconds = m_config.options->tcpTimeout;
    if (idleSeconds > 0) {
        m_idleTimer = new QTimer(this);
        m_idleTimer->setSingleShot(true);
        connect(m_idleTimer, &QTimer::timeout, this, &ConnectionHandler::onIdleTimer);
        m_idleTimer->start(idleSeconds * 1000);
    }
    activity();
    post(Start{});
}

void ConnectionHandler::startVirtual(Context context, std::unique_ptr<Layer> layer)
{
    m_virtualClient = true;
    m_client = context.client;
    m_context = std::move(context);
    m_layer = std::move(layer);
    m_logPrefix = QStringLiteral("replay: ");
    if (!m_client || !m_layer) {
        logLine(LogLevel::Error, QStringLiteral("a replay without a client or a layer"));
        m_layer.reset();
        m_finishing = true;
        deleteLater();
        return;
    }
    const int idleSeconds = m_config.options->tcpTimeout;
    if (idleSeconds > 0) {
        m_idleTimer = new QTimer(this);
        m_idleTimer->setSingleShot(true);
        connect(m_idleTimer, &QTimer::timeout, this, &ConnectionHandler::onIdleTimer);
        m_idleTimer->start(idleSeconds * 1000);
    }
    activity();
    post(Start{});
}

ConnectionPtr ConnectionHandler::originalDestination(const SocketStream& socket) const
{
    // mitmproxy's TransparentProxy layer: the server of a redirected connection is where the
    // client was going. When there is none, or the client is one of our own upstream sockets
    // that a local OUTPUT rule sent back to us, the peer stays empty and `error` tells the
    // user why; the TransparentLayer reports it and closes the client.
    ConnectionPtr server = makeConnection(Connection::Role::Server);
    Address destination;
    QString why;
    if (!socket.originalDestination(&destination, &why)) {
        server->error = QStringLiteral("no original destination for this connection (%1); only "
                                       "connections redirected by the firewall can be served, "
                                       "see docs/transparent.md")
                            .arg(why);
    } else if (OwnConnections::contains(m_client->peer)) {
        server->error =
            QStringLiteral("this is Spyglass's own connection to %1, redirected back to it (a "
                           "loop): exclude Spyglass's traffic from the REDIRECT rule, e.g. "
                           "iptables -m owner ! --uid-owner USER, see docs/transparent.md")
                .arg(QString::fromLatin1(destination.toString()));
    } else {
        server->peer = destination;
    }
    return server;
}

// ---- the event queue -----------------------------------------------------------------------

void ConnectionHandler::post(Event event)
{
    if (m_finishing || !m_layer)
        return;
    m_queue.push_back(std::move(event));
    pump();
}

void ConnectionHandler::pump()
{
    if (m_pumping || !m_layer)
        return;
    m_pumping = true;
    while (!m_queue.empty() && !m_finishing) {
        const Event event = std::move(m_queue.front());
        m_queue.pop_front();
        Commands commands;
        try {
            commands = m_layer->handleEvent(event);
        } catch (const std::exception& e) {
            // A layer must report errors as values; one that throws loses its connection,
            // never the process.
            logLine(LogLevel::Error,
                    QStringLiteral("layer %1 failed on %2: %3")
                        .arg(m_layer->name(), describe(event), QString::fromLocal8Bit(e.what())));
            m_queue.clear();
            for (auto& p : m_peers)
                kill(p.get(), QStringLiteral("internal error"));
            m_queue.clear();
            m_layer.reset();
            break;
        }
        mergeSendData(commands);
        for (const Command& c : commands)
            execute(c);
        if (const auto* closed = std::get_if<ConnectionClosed>(&event);
            closed && closed->connection == m_client && m_client->state == ConnectionState::Closed)
            m_clientGone = true;
        if (m_clientGone && !m_upstreamAborted)
            abortUpstream();
    }
    m_pumping = false;
    // Cleanup only has work once a peer is done (a closed server connection to forget, or
    // every peer done so the handler can go). Scheduling it after every pump cost a posted
    // event and an eventfd wake-up per chunk of data received.
    if (std::any_of(m_peers.begin(), m_peers.end(), [](const auto& p) { return p->done; }))
        scheduleCleanup();
}

void ConnectionHandler::execute(const Command& command)
{
    std::visit(
        [this](const auto& c) {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, SendData>)
                sendData(c);
            else if constexpr (std::is_same_v<T, OpenConnection>)
                openConnection(c);
            else if constexpr (std::is_same_v<T, CloseConnection>)
                closeConnection(c);
            else if constexpr (std::is_same_v<T, RequestWakeup>)
                requestWakeup(c);
            else if constexpr (std::is_same_v<T, Hook>)
                runHook(c);
            else if constexpr (std::is_same_v<T, Log>)
                logLine(c.level, c.message);
            else if constexpr (std::is_same_v<T, PauseReading>)
                pauseReading(c);
        },
        command);
}

// ---- commands ------------------------------------------------------------------------------

void ConnectionHandler::sendData(const SendData& command)
{
    if (m_virtualClient && command.connection == m_client)
        return; // nobody listens (startVirtual)
    Peer* p = find(command.connection);
    if (!p || p->done || (!p->openCommand && !canWrite(*p->connection))) {
        logLine(LogLevel::Debug, QStringLiteral("dropped %1 bytes for a closed connection: %2")
                                     .arg(command.data.size())
                                     .arg(describe(Command(command))));
        return;
    }
    p->socket->write(command.data);
    activity();
    updateBuffered();
    if (!p->congested && p->socket->pendingOutput() > kHighWater) {
        p->congested = true;
        updateReading();
    }
}

void ConnectionHandler::openConnection(const OpenConnection& command)
{
    const ConnectionPtr& conn = command.connection;
    if (!conn) {
        logLine(LogLevel::Error, QStringLiteral("OpenConnection without a connection"));
        return;
    }
    const Address target = conn->via.isValid() ? conn->via : conn->peer;
    const QString where = QString::fromLatin1(target.toString());
    QString refusal;
    if (find(conn))
        refusal = QStringLiteral("connection to %1 failed: already open").arg(where);
    else if (!target.isValid())
        refusal = QStringLiteral("connection to %1 failed: no address").arg(where);
    else if (m_clientGone)
        refusal = QStringLiteral("connection to %1 failed: client disconnected").arg(where);
    if (!refusal.isEmpty()) {
        if (!find(conn))
            conn->error = refusal;
        post(OpenConnectionCompleted{command.id, conn, refusal});
        return;
    }
    // An earlier socket of this Connection that the layer closed may still be flushing: give
    // it a private copy, so its last events cannot touch the reopened connection's state.
    for (auto& old : m_peers)
        if (old->connection == conn && !old->done)
            old->connection = std::make_shared<Connection>(*conn);
    conn->error.clear();
    conn->state = ConnectionState::Closed;
    conn->timestampStart = now();
    Peer* p = addPeer(conn, new SocketStream(this));
    p->target = target;
    p->openCommand = command.id;
    wire(p);
    if (wantsHook(HookKind::ServerConnect)) {
        // The socket stays idle (what the layer sends meanwhile is queued) until the hook is done.
        const CommandId id = command.id;
        queueOwnHook(HookKind::ServerConnect, conn, [this, id] { afterServerConnect(id); });
        return;
    }
    p->socket->connectToHost(target.host, target.port, m_config.options->connectTimeout * 1000);
}

void ConnectionHandler::closeConnection(const CloseConnection& command)
{
    if (m_virtualClient && command.connection == m_client) {
        // The virtual client has said all it will say: even a half close ends it.
        if (m_client->state != ConnectionState::Closed)
            m_client->timestampEnd = now();
        m_client->state = ConnectionState::Closed;
        m_clientGone = true;
        return;
    }
    Peer* p = find(command.connection);
    if (!p || p->done) {
        logLine(LogLevel::Debug, QStringLiteral("%1: not open").arg(describe(Command(command))));
        return;
    }
    Connection& c = *p->connection;
    if (p->openCommand) { // still connecting: cancelled, and no reply
        p->openCommand = 0;
        p->silenced = true;
        c.state = ConnectionState::Closed;
        p->socket->abort();
        return;
    }
    if (command.halfClose) {
        if (!canWrite(c))
            return;
        clearState(c, ConnectionState::CanWrite);
        if (c.state == ConnectionState::Closed) {
            c.timestampEnd = now();
            p->socket->close();
        } else {
            p->socket->shutdownWrite();
        }
    } else {
        if (c.state != ConnectionState::Closed)
            c.timestampEnd = now();
        c.state = ConnectionState::Closed;
        p->silenced = true;
        p->socket->close();
    }
    if (p->connection == m_client && c.state == ConnectionState::Closed)
        m_clientGone = true;
}

void ConnectionHandler::requestWakeup(const RequestWakeup& command)
{
    const int ms = command.delay > 0 ? int(qMin(command.delay * 1000.0, 2.0e9)) : 0;
    const CommandId id = command.id;
    QTimer::singleShot(ms, Qt::PreciseTimer, this, [this, id] { post(Wakeup{id}); });
}

void ConnectionHandler::noteLiveFlow(const HookData& hook)
{
    const QUuid id = hook.flow->id;
    switch (hook.kind) {
    case HookKind::WebsocketStart:
    case HookKind::WebsocketMessage:
    case HookKind::TcpStart:
    case HookKind::TcpMessage:
        if (!hook.flow->live ||
            std::find(m_liveFlows.begin(), m_liveFlows.end(), id) != m_liveFlows.end())
            return;
        m_liveFlows.push_back(id);
        // Injection (ProxyEngine::injectMessage) reaches the layer as an event of this
        // connection, queued on its thread like a hook's answer.
        m_config.liveFlows->add(id, [mailbox = m_mailbox](Event event) {
            std::lock_guard lock(mailbox->mutex);
            if (ConnectionHandler* h = mailbox->handler)
                QMetaObject::invokeMethod(
                    h, [h, event = std::move(event)] { h->post(event); }, Qt::QueuedConnection);
        });
        break;
    case HookKind::WebsocketEnd:
    case HookKind::TcpEnd:
    case HookKind::TcpError:
        if (const auto it = std::find(m_liveFlows.begin(), m_liveFlows.end(), id);
            it != m_liveFlows.end()) {
            m_liveFlows.erase(it);
            m_config.liveFlows->remove(id);
        }
        break;
    default:
        break;
    }
}

void ConnectionHandler::runHook(const Hook& command)
{
    if (m_config.liveFlows && command.hook && command.hook->flow)
        noteLiveFlow(*command.hook);
    if (!m_config.hooks) {
        post(HookCompleted{command.id, command.hook});
        return;
    }
    const CommandId id = command.id;
    m_pendingHooks.emplace(id, command.hook);
    if (m_config.hooks->run(command.hook, completer(id)))
        hookDone(id);
}

void ConnectionHandler::hookDone(CommandId id)
{
    if (id == m_ownHookId && id != 0) {
        finishOwnHook(id);
        return;
    }
    const auto it = m_pendingHooks.find(id);
    if (it == m_pendingHooks.end())
        return; // completed twice, or answered "done now" and completed as well
    HookPtr hook = it->second;
    m_pendingHooks.erase(it);
    for (const auto& work : std::exchange(hook->onWorker, {}))
        work();
    activity(); // the idle clock restarts when the hook is answered
    post(HookCompleted{id, std::move(hook)});
}

std::function<void()> ConnectionHandler::completer(CommandId id) const
{
    return [mailbox = m_mailbox, id] {
        std::lock_guard lock(mailbox->mutex);
        if (ConnectionHandler* h = mailbox->handler)
            QMetaObject::invokeMethod(
                h, [h, id] { h->hookDone(id); }, Qt::QueuedConnection);
    };
}

// ---- connection hooks ----------------------------------------------------------------------

bool ConnectionHandler::wantsHook(HookKind kind) const
{
    return m_config.hooks && m_config.services->wants(kind);
}

void ConnectionHandler::queueOwnHook(HookKind kind, const ConnectionPtr& connection,
                                     std::function<void()> then)
{
    auto hook = std::make_shared<HookData>();
    hook->kind = kind;
    hook->connection = connection;
    if (kind != HookKind::ClientDisconnected)
        hook->client = m_client;
    m_ownHooks.push_back(OwnHook{std::move(hook), std::move(then)});
    runOwnHooks();
}

void ConnectionHandler::runOwnHooks()
{
    if (m_runningOwnHooks)
        return; // the loop below, further up the stack, goes on with the next one
    m_runningOwnHooks = true;
    while (!m_ownHooks.empty() && m_ownHookId == 0) {
        const CommandId id = nextCommandId();
        m_ownHookId = id;
        if (m_config.hooks->run(m_ownHooks.front().hook, completer(id)))
            finishOwnHook(id);
    }
    m_runningOwnHooks = false;
}

void ConnectionHandler::finishOwnHook(CommandId id)
{
    if (id != m_ownHookId || m_ownHooks.empty())
        return;
    OwnHook done = std::move(m_ownHooks.front());
    m_ownHooks.pop_front();
    m_ownHookId = 0;
    for (const auto& work : std::exchange(done.hook->onWorker, {}))
        work();
    activity();
    if (done.then)
        done.then();
    runOwnHooks();
    if (m_ownHooks.empty())
        scheduleCleanup(); // the handler may be able to finish now
}

void ConnectionHandler::afterServerConnect(CommandId openCommand)
{
    // The layer may have cancelled the connect meanwhile, or the client gone: then the peer
    // no longer waits for this command and there is nothing to do.
    Peer* p = nullptr;
    for (const auto& peer : m_peers)
        if (peer->openCommand == openCommand && !peer->done)
            p = peer.get();
    if (!p)
        return;
    if (const QString refusal = p->connection->error; !refusal.isEmpty()) {
        onConnectFailed(p, refusal); // a hook refused it: as if the connect had failed
        p->socket->abort();
        return;
    }
    p->connection->timestampStart = now();
    p->socket->connectToHost(p->target.host, p->target.port,
                             m_config.options->connectTimeout * 1000);
}

void ConnectionHandler::onPeerClosedHooks(Peer* p)
{
    if (p->connection == m_client || !p->connected)
        return;
    p->connected = false; // once per socket
    if (p->connection->timestampEnd == 0)
        p->connection->timestampEnd = now();
    if (wantsHook(HookKind::ServerDisconnected))
        queueOwnHook(HookKind::ServerDisconnected, p->connection, {});
}

void ConnectionHandler::pauseReading(const PauseReading& command)
{
    if (Peer* p = find(command.connection)) {
        p->pausedByLayer = command.pause;
        updateReading();
    }
}

// ---- sockets -------------------------------------------------------------------------------

ConnectionHandler::Peer* ConnectionHandler::addPeer(const ConnectionPtr& connection,
                                                    SocketStream* socket)
{
    auto p = std::make_unique<Peer>();
    p->connection = connection;
    p->socket = socket;
    m_peers.push_back(std::move(p));
    return m_peers.back().get();
}

ConnectionHandler::Peer* ConnectionHandler::find(const ConnectionPtr& connection) const
{
    // A peer the layer has closed (silenced) may still be flushing its output, but for the
    // layer it is gone: the same Connection may be opened again (keep-alive ended, a tunnel's
    // server reconnected after a failed handshake).
    for (const auto& p : m_peers)
        if (p->connection == connection && !p->done && !p->silenced)
            return p.get();
    return nullptr;
}

void ConnectionHandler::wire(Peer* p)
{
    SocketStream* s = p->socket;
    connect(s, &SocketStream::connected, this, [this, p] { onConnected(p); });
    connect(s, &SocketStream::connectFailed, this,
            [this, p](const QString& reason) { onConnectFailed(p, reason); });
    // The sockets are this handler's children, so the callbacks cannot outlive it; cleanup()
    // clears them where a socket is let go earlier.
    s->setReceiveHandler([this, p](const QByteArray& data) { onReceived(p, data); });
    connect(s, &SocketStream::readClosed, this, [this, p] { onReadClosed(p); });
    connect(s, &SocketStream::failed, this,
            [this, p](const QString& reason) { onFailed(p, reason); });
    s->setWrittenHandler([this, p](qint64 pending) { onWritten(p, pending); });
    connect(s, &SocketStream::finished, this, [this, p] { onFinished(p); });
}

void ConnectionHandler::onConnected(Peer* p)
{
    Connection& c = *p->connection;
    c.state = ConnectionState::Open;
    c.sockname = p->socket->localAddress();
    c.peername = p->socket->peerAddress(); // the IP the name resolved to (curl --resolve)
    c.timestampTcpSetup = now();
    const CommandId id = p->openCommand;
    p->openCommand = 0;
    p->connected = true;
    updateReading();
    if (wantsHook(HookKind::ServerConnected))
        queueOwnHook(HookKind::ServerConnected, p->connection, {}); // the layer goes on
    if (!p->silenced)
        post(OpenConnectionCompleted{id, p->connection, QString()});
}

void ConnectionHandler::onConnectFailed(Peer* p, const QString& reason)
{
    const QString error = QStringLiteral("connection to %1 failed: %2").arg(targetText(p), reason);
    Connection& c = *p->connection;
    c.error = error;
    c.state = ConnectionState::Closed;
    const CommandId id = p->openCommand;
    p->openCommand = 0;
    logLine(LogLevel::Debug, error);
    if (!p->silenced) {
        p->silenced = true;
        post(OpenConnectionCompleted{id, p->connection, error});
    }
}

void ConnectionHandler::onReceived(Peer* p, const QByteArray& data)
{
    activity();
    if (!p->silenced)
        post(DataReceived{p->connection, data});
}

void ConnectionHandler::onReadClosed(Peer* p)
{
    Connection& c = *p->connection;
    clearState(c, ConnectionState::CanRead);
    if (c.state == ConnectionState::Closed) {
        c.timestampEnd = now();
        p->socket->close(); // our FIN is out or queued: nothing is left to do on it
    }
    if (!p->silenced)
        post(ConnectionClosed{p->connection});
}

void ConnectionHandler::onFailed(Peer* p, const QString& reason)
{
    Connection& c = *p->connection;
    if (c.state != ConnectionState::Closed)
        c.timestampEnd = now();
    c.state = ConnectionState::Closed;
    logLine(LogLevel::Debug, QStringLiteral("%1: %2").arg(targetText(p), reason));
    if (!p->silenced) {
        c.error = reason;
        p->silenced = true;
        post(ConnectionClosed{p->connection});
    }
}

void ConnectionHandler::onWritten(Peer* p, qint64 pending)
{
    activity();
    updateBuffered();
    if (p->congested && pending < kLowWater) {
        p->congested = false;
        updateReading();
    }
}

void ConnectionHandler::onFinished(Peer* p)
{
    p->done = true;
    onPeerClosedHooks(p);
    const bool wasCongested = p->congested;
    p->congested = false;
    updateBuffered();
    if (wasCongested)
        updateReading();
    scheduleCleanup();
}

void ConnectionHandler::kill(Peer* p, const QString& reason)
{
    if (p->done)
        return;
    Connection& c = *p->connection;
    if (p->openCommand) {
        const CommandId id = p->openCommand;
        p->openCommand = 0;
        c.error = QStringLiteral("connection to %1 failed: %2").arg(targetText(p), reason);
        c.state = ConnectionState::Closed;
        const bool tell = !p->silenced;
        p->silenced = true;
        p->socket->abort();
        if (tell)
            m_queue.push_back(OpenConnectionCompleted{id, p->connection, c.error});
        return;
    }
    const bool tell = !p->silenced && canRead(c);
    if (!reason.isEmpty() && c.error.isEmpty() && !p->silenced)
        c.error = reason;
    if (c.state != ConnectionState::Closed)
        c.timestampEnd = now();
    c.state = ConnectionState::Closed;
    p->silenced = true;
    p->socket->abort();
    if (tell)
        m_queue.push_back(ConnectionClosed{p->connection});
}

void ConnectionHandler::abortUpstream()
{
    m_upstreamAborted = true;
    for (auto& p : m_peers)
        if (p->connection != m_client)
            kill(p.get(), QString());
}

// ---- timers, accounting --------------------------------------------------------------------

// Milliseconds on a monotonic clock, for the idle timeout, where a few milliseconds of
// resolution are plenty: on Linux the coarse clock, a memory read rather than a clock read
// (activity() runs several times per exchange).
qint64 ConnectionHandler::idleClockMs()
{
#ifdef CLOCK_MONOTONIC_COARSE
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
#else
    static const QElapsedTimer since = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return since.elapsed();
#endif
}

void ConnectionHandler::activity()
{
    m_lastActivityMs = idleClockMs();
}

void ConnectionHandler::onIdleTimer()
{
    const qint64 limit = qint64(m_config.options->tcpTimeout) * 1000;
    const qint64 idle = idleClockMs() - m_lastActivityMs;
    if (!m_pendingHooks.empty() || idle < limit) {
        m_idleTimer->start(int(m_pendingHooks.empty() ? limit - idle : limit));
        return;
    }
    logLine(LogLevel::Info, QStringLiteral("idle timeout"));
    const QString reason = QStringLiteral("idle timeout");
    for (auto& p : m_peers)
        kill(p.get(), reason);
    m_clientGone = m_upstreamAborted = true;
    pump();
    scheduleCleanup();
}

void ConnectionHandler::updateBuffered()
{
    qint64 total = 0;
    for (const auto& p : m_peers)
        if (!p->done)
            total += p->socket->pendingOutput();
    if (m_stats)
        m_stats->bufferedChanged(m_buffered, total);
    m_buffered = total;
    m_peakBuffered = qMax(m_peakBuffered, total);
}

void ConnectionHandler::updateReading()
{
    int congested = 0;
    for (const auto& p : m_peers)
        congested += p->congested ? 1 : 0;
    for (const auto& p : m_peers) {
        if (p->done || p->openCommand)
            continue;
        const bool blocked = congested > (p->congested ? 1 : 0);
        p->socket->setReadEnabled(!p->pausedByLayer && !blocked);
    }
}

void ConnectionHandler::scheduleCleanup()
{
    if (m_cleanupScheduled || m_finishing)
        return;
    m_cleanupScheduled = true;
    // Queued, so that nothing up the stack still iterates m_peers or runs a socket's code.
    QMetaObject::invokeMethod(
        this, [this] { cleanup(); }, Qt::QueuedConnection);
}

void ConnectionHandler::cleanup()
{
    m_cleanupScheduled = false;
    // Closed server connections are forgotten, so a long-lived client that talked to many
    // servers does not accumulate them.
    for (auto it = m_peers.begin(); it != m_peers.end();) {
        Peer* p = it->get();
        if (p->done && p->connection != m_client) {
            p->socket->disconnect(this);
            p->socket->setReceiveHandler(nullptr);
            p->socket->setWrittenHandler(nullptr);
            p->socket->deleteLater();
            it = m_peers.erase(it);
        } else {
            ++it;
        }
    }
    if (canFinish() && !m_virtualClient && !m_clientDisconnectedQueued &&
        m_client->timestampStart > 0 && wantsHook(HookKind::ClientDisconnected)) {
        // Every socket is closed: the client's last hook, after every server_disconnected.
        // Its completion schedules this cleanup again.
        m_clientDisconnectedQueued = true;
        if (m_client->timestampEnd == 0)
            m_client->timestampEnd = now();
        queueOwnHook(HookKind::ClientDisconnected, m_client, {});
    }
    if (canFinish()) {
        m_finishing = true;
        if (m_idleTimer)
            m_idleTimer->stop();
        deleteLater();
    }
}

bool ConnectionHandler::canFinish() const
{
    if (m_pumping || !m_queue.empty() || !m_pendingHooks.empty() || !m_ownHooks.empty())
        return false;
    for (const auto& p : m_peers)
        if (!p->done)
            return false;
    return true;
}

// ---- helpers -------------------------------------------------------------------------------

void ConnectionHandler::logLine(LogLevel level, const QString& text) const
{
    if (m_config.log)
        m_config.log(level, m_logPrefix + text);
}

double ConnectionHandler::now() const
{
    if (m_config.services && m_config.services->clock)
        return m_config.services->clock();
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

QString ConnectionHandler::targetText(const Peer* p) const
{
    if (p->connection == m_client)
        return QStringLiteral("client");
    return QString::fromLatin1(p->target.toString());
}

} // namespace spyglass
