#include "layers/modes/upstream_proxy_layer.h"

#include "layers/tunnel/http_connect_handshake.h"
#include "layers/tunnel/socks5_client_handshake.h"
#include "options/options.h"
#include "options/proxy_mode.h"

namespace spyglass::layers {

using namespace proxy;

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

Commands UpstreamProxyLayer::handleEvent(const Event& event)
{
    Commands out;
    if (auto* e = std::get_if<OpenConnectionCompleted>(&event)) {
        for (auto& t : m_tunnels) {
            if (t->openId == e->command && t->conn == e->connection && !t->handshake) {
                onOpened(*t, *e, out);
                return out;
            }
        }
    } else if (auto* e = std::get_if<DataReceived>(&event)) {
        if (Tunnel* t = byConnection(e->connection); t && t->handshake) {
            onStep(*t, t->handshake->receive(e->data), out);
            return out;
        }
    } else if (auto* e = std::get_if<ConnectionClosed>(&event)) {
        if (Tunnel* t = byConnection(e->connection); t && t->handshake) {
            fail(*t, t->handshake->closedError(), out);
            return out;
        }
    } else if (auto* e = std::get_if<Wakeup>(&event); e && m_timers.contains(e->command)) {
        m_timers.erase(e->command);
        for (auto& t : m_tunnels) {
            if (t->timerId == e->command && t->handshake) {
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
            if (Tunnel* old = byConnection(conn))
                remove(*old); // reopened (keep-alive ended): a new handshake
            conn->via = m_parent;
            auto t = std::make_unique<Tunnel>();
            t->conn = conn;
            t->openId = open->id;
            m_tunnels.push_back(std::move(t));
        } else if (auto* close = std::get_if<CloseConnection>(&c); close && !close->halfClose) {
            if (Tunnel* t = byConnection(close->connection))
                remove(*t); // the child gave up on it
        }
        out.push_back(std::move(c));
    }
}

void UpstreamProxyLayer::onOpened(Tunnel& t, const OpenConnectionCompleted& event, Commands& out)
{
    if (!event.error.isEmpty()) {
        const ConnectionPtr conn = t.conn;
        remove(t);
        const QString message =
            QStringLiteral("cannot reach the upstream proxy: %1").arg(event.error);
        conn->error = message;
        toChild(OpenConnectionCompleted{event.command, conn, message}, out);
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
        out.push_back(SendData{t.conn, step.send});
    if (!step.error.isEmpty()) {
        fail(t, step.error, out);
        return;
    }
    if (!step.done)
        return;
    const ConnectionPtr conn = t.conn;
    const CommandId id = t.openId;
    remove(t);
    out.push_back(Log{LogLevel::Debug,
                      QStringLiteral("tunnel to %1 open through %2")
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
    remove(t);
    out.push_back(CloseConnection{conn, false});
    conn->state = ConnectionState::Closed;
    conn->error = message;
    toChild(OpenConnectionCompleted{id, conn, message}, out);
}

} // namespace spyglass::layers
