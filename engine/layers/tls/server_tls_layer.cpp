#include "layers/tls/server_tls_layer.h"

#include "layers/tls/client_tls_layer.h"
#include "options/options.h"
#include "tls/tls_contexts.h"
#include "tls/tls_session.h"

#include <algorithm>

namespace spyglass::layers::tls {

using namespace proxy;

ServerTlsLayer::ServerTlsLayer(Context context, std::unique_ptr<Layer> child)
    : Layer(std::move(context)), m_child(std::move(child))
{
    if (m_context.services)
        m_contexts = m_context.services->tls;
    // The client side can ask for the server's TLS first only when this layer is right above
    // it (mitmproxy checks `isinstance(layers[-2], ServerTLSLayer)` for the same reason).
    if (auto* client = dynamic_cast<ClientTlsLayer*>(m_child.get()))
        client->setServerTlsAvailable(true);
}

ServerTlsLayer::~ServerTlsLayer() = default;

void ServerTlsLayer::replaceChild(std::unique_ptr<Layer> child)
{
    m_child = std::move(child);
}

bool ServerTlsLayer::isTlsServer(const ConnectionPtr& connection) const
{
    return connection && connection == m_context.server && m_state != State::Idle;
}

Commands ServerTlsLayer::handleEvent(const Event& event)
{
    if (const CommandId id = replyTo(event)) {
        if (id == m_openId && m_state == State::Connecting) {
            if (auto* e = std::get_if<OpenConnectionCompleted>(&event))
                return onOpenCompleted(*e);
        }
        if (m_ownIds.remove(id)) {
            if (std::holds_alternative<Wakeup>(event) && id == m_timerId &&
                m_state == State::Handshaking)
                return handshakeFailed(
                    QStringLiteral("timed out after %1 s").arg(m_context.opts().handshakeTimeout),
                    false);
            return {};
        }
        return toChild(event);
    }
    if (auto* e = std::get_if<DataReceived>(&event);
        e && isTlsServer(e->connection) && m_state != State::Connecting)
        return onServerData(e->data);
    if (auto* e = std::get_if<ConnectionClosed>(&event);
        e && isTlsServer(e->connection) && m_state != State::Connecting)
        return onServerClosed(*e);
    return toChild(event);
}

Commands ServerTlsLayer::toChild(const Event& event)
{
    if (!m_child)
        return {};
    return fromChild(m_child->handleEvent(event));
}

Commands ServerTlsLayer::fromChild(Commands commands)
{
    if (commands.empty())
        return commands;
    mergeSendData(commands); // one TLS record for a head and its body
    const ConnectionPtr& server = m_context.server;
    // Without an open or a close of the TLS server (the exchanges of a kept-alive connection)
    // every command becomes at most one: rewritten in place, no second vector per event.
    const bool simple = std::none_of(commands.begin(), commands.end(), [&](const Command& c) {
        if (auto* open = std::get_if<OpenConnection>(&c))
            return server && open->connection == server && server->tls;
        auto* close = std::get_if<CloseConnection>(&c);
        return close && isTlsServer(close->connection);
    });
    if (simple) {
        auto to = commands.begin();
        for (auto& command : commands) {
            if (auto* send = std::get_if<SendData>(&command);
                send && isTlsServer(send->connection)) {
                if (m_state != State::Established) {
                    m_pendingPlain += send->data;
                } else if (m_session->write(send->data)) {
                    if (QByteArray bytes = m_session->takeOutgoing(); !bytes.isEmpty())
                        *to++ = SendData{server, std::move(bytes)};
                }
                continue;
            }
            if (&*to != &command)
                *to = std::move(command);
            ++to;
        }
        commands.erase(to, commands.end());
        return commands;
    }
    Commands out;
    out.reserve(commands.size() + 1); // a close may add its close_notify
    for (auto& command : commands) {
        if (auto* open = std::get_if<OpenConnection>(&command);
            open && server && open->connection == server && server->tls) {
            if (m_state != State::Idle)
                reset(); // the old TLS session belongs to a connection that is gone
            m_openId = open->id;
            if (server->connected() && !m_closedByUs) {
                append(out, startHandshake()); // eager: TCP is up already, answer it here
            } else {
                m_state = State::Connecting;
                m_closedByUs = false;
                out.push_back(std::move(command));
            }
            continue;
        }
        if (auto* send = std::get_if<SendData>(&command); send && isTlsServer(send->connection)) {
            if (m_state == State::Established) {
                if (m_session->write(send->data))
                    flush(out);
            } else {
                m_pendingPlain += send->data;
            }
            continue;
        }
        if (auto* close = std::get_if<CloseConnection>(&command);
            close && isTlsServer(close->connection)) {
            if (m_state == State::Established) {
                m_session->shutdown();
                flush(out);
                if (!close->halfClose) {
                    reset();
                    m_closedByUs = true;
                }
                out.push_back(std::move(command));
            } else if (close->halfClose) {
                m_pendingHalfClose = true; // after the handshake, like any other pending write
            } else {
                // The child gave up on a connection that is still being set up. Its
                // OpenConnection still gets its one reply.
                const State was = m_state;
                const CommandId openId = m_openId;
                reset();
                m_closedByUs = true;
                out.push_back(std::move(command));
                if (was == State::Handshaking)
                    append(out, toChild(OpenConnectionCompleted{
                                    openId, server,
                                    QStringLiteral("connection closed during the TLS handshake")}));
                // Connecting: the shell's OpenConnectionCompleted (now not ours) goes to the child.
            }
            continue;
        }
        out.push_back(std::move(command));
    }
    return out;
}

Commands ServerTlsLayer::onOpenCompleted(const OpenConnectionCompleted& event)
{
    if (!event.error.isEmpty()) {
        // TCP (or the upstream proxy) failed: nothing for TLS to do, the child learns as is.
        reset();
        return toChild(event);
    }
    return startHandshake();
}

Commands ServerTlsLayer::startHandshake()
{
    Commands out;
    const ConnectionPtr& server = m_context.server;
    server->tlsEstablished = false;
    server->tlsResumed = false;
    server->alpn.clear();
    server->tlsVersion.clear();
    server->cipher.clear();
    server->certificateChainDer.clear();
    server->timestampTlsSetup = 0;
    m_closeNotifySeen = false;
    m_state = State::Handshaking;

    if (!m_contexts)
        return handshakeFailed(QStringLiteral("no TLS configuration in this engine"), false);
    m_session = std::make_unique<TlsSession>(m_contexts->upstream(), TlsSession::Role::Client);
    const QByteArray expectedName = server->sni.isEmpty() ? server->peer.host : server->sni;
    QString error;
    if (!m_session->isValid() ||
        !m_session->configureClient(server->sni, server->alpnOffers, !m_context.opts().sslInsecure,
                                    expectedName, &error))
        return handshakeFailed(
            error.isEmpty() ? QStringLiteral("cannot create a TLS session") : error, false);
    // Everything that decided how this handshake is checked goes into the key, so that a
    // resumed session never stands in for a check this connection would have made.
    QByteArray sessionKey = server->peer.toString();
    sessionKey += '|' + server->sni + '|' + expectedName + '|' +
                  (m_context.opts().sslInsecure ? "insecure" : "verified") + '|' +
                  server->alpnOffers.join(',');
    m_session->useSessionCache(m_contexts->upstreamSessions(), sessionKey);

    if (const int timeout = m_context.opts().handshakeTimeout; timeout > 0) {
        m_timerId = nextCommandId();
        m_ownIds.insert(m_timerId);
        out.push_back(RequestWakeup{m_timerId, double(timeout)});
    }
    append(out, advanceHandshake());
    return out;
}

Commands ServerTlsLayer::advanceHandshake()
{
    Commands out;
    const TlsSession::Progress progress = m_session->handshake();
    if (progress == TlsSession::Progress::Failed)
        return handshakeFailed(m_session->failure().reason, m_session->failure().peerClosed);
    flush(out);
    if (progress == TlsSession::Progress::NeedMore)
        return out;

    const ConnectionPtr& server = m_context.server;
    server->tlsEstablished = true;
    server->tlsResumed = m_session->resumed();
    server->tlsVersion = m_session->protocolVersion();
    server->cipher = m_session->cipherName();
    server->alpn = m_session->negotiatedAlpn();
    server->certificateChainDer = m_session->peerChainDer();
    server->timestampTlsSetup = m_context.now();
    server->error.clear();
    m_state = State::Established;
    m_timerId = 0;

    const CommandId openId = m_openId;
    m_openId = 0;
    append(out, toChild(OpenConnectionCompleted{openId, server, QString()}));
    if (m_state != State::Established) // the child closed it while being told
        return out;
    if (!m_pendingPlain.isEmpty()) {
        const QByteArray pending = std::exchange(m_pendingPlain, {});
        if (m_session->write(pending))
            flush(out);
    }
    if (m_pendingHalfClose) {
        m_pendingHalfClose = false;
        m_session->shutdown();
        flush(out);
        out.push_back(CloseConnection{server, true});
    }
    // Application data that came in the same flight as the server's Finished.
    append(out, deliverPlaintext());
    return out;
}

Commands ServerTlsLayer::handshakeFailed(const QString& reason, bool peerGone)
{
    Commands out;
    const ConnectionPtr& server = m_context.server;
    const QString message = QStringLiteral("TLS handshake with %1 failed: %2")
                                .arg(QString::fromLatin1(server->peer.toString()), reason);
    if (m_session && !peerGone)
        flush(out); // our alert tells the server why
    server->error = message;
    out.push_back(makeLog(LogLevel::Warn, message));
    auto hook = std::make_shared<HookData>(HookData{HookKind::TlsFailedServer, {}, server, {}, {}});
    Command hookCommand = makeHook(hook);
    m_ownIds.insert(std::get<Hook>(hookCommand).id);
    out.push_back(std::move(hookCommand));
    out.push_back(CloseConnection{server, false});
    const CommandId openId = m_openId;
    reset();
    m_closedByUs = true;
    if (openId)
        append(out, toChild(OpenConnectionCompleted{openId, server, message}));
    return out;
}

Commands ServerTlsLayer::onServerData(const QByteArray& data)
{
    m_session->receive(data);
    if (m_state == State::Handshaking)
        return advanceHandshake();
    return deliverPlaintext();
}

Commands ServerTlsLayer::deliverPlaintext()
{
    Commands out;
    const ConnectionPtr server = m_context.server;
    // Slice by slice (TlsSession::kRelaySlice); the child may end this session on the way.
    while (m_session && m_state == State::Established && !m_closeNotifySeen) {
        const TlsSession::ReadResult read = m_session->read(TlsSession::kRelaySlice);
        flush(out); // key updates and alerts the read produced
        if (!read.data.isEmpty())
            append(out, toChild(DataReceived{server, read.data}));
        if (read.closeNotify || !read.error.isEmpty()) {
            m_closeNotifySeen = true;
            if (!read.error.isEmpty()) {
                server->error = QStringLiteral("TLS error from %1: %2")
                                    .arg(QString::fromLatin1(server->peer.toString()), read.error);
                out.push_back(makeLog(LogLevel::Warn, server->error));
            }
            server->state =
                ConnectionState(quint8(server->state) & ~quint8(ConnectionState::CanRead));
            append(out, toChild(ConnectionClosed{server}));
            break;
        }
        if (read.data.isEmpty() || !m_session || !m_session->hasBufferedInput())
            break;
    }
    return out;
}

Commands ServerTlsLayer::onServerClosed(const ConnectionClosed& event)
{
    if (m_state == State::Handshaking)
        return handshakeFailed(QStringLiteral("the server closed the connection"), true);
    Commands out;
    const bool alreadyTold = m_closeNotifySeen;
    if (event.connection->state == ConnectionState::Closed)
        reset(); // both directions are gone: a new OpenConnection starts from scratch
    if (!alreadyTold)
        append(out, toChild(event));
    return out;
}

void ServerTlsLayer::flush(Commands& out)
{
    if (!m_session)
        return;
    const QByteArray bytes = m_session->takeOutgoing();
    if (!bytes.isEmpty())
        out.push_back(SendData{m_context.server, bytes});
}

void ServerTlsLayer::reset()
{
    m_session.reset();
    m_state = State::Idle;
    m_openId = 0;
    m_timerId = 0;
    m_pendingPlain.clear();
    m_pendingHalfClose = false;
}

} // namespace spyglass::layers::tls
