#pragma once
// The HTTP layer of one client connection (mitmproxy `layers/http/__init__.py` HttpLayer).
// It owns the client-side codec, one HttpStream per exchange, a pool of upstream connections
// with their codecs, and -- after a CONNECT -- the tunnel's child layer, to which it then
// hands everything.
//
//   client bytes --codec--> HttpEvents --> HttpStream --> HttpEvents --codec--> server bytes
//
// Modes: Regular serves a proxy port (absolute-form and CONNECT, origin-form with a Host
// header as a fallback); Transparent serves the inside of a tunnel, where every request goes
// to the tunnel's server (context().server).
//
// Versions: the client side speaks HTTP/2 when the client negotiated "h2" by ALPN or opened
// with the HTTP/2 preface (h2c, told by NextLayer); each upstream connection speaks what its
// ALPN says once it is open. Streams are routed by id, so an HTTP/2 connection on either
// side carries many streams while an HTTP/1 one carries one at a time; streams that find no
// free connection to the tunnel's server wait in line for one. Behind an HTTP/2 client, a
// tunnel whose server is busy with an HTTP/1 exchange gets extra connections to the same
// server (with TLS run by a ServerTlsLayer this layer hosts for each), up to a limit, so a
// slow stream does not hold up its siblings.
//
// WebSocket over HTTP/2 (RFC 8441): an HTTP/2 client's extended CONNECT runs as an HttpStream
// (http_stream.h says how it is recorded and translated); once answered, the stream hosts a
// WebSocketLayer of its own (http_layer_websocket.cpp), while its siblings carry on. That
// layer sees two connections as usual: one that stands for the client's stream (its DATA in,
// ResponseData out, END_STREAM as EOF, a reset as a lost connection) and the upstream one --
// the HTTP/1.1 connection after its 101, or again a stand-in for the upstream HTTP/2 stream.
// The same serves the reverse: an HTTP/1.1 client whose upgrade went to an HTTP/2 server as
// extended CONNECT; its connection is then the client side.
// Flow control: the client's (or an HTTP/2 server's) DATA are acknowledged only while the
// WebSocketLayer is not waiting for a hook and the other side has taken what it was given
// (at most kMaxPendingPerStream waiting); an HTTP/1.1 server is not read meanwhile.

#include "layers/http/http_codec.h"
#include "proxy/layer.h"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace spyglass::layers {

class HttpStream;
class UpstreamInbox;

class HttpLayer : public proxy::Layer
{
public:
    enum class Mode : quint8
    {
        Regular,
        Transparent
    };

    enum class ClientProtocol : quint8
    {
        FromAlpn, // "h2" negotiated by TLS -> HTTP/2, else HTTP/1
        Http2     // the client opened with the HTTP/2 preface (prior knowledge)
    };

    HttpLayer(proxy::Context context, Mode mode,
              ClientProtocol protocol = ClientProtocol::FromAlpn);
    // With a client codec of the caller's (client replay: a ReplayClientCodec, whose virtual
    // client sends its request at Start); the client side counts as HTTP/1.
    HttpLayer(proxy::Context context, Mode mode, std::unique_ptr<http::HttpCodec> clientCodec);
    ~HttpLayer() override;

    proxy::Commands handleEvent(const proxy::Event& event) override;
    QString name() const override { return QStringLiteral("HttpLayer"); }
    Mode mode() const { return m_mode; }

