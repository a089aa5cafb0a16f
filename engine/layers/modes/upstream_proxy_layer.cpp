#include "layers/modes/upstream_proxy_layer.h"

#include "layers/tls/server_tls_layer.h"
#include "layers/tunnel/http_connect_handshake.h"
#include "layers/tunnel/socks5_client_handshake.h"
#include "options/options.h"
#include "options/proxy_mode.h"

namespace spyglass::layers {

using namespace proxy;

// The layer under a hosted ServerTlsLayer (upstream:https tunnels): it keeps what TLS hands
// down, for UpstreamProxyLayer to process once the TLS layer has returned.
class ParentInbox : public Layer
{
public:
    using Layer::Layer;
    Commands handleEvent(const Event& event) override
    {
        events.push_back(event);
        return {};
    }
    QString name() const override { return QStringLiteral("ParentInbox"); }
    std::vector<Event> events;
};

namespace {
bool isIpLiteral(const QByteArray& host)
{
    return std::all_of(host.begin(), host.end(),
                       [](char c) { return c == ':' || c == '.' || (c >= '0' && c <= '9'); });
}
} // namespace

UpstreamProxyLayer::UpstreamProxyLayer(Context context, std::unique_ptr<Layer> child)
    : Layer(std::move(context)), m_child(std::move(child)),
      m_parent(Address{m_context.mode->host, m_context.mode->port})
{
}

UpstreamProxyLayer::~UpstreamProxyLayer() = default;

bool UpstreamProxyLayer::speaksToParent(const Connection& server)
{
    return server.via.isValid() && server.peer == server.via;
}

std::unique_ptr<tunnel::UpstreamHandshake>
UpstreamProxyLayer::handshakeFor(const Connection& server) const
{
    const QByteArray auth = m_context.options ? m_context.options->upstreamAuth.toUtf8() : "";
    if (m_context.mode->scheme == "socks5")
        return std::make_unique<tunnel::Socks5ClientHandshake>(server.peer, auth, m_parent);
    return std::make_unique<tunnel::HttpConnectHandshake>(server.peer, auth, m_parent);
}

UpstreamProxyLayer::Tunnel* UpstreamProxyLayer::byConnection(const ConnectionPtr& conn)
{
    for (auto& t : m_tunnels)
        if (t->conn == conn)
            return t.get();
    return nullptr;
}

void UpstreamProxyLayer::remove(const Tunnel& t)
{
    std::erase_if(m_tunnels, [&](const auto& p) { return p.get() == &t; });
}

UpstreamProxyLayer::Tunnel* UpstreamProxyLayer::tlsTunnelOf(const Event& event)
{
    ConnectionPtr conn;
    if (auto* e = std::get_if<DataReceived>(&event))
        conn = e->connection;
    else if (auto* e = std::get_if<ConnectionClosed>(&event))
        conn = e->connection;
    else if (auto* e = std::get_if<OpenConnectionCompleted>(&event))
        conn = e->connection;
    else if (auto* e = std::get_if<Wakeup>(&event))
        conn = m_tlsTimers.at(e->command); // handleEvent() asks only for these
    if (!conn)
        return nullptr;
    for (auto& t : m_tunnels)
        if (t->parentConn == conn)
            return t.get();
    return nullptr;
}

Commands UpstreamProxyLayer::handleEvent(const Event& event)
{
    Commands out;
    const auto* wakeup = std::get_if<Wakeup>(&event);
    const bool tlsTimer = wakeup && m_tlsTimers.contains(wakeup->command);
    if (Tunnel* t = (!wakeup || tlsTimer) ? tlsTunnelOf(event) : nullptr) {
        if (tlsTimer)
            m_tlsTimers.erase(wakeup->command);
        feedTls(*t, event, out);
        return out;
    }
    if (tlsTimer) {
        m_tlsTimers.erase(wakeup->command); // its tunnel has ended
        return out;
    }
    if (auto* e = std::get_if<OpenConnectionCompleted>(&event)) {
        for (auto& t : m_tunnels) {
            if (t->openId == e->command && t->conn == e->connection && !t->handshake && !t->tls) {
                onOpened(*t, *e, out);
                return out;
            }
        }
    } else if (auto* e = std::get_if<DataReceived>(&event)) {
        if (Tunnel* t = byConnection(e->connection); t && t->handshake && !t->tls) {
            onStep(*t, t->handshake->receive(e->data), out);
            return out;
        }
    } else if (auto* e = std::get_if<ConnectionClosed>(&event)) {
        if (Tunnel* t = byConnection(e->connection); t && t->handshake && !t->tls) {
            fail(*t, t->handshake->closedError(), out);
            return out;
        }
    } else if (auto* e = std::get_if<Wakeup>(&event); e && m_timers.contains(e->command)) {
        m_timers.erase(e->command);
        for (auto& t : m_tunnels) {
            if (t->timerId == e->command && t->handshake && !t->established) {
                const int seconds = m_context.options ? m_context.options->handshakeTimeout : 0;
                fail(*t,
                     QStringLiteral("upstream proxy %1 did not open the tunnel to %2 within %3 "
                                    "seconds")
                         .arg(QString::fromLatin1(m_parent.toString()),
                              QString::fromLatin1(t->conn->peer.toString()))
                         .arg(seconds),
                     out);
                break;
            }
        }
        return out;
    }
    toChild(event, out);
    return out;
}

void UpstreamProxyLayer::toChild(const Event& event, Commands& out)
{
    fromChild(m_child->handleEvent(event), out);
}

void UpstreamProxyLayer::fromChild(Commands commands, Commands& out)
{
    for (Command& c : commands) {
        if (auto* open = std::get_if<OpenConnection>(&c);
            open && open->connection && !speaksToParent(*open->connection)) {
            const ConnectionPtr& conn = open->connection;
            if (Tunnel* old = byConnection(conn)) {
                if (old->tls && old->established)
                    toParent(*old, CloseConnection{old->parentConn, false}, out);
                remove(*old); // reopened (keep-alive ended): a new handshake
            }
            conn->via = m_parent;
            auto t = std::make_unique<Tunnel>();
            t->conn = conn;
            t->openId = open->id;
            m_tunnels.push_back(std::move(t));
            if (m_context.mode->serverTls()) {
                startTlsTunnel(*m_tunnels.back(), *open, out);
                continue;
            }
        } else if (auto* send = std::get_if<SendData>(&c)) {
            if (Tunnel* t = byConnection(send->connection); t && t->tls) {
                if (t->established)
                    toParent(*t, SendData{t->parentConn, send->data}, out);
                continue;
            }
        } else if (auto* close = std::get_if<CloseConnection>(&c)) {
            if (Tunnel* t = byConnection(close->connection)) {
                if (t->tls && t->established) {
                    toParent(*t, CloseConnection{t->parentConn, close->halfClose}, out);
                    Connection& conn = *t->conn;
                    if (close->halfClose) {
                        conn.state =
                            ConnectionState(int(conn.state) & ~int(ConnectionState::CanWrite));
                    } else {
                        conn.state = ConnectionState::Closed;
                        remove(*t);
                    }
                    continue;
                }
                if (!close->halfClose) {
                    if (t->tls)
                        toParent(*t, CloseConnection{t->parentConn, false}, out);
                    const bool mapped = t->tls != nullptr;
                    remove(*t); // the child gave up on it
                    if (mapped)
                        continue;
                }
            }
        } else if (auto* pause = std::get_if<PauseReading>(&c)) {
            if (Tunnel* t = byConnection(pause->connection); t && t->tls) {
                out.push_back(PauseReading{t->parentConn, pause->pause});
                continue;
            }
        }
        out.push_back(std::move(c));
    }
}

void UpstreamProxyLayer::startTlsTunnel(Tunnel& t, OpenConnection open, Commands& out)
{
    t.parentConn = makeConnection(Connection::Role::Server);
    Connection& parent = *t.parentConn;
    parent.peer = m_parent;
    parent.tls = true;
    parent.alpnOffers = {"http/1.1"};
    if (!isIpLiteral(m_parent.host))
        parent.sni = m_parent.host;
    Context ctx = m_context;
    ctx.server = t.parentConn;
    auto inbox = std::make_unique<ParentInbox>(ctx);
    t.inbox = inbox.get();
    t.tls = std::make_unique<tls::ServerTlsLayer>(ctx, std::move(inbox));
    open.connection = t.parentConn;
    toParent(t, open, out);
}

void UpstreamProxyLayer::toParent(Tunnel& t, Command command, Commands& out)
{
    if (!t.tls) {
        out.push_back(std::move(command));
        return;
    }
    Commands produced;
    produced.push_back(std::move(command));
    auto* tlsLayer = static_cast<tls::ServerTlsLayer*>(t.tls.get());
    collectTls(t, tlsLayer->fromChildCommands(std::move(produced)), out);
}

void UpstreamProxyLayer::feedTls(Tunnel& t, const Event& event, Commands& out)
{
    collectTls(t, t.tls->handleEvent(event), out);
    drainInbox(t, out);
}

void UpstreamProxyLayer::collectTls(Tunnel& t, Commands commands, Commands& out)
{
    for (Command& c : commands) {
        if (auto* w = std::get_if<RequestWakeup>(&c))
            m_tlsTimers[w->id] = t.parentConn;
        out.push_back(std::move(c));
    }
}

void UpstreamProxyLayer::drainInbox(Tunnel& t, Commands& out)
{
    const ConnectionPtr parentConn = t.parentConn;
    const auto still = [&]() -> Tunnel* {
        for (auto& p : m_tunnels)
            if (p->parentConn == parentConn)
                return p.get();
        return nullptr;
    };
    std::vector<Event> events;
    events.swap(t.inbox->events);
    for (const Event& event : events) {
        Tunnel* now = still(); // processing may end the tunnel
        if (!now)
            return;
        if (auto* e = std::get_if<OpenConnectionCompleted>(&event)) {
            if (!now->handshake)
                onOpened(*now, *e, out);
        } else if (auto* e = std::get_if<DataReceived>(&event)) {
            if (now->established)
                toChild(DataReceived{now->conn, e->data}, out);
            else if (now->handshake)
                onStep(*now, now->handshake->receive(e->data), out);
        } else if (std::holds_alternative<ConnectionClosed>(event)) {
            if (now->established) {
                const ConnectionPtr conn = now->conn;
                conn->state = parentConn->state;
                conn->error = parentConn->error;
                if (conn->state == ConnectionState::Closed)
                    remove(*now);
                toChild(ConnectionClosed{conn}, out);
            } else if (now->handshake) {
                fail(*now, now->handshake->closedError(), out);
            }
        }
    }
}

void UpstreamProxyLayer::onOpened(Tunnel& t, const OpenConnectionCompleted& event, Commands& out)
{
    if (!event.error.isEmpty()) {
        const ConnectionPtr conn = t.conn;
        const CommandId id = t.openId;
        remove(t);
        const QString message =
            QStringLiteral("cannot reach the upstream proxy: %1").arg(event.error);
        conn->state = ConnectionState::Closed;
        conn->error = message;
        toChild(OpenConnectionCompleted{id, conn, message}, out);
        return;
    }
    t.handshake = handshakeFor(*t.conn);
    const int seconds = m_context.options ? m_context.options->handshakeTimeout : 0;
    if (seconds > 0) {
        const Command wakeup = makeWakeup(seconds);
        t.timerId = std::get<RequestWakeup>(wakeup).id;
        m_timers.insert(t.timerId);
        out.push_back(wakeup);
    }
    onStep(t, t.handshake->start(), out);
}

void UpstreamProxyLayer::onStep(Tunnel& t, tunnel::HandshakeStep step, Commands& out)
{
    if (!step.send.isEmpty())
        toParent(t, SendData{t.tls ? t.parentConn : t.conn, step.send}, out);
    if (!step.error.isEmpty()) {
        fail(t, step.error, out);
        return;
    }
    if (!step.done)
        return;
    const ConnectionPtr conn = t.conn;
    const CommandId id = t.openId;
    if (t.tls) {
        // The child's connection exists only inside the parent's: it is open now.
        t.established = true;
        conn->state = ConnectionState::Open;
        conn->sockname = t.parentConn->sockname;
        conn->timestampStart = t.parentConn->timestampStart;
        conn->timestampTcpSetup = t.parentConn->timestampTcpSetup;
    } else {
        remove(t);
    }
    out.push_back(Log{LogLevel::Debug, QStringLiteral("tunnel to %1 open through %2")
                                           .arg(QString::fromLatin1(conn->peer.toString()),
                                                QString::fromLatin1(m_parent.toString()))});
    toChild(OpenConnectionCompleted{id, conn, {}}, out);
    if (!step.rest.isEmpty() && conn->state != ConnectionState::Closed)
        toChild(DataReceived{conn, step.rest}, out);
}

void UpstreamProxyLayer::fail(Tunnel& t, const QString& message, Commands& out)
{
    const ConnectionPtr conn = t.conn;
    const CommandId id = t.openId;
    if (t.tls)
        toParent(t, CloseConnection{t.parentConn, false}, out);
    else
        out.push_back(CloseConnection{conn, false});
    remove(t);
    conn->state = ConnectionState::Closed;
    conn->error = message;
    toChild(OpenConnectionCompleted{id, conn, message}, out);
}

} // namespace spyglass::layers
