#pragma once
// Flows are values (CONVENTIONS 13): the owning worker's layers fill one in place while the
// exchange runs and publish immutable copies (`FlowSnapshot`) to FlowHub. mitmproxy `flow.py`
// and `http.HTTPFlow`, without edit-in-place from other threads.

#include "flow/connection.h"
#include "flow/http_message.h"
#include "flow/tcp_data.h"
#include "flow/websocket_data.h"

#include <QUuid>
#include <memory>
#include <optional>

namespace spyglass {

struct FlowError
{
    QString message;
    double timestamp = 0;
};

// What a flow records. Every flow is an HttpFlow (one type through FlowStore, FlowHub, session
// files, the filter and the window); a raw TCP connection (neither TLS nor HTTP, or tcp_hosts)
// is one with kind Tcp: its request and response stay empty, `tcp` holds the messages.
enum class FlowKind : quint8
{
    Http,
    Tcp,
};

// A fresh random (version 4) UUID for a new flow, cheap enough to make thousands a second.
QUuid newFlowId();

struct HttpFlow
{
    HttpFlow(); // with id = newFlowId()

    QUuid id; // stable across save/load
    Connection client;
    Connection server;
    Request request;
    std::optional<Response> response;
    std::optional<FlowError> error;
    // Set when the exchange became a WebSocket connection (a 101 answer to an Upgrade:
    // websocket request). Copy-on-write: the WebSocketLayer replaces or extends it, never
    // changes what a published snapshot sees (websocket_data.h).
    std::shared_ptr<const WebSocketData> websocket;
    FlowKind kind = FlowKind::Http;
    // Set for kind Tcp (tcp_data.h), copy-on-write like `websocket`: the TcpLayer replaces it
    // with an extended copy when a published snapshot shares it.
    std::shared_ptr<const TcpData> tcp;

    bool live = true; // still owned by a connection handler
    bool intercepted = false;
    bool isReplay = false;       // made by client replay
    bool isServerReplay = false; // answered by server replay (addons/server_replay.h)
    QString marked;              // empty = not marked; else a character or ":emoji:" code
    QString comment;

    // Derived display helpers.
    double timestampCreated() const
    {
        return kind == FlowKind::Tcp ? client.timestampStart : request.timestampStart;
    }
};

using HttpFlowPtr = std::shared_ptr<HttpFlow>;
using FlowSnapshot = std::shared_ptr<const HttpFlow>;

} // namespace spyglass
