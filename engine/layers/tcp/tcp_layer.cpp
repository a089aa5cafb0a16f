#include "layers/tcp/tcp_layer.h"

#include "options/options.h"

namespace spyglass::layers {

using namespace proxy;

TcpLayer::TcpLayer(Context context) : Layer(std::move(context)) {}

void TcpLayer::openServer(Commands& out)
{
    if (m_openId || m_context.server->connected())
        return;
    const Command open = makeOpenConnection(m_context.server);
    m_openId = std::get<OpenConnection>(open).id;
    out.push_back(open);
}

void TcpLayer::maybeFinish(Commands& out)
{
    if (m_closed || !m_clientEof || !(m_serverEof || !m_context.server->connected()))
        return;
    m_closed = true;
    out.push_back(CloseConnection{m_context.client, false});
    if (m_context.server->connected())
        out.push_back(CloseConnection{m_context.server, false});
}

Commands TcpLayer::handleEvent(const Event& event)
{
    Commands out;
    const ConnectionPtr& client = m_context.client;
    const ConnectionPtr& server = m_context.server;
    if (m_closed)
        return out;
    if (std::holds_alternative<Start>(event)) {
        if (m_context.opts().connectionStrategy == QLatin1String("eager"))
            openServer(out);
    } else if (auto* e = std::get_if<DataReceived>(&event)) {
        if (e->connection == client) {
            if (server->state == ConnectionState::Open ||
                server->state == ConnectionState::CanWrite) {
                out.push_back(SendData{server, e->data});
            } else {
                m_toServer += e->data;
                openServer(out);
            }
        } else if (e->connection == server) {
            out.push_back(SendData{client, e->data});
        }
    } else if (auto* e = std::get_if<ConnectionClosed>(&event)) {
        if (e->connection == client) {
            m_clientEof = true;
            if (server->connected())
                out.push_back(CloseConnection{server, true});
            else if (!m_openId)
                maybeFinish(out);
        } else if (e->connection == server) {
            m_serverEof = true;
            out.push_back(CloseConnection{client, true});
        }
        if (m_clientEof && m_serverEof)
            maybeFinish(out);
    } else if (auto* e = std::get_if<OpenConnectionCompleted>(&event)) {
        if (e->command != m_openId)
            return out;
        m_openId = 0;
        if (!e->error.isEmpty()) {
            out.push_back(Log{LogLevel::Info, e->error});
            m_closed = true;
            out.push_back(CloseConnection{client, false});
            return out;
        }
        if (!m_toServer.isEmpty())
            out.push_back(SendData{server, std::exchange(m_toServer, {})});
        if (m_clientEof)
            out.push_back(CloseConnection{server, true});
    }
    return out;
}

} // namespace spyglass::layers
