#include "layers/tcp/tcp_layer.h"

#include "options/options.h"

namespace spyglass::layers {

using namespace proxy;

TcpLayer::TcpLayer(Context context, Mode mode) : Layer(std::move(context))
{
    if (mode == Mode::Record) {
        m_flow = std::make_shared<HttpFlow>();
        m_flow->kind = FlowKind::Tcp;
    }
}

TcpData& TcpLayer::data()
{
    if (!m_data) {
        m_data = std::make_shared<TcpData>();
        m_flow->tcp = m_data;
    } else if (m_data.use_count() > 2) {
        // A published snapshot shares it (m_data and flow->tcp are the other two): extend a
        // copy, the snapshot keeps what it saw.
        m_data = std::make_shared<TcpData>(*m_data);
        m_flow->tcp = m_data;
    }
    return *m_data;
}

void TcpLayer::publish(HookKind kind, Commands& out)
{
    if (m_context.services && !m_context.services->wants(kind))
        return; // nobody listens: no snapshot to make
    m_flow->client = *m_context.client;
    if (m_context.server)
        m_flow->server = *m_context.server;
    auto hook = std::make_shared<HookData>();
    hook->kind = kind;
    hook->flow = std::make_shared<HttpFlow>(*m_flow); // a snapshot: the layer goes on
    out.push_back(makeHook(hook));
}

void TcpLayer::record(bool fromClient, const QByteArray& bytes, Commands& out)
{
    if (!m_flow)
        return;
    data().messages.push_back(TcpMessage{fromClient, bytes, m_context.now()});
    publish(HookKind::TcpMessage, out);
}

void TcpLayer::noteEnd(bool byClient)
{
    if (m_flow && !m_clientEof && !m_serverEof)
        data().closedByClient = byClient;
}

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
    if (m_flow) {
        data().timestampEnd = m_context.now();
        m_flow->live = false;
        publish(HookKind::TcpEnd, out);
    }
}

Commands TcpLayer::handleEvent(const Event& event)
{
    Commands out;
    const ConnectionPtr& client = m_context.client;
    const ConnectionPtr& server = m_context.server;
    if (m_closed)
        return out;
    if (std::holds_alternative<Start>(event)) {
        if (m_flow) {
            data();
            publish(HookKind::TcpStart, out);
        }
        if (m_context.opts().connectionStrategy == QLatin1String("eager"))
            openServer(out);
    } else if (auto* e = std::get_if<DataReceived>(&event)) {
        if (e->connection == client) {
            record(true, e->data, out);
            if (server->state == ConnectionState::Open ||
                server->state == ConnectionState::CanWrite) {
                out.push_back(SendData{server, e->data});
            } else {
                m_toServer += e->data;
                openServer(out);
            }
        } else if (e->connection == server) {
            record(false, e->data, out);
            out.push_back(SendData{client, e->data});
        }
    } else if (auto* e = std::get_if<ConnectionClosed>(&event)) {
        if (e->connection == client) {
            noteEnd(true);
            m_clientEof = true;
            if (server->connected())
                out.push_back(CloseConnection{server, true});
            else if (!m_openId)
                maybeFinish(out);
        } else if (e->connection == server) {
            noteEnd(false);
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
            if (m_flow) {
                m_flow->error = FlowError{e->error, m_context.now()};
                data().timestampEnd = m_context.now();
                m_flow->live = false;
                publish(HookKind::TcpError, out);
            }
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