    // --- for HttpStream ---------------------------------------------------------------
    void sendToClient(const http::HttpEvent& event);
    void sendToServer(const ConnectionPtr& server, const http::HttpEvent& event);
    // Finds an idle upstream connection to `address` (regular mode) or the tunnel's server
    // (transparent mode), or opens one; calls stream.onServerConnection now or later.
    void requestServer(HttpStream& stream, const Address& address);
    // The stream is done with `server`: keep it for reuse unless it must close.
    void releaseServer(const ConnectionPtr& server, int streamId, bool reusable);
    // The stream gives up on its exchange with `server`: HTTP/2 resets the stream, HTTP/1
    // closes the connection.
    void abortServer(const ConnectionPtr& server, int streamId);
    // Half a response went out and the rest cannot follow: HTTP/2 resets the stream, HTTP/1
    // closes the connection; either way the client learns it is incomplete.
    void abortClient(int streamId);
    bool clientIsHttp2() const { return m_clientHttp2; }
    void hook(HttpStream& stream, const proxy::HookPtr& hook);
    void log(proxy::LogLevel level, const QString& message);
    // After a successful CONNECT or a 101: everything from now on belongs to a new layer
    // stack, or to a WebSocketLayer recording into `websocketFlow` when that is given.
    // `server` by value: it outlives the pool entry.
    void startTunnel(ConnectionPtr server, HttpFlowPtr websocketFlow = nullptr);
    // What either side of a stream's WebSocket said before the hand-over.
    struct TunnelStart
    {
        QByteArray fromClient;
        bool clientEnded = false;
        QByteArray fromServer; // an HTTP/2 server's (HTTP/1.1: still in its codec)
        bool serverEnded = false;
    };
    // An HTTP/2 client's extended CONNECT on `streamId` was answered 101 by `server` (whose
    // stream has the same id when it speaks HTTP/2): from now on a WebSocketLayer relays the
    // stream and records into `flow`.
    void startStreamWebSocket(int streamId, ConnectionPtr server, HttpFlowPtr flow,
                              TunnelStart start);
    // What an upstream connection's codec says (false while it is not open).
    bool serverIsHttp2(const ConnectionPtr& server);
    bool serverSupportsExtendedConnect(const ConnectionPtr& server);
    // For a WebSocket that an HTTP/2 server cannot take (no RFC 8441): the stream leaves
    // `server` and gets a connection of its own to the same server that speaks HTTP/1.1
    // (ALPN http/1.1 only); stream.onServerConnection follows.
    void requestHttp1Server(HttpStream& stream, const ConnectionPtr& server);
    // Whether what `server` supports is known (an HTTP/2 server's SETTINGS have arrived);
    // if not, awaitServerSettings calls stream.onServerConnection again once they have.
    bool serverSettingsKnown(const ConnectionPtr& server);
    void awaitServerSettings(HttpStream& stream, const ConnectionPtr& server);
    void streamFinished(HttpStream& stream);
    double now() const { return m_context.now(); }

private:
    struct ServerConn
    {
        ConnectionPtr conn;
        std::unique_ptr<http::HttpCodec> codec; // made once open, when ALPN is known
        std::vector<int> streams;               // streams using it (HTTP/1: at most one)
        bool open = false;
        bool extra = false;      // an additional connection to the tunnel's server
        double lastActivity = 0; // last bytes either way, for http2_ping_keepalive
        int pausedFor = 0;       // reading paused until the client takes this stream's bytes
        // For an extra TLS connection: the TLS layer this layer hosts for it, and the layer
        // below that collects what TLS hands down (decrypted data, open/close).
        std::unique_ptr<proxy::Layer> tls;
        UpstreamInbox* inbox = nullptr;
        int websocketStream = 0; // an HTTP/1.1 connection after 101: that stream's WebSocket
        bool http1Only = false;  // opened for a WebSocket the HTTP/2 server cannot take
        std::vector<int> settingsWaiters; // streams waiting for its SETTINGS (RFC 8441)
    };

    // A WebSocket inside one HTTP/2 client stream (RFC 8441), see the top.
    struct StreamWebSocket
    {
        int streamId = 0;
        ConnectionPtr clientEnd; // stands for the client's stream in `layer`, or is the
                                 // client's connection (an HTTP/1.1 client after its 101)
        bool clientIsStream = true;
        ConnectionPtr server;    // the upstream connection
        ConnectionPtr serverEnd; // `server` itself (HTTP/1.1) or a stand-in for its stream
        bool serverIsStream = false;
        std::unique_ptr<proxy::Layer> layer; // a WebSocketLayer
        qint64 owedToClient = 0;             // client DATA not acknowledged yet
        qint64 owedToServer = 0;             // the HTTP/2 server's DATA not acknowledged yet
        bool clientEndSent = false;
        bool serverEndSent = false;
    };

