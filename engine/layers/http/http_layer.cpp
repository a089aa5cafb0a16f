#include "layers/http/http_layer.h"

#include "layers/http/http1_client_codec.h"
#include "layers/http/http1_server_codec.h"
#include "layers/http/http_stream.h"
#include "layers/next_layer.h"
#include "layers/websocket/websocket_layer.h"
#include "options/options.h"

namespace spyglass::layers {

using namespace proxy;
using namespace http;

namespace {
CodecLimits limitsFrom(const Context& ctx)
{
    CodecLimits l;
    if (ctx.options)
        l.maxHeadSize = ctx.options->maxHeadSize;
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

HttpLayer::HttpLayer(Context context, Mode mode)
    : Layer(std::move(context)), m_mode(mode),
      m_clientCodec(std::make_unique<Http1ServerCodec>(limitsFrom(m_context)))
{
    // Inside a tunnel the server may already be connected (eager CONNECT, TLS first).
    if (m_mode == Mode::Transparent && m_context.server && m_context.server->connected()) {
        auto sc = std::make_unique<ServerConn>();
        sc->conn = m_context.server;
        sc->codec = makeUpstreamCodec();
        sc->open = true;
        m_servers.push_back(std::move(sc));
    }
}

HttpLayer::~HttpLayer() = default;

std::unique_ptr<HttpCodec> HttpLayer::makeUpstreamCodec() const
{
    return std::make_unique<Http1ClientCodec>(limitsFrom(m_context));
}

Commands HttpLayer::handleEvent(const Event& event)
{
    m_out.clear();
    if (m_tunnel) {
        // After CONNECT the tunnel owns the connection; our own streams are over, except
        // replies still owed to them.
        const CommandId reply = replyTo(event);
        if (!reply || !m_routes.contains(reply)) {
            forwardToTunnel(event);
            return std::move(m_out);
        }
    }

    if (std::holds_alternative<Start>(event)) {
        // Nothing to do until the client speaks.
    } else if (auto* e = std::get_if<DataReceived>(&event)) {
        if (e->connection == m_context.client)
            onClientData(e->data);
        else if (ServerConn* sc = findServer(e->connection))
            onServerData(*sc, e->data);
    } else if (auto* e = std::get_if<ConnectionClosed>(&event)) {
        if (e->connection == m_context.client)
            onClientClosed();
        else if (ServerConn* sc = findServer(e->connection))
            onServerClosed(*sc);
    } else if (const CommandId id = replyTo(event)) {
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
    return std::move(m_out);
}

void HttpLayer::forwardToTunnel(const Event& event)
{
    append(m_out, m_tunnel->handleEvent(event));
}

void HttpLayer::onClientData(const QByteArray& data)
{
    if (m_clientClosed)
        return;
    CodecOutput out;
    m_clientCodec->receiveData(data, out);
    processClientOutput(out);
}

void HttpLayer::onClientClosed()
{
    m_clientEof = true;
    if (m_clientClosed)
        return;
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
    for (const QString& d : out.debug)
        log(LogLevel::Debug, d);
    for (const HttpEvent& e : out.events)
        deliverToStream(e);
    if (out.close) {
        closeClient();
    } else if (out.halfClose && !m_clientClosed) {
        m_out.push_back(CloseConnection{m_context.client, true});
    }
    if (m_clientCodec->isHandedOver() && !m_tunnel && !m_clientClosed) {
        // A 101 answer: the HTTP exchange is over and the connection carries another
        // protocol: WebSocket when that is what was agreed (WebSocketLayer), else bytes.
        for (auto& sc : m_servers) {
            if (sc->streamId && sc->codec->isHandedOver()) {
                const auto s = m_streams.find(sc->streamId);
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
        if (!isRequestEvent(e))
            return; // a late response event for an abandoned stream
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
    std::erase_if(m_routes, [id](const auto& r) { return r.second == id; });
    m_streams.erase(it);
    maybeCloseIdleClient();
}

void HttpLayer::maybeCloseIdleClient()
{
    if (m_clientEof && m_streams.empty() && !m_tunnel)
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
    if (!sc || !sc->open)
        return;
    CodecOutput out;
    sc->codec->send(event, out);
    processServerOutput(*sc, out);
}

void HttpLayer::onServerData(ServerConn& sc, const QByteArray& data)
{
    CodecOutput out;
    sc.codec->receiveData(data, out);
    processServerOutput(sc, out);
}

void HttpLayer::onServerClosed(ServerConn& sc)
{
    CodecOutput out;
    sc.codec->receiveClose(out);
    out.close = true;
    processServerOutput(sc, out);
}

void HttpLayer::processServerOutput(ServerConn& sc, CodecOutput& out)
{
    ConnectionPtr conn = sc.conn; // `sc` may be removed while events are delivered
    const int streamId = sc.streamId;
    if (!out.toPeer.isEmpty())
        m_out.push_back(SendData{conn, out.toPeer});
    for (const QString& d : out.debug)
        log(LogLevel::Debug, d);
    for (const HttpEvent& e : out.events) {
        auto it = m_streams.find(streamId);
        if (it == m_streams.end())
            break;
        HttpStream& stream = *it->second;
        stream.deliver(e);
        if (stream.finished())
            streamFinished(stream);
    }
    if (out.close && findServer(conn)) {
        if (conn->state != ConnectionState::Closed)
            m_out.push_back(CloseConnection{conn, false});
        removeServer(conn);
        if (auto it = m_streams.find(streamId); it != m_streams.end()) {
            // The server went away while the stream still needed it.
            it->second->onServerConnection(nullptr, QStringLiteral("server closed the connection"));
            if (it->second->finished())
                streamFinished(*it->second);
        }
    }
}

void HttpLayer::requestServer(HttpStream& stream, const Address& address)
{
    if (m_mode == Mode::Transparent) {
        const ConnectionPtr& server = m_context.server;
        if (ServerConn* sc = findServer(server); sc && sc->open && sc->streamId == 0) {
            sc->streamId = stream.streamId();
            stream.onServerConnection(server, {});
            return;
        }
        if (!findServer(server)) {
            // Reopen the tunnel's server (it closed after an earlier exchange).
            server->state = ConnectionState::Closed;
            server->error.clear();
            server->tlsEstablished = false;
            auto sc = std::make_unique<ServerConn>();
            sc->conn = server;
            sc->codec = makeUpstreamCodec();
            sc->streamId = stream.streamId();
            m_servers.push_back(std::move(sc));
            const Command open = makeOpenConnection(server);
            m_routes[std::get<OpenConnection>(open).id] = stream.streamId();
            m_out.push_back(open);
            return;
        }
        stream.onServerConnection(nullptr, QStringLiteral("the server connection is busy"));
        return;
    }

    for (auto& sc : m_servers) {
        if (sc->open && sc->streamId == 0 && sc->conn->peer == address &&
            sc->conn->state == ConnectionState::Open && sc->codec->isIdle()) {
            sc->streamId = stream.streamId();
            stream.onServerConnection(sc->conn, {});
            return;
        }
    }
    auto sc = std::make_unique<ServerConn>();
    sc->conn = makeConnection(Connection::Role::Server);
    sc->conn->peer = address;
    sc->codec = makeUpstreamCodec();
    sc->streamId = stream.streamId();
    const Command open = makeOpenConnection(sc->conn);
    m_routes[std::get<OpenConnection>(open).id] = stream.streamId();
    m_servers.push_back(std::move(sc));
    m_out.push_back(open);
}

void HttpLayer::onOpenCompleted(const OpenConnectionCompleted& e, int streamId)
{
    ServerConn* sc = findServer(e.connection);
    auto it = m_streams.find(streamId);
    if (!e.error.isEmpty() || !sc) {
        removeServer(e.connection);
        if (it != m_streams.end()) {
            it->second->onServerConnection(
                nullptr, e.error.isEmpty() ? QStringLiteral("connection lost") : e.error);
            if (it->second->finished())
                streamFinished(*it->second);
        }
        return;
    }
    sc->open = true;
    if (it == m_streams.end()) {
        sc->streamId = 0; // the stream is gone; keep the connection for reuse
        return;
    }
    it->second->onServerConnection(e.connection, {});
    if (it->second->finished())
        streamFinished(*it->second);
}

void HttpLayer::releaseServer(const ConnectionPtr& server, bool reusable)
{
    ServerConn* sc = findServer(server);
    if (!sc)
        return;
    if (reusable && sc->codec->isIdle() && !sc->codec->isClosing() &&
        server->state == ConnectionState::Open) {
        sc->streamId = 0;
        return;
    }
    abortServer(server);
}

void HttpLayer::abortServer(const ConnectionPtr& server)
{
    if (!findServer(server))
        return;
    if (server->state != ConnectionState::Closed)
        m_out.push_back(CloseConnection{server, false});
    removeServer(server);
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
    if (ServerConn* sc = findServer(server); sc && sc->codec->isHandedOver())
        serverRest = sc->codec->takeUnparsed();
    // The tunnel's server connection now belongs to the child stack.
    std::erase_if(m_servers, [&](const auto& sc) { return sc->conn == server; });
    for (auto& sc : m_servers)
        if (sc->open)
            m_out.push_back(CloseConnection{sc->conn, false});
    m_servers.clear();
    if (websocketFlow)
        m_tunnel = std::make_unique<WebSocketLayer>(child, std::move(websocketFlow));
    else
        m_tunnel = std::make_unique<NextLayer>(child);
    const QByteArray rest = m_clientCodec->takeUnparsed();
    forwardToTunnel(Start{});
    if (!rest.isEmpty())
        forwardToTunnel(DataReceived{m_context.client, rest});
    if (!serverRest.isEmpty())
        forwardToTunnel(DataReceived{server, serverRest});
    if (m_clientEof)
        forwardToTunnel(ConnectionClosed{m_context.client});
}

} // namespace spyglass::layers
