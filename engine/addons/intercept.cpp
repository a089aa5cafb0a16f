#include "addons/intercept.h"

#include "addons/flow_spec.h"
#include "options/options.h"
#include "proxy/context.h"

namespace spyglass::addons {

using proxy::HookKind;

QString Intercept::configure(const Options& options)
{
    auto next = std::make_shared<Config>();
    if (!options.intercept.trimmed().isEmpty()) {
        QString error;
        auto filter = FlowSpec::parseFilter(options.intercept, &error);
        if (!filter)
            return error;
        next->filter = std::move(*filter);
        next->active = options.interceptActive;
    }
    m_config.store(std::move(next));
    return {};
}

quint64 Intercept::wantedHooks() const
{
    if (!m_config.load()->active)
        return 0;
    return proxy::Services::bit(HookKind::Request) | proxy::Services::bit(HookKind::Response) |
           proxy::Services::bit(HookKind::WebsocketMessage) |
           proxy::Services::bit(HookKind::TcpMessage);
}

bool Intercept::run(const proxy::HookPtr& hook, const std::function<void()>& complete)
{
    if (!hook->flow ||
        (hook->kind != HookKind::Request && hook->kind != HookKind::Response &&
         hook->kind != HookKind::WebsocketMessage && hook->kind != HookKind::TcpMessage))
        return true;
    const auto config = m_config.load();
    if (!config->active || !config->filter.matches(*hook->flow))
        return true;
    HttpFlow& flow = *hook->flow;
    flow.intercepted = true;
    {
        std::lock_guard lock(m_mutex);
        m_held.insert(flow.id, Held{hook, complete});
    }
    if (flow.kind == FlowKind::Tcp)
        log(proxy::LogLevel::Info, QStringLiteral("intercepted TCP %1 (%2)")
                                       .arg(QString::fromLatin1(flow.server.peer.toString()),
                                            QString::fromLatin1(proxy::hookName(hook->kind))));
    else
        log(proxy::LogLevel::Info, QStringLiteral("intercepted %1 %2 (%3)")
                                       .arg(QString::fromLatin1(flow.request.method),
                                            QString::fromUtf8(flow.request.url()),
                                            QString::fromLatin1(proxy::hookName(hook->kind))));
    if (m_onHold)
        m_onHold(flow);
    return false;
}

bool Intercept::hold(const proxy::HookPtr& hook, std::function<void()> complete,
                     const HttpFlow& shown)
{
    if (!hook->flow || (hook->kind != HookKind::Request && hook->kind != HookKind::Response &&
                        hook->kind != HookKind::WebsocketMessage))
        return false;
    HttpFlow published = shown;
    published.intercepted = true;
    {
        // Published under the lock: a resume from another thread cannot release the flow
        // (and its worker publish a later state) before this snapshot is out.
        std::lock_guard lock(m_mutex);
        if (m_held.contains(shown.id))
            return false;
        m_held.insert(shown.id, Held{hook, std::move(complete)});
        if (m_onHold)
            m_onHold(published);
    }
    log(proxy::LogLevel::Info,
        QStringLiteral("intercepted %1 %2 (%3, by a script)")
            .arg(QString::fromLatin1(shown.request.method), QString::fromUtf8(shown.request.url()),
                 QString::fromLatin1(proxy::hookName(hook->kind))));
    return true;
}

bool Intercept::isHeld(const QUuid& id) const
{
    std::lock_guard lock(m_mutex);
    return m_held.contains(id);
}

bool Intercept::take(const QUuid& id, Held* out)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_held.find(id);
    if (it == m_held.end())
        return false;
    *out = std::move(*it);
    m_held.erase(it);
    return true;
}

void Intercept::release(Held& held, std::function<void(HttpFlow&)> change)
{
    held.hook->onWorker.push_back([hook = held.hook, change = std::move(change)] {
        hook->flow->intercepted = false;
        if (change)
            change(*hook->flow);
    });
    held.complete();
}

QList<QUuid> Intercept::held() const
{
    std::lock_guard lock(m_mutex);
    return m_held.keys();
}

bool Intercept::resume(const QUuid& id)
{
    Held held;
    if (!take(id, &held))
        return false;
    release(held, {});
    return true;
}

int Intercept::resumeAll()
{
    QList<Held> all;
    {
        std::lock_guard lock(m_mutex);
        all = m_held.values();
        m_held.clear();
    }
    for (Held& h : all)
        release(h, {});
    return int(all.size());
}

bool Intercept::kill(const QUuid& id)
{
    Held held;
    if (!take(id, &held))
        return false;
    const HookKind kind = held.hook->kind;
    release(held, [kind](HttpFlow& flow) {
        if (kind == HookKind::WebsocketMessage) {
            if (flow.websocket && !flow.websocket->messages.empty()) {
                auto copy = std::make_shared<WebSocketData>(*flow.websocket);
                copy->messages.lastForWriting().dropped = true;
                flow.websocket = std::move(copy);
            }
            return;
        }
        if (kind == HookKind::TcpMessage) {
            if (flow.tcp && !flow.tcp->messages.empty()) {
                auto copy = std::make_shared<TcpData>(*flow.tcp);
                copy->messages.lastForWriting().dropped = true;
                flow.tcp = std::move(copy);
            }
            return;
        }
        flow.error = FlowError{QStringLiteral("Connection killed."), 0};
    });
    return true;
}

bool Intercept::replace(const QUuid& id, const HttpFlow& edited)
{
    Held held;
    if (!take(id, &held))
        return false;
    const HookKind kind = held.hook->kind;
    release(held, [kind, edited](HttpFlow& flow) {
        switch (kind) {
        case HookKind::Request:
            flow.request = edited.request;
            break;
        case HookKind::Response:
            if (edited.response)
                flow.response = edited.response;
            break;
        case HookKind::WebsocketMessage:
            if (flow.websocket && !flow.websocket->messages.empty() && edited.websocket &&
                !edited.websocket->messages.empty()) {
                auto copy = std::make_shared<WebSocketData>(*flow.websocket);
                WebSocketMessage& last = copy->messages.lastForWriting();
                last.content = edited.websocket->messages.back().content;
                last.isText = edited.websocket->messages.back().isText;
                flow.websocket = std::move(copy);
            }
            break;
        case HookKind::TcpMessage:
            if (flow.tcp && !flow.tcp->messages.empty() && edited.tcp &&
                !edited.tcp->messages.empty()) {
                auto copy = std::make_shared<TcpData>(*flow.tcp);
                copy->messages.lastForWriting().content = edited.tcp->messages.back().content;
                flow.tcp = std::move(copy);
            }
            break;
        default:
            break;
        }
        flow.comment = edited.comment;
        flow.marked = edited.marked;
    });
    return true;
}

} // namespace spyglass::addons