    void onClientData(const QByteArray& data);
    void onClientClosed();
    void onServerData(ServerConn& sc, const QByteArray& data);
    void onServerClosed(ServerConn& sc);
    void processClientOutput(http::CodecOutput& out);
    void processServerOutput(ServerConn& sc, http::CodecOutput& out);
    void deliverToStream(const http::HttpEvent& event);
    void onOpenCompleted(const proxy::OpenConnectionCompleted& e, int streamId);
    void attach(ServerConn& sc, HttpStream& stream);
    bool openExtraConnection(HttpStream& stream);
    // Upstream mode: makes `sc` a connection to the HTTP(S) parent proxy.
    void toParentProxy(ServerConn& sc);
    // Sends a command for `sc` up: through its hosted TLS layer when it has one.
    void emitForServer(ServerConn& sc, proxy::Command command);
    void feedHostedTls(ServerConn& sc, const proxy::Event& event);
    void drainInbox(const ConnectionPtr& conn);
    void onReply(const proxy::Event& event, proxy::CommandId id);
    // http2_ping_keepalive (mitmproxy: upstream HTTP/2 connections only): a wakeup every so
    // often while such a connection exists; idle ones get a PING.
    void armKeepalive();
    void onKeepalive();
    void detach(ServerConn& sc, int streamId);
    // Hands freed connections to streams waiting in line for the tunnel's server.
    void serveWaiting();
    // Flow control across the proxy: body bytes received on one side are acknowledged to
    // their sender once the other side has taken them (HTTP/2 windows; no-ops for HTTP/1).
    void settleRequestData(int streamId, qint64 bytes);
    void settleResponseData(const ConnectionPtr& server, int streamId, qint64 bytes);
    void onServerDrained(const std::vector<int>& streams);
    void onClientDrained(const std::vector<int>& streams);
    ServerConn* serverOfStream(int streamId);
    ServerConn* findServer(const ConnectionPtr& conn);
    void removeServer(const ConnectionPtr& conn);
    void closeClient();
    void maybeCloseIdleClient();
    void forwardToTunnel(const proxy::Event& event);
    std::unique_ptr<http::HttpCodec> makeUpstreamCodec(const Connection& server) const;

    // --- WebSocket streams (http_layer_websocket.cpp) ---
    // An event of the client codec or of `server`'s codec for a WebSocket stream: handled
    // (true) or not one of those (false).
    bool clientEventToWebSocket(const http::HttpEvent& event);
    bool serverEventToWebSocket(const ConnectionPtr& server, const http::HttpEvent& event);
    void runWebSocket(int streamId, const proxy::Event& event);
    void runWebSocketCommand(StreamWebSocket& ws, proxy::Command& command);
    // Acknowledges owed DATA, pauses or resumes an HTTP/1.1 server, ends a finished one.
    void settleWebSocket(int streamId);
    // Injection (proxy::MessageInjected): to the stream's WebSocketLayer whose flow it names.
    void injectIntoWebSocket(const proxy::MessageInjected& injected);
    StreamWebSocket* webSocketOf(int streamId);

    // Body bytes one side may have waiting for the other side's window before the proxy
    // stops acknowledging what it receives (and so stops the sender).
    static constexpr qint64 kMaxPendingPerStream = 256 * 1024;

    const Mode m_mode;
    proxy::Commands m_out;
    std::unique_ptr<http::HttpCodec> m_clientCodec;
    std::map<int, std::unique_ptr<HttpStream>> m_streams;
    std::vector<std::unique_ptr<ServerConn>> m_servers;
    // Reply id -> stream id of the commands in flight: a handful at a time, so a flat vector
    // (an unordered_map allocated a node for every hook, two per exchange).
    class RouteMap
    {
    public:
        using Entry = std::pair<proxy::CommandId, int>;
        using iterator = std::vector<Entry>::iterator;
        iterator find(proxy::CommandId id)
        {
            return std::find_if(m_entries.begin(), m_entries.end(),
                                [id](const Entry& e) { return e.first == id; });
        }
        iterator end() { return m_entries.end(); }
        bool contains(proxy::CommandId id) { return find(id) != end(); }
        int& operator[](proxy::CommandId id)
        {
            if (auto it = find(id); it != end())
                return it->second;
            return m_entries.emplace_back(id, 0).second;
        }
        void erase(iterator it)
        {
            *it = m_entries.back(); // order does not matter
            m_entries.pop_back();
        }
        void eraseStream(int streamId)
        {
            std::erase_if(m_entries, [streamId](const Entry& e) { return e.second == streamId; });
        }

    private:
        std::vector<Entry> m_entries;
    };
    RouteMap m_routes;
    std::deque<int> m_waiting; // streams waiting for a connection
    std::unordered_map<proxy::CommandId, ConnectionPtr> m_tlsRoutes; // hosted TLS's own ids
    std::unordered_map<int, qint64> m_owedToClient; // request bytes not yet acknowledged
    std::unordered_map<int, qint64> m_owedToServer; // response bytes not yet acknowledged
    bool m_clientHttp2 = false;
    proxy::CommandId m_keepaliveId = 0;
    int m_highestStreamId = 0;
    int m_clientPausedFor = 0; // an HTTP/1 client's reading paused until this stream drains
    std::map<int, std::unique_ptr<StreamWebSocket>> m_websockets;
    std::unordered_map<proxy::CommandId, int> m_websocketRoutes; // hook id -> stream id
    int m_clientWebSocket = 0; // an HTTP/1.1 client's connection belongs to this stream's
    std::unique_ptr<proxy::Layer> m_tunnel;
    bool m_clientEof = false;
    bool m_clientClosed = false;
};

} // namespace spyglass::layers
