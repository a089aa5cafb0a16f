#include "script/script_api.h"

#include "script/script_native.h"

#include <QJSEngine>

namespace spyglass::script {

extern const char* const g_preludeSource; // generated from prelude.js

using proxy::HookKind;

const std::vector<ScriptHook>& ScriptApi::hooks()
{
    static const std::vector<ScriptHook> table{
        {"load", std::nullopt},
        {"configure", std::nullopt},
        {"running", std::nullopt},
        {"done", std::nullopt},
        {"client_connected", HookKind::ClientConnected},
        {"client_disconnected", HookKind::ClientDisconnected},
        {"server_connect", HookKind::ServerConnect},
        {"server_connected", HookKind::ServerConnected},
        {"server_disconnected", HookKind::ServerDisconnected},
        {"tls_clienthello", HookKind::TlsClientHello},
        {"http_connect", HookKind::HttpConnect},
        {"requestheaders", HookKind::RequestHeaders},
        {"request", HookKind::Request},
        {"responseheaders", HookKind::ResponseHeaders},
        {"response", HookKind::Response},
        {"error", HookKind::Error},
        {"websocket_start", HookKind::WebsocketStart},
        {"websocket_message", HookKind::WebsocketMessage},
        {"websocket_end", HookKind::WebsocketEnd},
        {"tcp_start", HookKind::TcpStart},
        {"tcp_message", HookKind::TcpMessage},
        {"tcp_end", HookKind::TcpEnd},
        {"tcp_error", HookKind::TcpError},
    };
    return table;
}

const char* ScriptApi::hookName(proxy::HookKind kind)
{
    for (const ScriptHook& h : hooks())
        if (h.kind == kind)
            return h.name;
    return nullptr;
}

const char* ScriptApi::preludeSource()
{
    return g_preludeSource;
}

QJSValue ScriptApi::installPrelude(QJSEngine& engine, const QJSValue& native)
{
    QJSValue factory = engine.evaluate(QString::fromUtf8(g_preludeSource),
                                       QStringLiteral("spyglass:prelude.js"), 1);
    if (factory.isError())
        return factory;
    return factory.call({native, engine.globalObject()});
}

QStringList ScriptApi::exposedApi()
{
    QJSEngine engine;
    ScriptNative native(QString(), nullptr);
    const QJSValue entry = installPrelude(engine, engine.newQObject(&native));
    QStringList out;
    if (entry.isError())
        return out;
    const QJSValue list = entry.property(QStringLiteral("api")).callWithInstance(entry);
    const int n = list.property(QStringLiteral("length")).toInt();
    for (int i = 0; i < n; ++i)
        out.append(list.property(quint32(i)).toString());
    return out;
}

} // namespace spyglass::script
