#pragma once
// Hooks are how flows leave the protocol code (DESIGN.md): a layer emits a Hook command and,
// when it must wait for the answer (an intercepted request), simply waits for HookCompleted.
// Names follow mitmproxy's event hooks.

#include "flow/flow.h"

#include <QList>
#include <functional>
#include <memory>
#include <vector>

namespace spyglass::proxy {

enum class HookKind : quint8
{
    ClientConnected,
    ClientDisconnected,
    ServerConnect,
    ServerConnected,
    ServerDisconnected,
    TlsClientHello,
    TlsFailedClient,
    TlsFailedServer,
    HttpConnect,
    RequestHeaders,
    Request,
    ResponseHeaders,
    Response,
    Error,
    // After a 101 answer to a WebSocket upgrade (engine/layers/websocket/websocket_layer.h).
    // websocket_message: the newest message is flow->websocket->messages.back(); a hook may
    // replace flow->websocket with a copy whose last message has another content or is
    // `dropped`, and the layer forwards that instead.
    WebsocketStart,
    WebsocketMessage,
    WebsocketEnd,
    // A raw TCP flow (engine/layers/tcp/tcp_layer.h): tcp_message's newest message is
    // flow->tcp->messages.back(), and the layer waits for it as for websocket_message: a hook
    // may replace flow->tcp with a copy whose last message has another content or is
    // `dropped`, and the layer forwards that instead. The other tcp hooks carry a snapshot
    // and are not waited for.
    TcpStart,
    TcpMessage,
    TcpEnd,
    TcpError,
};

const char* hookName(HookKind kind);

// What the TLS layer learned from a ClientHello; a hook may set `ignoreConnection` to pass
// the connection through untouched (ignore_hosts / allow_hosts do this).
struct ClientHelloData
{
    QByteArray sni;
    QList<QByteArray> alpnProtocols;
    bool ignoreConnection = false;
    // Establish the server connection (and its TLS) before answering the client, so the
    // client gets the server's ALPN choice and certificate names. mitmproxy's default.
    bool establishServerTlsFirst = true;
    // Where the server connection goes (empty: none, a TLS connection to the proxy itself),
    // and whether it is open already (then its TLS is always established first).
    Address server;
    bool serverConnected = false;
};

struct HookData
{
    HookKind kind;
    HttpFlowPtr flow;                             // HTTP hooks
    ConnectionPtr connection;                     // connection hooks
    std::shared_ptr<ClientHelloData> clientHello; // TlsClientHello
    // Work for the flow's own worker thread, run in order when a hook answered later (from
    // another thread: intercept's resume, kill, replace) comes back, before the layer goes
    // on. Whoever answers late changes the flow only here: the worker may touch it meanwhile
    // (a client that disconnects while its flow is held).
    std::vector<std::function<void()>> onWorker;
    // server_connect / server_connected / server_disconnected: the client whose layers opened
    // `connection` (mitmproxy's ServerConnectionHookData.client). Last, with an initialiser,
    // so that the existing aggregate initialisations stay complete.
    ConnectionPtr client{};
};

using HookPtr = std::shared_ptr<HookData>;

} // namespace spyglass::proxy
