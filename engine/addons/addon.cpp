#include "addons/addon.h"

namespace spyglass::addons {

Addon::~Addon() = default;

bool Addon::run(const proxy::HookPtr& hook, const std::function<void()>& complete)
{
    Q_UNUSED(complete);
    using proxy::HookKind;
    if (hook->kind == HookKind::ClientConnected) {
        if (hook->connection)
            clientConnected(*hook->connection);
        return true;
    }
    if (hook->kind == HookKind::ClientDisconnected) {
        if (hook->connection)
            clientDisconnected(*hook->connection);
        return true;
    }
    if (hook->kind == HookKind::ServerConnect || hook->kind == HookKind::ServerConnected ||
        hook->kind == HookKind::ServerDisconnected) {
        if (!hook->connection)
            return true;
        static const Connection noClient;
        const Connection& client = hook->client ? *hook->client : noClient;
        Connection& server = *hook->connection;
        if (hook->kind == HookKind::ServerConnect)
            serverConnect(client, server);
        else if (hook->kind == HookKind::ServerConnected)
            serverConnected(client, server);
        else
            serverDisconnected(client, server);
        return true;
    }
    if (!hook->flow)
        return true;
    HttpFlow& flow = *hook->flow;
    switch (hook->kind) {
    case HookKind::HttpConnect:
        httpConnect(flow);
        break;
    case HookKind::RequestHeaders:
        requestHeaders(flow);
        break;
    case HookKind::Request:
        request(flow);
        break;
    case HookKind::ResponseHeaders:
        responseHeaders(flow);
        break;
    case HookKind::Response:
        response(flow);
        break;
    case HookKind::Error:
        error(flow);
        break;
    default:
        break;
    }
    return true;
}

void Addon::clientConnected(Connection&) {}
void Addon::clientDisconnected(Connection&) {}
void Addon::serverConnect(const Connection&, Connection&) {}
void Addon::serverConnected(const Connection&, Connection&) {}
void Addon::serverDisconnected(const Connection&, Connection&) {}
void Addon::httpConnect(HttpFlow&) {}
void Addon::requestHeaders(HttpFlow&) {}
void Addon::request(HttpFlow&) {}
void Addon::responseHeaders(HttpFlow&) {}
void Addon::response(HttpFlow&) {}
void Addon::error(HttpFlow&) {}

void Addon::log(proxy::LogLevel level, const QString& message) const
{
    if (m_log)
        m_log(level, message);
}

} // namespace spyglass::addons
