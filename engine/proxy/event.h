#pragma once
// Events are facts the I/O shell reports to the layers (mitmproxy `proxy/events.py`).
// Reply events carry the id of the one command they answer.

#include "proxy/command.h"

#include <QUuid>

namespace spyglass::proxy {

struct Start
{
};

struct DataReceived
{
    ConnectionPtr connection;
    QByteArray data;
};

// The peer closed its sending side (EOF) or the connection failed; `connection->state` says
// which sides are still usable and `connection->error` why, if it was not a clean close.
struct ConnectionClosed
{
    ConnectionPtr connection;
};

struct OpenConnectionCompleted
{
    CommandId command = 0;
    ConnectionPtr connection;
    QString error; // empty on success
};

struct Wakeup
{
    CommandId command = 0;
};

struct HookCompleted
{
    CommandId command = 0;
    HookPtr hook;
};

// A message the proxy itself sends into a live WebSocket or TCP flow (mitmproxy's
// WebSocketMessageInjected / TcpMessageInjected, its inject.websocket and inject.tcp commands).
// Not a reply: the engine facade posts it to the connection that runs `flowId`. A layer that
// hosts others passes it on; the WebSocketLayer or TcpLayer whose flow it names sends it and
// records it as an injected message; any other layer ignores it.
struct MessageInjected
{
    QUuid flowId;
    bool toClient = false;
    QByteArray content;
    bool isText = false; // WebSocket: a text message, else binary. TCP: unused
};

using Event = std::variant<Start, DataReceived, ConnectionClosed, OpenConnectionCompleted, Wakeup,
                           HookCompleted, MessageInjected>;

QString describe(const Event& event);

// The command id a reply event answers, or 0 for events that are not replies.
CommandId replyTo(const Event& event);

} // namespace spyglass::proxy
