#pragma once
// Flows are values (CONVENTIONS 13): the owning worker's layers fill one in place while the
// exchange runs and publish immutable copies (`FlowSnapshot`) to FlowHub. mitmproxy `flow.py`
// and `http.HTTPFlow`, without edit-in-place from other threads.

#include "flow/connection.h"
#include "flow/http_message.h"
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

struct HttpFlow
{
    HttpFlow();

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

    bool live = true; // still owned by a connection handler
    bool intercepted = false;
    bool isReplay = false; // made by client replay
    QString marked;        // empty = not marked; else a character or ":emoji:" code
    QString comment;

    // Derived display helpers.
    double timestampCreated() const { return request.timestampStart; }
};

using HttpFlowPtr = std::shared_ptr<HttpFlow>;
using FlowSnapshot = std::shared_ptr<const HttpFlow>;

} // namespace spyglass
