#include "layers/http/http_layer.h"

#include "layers/http/http1_client_codec.h"
#include "layers/http/http1_server_codec.h"
#include "layers/http/http2_client_codec.h"
#include "layers/http/http2_server_codec.h"
#include "layers/http/http_stream.h"
#include "layers/next_layer.h"
#include "layers/tls/server_tls_layer.h"
#include "layers/websocket/websocket_layer.h"
#include "options/options.h"
#include "options/proxy_mode.h"

namespace spyglass::layers {

using namespace proxy;
using namespace http;

// The layer under a hosted ServerTlsLayer: it keeps what TLS hands down for HttpLayer to
// process after the TLS layer has returned.
class UpstreamInbox : public Layer
{
public:
    using Layer::Layer;
    Commands handleEvent(const Event& event) override
    {
        events.push_back(event);
        return {};
    }
    QString name() const override { return QStringLiteral("UpstreamInbox"); }
    std::vector<Event> events;
};

namespace {
// Extra connections to a tunnel's server per client connection (browsers use six per host).
constexpr int kMaxExtraConnections = 8;

CodecLimits limitsFrom(const Context& ctx)
{
    CodecLimits l;
    if (ctx.options) {
        l.maxHeadSize = ctx.options->maxHeadSize;
        l.extendedConnect = ctx.options->websocket;
    }
    return l;
}

bool isRequestEvent(const HttpEvent& e)
{
    return std::holds_alternative<RequestHeaders>(e) || std::holds_alternative<RequestData>(e) ||
           std::holds_alternative<RequestTrailers>(e) ||
           std::holds_alternative<RequestEndOfMessage>(e) ||
           std::holds_alternative<RequestProtocolError>(e);
}
} // namespace

HttpLayer::HttpLayer(Context context, Mode mode, ClientProtocol protocol)
    : Layer(std::move(context)), m_mode(mode)
{
    m_clientHttp2 =
        protocol == ClientProtocol::Http2 || (m_context.client && m_context.client->alpn == "h2");
    if (m_clientHttp2)
        m_clientCodec = std::make_unique<Http2ServerCodec>(limitsFrom(m_context));
    else
        m_clientCodec = std::make_unique<Http1ServerCodec>(limitsFrom(m_context));
    // Inside a tunnel the server may already be connected (eager CONNECT, TLS first).
    if (m_mode == Mode::Transparent && m_context.server && m_context.server->connected()) {
        auto sc = std::make_unique<ServerConn>();
        sc->conn = m_context.server;
        sc->codec = makeUpstreamCodec(*sc->conn);
        sc->open = true;
        m_servers.push_back(std::move(sc));
    }
}

HttpLayer::HttpLayer(Context context, Mode mode, std::unique_ptr<HttpCodec> clientCodec)
    : Layer(std::move(context)), m_mode(mode), m_clientCodec(std::move(clientCodec))
{
}

HttpLayer::~HttpLayer() = default;

std::unique_ptr<HttpCodec> HttpLayer::makeUpstreamCodec(const Connection& server) const
{
    // With TLS the server said what it speaks (ALPN). Without, a client that spoke HTTP/2
    // with prior knowledge (gRPC, h2c) gets the same towards the server, which is what such
    // servers need; everybody else gets HTTP/1.1.
    const bool cleartextH2 = !server.tls && m_clientHttp2 && !m_context.client->tls;
    const bool toParentProxy = server.via.isValid() && server.peer == server.via; // upstream
    const bool h2 = !toParentProxy && (server.tls ? server.alpn == "h2" : cleartextH2);
    if (h2 && (!m_context.options || m_context.options->http2))
        return std::make_unique<Http2ClientCodec>(limitsFrom(m_context));
    return std::make_unique<Http1ClientCodec>(limitsFrom(m_context));
}

Commands HttpLayer::handleEvent(const Event& event)
{
    m_out.clear();
    if (m_tunnel) {
        // After CONNECT the tunnel owns the connection; our own streams are over, except
        // replies still owed to them.
        const CommandId reply = replyTo(event);
        if (reply && reply == m_keepaliveId) {
            m_keepaliveId = 0; // armed before the tunnel; no HTTP/2 server is ours any more
            return std::move(m_out);
        }
        if (!reply || !m_routes.contains(reply)) {
            forwardToTunnel(event);
            return std::move(m_out);
        }
    }

    if (std::holds_alternative<Start>(event)) {
        // Nothing to do until the client speaks, except keeping an HTTP/2 tunnel server alive;
        // a replay's virtual client speaks now.
        armKeepalive();
        CodecOutput out;
        m_clientCodec->start(out);
        processClientOutput(out);
    } else if (auto* e = std::get_if<DataReceived>(&event)) {
        if (e->connection == m_context.client)
            onClientData(e->data);
        else if (ServerConn* sc = findServer(e->connection); sc && sc->tls)
            feedHostedTls(*sc, event);
        else if (sc)
            onServerData(*sc, e->data);
    } else if (auto* e = std::get_if<ConnectionClosed>(&event)) {
        if (e->connection == m_context.client)
            onClientClosed();
        else if (ServerConn* sc = findServer(e->connection); sc && sc->tls)
            feedHostedTls(*sc, event);
        else if (sc)
            onServerClosed(*sc);
    } else if (auto* e = std::get_if<MessageInjected>(&event)) {
        injectIntoWebSocket(*e);
    } else if (const CommandId id = replyTo(event)) {
        onReply(event, id);
    }
    return std::move(m_out);
}

void HttpLayer::onReply(const Event& event, CommandId id)
{
    if (id == m_keepaliveId) {
        onKeepalive();
        return;
    }
    if (auto w = m_websocketRoutes.find(id); w != m_websocketRoutes.end()) {
        const int streamId = w->second;
        m_websocketRoutes.erase(w);
        runWebSocket(streamId, event);
        return;
    }
    if (auto t = m_tlsRoutes.find(id); t != m_tlsRoutes.end()) {
        const ConnectionPtr conn = t->second; // a hosted TLS layer's own timer or hook
        m_tlsRoutes.erase(t);
        if (ServerConn* sc = findServer(conn); sc && sc->tls)
            feedHostedTls(*sc, event);
        return;
    }
    {
        if (auto* open = std::get_if<OpenConnectionCompleted>(&event)) {
            // The TCP connection of an extra TLS connection: its TLS layer shakes hands
            // first and hands the completion down to the inbox (same id) when done.
            ServerConn* sc = findServer(open->connection);
            if (sc && sc->tls && !sc->open) {
                feedHostedTls(*sc, event);
                return;
            }
        }
        auto it = m_routes.find(id);
        if (it == m_routes.end()) {
            log(LogLevel::Warn, QStringLiteral("unexpected reply %1").arg(describe(event)));
        } else {
            const int streamId = it->second;
            m_routes.erase(it);
            if (auto* open = std::get_if<OpenConnectionCompleted>(&event)) {
                onOpenCompleted(*open, streamId);
            } else if (auto s = m_streams.find(streamId); s != m_streams.end()) {
                HttpStream& stream = *s->second;
                stream.deliverReply(event);
                if (stream.finished())
                    streamFinished(stream);
            }
        }
    }
}

void HttpLayer::emitForServer(ServerConn& sc, Command command)
{
    if (!sc.tls) {
        m_out.push_back(std::move(command));
        return;
    }
    const ConnectionPtr conn = sc.conn;
    auto* tlsLayer = static_cast<tls::ServerTlsLayer*>(sc.tls.get());
    Commands produced;
    produced.push_back(std::move(command));
    for (Command& c : tlsLayer->fromChildCommands(std::move(produced))) {
        if (auto* w = std::get_if<RequestWakeup>(&c))
            m_tlsRoutes[w->id] = conn;
        else if (auto* h = std::get_if<Hook>(&c)) // tls_failed_server
            m_tlsRoutes[h->id] = conn;
        m_out.push_back(std::move(c));
    }
    drainInbox(conn);
}

void HttpLayer::feedHostedTls(ServerConn& sc, const Event& event)
{
    const ConnectionPtr conn = sc.conn;
    for (Command& c : sc.tls->handleEvent(event)) {
        if (auto* w = std::get_if<RequestWakeup>(&c))
            m_tlsRoutes[w->id] = conn;
        else if (auto* h = std::get_if<Hook>(&c)) // tls_failed_server
            m_tlsRoutes[h->id] = conn;
        m_out.push_back(std::move(c));
    }
    drainInbox(conn);
}

void HttpLayer::drainInbox(const ConnectionPtr& conn)
{
    ServerConn* sc = findServer(conn);
    if (!sc || !sc->inbox)
        return;
    std::vector<Event> events;
    events.swap(sc->inbox->events);
    for (const Event& event : events) {
        ServerConn* now = findServer(conn); // processing may remove the connection
        if (!now)
            return;
        if (auto* e = std::get_if<DataReceived>(&event)) {
            onServerData(*now, e->data);
        } else if (std::holds_alternative<ConnectionClosed>(event)) {
            onServerClosed(*now);
        } else if (auto* e = std::get_if<OpenConnectionCompleted>(&event)) {
            // Stream 0 when the stream that asked for it has finished meanwhile: the
            // connection is kept for the next one.
            int streamId = 0;
            if (auto it = m_routes.find(e->command); it != m_routes.end()) {
                streamId = it->second;
                m_routes.erase(it);
            }
            onOpenCompleted(*e, streamId);
        }
    }
}

void HttpLayer::forwardToTunnel(const Event& event)
{
    append(m_out, m_tunnel->handleEvent(event));
}

void HttpLayer::onClientData(const QByteArray& data)
{
    if (m_clientClosed)
        return;
    if (m_clientWebSocket) {
        runWebSocket(m_clientWebSocket, DataReceived{m_context.client, data});
        return;
    }
    CodecOutput out;
    m_clientCodec->receiveData(data, out);
    processClientOutput(out);
}

void HttpLayer::onClientClosed()
{
    m_clientEof = true;
    if (m_clientClosed)
        return;
    if (m_clientWebSocket) {
        runWebSocket(m_clientWebSocket, ConnectionClosed{m_context.client});
        return;
    }
    CodecOutput out;
    m_clientCodec->receiveClose(out);
    processClientOutput(out);
    if (m_context.client->state == ConnectionState::Closed || m_streams.empty()) {
        // Nobody left to answer: abandon what is in flight and close upstream too.
        for (auto& [id, stream] : m_streams)
            stream->onClientGone(QStringLiteral("client disconnected"));
        closeClient();
    }
}

void HttpLayer::processClientOutput(CodecOutput& out)
{
    if (!out.toPeer.isEmpty() && !m_clientClosed)
        m_out.push_back(SendData{m_context.client, out.toPeer});
    for (const QString& d : std::as_const(out.debug)) // no detach of an empty list
        log(LogLevel::Debug, d);
    for (const HttpEvent& e : out.events) {
        if (clientEventToWebSocket(e))
            continue;
        deliverToStream(e);
        if (const auto* data = std::get_if<RequestData>(&e))
            settleRequestData(data->streamId, data->data.size());
    }
    if (!out.drained.empty())
        onClientDrained(out.drained);
    if (out.close) {
        closeClient();
    } else if (out.halfClose && !m_clientClosed) {
        m_out.push_back(CloseConnection{m_context.client, true});
    }
    if (m_clientCodec->isHandedOver() && !m_tunnel && !m_clientClosed) {
        // A 101 answer: the HTTP exchange is over and the connection carries another
        // protocol: WebSocket when that is what was agreed (WebSocketLayer), else bytes.
        for (auto& sc : m_servers) {
            if (!sc->streams.empty() && sc->codec && sc->codec->isHandedOver()) {
                const auto s = m_streams.find(sc->streams.front());
                HttpFlowPtr flow = s != m_streams.end() ? s->second->flow() : nullptr;
                if (flow && !WebSocketLayer::takesOver(*flow, m_context.opts()))
                    flow.reset();
                startTunnel(sc->conn, std::move(flow));
                break;
            }
        }
    }
}

void HttpLayer::deliverToStream(const HttpEvent& e)
{
    const int id = streamIdOf(e);
    auto it = m_streams.find(id);
    if (it == m_streams.end()) {
        // Stream ids only grow: an unknown id at or below the highest seen belongs to an
        // exchange that is over (an HTTP/2 client resetting a stream whose response is
        // still leaving, say), not to a new one.
        if (!isRequestEvent(e) || id <= m_highestStreamId)
            return;
        m_highestStreamId = id;
        it = m_streams.emplace(id, std::make_unique<HttpStream>(*this, id)).first;
    }
    // Keep the stream alive while it runs: it may finish (and be erased) inside deliver().
    HttpStream& stream = *it->second;
    stream.deliver(e);
    if (stream.finished())
        streamFinished(stream);
}

void HttpLayer::streamFinished(HttpStream& stream)
{
    const int id = stream.streamId();
    auto it = m_streams.find(id);
    if (it == m_streams.end() || it->second.get() != &stream)
        return;
    // Replies still routed to the stream are dropped with it.
    m_routes.eraseStream(id);
    if (m_clientPausedFor == id) {
        m_clientPausedFor = 0;
        if (!m_clientClosed)
            m_out.push_back(PauseReading{m_context.client, false});
    }
    m_streams.erase(it);
    maybeCloseIdleClient();
}

void HttpLayer::maybeCloseIdleClient()
{
    if (m_clientEof && m_streams.empty() && m_websockets.empty() && !m_tunnel)
        closeClient();
}

void HttpLayer::closeClient()
{
    if (m_clientClosed)
        return;
    m_clientClosed = true;
    m_out.push_back(CloseConnection{m_context.client, false});
    for (auto& sc : m_servers)
        if (sc->open)
            m_out.push_back(CloseConnection{sc->conn, false});
    m_servers.clear();
}

void HttpLayer::sendToClient(const HttpEvent& event)
{
    if (m_clientClosed)
        return;
    CodecOutput out;
    m_clientCodec->send(event, out);
    processClientOutput(out);
}

void HttpLayer::sendToServer(const ConnectionPtr& server, const HttpEvent& event)
{
    ServerConn* sc = findServer(server);
    if (!sc || !sc->open || !sc->codec)
        return;
    CodecOutput out;
    sc->codec->send(event, out);
    processServerOutput(*sc, out);
}

void HttpLayer::onServerData(ServerConn& sc, const QByteArray& data)
{
    sc.lastActivity = now();
    if (sc.websocketStream) {
        runWebSocket(sc.websocketStream, DataReceived{sc.conn, data});
        return;
    }
    CodecOutput out;
    sc.codec->receiveData(data, out);
    processServerOutput(sc, out);
}

void HttpLayer::onServerClosed(ServerConn& sc)
{
    if (sc.websocketStream) {
        runWebSocket(sc.websocketStream, ConnectionClosed{sc.conn});
        return;
    }
    CodecOutput out;
    sc.codec->receiveClose(out);
    out.close = true;
    processServerOutput(sc, out);
}

void HttpLayer::processServerOutput(ServerConn& sc, CodecOutput& out)
{
    ConnectionPtr conn = sc.conn; // `sc` may be removed while events are delivered
    if (!out.toPeer.isEmpty()) {
        sc.lastActivity = now();
        emitForServer(sc, SendData{conn, out.toPeer});
    }
    for (const QString& d : std::as_const(out.debug))
        log(LogLevel::Debug, d);
    for (const HttpEvent& e : out.events) {
        // Upstream codecs answer with the stream ids the layer gave them.
        const int id = streamIdOf(e);
        if (serverEventToWebSocket(conn, e))
            continue;
        auto it = m_streams.find(id);
        if (it == m_streams.end()) {
            // A late answer for an abandoned stream: its bytes still count for the window.
            if (const auto* data = std::get_if<ResponseData>(&e))
                settleResponseData(conn, id, data->data.size());
            continue;
        }
        HttpStream& stream = *it->second;
        stream.deliver(e);
        if (stream.finished())
            streamFinished(stream);
        if (const auto* data = std::get_if<ResponseData>(&e))
            settleResponseData(conn, id, data->data.size());
    }
    if (!out.drained.empty())
        onServerDrained(out.drained);
    if (ServerConn* s = findServer(conn);
        s && !s->settingsWaiters.empty() && s->codec && s->codec->peerSettingsKnown()) {
        for (const int id : std::exchange(s->settingsWaiters, {})) {
            if (auto it = m_streams.find(id); it != m_streams.end()) {
                HttpStream& stream = *it->second;
                stream.onServerConnection(conn, {});
                if (stream.finished())
                    streamFinished(stream);
            }
        }
    }
    ServerConn* still = findServer(conn);
    if (out.close && still) {
        if (conn->state != ConnectionState::Closed)
            m_out.push_back(CloseConnection{conn, false});
        const std::vector<int> users = still->streams;
        removeServer(conn);
        for (const int id : users) {
            if (auto it = m_streams.find(id); it != m_streams.end()) {
                // The server went away while the stream still needed it.
                it->second->onServerConnection(nullptr,
                                               QStringLiteral("server closed the connection"));
                if (it->second->finished())
                    streamFinished(*it->second);
            }
        }
        serveWaiting();
    }
}

void HttpLayer::attach(ServerConn& sc, HttpStream& stream)
{
    sc.streams.push_back(stream.streamId());
    stream.onServerConnection(sc.conn, {});
}

void HttpLayer::detach(ServerConn& sc, int streamId)
{
    std::erase(sc.streams, streamId);
    if (sc.pausedFor == streamId) {
        sc.pausedFor = 0; // whoever uses the connection next must be able to read it
        m_out.push_back(PauseReading{sc.conn, false});
    }
    m_owedToClient.erase(streamId);
    m_owedToServer.erase(streamId);
}

void HttpLayer::requestServer(HttpStream& stream, const Address& address)
{
    const bool transparent = m_mode == Mode::Transparent;
    for (auto& sc : m_servers) {
        const bool sameTarget =
            transparent ? (sc->conn == m_context.server || sc->extra) : sc->conn->peer == address;
        if (sameTarget && sc->open && sc->codec && sc->conn->state == ConnectionState::Open &&
            (sc->codec->isMultiplexed() || sc->streams.empty()) && sc->codec->canOpenStream()) {
            attach(*sc, stream);
            return;
        }
    }
    if (transparent) {
        const ConnectionPtr& server = m_context.server;
        if (findServer(server)) {
            if (openExtraConnection(stream))
                return;
            // Busy (an HTTP/1 exchange in progress) or still opening: wait in line.
            if (std::find(m_waiting.begin(), m_waiting.end(), stream.streamId()) == m_waiting.end())
                m_waiting.push_back(stream.streamId());
            return;
        }
        // Reopen the tunnel's server (it closed after an earlier exchange).
        server->state = ConnectionState::Closed;
        server->error.clear();
        server->tlsEstablished = false;
        auto sc = std::make_unique<ServerConn>();
        sc->conn = server;
        sc->streams.push_back(stream.streamId());
        m_servers.push_back(std::move(sc));
        const Command open = makeOpenConnection(server);
        m_routes[std::get<OpenConnection>(open).id] = stream.streamId();
        m_out.push_back(open);
        return;
    }
    auto sc = std::make_unique<ServerConn>();
    sc->conn = makeConnection(Connection::Role::Server);
    sc->conn->peer = address;
    sc->streams.push_back(stream.streamId());
    if (const auto& mode = m_context.mode;
        mode && mode->upstreamHttp() && address == Address{mode->host, mode->port})
        toParentProxy(*sc);
    const Command open = makeOpenConnection(sc->conn);
    m_routes[std::get<OpenConnection>(open).id] = stream.streamId();
    m_servers.push_back(std::move(sc));
    emitForServer(*m_servers.back(), open);
}

void HttpLayer::toParentProxy(ServerConn& sc)
{
    // Upstream mode: a connection to the HTTP parent that carries absolute-form requests for
    // any host (peer == via tells UpstreamProxyLayer not to tunnel it). upstream:https speaks
    // TLS to the parent, run by a ServerTlsLayer this layer hosts, as for extra connections.
    const ProxyMode& mode = *m_context.mode;
    Connection& c = *sc.conn;
    c.via = c.peer;
    c.tls = mode.serverTls();
    c.alpnOffers = {"http/1.1"};
    const bool ipLiteral = std::all_of(mode.host.begin(), mode.host.end(), [](char ch) {
        return ch == ':' || ch == '.' || (ch >= '0' && ch <= '9');
    });
    if (c.tls && !ipLiteral)
        c.sni = mode.host;
    if (c.tls) {
        Context ctx = m_context;
        ctx.server = sc.conn;
        auto inbox = std::make_unique<UpstreamInbox>(ctx);
        sc.inbox = inbox.get();
        sc.tls = std::make_unique<tls::ServerTlsLayer>(ctx, std::move(inbox));
    }
}

bool HttpLayer::openExtraConnection(HttpStream& stream)
{
    // Only an HTTP/2 client has streams side by side, and only an HTTP/1 server needs more
    // than one connection for them.
    const ServerConn* main = findServer(m_context.server);
    if (!m_clientCodec->isMultiplexed() || !main || !main->codec || main->codec->isMultiplexed())
        return false;
    const auto extras =
        std::count_if(m_servers.begin(), m_servers.end(), [](const auto& sc) { return sc->extra; });
    if (extras >= kMaxExtraConnections)
        return false;
    const Connection& model = *m_context.server;
    auto sc = std::make_unique<ServerConn>();
    sc->extra = true;
    sc->conn = makeConnection(Connection::Role::Server);
    sc->conn->peer = model.peer;
    sc->conn->via = model.via;
    sc->conn->tls = model.tls;
    sc->conn->sni = model.sni;
    // Ask for what the tunnel's server chose, so the extra connection speaks the same.
    if (!model.alpn.isEmpty())
        sc->conn->alpnOffers = {model.alpn};
    sc->streams.push_back(stream.streamId());
    if (model.tls) {
        Context ctx = m_context;
        ctx.server = sc->conn;
        auto inbox = std::make_unique<UpstreamInbox>(ctx);
        sc->inbox = inbox.get();
        sc->tls = std::make_unique<tls::ServerTlsLayer>(ctx, std::move(inbox));
    }
    const Command open = makeOpenConnection(sc->conn);
    m_routes[std::get<OpenConnection>(open).id] = stream.streamId();
    m_servers.push_back(std::move(sc));
    emitForServer(*m_servers.back(), open);
    return true;
}

void HttpLayer::requestHttp1Server(HttpStream& stream, const ConnectionPtr& server)
{
    const int id = stream.streamId();
    if (ServerConn* old = findServer(server))
        detach(*old, id);
    serveWaiting();
    // A connection of the stream's own, to where `server` goes, the way `server` went there
    // (TLS with its SNI, the same upstream proxy), asking for HTTP/1.1 only.
    auto sc = std::make_unique<ServerConn>();
    sc->extra = m_mode == Mode::Transparent;
    sc->http1Only = true;
    sc->conn = makeConnection(Connection::Role::Server);
    sc->conn->peer = server->peer;
    sc->conn->via = server->via;
    sc->conn->tls = server->tls;
    sc->conn->sni = server->sni;
    if (server->tls)
        sc->conn->alpnOffers = {QByteArrayLiteral("http/1.1")};
    sc->streams.push_back(id);
    if (server->tls) {
        Context ctx = m_context;
        ctx.server = sc->conn;
        auto inbox = std::make_unique<UpstreamInbox>(ctx);
        sc->inbox = inbox.get();
        sc->tls = std::make_unique<tls::ServerTlsLayer>(ctx, std::move(inbox));
    }
    log(LogLevel::Debug, QStringLiteral("stream %1: %2 speaks HTTP/2 without extended CONNECT; "
                                        "the WebSocket goes over a new HTTP/1.1 connection")
                             .arg(id)
                             .arg(QString::fromLatin1(server->peer.toString())));
    const Command open = makeOpenConnection(sc->conn);
    m_routes[std::get<OpenConnection>(open).id] = id;
    m_servers.push_back(std::move(sc));
    emitForServer(*m_servers.back(), open);
}

void HttpLayer::armKeepalive()
{
    const int seconds = m_context.options ? m_context.options->http2PingKeepalive : 0;
    if (seconds <= 0 || m_keepaliveId || m_clientClosed)
        return;
    const bool any = std::any_of(m_servers.begin(), m_servers.end(), [](const auto& sc) {
        return sc->open && sc->codec && sc->codec->isMultiplexed();
    });
    if (!any)
        return;
    const Command wakeup = makeWakeup(seconds);
    m_keepaliveId = std::get<RequestWakeup>(wakeup).id;
    m_out.push_back(wakeup);
}

void HttpLayer::onKeepalive()
{
    m_keepaliveId = 0;
    const int seconds = m_context.options ? m_context.options->http2PingKeepalive : 0;
    const double idleSince = now() - seconds;
    std::vector<ConnectionPtr> idle;
    for (const auto& sc : m_servers)
        if (sc->open && sc->codec && sc->codec->isMultiplexed() && sc->lastActivity <= idleSince)
            idle.push_back(sc->conn);
    for (const ConnectionPtr& conn : idle) {
        if (ServerConn* sc = findServer(conn)) {
            CodecOutput out;
            sc->codec->sendPing(out);
            processServerOutput(*sc, out);
        }
    }
    armKeepalive();
}

void HttpLayer::serveWaiting()
{
    if (m_waiting.empty() || m_clientClosed)
        return;
    std::deque<int> waiting;
    waiting.swap(m_waiting);
    for (const int id : waiting) {
        auto it = m_streams.find(id);
        if (it == m_streams.end())
            continue;
        HttpStream& stream = *it->second;
        if (!m_waiting.empty()) {
            m_waiting.push_back(id); // keep the order: someone before it is still waiting
            continue;
        }
        requestServer(stream, {});
        if (stream.finished())
            streamFinished(stream);
    }
}

void HttpLayer::onOpenCompleted(const OpenConnectionCompleted& e, int streamId)
{
    ServerConn* sc = findServer(e.connection);
    auto it = m_streams.find(streamId);
    if (!e.error.isEmpty() || !sc) {
        removeServer(e.connection);
        if (it != m_streams.end()) {
            // The flow records where it tried to go (and through which upstream proxy).
            if (e.connection && it->second->flow())
                it->second->flow()->server = *e.connection;
            it->second->onServerConnection(
                nullptr, e.error.isEmpty() ? QStringLiteral("connection lost") : e.error);
            if (it->second->finished())
                streamFinished(*it->second);
        }
        // Streams waiting for the same server would fail the same way; let them try.
        serveWaiting();
        return;
    }
    sc->open = true;
    sc->codec = sc->http1Only ? std::make_unique<Http1ClientCodec>(limitsFrom(m_context))
                              : makeUpstreamCodec(*sc->conn);
    sc->lastActivity = now();
    armKeepalive();
    if (it == m_streams.end()) {
        sc->streams.clear(); // the stream is gone; keep the connection for reuse
        serveWaiting();
        return;
    }
    it->second->onServerConnection(e.connection, {});
    if (it->second->finished())
        streamFinished(*it->second);
    serveWaiting(); // an HTTP/2 connection takes the others too
}

void HttpLayer::releaseServer(const ConnectionPtr& server, int streamId, bool reusable)
{
    ServerConn* sc = findServer(server);
    if (!sc)
        return;
    detach(*sc, streamId);
    if (sc->codec && sc->codec->isMultiplexed()) {
        if (!reusable) {
            // The request was still being sent when the response ended: stop sending it.
            CodecOutput out;
            sc->codec->abortStream(streamId, out);
            processServerOutput(*sc, out);
        }
        serveWaiting();
        return;
    }
    if (reusable && sc->codec && sc->codec->isIdle() && !sc->codec->isClosing() &&
        server->state == ConnectionState::Open) {
        serveWaiting();
        return;
    }
    abortServer(server, streamId);
}

void HttpLayer::abortServer(const ConnectionPtr& server, int streamId)
{
    ServerConn* sc = findServer(server);
    if (!sc)
        return;
    detach(*sc, streamId);
    if (sc->codec && sc->codec->isMultiplexed() && sc->open) {
        CodecOutput out;
        sc->codec->abortStream(streamId, out);
        processServerOutput(*sc, out);
        serveWaiting();
        return;
    }
    if (server->state != ConnectionState::Closed)
        m_out.push_back(CloseConnection{server, false});
    removeServer(server);
    serveWaiting();
}

void HttpLayer::abortClient(int streamId)
{
    if (m_clientClosed)
        return;
    CodecOutput out;
    m_clientCodec->abortStream(streamId, out);
    processClientOutput(out);
}

HttpLayer::ServerConn* HttpLayer::serverOfStream(int streamId)
{
    auto it = m_streams.find(streamId);
    if (it == m_streams.end() || !it->second->serverConnection())
        return nullptr;
    ServerConn* sc = findServer(it->second->serverConnection());
    return sc && sc->codec ? sc : nullptr;
}

void HttpLayer::settleRequestData(int streamId, qint64 bytes)
{
    if (m_clientClosed)
        return;
    ServerConn* sc = serverOfStream(streamId);
    const bool congested = sc && sc->codec->pendingOutput(streamId) > kMaxPendingPerStream;
    if (!m_clientCodec->isMultiplexed()) {
        // An HTTP/1 client uploading to an HTTP/2 server that is not taking it: stop reading
        // the client until the server's window lets the body drain.
        if (congested && !m_clientPausedFor) {
            m_clientPausedFor = streamId;
            m_out.push_back(PauseReading{m_context.client, true});
        }
        return;
    }
    if (congested) {
        m_owedToClient[streamId] += bytes;
        return;
    }
    CodecOutput out;
    m_clientCodec->acknowledge(streamId, bytes, out);
    processClientOutput(out);
}

void HttpLayer::settleResponseData(const ConnectionPtr& server, int streamId, qint64 bytes)
{
    ServerConn* sc = findServer(server);
    if (!sc || !sc->codec)
        return;
    const bool congested = m_streams.contains(streamId) &&
                           m_clientCodec->pendingOutput(streamId) > kMaxPendingPerStream;
    if (!sc->codec->isMultiplexed()) {
        // An HTTP/1 server sending faster than the HTTP/2 client's window takes it: stop
        // reading that server (only it: sibling streams use other connections).
        if (congested && !sc->pausedFor) {
            sc->pausedFor = streamId;
            m_out.push_back(PauseReading{server, true});
        }
        return;
    }
    if (congested) {
        m_owedToServer[streamId] += bytes;
        return;
    }
    CodecOutput out;
    sc->codec->acknowledge(streamId, bytes, out);
    processServerOutput(*sc, out);
}

void HttpLayer::onServerDrained(const std::vector<int>& streams)
{
    for (const int id : streams) {
        if (m_websockets.contains(id)) {
            settleWebSocket(id);
            continue;
        }
        if (m_clientPausedFor == id) {
            m_clientPausedFor = 0;
            if (!m_clientClosed)
                m_out.push_back(PauseReading{m_context.client, false});
        }
        auto owed = m_owedToClient.find(id);
        if (owed == m_owedToClient.end())
            continue;
        const qint64 bytes = owed->second;
        m_owedToClient.erase(owed);
        if (m_clientClosed)
            continue;
        CodecOutput out;
        m_clientCodec->acknowledge(id, bytes, out);
        processClientOutput(out);
    }
}

void HttpLayer::onClientDrained(const std::vector<int>& streams)
{
    for (const int id : streams) {
        if (m_websockets.contains(id)) {
            settleWebSocket(id);
            continue;
        }
        for (auto& sc : m_servers) {
            if (sc->pausedFor == id) {
                sc->pausedFor = 0;
                m_out.push_back(PauseReading{sc->conn, false});
            }
        }
        auto owed = m_owedToServer.find(id);
        if (owed == m_owedToServer.end())
            continue;
        const qint64 bytes = owed->second;
        m_owedToServer.erase(owed);
        if (ServerConn* sc = serverOfStream(id)) {
            CodecOutput out;
            sc->codec->acknowledge(id, bytes, out);
            processServerOutput(*sc, out);
        }
    }
}

HttpLayer::ServerConn* HttpLayer::findServer(const ConnectionPtr& conn)
{
    for (auto& sc : m_servers)
        if (sc->conn == conn)
            return sc.get();
    return nullptr;
}

void HttpLayer::removeServer(const ConnectionPtr& conn)
{
    std::erase_if(m_servers, [&](const auto& sc) { return sc->conn == conn; });
}

void HttpLayer::hook(HttpStream& stream, const HookPtr& hook)
{
    const Command c = makeHook(hook);
    m_routes[std::get<Hook>(c).id] = stream.streamId();
    m_out.push_back(c);
}

void HttpLayer::log(LogLevel level, const QString& message)
{
    m_out.push_back(Log{level, message});
}

void HttpLayer::startTunnel(ConnectionPtr server, HttpFlowPtr websocketFlow)
{
    Context child = m_context;
    child.server = server;
    QByteArray serverRest;
    // A connection whose TLS this layer hosts (one a stream asked for, an HTTP/1.1 connection
    // of a WebSocket's own) keeps its TLS session: that layer goes on above the tunnel's.
    std::unique_ptr<tls::ServerTlsLayer> hostedTls;
    if (ServerConn* sc = findServer(server)) {
        if (sc->codec && sc->codec->isHandedOver())
            serverRest = sc->codec->takeUnparsed();
        if (sc->tls) {
            hostedTls.reset(static_cast<tls::ServerTlsLayer*>(sc->tls.release()));
            sc->inbox = nullptr;
        }
    }
    // The tunnel's server connection now belongs to the child stack.
    std::erase_if(m_servers, [&](const auto& sc) { return sc->conn == server; });
    for (auto& sc : m_servers)
        if (sc->open)
            m_out.push_back(CloseConnection{sc->conn, false});
    m_servers.clear();
    m_waiting.clear();
    std::unique_ptr<Layer> inner;
    if (websocketFlow)
        inner = std::make_unique<WebSocketLayer>(child, std::move(websocketFlow));
    else
        inner = std::make_unique<NextLayer>(child);
    Layer* innerLayer = inner.get();
    if (hostedTls) {
        hostedTls->replaceChild(std::move(inner));
        m_tunnel = std::move(hostedTls);
    } else {
        m_tunnel = std::move(inner);
    }
    const QByteArray rest = m_clientCodec->takeUnparsed();
    forwardToTunnel(Start{});
    if (!rest.isEmpty())
        forwardToTunnel(DataReceived{m_context.client, rest});
    if (!serverRest.isEmpty()) {
        // Already decrypted: past the TLS layer, if there is one, straight to the tunnel's.
        const Event data = DataReceived{server, serverRest};
        if (innerLayer == m_tunnel.get())
            forwardToTunnel(data);
        else
            append(m_out, static_cast<tls::ServerTlsLayer&>(*m_tunnel).fromChildCommands(
                              innerLayer->handleEvent(data)));
    }
    if (m_clientEof)
        forwardToTunnel(ConnectionClosed{m_context.client});
}

} // namespace spyglass::layers
