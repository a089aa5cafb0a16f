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
    if (!m_data || m_flow->tcp != m_data) {
        // First use, or a hook put other data in place (intercept's replace): go on from there.
        m_data =
            m_flow->tcp ? std::make_shared<TcpData>(*m_flow->tcp) : std::make_shared<TcpData>();
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

void TcpLayer::onData(bool fromClient, const QByteArray& bytes, Commands& out)
{
    if (!m_flow) {
        forward(fromClient, bytes, out);
        return;
    }
    TcpData& d = data();
    d.messages.push_back(TcpMessage{fromClient, bytes, m_context.now()});
    if (m_context.services && !m_context.services->wants(HookKind::TcpMessage)) {
        forward(fromClient, bytes, out); // nobody listens: no wait, no copy
        return;
    }
    m_flow->client = *m_context.client;
    if (m_context.server)
        m_flow->server = *m_context.server;
    m_held = Held{fromClient, d.messages.size() - 1, bytes};
    auto hook = std::make_shared<HookData>();
    hook->kind = HookKind::TcpMessage;
    hook->flow = m_flow; // the layer waits: the hook may change the message
    const Command c = makeHook(hook);
    m_waitingFor = std::get<Hook>(c).id;
    out.push_back(c);
}

void TcpLayer::afterMessageHook(Commands& out)
{
    const Held held = std::move(*m_held);
    m_held.reset();
    const TcpData* d = m_flow->tcp.get();
    const TcpMessage* m = d && held.index < d->messages.size() ? &d->messages[held.index] : nullptr;
    const QString side = held.fromClient ? QStringLiteral("client") : QStringLiteral("server");
    if (m && m->dropped) {
        out.push_back(
            Log{LogLevel::Info, QStringLiteral("TCP message from the %1 dropped (%2 bytes)")
                                    .arg(side)
                                    .arg(m->content.size())});
        return;
    }
    if (m && m->content != held.content)
        out.push_back(Log{LogLevel::Debug,
                          QStringLiteral("TCP message from the %1 changed by a hook (%2 -> %3 "
                                         "bytes)")
                              .arg(side)
                              .arg(held.content.size())
                              .arg(m->content.size())});
    forward(held.fromClient, m ? m->content : held.content, out);
}

void TcpLayer::forward(bool fromClient, const QByteArray& bytes, Commands& out)
{
    if (bytes.isEmpty())
        return;
    const ConnectionPtr& server = m_context.server;
    if (!fromClient) {
        if (quint8(m_context.client->state) & quint8(ConnectionState::CanWrite))
            out.push_back(SendData{m_context.client, bytes});
        return;
    }
    if (server->state == ConnectionState::Open || server->state == ConnectionState::CanWrite) {
        out.push_back(SendData{server, bytes});
    } else {
        m_toServer += bytes;
        openServer(out);
    }
}

void TcpLayer::inject(const MessageInjected& e, Commands& out)
{
    if (!m_flow || e.flowId != m_flow->id)
        return;
    const bool fromClient = !e.toClient; // it goes where a message of that peer would
    // After a peer's end, the other side was half-closed: nothing more can go to it.
    if (e.toClient ? (m_serverEof ||
                      !(quint8(m_context.client->state) & quint8(ConnectionState::CanWrite)))
                   : m_clientEof) {
        out.push_back(
            Log{LogLevel::Info, QStringLiteral("TCP injection dropped: the %1 connection is closed")
                                    .arg(e.toClient ? "client" : "server")});
        return;
    }
    TcpMessage m;
    m.fromClient = fromClient;
    m.content = e.content;
    m.timestamp = m_context.now();
    m.injected = true;
    data().messages.push_back(std::move(m));
    out.push_back(Log{LogLevel::Debug, QStringLiteral("injected %1 bytes to the %2")
                                           .arg(e.content.size())
                                           .arg(e.toClient ? "client" : "server")});
    forward(fromClient, e.content, out);
}

void TcpLayer::queue(const Event& event, Commands& out)
{
    if (auto* d = std::get_if<DataReceived>(&event))
        m_queuedBytes += d->data.size();
    m_queued.push_back(event);
    if (m_queuedBytes > MaxQueuedWhileHeld)
        setPaused(true, out);
}

void TcpLayer::drainQueue(Commands& out)
{
    while (!m_waitingFor && !m_closed && !m_queued.empty()) {
        const Event e = std::move(m_queued.front());
        m_queued.pop_front();
        if (auto* d = std::get_if<DataReceived>(&e))
            m_queuedBytes -= d->data.size();
        handleNow(e, out);
    }
    if (m_queued.empty())
        m_queuedBytes = 0;
    if (m_paused && (m_closed || m_queuedBytes <= MaxQueuedWhileHeld / 2))
        setPaused(false, out);
}

void TcpLayer::setPaused(bool paused, Commands& out)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    for (const ConnectionPtr& c : {m_context.client, m_context.server})
        if (c && (quint8(c->state) & quint8(ConnectionState::CanRead)))
            out.push_back(PauseReading{c, paused});
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
    if (m_closed)
        return out;
    if (auto* e = std::get_if<HookCompleted>(&event)) {
        if (!m_waitingFor || e->command != m_waitingFor)
            return out;
        m_waitingFor = 0;
        if (m_held)
            afterMessageHook(out);
        drainQueue(out);
        return out;
    }
    if (m_waitingFor && (std::holds_alternative<DataReceived>(event) ||
                         std::holds_alternative<ConnectionClosed>(event) ||
                         std::holds_alternative<MessageInjected>(event))) {
        queue(event, out); // in order, after the held message
        return out;
    }
    handleNow(event, out);
    return out;
}

void TcpLayer::handleNow(const Event& event, Commands& out)
{
    const ConnectionPtr& client = m_context.client;
    const ConnectionPtr& server = m_context.server;
    if (std::holds_alternative<Start>(event)) {
        if (m_flow) {
            data();
            publish(HookKind::TcpStart, out);
        }
        if (m_context.opts().connectionStrategy == QLatin1String("eager"))
            openServer(out);
    } else if (auto* e = std::get_if<DataReceived>(&event)) {
        if (e->connection == client)
            onData(true, e->data, out);
        else if (e->connection == server)
            onData(false, e->data, out);
    } else if (auto* e = std::get_if<MessageInjected>(&event)) {
        inject(*e, out);
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
            return;
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
            return;
        }
        if (!m_toServer.isEmpty())
            out.push_back(SendData{server, std::exchange(m_toServer, {})});
        if (m_clientEof)
            out.push_back(CloseConnection{server, true});
    }
}

} // namespace spyglass::layers
