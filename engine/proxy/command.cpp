#include "proxy/command.h"
#include "proxy/event.h"

#include <atomic>

namespace spyglass::proxy {

namespace {
std::atomic<CommandId> g_nextCommandId{1};

QString conn(const ConnectionPtr& c)
{
    if (!c)
        return QStringLiteral("null");
    return QStringLiteral("%1#%2")
        .arg(c->role == Connection::Role::Client ? "client" : "server")
        .arg(c->id);
}

QString preview(const QByteArray& data)
{
    QByteArray p = data.left(60);
    for (char& ch : p)
        if (ch < 0x20 || ch > 0x7e)
            ch = '.';
    return QStringLiteral("%1 bytes: %2%3")
        .arg(data.size())
        .arg(QString::fromLatin1(p))
        .arg(data.size() > 60 ? "..." : "");
}
} // namespace

CommandId nextCommandId()
{
    return g_nextCommandId.fetch_add(1);
}

Command makeHook(HookPtr hook)
{
    return Hook{nextCommandId(), std::move(hook)};
}

Command makeLog(LogLevel level, const QString& message)
{
    return Log{level, message};
}

const char* hookName(HookKind kind)
{
    switch (kind) {
    case HookKind::ClientConnected:
        return "client_connected";
    case HookKind::ClientDisconnected:
        return "client_disconnected";
    case HookKind::ServerConnect:
        return "server_connect";
    case HookKind::ServerConnected:
        return "server_connected";
    case HookKind::ServerDisconnected:
        return "server_disconnected";
    case HookKind::TlsClientHello:
        return "tls_clienthello";
    case HookKind::TlsFailedClient:
        return "tls_failed_client";
    case HookKind::TlsFailedServer:
        return "tls_failed_server";
    case HookKind::HttpConnect:
        return "http_connect";
    case HookKind::RequestHeaders:
        return "requestheaders";
    case HookKind::Request:
        return "request";
    case HookKind::ResponseHeaders:
        return "responseheaders";
    case HookKind::Response:
        return "response";
    case HookKind::Error:
        return "error";
    case HookKind::WebsocketStart:
        return "websocket_start";
    case HookKind::WebsocketMessage:
        return "websocket_message";
    case HookKind::WebsocketEnd:
        return "websocket_end";
    case HookKind::TcpStart:
        return "tcp_start";
    case HookKind::TcpMessage:
        return "tcp_message";
    case HookKind::TcpEnd:
        return "tcp_end";
    case HookKind::TcpError:
        return "tcp_error";
    }
    return "?";
}

QString describe(const Command& command)
{
    return std::visit(
        [](const auto& c) -> QString {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, SendData>)
                return QStringLiteral("SendData(%1, %2)").arg(conn(c.connection), preview(c.data));
            else if constexpr (std::is_same_v<T, OpenConnection>)
                return QStringLiteral("OpenConnection(%1 to %2)")
                    .arg(conn(c.connection),
                         QString::fromLatin1(c.connection ? c.connection->peer.toString() : ""));
            else if constexpr (std::is_same_v<T, CloseConnection>)
                return QStringLiteral("CloseConnection(%1%2)")
                    .arg(conn(c.connection), c.halfClose ? ", half" : "");
            else if constexpr (std::is_same_v<T, RequestWakeup>)
                return QStringLiteral("RequestWakeup(%1 s)").arg(c.delay);
            else if constexpr (std::is_same_v<T, Hook>)
                return QStringLiteral("Hook(%1)").arg(c.hook ? hookName(c.hook->kind) : "null");
            else if constexpr (std::is_same_v<T, Log>)
                return QStringLiteral("Log(%1, %2)").arg(int(c.level)).arg(c.message);
            else if constexpr (std::is_same_v<T, PauseReading>)
                return QStringLiteral("PauseReading(%1, %2)")
                    .arg(conn(c.connection), c.pause ? "pause" : "resume");
        },
        command);
}

QString describe(const Event& event)
{
    return std::visit(
        [](const auto& e) -> QString {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, Start>)
                return QStringLiteral("Start()");
            else if constexpr (std::is_same_v<T, DataReceived>)
                return QStringLiteral("DataReceived(%1, %2)")
                    .arg(conn(e.connection), preview(e.data));
            else if constexpr (std::is_same_v<T, ConnectionClosed>)
                return QStringLiteral("ConnectionClosed(%1)").arg(conn(e.connection));
            else if constexpr (std::is_same_v<T, OpenConnectionCompleted>)
                return QStringLiteral("OpenConnectionCompleted(%1, %2)")
                    .arg(conn(e.connection), e.error.isEmpty() ? "ok" : e.error);
            else if constexpr (std::is_same_v<T, Wakeup>)
                return QStringLiteral("Wakeup(%1)").arg(e.command);
            else if constexpr (std::is_same_v<T, HookCompleted>)
                return QStringLiteral("HookCompleted(%1)")
                    .arg(e.hook ? hookName(e.hook->kind) : "null");
            else if constexpr (std::is_same_v<T, MessageInjected>)
                return QStringLiteral("MessageInjected(%1, to %2, %3)")
                    .arg(e.flowId.toString(QUuid::WithoutBraces),
                         e.toClient ? QStringLiteral("client") : QStringLiteral("server"),
                         preview(e.content));
        },
        event);
}

CommandId replyTo(const Event& event)
{
    if (auto* e = std::get_if<OpenConnectionCompleted>(&event))
        return e->command;
    if (auto* e = std::get_if<Wakeup>(&event))
        return e->command;
    if (auto* e = std::get_if<HookCompleted>(&event))
        return e->command;
    return 0;
}

} // namespace spyglass::proxy
