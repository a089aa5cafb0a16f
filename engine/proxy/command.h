#pragma once
// Commands are orders a layer gives to the I/O shell (mitmproxy `proxy/commands.py`).
// A command that expects an answer carries an `id`; exactly one reply event names that id:
//   OpenConnection -> OpenConnectionCompleted, RequestWakeup -> Wakeup, Hook -> HookCompleted.
// Log is a command so that tests can assert it.

#include "flow/connection.h"
#include "proxy/hook.h"

#include <QString>
#include <variant>
#include <vector>

namespace spyglass::proxy {

using CommandId = quint64;
// A fresh process-unique id for a command that expects a reply.
CommandId nextCommandId();

struct SendData
{
    ConnectionPtr connection;
    QByteArray data;
};

struct OpenConnection
{
    CommandId id = 0;
    ConnectionPtr connection; // a server connection with `peer` (and `via`) filled in
};

struct CloseConnection
{
    ConnectionPtr connection;
    // true: shut down our sending side only (TCP FIN), keep reading.
    bool halfClose = false;
};

struct RequestWakeup
{
    CommandId id = 0;
    double delay = 0; // seconds
};

struct Hook
{
    CommandId id = 0;
    HookPtr hook;
};

enum class LogLevel : quint8
{
    Debug,
    Info,
    Warn,
    Error
};

struct Log
{
    LogLevel level = LogLevel::Info;
    QString message;
};

// Sent by a layer that wants its connection handler to hand the client connection's
// remaining bytes to nobody: the handler stops reading from `connection` until
// ResumeReading. Used for back-pressure decided inside protocol code (HTTP/2 windows).
struct PauseReading
{
    ConnectionPtr connection;
    bool pause = true;
};

using Command =
    std::variant<SendData, OpenConnection, CloseConnection, RequestWakeup, Hook, Log, PauseReading>;
using Commands = std::vector<Command>;

// For test output and debug logs: "SendData(client#3, 17 bytes: GET / HTTP/1.1...)".
QString describe(const Command& command);

inline Command makeOpenConnection(const ConnectionPtr& c)
{
    return OpenConnection{nextCommandId(), c};
}
inline Command makeWakeup(double delay)
{
    return RequestWakeup{nextCommandId(), delay};
}
Command makeHook(HookPtr hook);
Command makeLog(LogLevel level, const QString& message);

} // namespace spyglass::proxy
