// HttpLayer, the WebSocket-over-HTTP/2 part (RFC 8441): a WebSocketLayer hosted per client
// stream once its extended CONNECT was answered. http_layer.h describes the arrangement; the
// rest of the class is in http_layer.cpp.
#include "layers/http/http_layer.h"

#include "layers/http/http_stream.h"
#include "layers/websocket/websocket_layer.h"

namespace spyglass::layers {

using namespace proxy;
using namespace http;

namespace {

WebSocketLayer& wsLayer(const std::unique_ptr<Layer>& layer)
{
    return static_cast<WebSocketLayer&>(*layer);
}

// A stand-in connection for one HTTP/2 stream, as the WebSocketLayer sees it.
ConnectionPtr standIn(const Connection& model)
{
    auto c = std::make_shared<Connection>(model);
    c->state = ConnectionState::Open;
    c->error.clear();
    return c;
}

void clearState(Connection& c, ConnectionState bit)
{
    c.state = ConnectionState(quint8(c.state) & ~quint8(bit));
}

} // namespace

bool HttpLayer::serverIsHttp2(const ConnectionPtr& server)
{
    const ServerConn* sc = findServer(server);
    return sc && sc->codec && sc->codec->isMultiplexed();
}

bool HttpLayer::serverSupportsExtendedConnect(const ConnectionPtr& server)
{
    const ServerConn* sc = findServer(server);
    return sc && sc->codec && sc->codec->supportsExtendedConnect();
}

bool HttpLayer::serverSettingsKnown(const ConnectionPtr& server)
{
    const ServerConn* sc = findServer(server);
    return !sc || !sc->codec || sc->codec->peerSettingsKnown();
}

void HttpLayer::awaitServerSettings(HttpStream& stream, const ConnectionPtr& server)
{
    if (ServerConn* sc = findServer(server))
        sc->settingsWaiters.push_back(stream.streamId());
}

void HttpLayer::injectIntoWebSocket(const MessageInjected& injected)
{
    for (const auto& [streamId, ws] : m_websockets) {
        if (wsLayer(ws->layer).flow()->id == injected.flowId) {
            runWebSocket(streamId, injected);
            return;
        }
    }
}

HttpLayer::StreamWebSocket* HttpLayer::webSocketOf(int streamId)
{
    const auto it = m_websockets.find(streamId);
    return it == m_websockets.end() ? nullptr : it->second.get();
}

void HttpLayer::startStreamWebSocket(int streamId, ConnectionPtr server, HttpFlowPtr flow,
                                     TunnelStart start)
{
    ServerConn* sc = findServer(server);
    if (m_clientClosed)
        return;
    if (!sc) {
        // The server left while the handshake's hooks ran: the client learns it at once.
        flow->error = FlowError{QStringLiteral("server closed the connection right after the "
                                               "WebSocket handshake"),
                                now()};
        flow->live = false;
        abortClient(streamId);
        return;
    }
    auto ws = std::make_unique<StreamWebSocket>();
    ws->streamId = streamId;
    ws->server = server;
    if (m_clientHttp2) {
        ws->clientEnd = standIn(*m_context.client);
    } else {
        // An HTTP/1.1 client after its 101: the connection itself, and what it sent since.
        ws->clientIsStream = false;
        ws->clientEnd = m_context.client;
        start.fromClient = m_clientCodec->takeUnparsed() + start.fromClient;
        start.clientEnded = start.clientEnded || m_clientEof;
        m_clientWebSocket = streamId;
    }
    const bool clientIsStream = ws->clientIsStream;
    QByteArray serverRest = std::move(start.fromServer);
    if (sc->codec && sc->codec->isMultiplexed()) {
        ws->serverIsStream = true;
        ws->serverEnd = standIn(*server);
    } else {
        ws->serverEnd = server;
        sc->websocketStream = streamId;
        if (sc->codec && sc->codec->isHandedOver())
            serverRest = sc->codec->takeUnparsed();
    }
    Context ctx = m_context;
    ctx.client = ws->clientEnd;
    ctx.server = ws->serverEnd;
    ws->layer = std::make_unique<WebSocketLayer>(ctx, std::move(flow));
    const ConnectionPtr clientEnd = ws->clientEnd;
    const ConnectionPtr serverEnd = ws->serverEnd;
    const bool serverIsStream = ws->serverIsStream;
    m_websockets[streamId] = std::move(ws);
    log(LogLevel::Debug, QStringLiteral("stream %1 carries a WebSocket (RFC 8441) to %2")
                             .arg(streamId)
                             .arg(QString::fromLatin1(server->peer.toString())));
    runWebSocket(streamId, Start{});
    if (!start.fromClient.isEmpty())
        runWebSocket(streamId, DataReceived{clientEnd, start.fromClient});
    if (!serverRest.isEmpty())
        runWebSocket(streamId, DataReceived{serverEnd, serverRest});
    if (start.clientEnded && webSocketOf(streamId)) {
        if (clientIsStream)
            clearState(*clientEnd, ConnectionState::CanRead);
        runWebSocket(streamId, ConnectionClosed{clientEnd});
    }
    if (start.serverEnded && serverIsStream && webSocketOf(streamId)) {
        clearState(*serverEnd, ConnectionState::CanRead);
        runWebSocket(streamId, ConnectionClosed{serverEnd});
    }
}

bool HttpLayer::clientEventToWebSocket(const HttpEvent& event)
{
    const int id = streamIdOf(event);
    StreamWebSocket* ws = webSocketOf(id);
    if (!ws || !ws->clientIsStream)
        return false;
    const ConnectionPtr end = ws->clientEnd;
    if (const auto* d = std::get_if<RequestData>(&event)) {
        ws->owedToClient += d->data.size();
        runWebSocket(id, DataReceived{end, d->data});
    } else if (std::holds_alternative<RequestEndOfMessage>(event)) {
        clearState(*end, ConnectionState::CanRead);
        runWebSocket(id, ConnectionClosed{end});
    } else if (const auto* e = std::get_if<RequestProtocolError>(&event)) {
        // The client reset the stream (or went away): the WebSocket lost its connection.
        end->state = ConnectionState::Closed;
        end->error = e->message;
        ws->clientEndSent = true; // nothing more can go to it
        runWebSocket(id, ConnectionClosed{end});
    }
    return true;
}

bool HttpLayer::serverEventToWebSocket(const ConnectionPtr& server, const HttpEvent& event)
{
    const int id = streamIdOf(event);
    StreamWebSocket* ws = webSocketOf(id);
    if (!ws || !ws->serverIsStream || ws->server != server)
        return false;
    const ConnectionPtr end = ws->serverEnd;
    if (const auto* d = std::get_if<ResponseData>(&event)) {
        ws->owedToServer += d->data.size();
        runWebSocket(id, DataReceived{end, d->data});
    } else if (std::holds_alternative<ResponseEndOfMessage>(event)) {
        clearState(*end, ConnectionState::CanRead);
        runWebSocket(id, ConnectionClosed{end});
    } else if (const auto* e = std::get_if<ResponseProtocolError>(&event)) {
        end->state = ConnectionState::Closed;
        end->error = e->message;
        ws->serverEndSent = true;
        runWebSocket(id, ConnectionClosed{end});
    }
    return true;
}

void HttpLayer::runWebSocket(int streamId, const Event& event)
{
    StreamWebSocket* ws = webSocketOf(streamId);
    if (!ws)
        return;
    const ConnectionPtr rawClient = ws->clientIsStream ? nullptr : ws->clientEnd;
    Commands commands = ws->layer->handleEvent(event);
    bool closeRawClient = false;
    for (Command& c : commands) {
        ws = webSocketOf(streamId); // sending may end it (the client connection failing)
        if (!ws)
            break;
        if (auto* close = std::get_if<CloseConnection>(&c);
            close && rawClient && close->connection == rawClient && !close->halfClose) {
            // Last: closing the client's connection closes the upstream ones with it, and
            // the server's side of the WebSocket is to end properly first.
            closeRawClient = true;
            continue;
        }
        runWebSocketCommand(*ws, c);
    }
    settleWebSocket(streamId);
    if (closeRawClient)
        closeClient(); // the connection was the WebSocket's and the WebSocket is over
}

void HttpLayer::runWebSocketCommand(StreamWebSocket& ws, Command& command)
{
    const int id = ws.streamId;
    if (auto* send = std::get_if<SendData>(&command)) {
        if (send->connection == ws.clientEnd && !ws.clientIsStream) {
            if (!m_clientClosed)
                m_out.push_back(std::move(command));
        } else if (send->connection == ws.clientEnd) {
            if (!ws.clientEndSent)
                sendToClient(ResponseData{id, send->data});
        } else if (send->connection == ws.serverEnd) {
            if (ws.serverIsStream) {
                if (!ws.serverEndSent)
                    sendToServer(ws.server, RequestData{id, send->data});
            } else if (ServerConn* sc = findServer(ws.server)) {
                sc->lastActivity = now();
                emitForServer(*sc, std::move(command));
            }
        }
    } else if (auto* close = std::get_if<CloseConnection>(&command)) {
        if (close->connection == ws.clientEnd && !ws.clientIsStream) {
            if (!m_clientClosed)
                m_out.push_back(std::move(command)); // a half close (runWebSocket does the rest)
        } else if (close->connection == ws.clientEnd) {
            // END_STREAM: a half close and a full one look the same on a stream; the client
            // ends its side in turn (or resets it).
            clearState(*ws.clientEnd, ConnectionState::CanWrite);
            if (!close->halfClose)
                ws.clientEnd->state = ConnectionState::Closed;
            if (!ws.clientEndSent) {
                ws.clientEndSent = true;
                sendToClient(ResponseEndOfMessage{id});
            }
        } else if (close->connection == ws.serverEnd) {
            clearState(*ws.serverEnd, ConnectionState::CanWrite);
            if (!close->halfClose)
                ws.serverEnd->state = ConnectionState::Closed;
            if (ws.serverIsStream) {
                if (!ws.serverEndSent) {
                    ws.serverEndSent = true;
                    sendToServer(ws.server, RequestEndOfMessage{id});
                }
            } else if (ServerConn* sc = findServer(ws.server)) {
                const bool half = close->halfClose;
                emitForServer(*sc, std::move(command));
                if (!half)
                    removeServer(ws.server);
            }
        }
    } else if (auto* hook = std::get_if<Hook>(&command)) {
        m_websocketRoutes[hook->id] = id;
        m_out.push_back(std::move(command));
    } else if (auto* wakeup = std::get_if<RequestWakeup>(&command)) {
        m_websocketRoutes[wakeup->id] = id;
        m_out.push_back(std::move(command));
    } else {
        m_out.push_back(std::move(command));
    }
}

void HttpLayer::settleWebSocket(int streamId)
{
    StreamWebSocket* ws = webSocketOf(streamId);
    if (!ws)
        return;
    WebSocketLayer& layer = wsLayer(ws->layer);
    if (!ws->clientIsStream) {
        // An HTTP/1.1 client: not read while its bytes cannot move on.
        ServerConn* up = findServer(ws->server);
        const bool hold =
            !layer.isDone() &&
            (layer.isWaiting() ||
             (up && up->codec && up->codec->pendingOutput(streamId) > kMaxPendingPerStream));
        if (hold && !m_clientPausedFor && !m_clientClosed) {
            m_clientPausedFor = streamId;
            m_out.push_back(PauseReading{m_context.client, true});
        } else if (!hold && m_clientPausedFor == streamId) {
            m_clientPausedFor = 0;
            if (!m_clientClosed)
                m_out.push_back(PauseReading{m_context.client, false});
        }
        if (layer.isDone())
            m_clientWebSocket = 0;
    }
    if (layer.isDone()) {
        // Whatever is still owed goes back, so the connections' windows stay open.
        if (ws->owedToClient > 0 && !m_clientClosed) {
            CodecOutput out;
            m_clientCodec->acknowledge(streamId, std::exchange(ws->owedToClient, 0), out);
            processClientOutput(out);
        }
        ws = webSocketOf(streamId);
        if (!ws)
            return;
        if (ws->serverIsStream) {
            if (ServerConn* sc = findServer(ws->server)) {
                CodecOutput out;
                if (ws->owedToServer > 0)
                    sc->codec->acknowledge(streamId, std::exchange(ws->owedToServer, 0), out);
                std::erase(sc->streams, streamId);
                processServerOutput(*sc, out);
            }
        } else if (ServerConn* sc = findServer(ws->server)) {
            if (sc->pausedFor == streamId)
                m_out.push_back(PauseReading{sc->conn, false});
            removeServer(ws->server); // its WebSocketLayer closed it
        }
        // Routes of hooks still out stay until their answers come (and find nobody).
        m_websockets.erase(streamId);
        serveWaiting();
        maybeCloseIdleClient();
        return;
    }
    const bool waiting = layer.isWaiting();
    ServerConn* sc = findServer(ws->server);
    const bool clientCongested = m_clientCodec->pendingOutput(streamId) > kMaxPendingPerStream;
    const bool serverCongested =
        ws->serverIsStream && sc && sc->codec->pendingOutput(streamId) > kMaxPendingPerStream;
    if (ws->owedToClient > 0 && !waiting && !serverCongested && !m_clientClosed) {
        CodecOutput out;
        m_clientCodec->acknowledge(streamId, std::exchange(ws->owedToClient, 0), out);
        processClientOutput(out);
        ws = webSocketOf(streamId);
        if (!ws)
            return;
        sc = findServer(ws->server);
    }
    if (!sc)
        return;
    if (ws->serverIsStream) {
        if (ws->owedToServer > 0 && !waiting && !clientCongested) {
            CodecOutput out;
            sc->codec->acknowledge(streamId, std::exchange(ws->owedToServer, 0), out);
            processServerOutput(*sc, out);
        }
        return;
    }
    // An HTTP/1.1 server: stop reading it while its bytes cannot move on.
    const bool hold = waiting || clientCongested;
    if (hold && !sc->pausedFor) {
        sc->pausedFor = streamId;
        m_out.push_back(PauseReading{sc->conn, true});
    } else if (!hold && sc->pausedFor == streamId) {
        sc->pausedFor = 0;
        m_out.push_back(PauseReading{sc->conn, false});
    }
}

} // namespace spyglass::layers
