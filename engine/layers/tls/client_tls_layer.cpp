#include "layers/tls/client_tls_layer.h"

#include "layers/tls/alpn_policy.h"
#include "options/options.h"
#include "tls/cert_store.h"
#include "tls/certificate_authority.h"
#include "tls/tls_contexts.h"
#include "tls/tls_session.h"
#include "tls/x509_util.h"

#include <algorithm>

namespace spyglass::layers::tls {

using namespace proxy;

namespace {

// Bytes a client may send before its handshake is answered (the ClientHello, a second one
// after HelloRetryRequest, early data). Real clients stay far below; this bounds memory when
// the upstream is slow and the client is not a TLS client after all.
constexpr qsizetype kMaxBufferedBeforeHandshake = 256 * 1024;

QString printablePreview(const QByteArray& data)
{
    QByteArray p = data.left(24);
    for (char& c : p)
        if (c < 0x20 || c > 0x7e)
            c = '.';
    return QString::fromLatin1(p);
}

void clearCanRead(const ConnectionPtr& c)
{
    c->state = ConnectionState(quint8(c->state) & ~quint8(ConnectionState::CanRead));
}

} // namespace

ClientTlsLayer::ClientTlsLayer(Context context, std::unique_ptr<Layer> child)
    : Layer(std::move(context)), m_child(std::move(child))
{
    if (m_context.services)
        m_contexts = m_context.services->tls;
}

ClientTlsLayer::~ClientTlsLayer() = default;

Commands ClientTlsLayer::handleEvent(const Event& event)
{
    if (const CommandId id = replyTo(event)) {
        if (m_ownIds.remove(id))
            return onOwnReply(event, id);
        return onOtherEvent(event);
    }
    if (std::holds_alternative<Start>(event)) {
        Commands out;
        if (m_state == State::Created) {
            m_state = State::ReadingClientHello;
            armTimer(out);
        }
        return out;
    }
    if (auto* e = std::get_if<DataReceived>(&event); e && e->connection == m_context.client)
        return onClientData(e->data);
    if (auto* e = std::get_if<ConnectionClosed>(&event); e && e->connection == m_context.client)
        return onClientClosed(*e);
    return onOtherEvent(event);
}

Commands ClientTlsLayer::toChild(const Event& event)
{
    if (!m_child)
        return {};
    return fromChild(m_child->handleEvent(event));
}

Commands ClientTlsLayer::fromChild(Commands commands)
{
    if (commands.empty())
        return commands;
    mergeSendData(commands); // one TLS record for a head and its body
    const ConnectionPtr& client = m_context.client;
    // Unless the client's connection is closed while TLS is up (its close_notify goes first),
    // every command becomes at most one: rewritten in place, no second vector per event.
    const bool simple = m_state != State::Established ||
                        std::none_of(commands.begin(), commands.end(), [&](const Command& c) {
                            auto* close = std::get_if<CloseConnection>(&c);
                            return close && close->connection == client;
                        });
    if (simple) {
        auto to = commands.begin();
        for (auto& command : commands) {
            if (auto* send = std::get_if<SendData>(&command); send && send->connection == client) {
                if (m_state == State::Established && m_session->write(send->data)) {
                    if (QByteArray bytes = m_session->takeOutgoing(); !bytes.isEmpty())
                        *to++ = SendData{client, std::move(bytes)};
                }
                continue; // after a failure or close there is no TLS left to carry it
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
        if (auto* send = std::get_if<SendData>(&command); send && send->connection == client) {
            if (m_state == State::Established && m_session->write(send->data))
                flush(out);
            continue; // after a failure or close there is no TLS left to carry it
        }
        if (auto* close = std::get_if<CloseConnection>(&command);
            close && close->connection == client && m_state == State::Established) {
            m_session->shutdown();
            flush(out); // close_notify before the TCP close
        }
        out.push_back(std::move(command));
    }
    return out;
}

Commands ClientTlsLayer::onOtherEvent(const Event& event)
{
    switch (m_state) {
    case State::Established:
        return toChild(event);
    case State::Passthrough:
        return passthroughEvent(event);
    case State::Failed:
        return {};
    default:
        m_queued.push_back(event); // the child has not started yet
        return {};
    }
}

Commands ClientTlsLayer::onOwnReply(const Event& event, CommandId id)
{
    if (auto* e = std::get_if<HookCompleted>(&event); e && id == m_helloHookId) {
        m_helloHookId = 0;
        if (m_state == State::WaitingForHook)
            return onHelloHookDone(e->hook);
        return {};
    }
    if (auto* e = std::get_if<OpenConnectionCompleted>(&event); e && id == m_openId) {
        m_openId = 0;
        if (m_state == State::WaitingForServer) {
            m_serverOpenedHere = e->error.isEmpty();
            return startClientHandshake(e->error);
        }
        if (m_state == State::Passthrough) {
            if (!e->error.isEmpty()) {
                Commands out;
                out.push_back(makeLog(LogLevel::Warn,
                                      QStringLiteral("cannot pass the connection to %1 through: %2")
                                          .arg(destination(), e->error)));
                out.push_back(CloseConnection{m_context.client, false});
                m_state = State::Failed;
                return out;
            }
            m_relayConnected = true;
            Commands out;
            if (!m_buffer.isEmpty())
                out.push_back(SendData{m_context.server, std::exchange(m_buffer, {})});
            if (m_clientEof)
                out.push_back(CloseConnection{m_context.server, true});
            return out;
        }
        if (m_state == State::Failed && e->error.isEmpty())
            return {CloseConnection{m_context.server, false}}; // opened for nobody
        return {};
    }
    if (std::holds_alternative<Wakeup>(event) && id == m_timerId) {
        if (m_state == State::ReadingClientHello || m_state == State::Handshaking)
            return fail(QStringLiteral("timed out after %1 s waiting for the client")
                            .arg(m_context.opts().handshakeTimeout),
                        LogLevel::Info);
    }
    return {}; // a failure hook answered, or a timer that no longer matters
}

Commands ClientTlsLayer::onClientData(const QByteArray& data)
{
    switch (m_state) {
    case State::Created:
        m_state = State::ReadingClientHello;
        [[fallthrough]];
    case State::ReadingClientHello:
        m_buffer += data;
        return parseHello();
    case State::WaitingForHook:
    case State::WaitingForServer:
        m_buffer += data;
        if (m_buffer.size() > kMaxBufferedBeforeHandshake)
            return fail(QStringLiteral("the client sent more than %1 bytes before its handshake "
                                       "was answered")
                            .arg(kMaxBufferedBeforeHandshake),
                        LogLevel::Warn);
        return {};
    case State::Handshaking:
        m_session->receive(data);
        return advanceHandshake();
    case State::Established:
        m_session->receive(data);
        return deliverPlaintext();
    case State::Passthrough:
        if (m_relayConnected)
            return {SendData{m_context.server, data}};
        m_buffer += data;
        return {};
    case State::Failed:
        return {};
    }
    return {};
}

Commands ClientTlsLayer::onClientClosed(const ConnectionClosed& event)
{
    switch (m_state) {
    case State::Created:
    case State::ReadingClientHello:
        return fail(m_buffer.isEmpty()
                        ? QStringLiteral("the client closed the connection before sending a "
                                         "ClientHello")
                        : QStringLiteral("the client closed the connection in the middle of its "
                                         "ClientHello"),
                    LogLevel::Info);
    case State::WaitingForHook:
    case State::WaitingForServer:
    case State::Handshaking:
        return fail(QStringLiteral("the client closed the connection during the handshake for "
                                   "%1; if this happens every time, the client may not trust "
                                   "the Spyglass CA")
                        .arg(destination()),
                    LogLevel::Info);
    case State::Established:
        if (m_closeNotifySeen)
            return {}; // the child already heard it from close_notify
        return toChild(event);
    case State::Passthrough:
        return passthroughEvent(event);
    case State::Failed:
        return {};
    }
    return {};
}

Commands ClientTlsLayer::parseHello()
{
    const ClientHelloResult result = parseClientHello(m_buffer);
    switch (result.status) {
    case ClientHelloResult::Status::NeedMore:
        return {};
    case ClientHelloResult::Status::NotTls:
        return fail(QStringLiteral("the client did not start with a TLS ClientHello (first bytes: "
                                   "'%1')")
                        .arg(printablePreview(m_buffer)),
                    LogLevel::Warn);
    case ClientHelloResult::Status::Invalid:
        return fail(QStringLiteral("cannot parse the ClientHello: %1").arg(result.reason),
                    LogLevel::Warn);
    case ClientHelloResult::Status::Ok:
        break;
    }

    m_hello = result.hello;
    const ConnectionPtr& client = m_context.client;
    // With TLS over TLS the outer session's facts are replaced by the inner one's.
    client->tls = true;
    client->tlsEstablished = false;
    client->tlsResumed = false;
    client->sni = m_hello.sni;
    client->alpnOffers = m_hello.alpnProtocols;
    client->alpn.clear();
    client->tlsVersion.clear();
    client->cipher.clear();
    client->certificateChainDer.clear();
    client->timestampTlsSetup = 0;

    m_helloData = std::make_shared<ClientHelloData>();
    m_helloData->sni = m_hello.sni;
    m_helloData->alpnProtocols = m_hello.alpnProtocols;
    if (m_context.server) {
        m_helloData->server = m_context.server->peer;
        m_helloData->serverConnected = m_context.server->connected();
    }
    auto hook =
        std::make_shared<HookData>(HookData{HookKind::TlsClientHello, {}, client, m_helloData, {}});
    Command command = makeHook(hook);
    m_helloHookId = std::get<Hook>(command).id;
    m_ownIds.insert(m_helloHookId);
    m_state = State::WaitingForHook;
    return {std::move(command)};
}

Commands ClientTlsLayer::onHelloHookDone(const HookPtr& hook)
{
    const std::shared_ptr<ClientHelloData> data =
        hook && hook->clientHello ? hook->clientHello : m_helloData;
    if (data->ignoreConnection)
        return startPassthrough();

    const ConnectionPtr& client = m_context.client;
    const ConnectionPtr& server = m_context.server;
    if (m_serverTlsAvailable && server && !server->tlsEstablished) {
        const bool openNow = data->establishServerTlsFirst;
        if (openNow || !server->connected()) {
            // What the ServerTlsLayer will use whenever this server is opened.
            server->tls = true;
            if (server->sni.isEmpty())
                server->sni = client->sni;
            server->alpnOffers = upstreamAlpnOffers(m_context.opts(), client->alpnOffers);
        }
        if (openNow) {
            Command command = makeOpenConnection(server);
            m_openId = std::get<OpenConnection>(command).id;
            m_ownIds.insert(m_openId);
            m_state = State::WaitingForServer;
            return {std::move(command)};
        }
    }
    return startClientHandshake(QString());
}

QList<QByteArray> ClientTlsLayer::leafNames(CertStore& certs, bool upstreamOk,
                                            QByteArray* organization) const
{
    const ConnectionPtr& client = m_context.client;
    const ConnectionPtr& server = m_context.server;
    QList<QByteArray> names;
    if (!client->sni.isEmpty())
        names.append(client->sni);
    else if (server && !server->peer.host.isEmpty())
        names.append(server->peer.host);
    else if (!client->sockname.host.isEmpty())
        names.append(client->sockname.host); // a TLS connection to the proxy itself
    if (m_context.opts().upstreamCert && upstreamOk && server && server->tlsEstablished &&
        !server->certificateChainDer.isEmpty()) {
        const CertificateNames n = certs.upstreamNames(server->certificateChainDer.first());
        if (!n.commonName.isEmpty())
            names.append(n.commonName);
        names += n.dnsNames;
        names += n.ipAddresses;
        *organization = n.organization;
    }
    return names;
}

Commands ClientTlsLayer::startClientHandshake(const QString& upstreamError)
{
    Commands out;
    const ConnectionPtr& client = m_context.client;
    const ConnectionPtr& server = m_context.server;
    if (!upstreamError.isEmpty())
        out.push_back(makeLog(LogLevel::Info,
                              QStringLiteral("completing the TLS handshake with the client "
                                             "without the server (%1), so that the client can "
                                             "be told")
                                  .arg(upstreamError)));

    CertStore* certs = m_context.services ? m_context.services->certs : nullptr;
    if (!certs || !m_contexts) {
        append(out, fail(QStringLiteral("no certificate authority is configured in this engine"),
                         LogLevel::Error));
        return out;
    }
    QByteArray organization;
    const QList<QByteArray> names = leafNames(*certs, upstreamError.isEmpty(), &organization);
    QString error;
    const SharedX509 leaf = certs->leafFor(names, organization, &error);
    if (!leaf) {
        append(out, fail(error, LogLevel::Error));
        return out;
    }
    m_session = std::make_unique<TlsSession>(m_contexts->clientFacing(), TlsSession::Role::Server);
    if (!m_session->isValid() ||
        !m_session->useCertificate(leaf.get(), certs->leafKey(), certs->caCertificate(), &error)) {
        append(out, fail(QStringLiteral("cannot set up TLS for the client: %1").arg(error),
                         LogLevel::Error));
        return out;
    }
    if (server) {
        const QByteArray serverAlpn = server->tlsEstablished ? server->alpn : QByteArray();
        m_session->setAlpnToSelect(
            clientAlpnAnswer(m_context.opts(), serverAlpn, client->alpnOffers));
    } else {
        m_session->setAlpnToSelect(proxyConnectionAlpnAnswer(client->alpnOffers));
    }
    m_session->receive(std::exchange(m_buffer, {}));
    m_state = State::Handshaking;
    armTimer(out);
    append(out, advanceHandshake());
    return out;
}

Commands ClientTlsLayer::advanceHandshake()
{
    const TlsSession::Progress progress = m_session->handshake();
    if (progress == TlsSession::Progress::Failed)
        return failHandshake();
    Commands out;
    flush(out);
    if (progress == TlsSession::Progress::Done)
        append(out, onEstablished());
    return out;
}

Commands ClientTlsLayer::onEstablished()
{
    const ConnectionPtr& client = m_context.client;
    client->tlsEstablished = true;
    client->tlsResumed = m_session->resumed();
    client->tlsVersion = m_session->protocolVersion();
    client->cipher = m_session->cipherName();
    client->alpn = m_session->negotiatedAlpn();
    client->certificateChainDer = m_session->peerChainDer();
    client->timestampTlsSetup = m_context.now();
    m_state = State::Established;
    m_timerId = 0;

    Commands out = toChild(Start{});
    while (!m_queued.empty()) {
        const Event event = std::move(m_queued.front());
        m_queued.pop_front();
        append(out, toChild(event));
    }
    append(out, deliverPlaintext());
    return out;
}

Commands ClientTlsLayer::deliverPlaintext()
{
    Commands out;
    const ConnectionPtr client = m_context.client;
    // Slice by slice (TlsSession::kRelaySlice); the child may end this session on the way.
    while (m_session && m_state == State::Established && !m_closeNotifySeen) {
        const TlsSession::ReadResult read = m_session->read(TlsSession::kRelaySlice);
        flush(out);
        if (!read.data.isEmpty())
            append(out, toChild(DataReceived{client, read.data}));
        if (read.closeNotify || !read.error.isEmpty()) {
            m_closeNotifySeen = true;
            if (!read.error.isEmpty()) {
                // Some clients finish the handshake and only then reject the certificate.
                client->error = QStringLiteral("TLS error from the client for %1: %2")
                                    .arg(destination(), read.error);
                out.push_back(makeLog(LogLevel::Warn, client->error));
            }
            clearCanRead(client);
            append(out, toChild(ConnectionClosed{client}));
            break;
        }
        if (read.data.isEmpty() || !m_session || !m_session->hasBufferedInput())
            break;
    }
    return out;
}

Commands ClientTlsLayer::failHandshake()
{
    const TlsSession::Failure f = m_session->failure();
    Commands out;
    if (!f.peerClosed)
        flush(out); // our alert tells the client what went wrong

    const QString dest = destination();
    QString reason;
    LogLevel level = LogLevel::Warn;
    const int alert = f.alertReceived;
    if (alert == SSL_AD_UNKNOWN_CA) {
        const QString caFile = m_context.services && m_context.services->certs
                                   ? m_context.services->certs->authority().filePath(
                                         CertificateAuthority::kCaCertPemFile)
                                   : QString::fromLatin1(CertificateAuthority::kCaCertPemFile);
        reason = QStringLiteral("the client does not trust the Spyglass CA (%1) for %2; install "
                                "%3 in the client's trust store")
                     .arg(f.reason, dest, caFile);
    } else if (alert == SSL_AD_BAD_CERTIFICATE || alert == SSL_AD_CERTIFICATE_UNKNOWN ||
               alert == SSL_AD_UNSUPPORTED_CERTIFICATE || alert == SSL_AD_CERTIFICATE_EXPIRED ||
               alert == SSL_AD_CERTIFICATE_REVOKED) {
        reason = QStringLiteral("the client rejected the certificate for %1 (%2); it may not "
                                "trust the Spyglass CA")
                     .arg(dest, f.reason);
    } else if (alert == SSL_AD_PROTOCOL_VERSION || f.reason.contains(QLatin1String("version"))) {
        reason = QStringLiteral("the client and Spyglass cannot agree on a TLS version for %1 "
                                "(%2); Spyglass speaks TLS 1.2 and 1.3")
                     .arg(dest, f.reason);
    } else if (f.peerClosed) {
        reason = QStringLiteral("the client closed the connection during the handshake for %1 "
                                "(%2); if this happens every time, the client may not trust the "
                                "Spyglass CA")
                     .arg(dest, f.reason);
        level = LogLevel::Info;
    } else {
        reason = QStringLiteral("%1 (for %2)").arg(f.reason, dest);
    }
    append(out, fail(reason, level));
    return out;
}

Commands ClientTlsLayer::fail(const QString& reason, LogLevel level)
{
    Commands out;
    const ConnectionPtr& client = m_context.client;
    const ConnectionPtr& server = m_context.server;
    const QString message = QStringLiteral("client TLS handshake failed: %1").arg(reason);
    client->error = message;
    out.push_back(makeLog(level, message));
    auto hook = std::make_shared<HookData>(
        HookData{HookKind::TlsFailedClient, {}, client, m_helloData, {}});
    Command hookCommand = makeHook(hook);
    m_ownIds.insert(std::get<Hook>(hookCommand).id);
    out.push_back(std::move(hookCommand));
    out.push_back(CloseConnection{client, false});
    if (m_serverOpenedHere && server && server->connected())
        out.push_back(CloseConnection{server, false}); // opened for this client only
    m_serverOpenedHere = false;
    m_state = State::Failed;
    m_timerId = 0;
    m_buffer.clear();
    m_queued.clear();
    return out;
}

Commands ClientTlsLayer::startPassthrough()
{
    Commands out;
    const ConnectionPtr& server = m_context.server;
    if (!server || !server->peer.isValid())
        return fail(QStringLiteral("the connection should pass through untouched, but there is "
                                   "no server address"),
                    LogLevel::Warn);
    m_state = State::Passthrough;
    server->tls = false; // so that a ServerTlsLayer above leaves it alone
    out.push_back(
        makeLog(LogLevel::Info, QStringLiteral("passing the TLS connection to %1 through without "
                                               "interception")
                                    .arg(destination())));
    if (server->connected()) {
        m_relayConnected = true;
        if (!m_buffer.isEmpty())
            out.push_back(SendData{server, std::exchange(m_buffer, {})});
    } else {
        Command command = makeOpenConnection(server);
        m_openId = std::get<OpenConnection>(command).id;
        m_ownIds.insert(m_openId);
        out.push_back(std::move(command));
    }
    // Events queued while waiting for the hook belong to the relay now.
    while (!m_queued.empty()) {
        const Event event = std::move(m_queued.front());
        m_queued.pop_front();
        append(out, passthroughEvent(event));
    }
    return out;
}

Commands ClientTlsLayer::passthroughEvent(const Event& event)
{
    const ConnectionPtr& client = m_context.client;
    const ConnectionPtr& server = m_context.server;
    Commands out;
    if (auto* e = std::get_if<DataReceived>(&event); e && e->connection == server) {
        out.push_back(SendData{client, e->data});
    } else if (auto* e = std::get_if<ConnectionClosed>(&event)) {
        if (e->connection == client) {
            m_clientEof = true;
            if (m_relayConnected)
                out.push_back(CloseConnection{server, true});
        } else if (e->connection == server) {
            m_serverEof = true;
            out.push_back(CloseConnection{client, true});
        }
        if (m_clientEof && m_serverEof) {
            out.push_back(CloseConnection{client, false});
            out.push_back(CloseConnection{server, false});
        }
    }
    return out;
}

QString ClientTlsLayer::destination() const
{
    if (!m_context.client->sni.isEmpty())
        return QString::fromLatin1(m_context.client->sni);
    if (m_context.server && m_context.server->peer.isValid())
        return QString::fromLatin1(m_context.server->peer.toString());
    if (!m_context.server && m_context.client->sockname.isValid())
        return QStringLiteral("the proxy itself (%1)")
            .arg(QString::fromLatin1(m_context.client->sockname.toString()));
    return QStringLiteral("the proxy");
}

void ClientTlsLayer::armTimer(Commands& out)
{
    const int timeout = m_context.options ? m_context.opts().handshakeTimeout : 0;
    if (timeout <= 0)
        return;
    m_timerId = nextCommandId();
    m_ownIds.insert(m_timerId);
    out.push_back(RequestWakeup{m_timerId, double(timeout)});
}

void ClientTlsLayer::flush(Commands& out)
{
    if (!m_session)
        return;
    const QByteArray bytes = m_session->takeOutgoing();
    if (!bytes.isEmpty())
        out.push_back(SendData{m_context.client, bytes});
}

} // namespace spyglass::layers::tls
