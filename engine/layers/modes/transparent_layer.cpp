#include "layers/modes/transparent_layer.h"

#include "layers/next_layer.h"
#include "options/options.h"

namespace spyglass::layers {

using namespace proxy;

TransparentLayer::TransparentLayer(Context context) : Layer(std::move(context)) {}

TransparentLayer::~TransparentLayer() = default;

QString TransparentLayer::destinationProblem(const Context& context)
{
    const Connection* server = context.server.get();
    if (!server || !server->peer.isValid()) {
        if (server && !server->error.isEmpty())
            return QStringLiteral("transparent mode: %1").arg(server->error);
        return QStringLiteral("transparent mode: no original destination for this connection; "
                              "only connections redirected by the firewall can be served, see "
                              "docs/transparent.md");
    }
    if (context.client && server->peer == context.client->sockname)
        return QStringLiteral("transparent mode: the original destination %1 is the proxy "
                              "itself (a direct connection to the transparent port, not a "
                              "redirected one); refusing it rather than connecting to ourselves")
            .arg(QString::fromLatin1(server->peer.toString()));
    return {};
}

Commands TransparentLayer::refuse(LogLevel level, const QString& reason)
{
    m_state = State::Done;
    m_pending.clear();
    m_context.client->error = reason;
    return {Log{level, reason}, CloseConnection{m_context.client, false}};
}

Commands TransparentLayer::start()
{
    if (const QString problem = destinationProblem(m_context); !problem.isEmpty())
        return refuse(LogLevel::Error, problem);
    if (m_context.opts().connectionStrategy == QLatin1String("eager") &&
        !m_context.server->connected()) {
        m_state = State::Connecting;
        m_openId = nextCommandId();
        return {OpenConnection{m_openId, m_context.server}};
    }
    return handOver();
}

Commands TransparentLayer::handOver()
{
    m_state = State::Running;
    m_child = std::make_unique<NextLayer>(m_context);
    Commands out = m_child->handleEvent(Start{});
    std::vector<Event> pending;
    pending.swap(m_pending);
    for (const Event& e : pending)
        append(out, m_child->handleEvent(e));
    return out;
}

Commands TransparentLayer::connecting(const Event& event)
{
    const auto* done = std::get_if<OpenConnectionCompleted>(&event);
    if (!done || done->command != m_openId) {
        m_pending.push_back(event);
        return {};
    }
    if (!done->error.isEmpty()) {
        const QString reason =
            QStringLiteral("transparent mode: cannot connect to the original "
                           "destination %1: %2")
                .arg(QString::fromLatin1(m_context.server->peer.toString()), done->error);
        return refuse(LogLevel::Warn, reason);
    }
    return handOver();
}

Commands TransparentLayer::handleEvent(const Event& event)
{
    switch (m_state) {
    case State::Start:
        if (std::holds_alternative<Start>(event))
            return start();
        // Nothing may come before Start; keep it for the chosen layer all the same.
        m_pending.push_back(event);
        return {};
    case State::Connecting:
        return connecting(event);
    case State::Running:
        return m_child->handleEvent(event);
    case State::Done:
        break;
    }
    return {};
}

} // namespace spyglass::layers
