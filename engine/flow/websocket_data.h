#pragma once
// The WebSocket part of an HttpFlow (mitmproxy `websocket.WebSocketData` / `WebSocketMessage`):
// every message that went through after a 101 handshake, decompressed, and how the
// connection closed. The WebSocketLayer (engine/layers/websocket/) fills it in; session files,
// HAR export (`_webSocketMessages`) and the window read it.
//
// Copy-on-write, cheaply: the messages are a ChunkedList (chunked_list.h explains why and how),
// so publishing a snapshot at every message costs n/256 pointer copies, not n messages.
//
// Threads: a WebSocketData is used by one thread at a time, like any value (chunked_list.h).

#include "flow/chunked_list.h"

#include <QByteArray>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace spyglass {

struct WebSocketMessage
{
    bool fromClient = false;
    bool isText = false;   // opcode 1 (text) or 2 (binary)
    QByteArray content;    // decompressed (permessage-deflate undone)
    double timestamp = 0;  // seconds since the epoch, when the message was complete
    bool injected = false; // made by the proxy or a script, not by a peer
    bool dropped = false;  // not forwarded (a script dropped it)

    bool operator==(const WebSocketMessage&) const = default;
};

using WebSocketMessages = ChunkedList<WebSocketMessage>;
extern template class ChunkedList<WebSocketMessage>; // chunked_list.cpp

struct WebSocketData
{
    WebSocketMessages messages;
    // The code of the first Close frame (either side), 1005 for a Close without a code,
    // 1006 when a connection ended without any Close frame; unset while open.
    std::optional<int> closeCode;
    QString closeReason;
    bool closedByClient = false;
    double timestampEnd = 0; // when the closing began (first Close frame or connection loss)

    bool operator==(const WebSocketData&) const = default;
};

using WebSocketDataPtr = std::shared_ptr<const WebSocketData>;

} // namespace spyglass
