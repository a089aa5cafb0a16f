#include "addons/client_gate_layer.h"

namespace spyglass::addons {

using namespace proxy;

ClientGateLayer::ClientGateLayer(Context context, Factory next)
    : Layer(std::move(context)), m_next(std::move(next))
{
}

Commands ClientGateLayer::pass()
{
    m_state = State::Passing;
    m_child = m_next(m_context);
    Commands out = m_child->handleEvent(Start{});
    while (!m_queue.empty() && m_child) {
        Event e = std::move(m_queue.front());
        m_queue.pop_front();
        append(out, m_child->handleEvent(e));
    }
    return out;
}

Commands ClientGateLayer::handleEvent(const Event& event)
{
    switch (m_state) {
    case State::Passing:
        return m_child->handleEvent(event);
    case State::Closed:
        return {};
    case State::Starting: {
        if (!std::holds_alternative<Start>(event)) {
            m_queue.push_back(event);
            return {};
        }
        auto hook = std::make_shared<HookData>();
        hook->kind = HookKind::ClientConnected;
        hook->connection = m_context.client;
        Command c = makeHook(hook);
        m_hookId = std::get<Hook>(c).id;
        m_state = State::Hooking;
        return {c};
    }
    case State::Hooking: {
        if (replyTo(event) != m_hookId || !std::holds_alternative<HookCompleted>(event)) {
            m_queue.push_back(event);
            return {};
        }
        if (m_context.client->error.isEmpty())
            return pass();
        m_state = State::Closed;
        m_queue.clear();
        return {
            makeLog(LogLevel::Info, QStringLiteral("client %1: %2")
                                        .arg(QString::fromLatin1(m_context.client->peer.toString()),
                                             m_context.client->error)),
            CloseConnection{m_context.client, false}};
    }
    }
    return {};
}

} // namespace spyglass::addons
