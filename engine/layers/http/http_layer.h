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

#include "layers/http/http_codec.h"
#include "proxy/layer.h"

#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace spyglass::layers {

class HttpStream;

class HttpLayer : public proxy::Layer
{
public:
    enum class Mode : quint8
    {
        Regular,
        Transparent
    };

    HttpLayer(proxy::Context context, Mode mode);
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
    void releaseServer(const ConnectionPtr& server, bool reusable);
    void abortServer(const ConnectionPtr& server);
    // Half a response went out and the rest cannot follow: closing tells the client.
    void abortClient() { closeClient(); }
    void hook(HttpStream& stream, const proxy::HookPtr& hook);
    void log(proxy::LogLevel level, const QString& message);
    // After a successful CONNECT or a 101: everything from now on belongs to a new layer
    // stack, or to a WebSocketLayer recording into `websocketFlow` when that is given.
    // `server` by value: it outlives the pool entry.
    void startTunnel(ConnectionPtr server, HttpFlowPtr websocketFlow = nullptr);
    void streamFinished(HttpStream& stream);
    double now() const { return m_context.now(); }

private:
    struct ServerConn
    {
        ConnectionPtr conn;
        std::unique_ptr<http::HttpCodec> codec;
        int streamId = 0; // the stream using it, 0 = idle
        bool open = false;
    };

    void onClientData(const QByteArray& data);
    void onClientClosed();
    void onServerData(ServerConn& sc, const QByteArray& data);
    void onServerClosed(ServerConn& sc);
    void processClientOutput(http::CodecOutput& out);
    void processServerOutput(ServerConn& sc, http::CodecOutput& out);
    void deliverToStream(const http::HttpEvent& event);
    void onOpenCompleted(const proxy::OpenConnectionCompleted& e, int streamId);
    ServerConn* findServer(const ConnectionPtr& conn);
    void removeServer(const ConnectionPtr& conn);
    void closeClient();
    void maybeCloseIdleClient();
    void forwardToTunnel(const proxy::Event& event);
    std::unique_ptr<http::HttpCodec> makeUpstreamCodec() const;

    const Mode m_mode;
    proxy::Commands m_out;
    std::unique_ptr<http::HttpCodec> m_clientCodec;
    std::map<int, std::unique_ptr<HttpStream>> m_streams;
    std::vector<std::unique_ptr<ServerConn>> m_servers;
    std::unordered_map<proxy::CommandId, int> m_routes; // reply id -> stream id
    std::unique_ptr<proxy::Layer> m_tunnel;
    bool m_clientEof = false;
    bool m_clientClosed = false;
};

} // namespace spyglass::layers
