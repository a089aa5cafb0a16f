#pragma once
// Which connection runs each live WebSocket and TCP flow, so that the engine facade can reach
// the flow's layer from any thread (mitmproxy finds the connection handler of a flow's client
// for its inject.websocket / inject.tcp commands). ConnectionHandler adds a flow when a hook
// first carries it (websocket_start or _message, tcp_start or _message) and removes it when
// its end hook runs or the handler goes; ProxyEngine::injectMessage posts through it.
//
// A flow no hook carried yet (nobody listens to its hooks) is not listed: whoever wants to
// inject into a flow learnt its id from a hook or from a published snapshot, and both come
// from hooks. The last ended ids are kept (a bounded number) to tell "ended" from "unknown".
//
// Threads: every method is thread-safe. `post` runs the poster under the registry's lock; a
// poster only queues the event for its handler's thread (it never calls back in here).

#include "proxy/event.h"

#include <QHash>
#include <QSet>
#include <QUuid>
#include <deque>
#include <functional>
#include <mutex>

namespace spyglass {

class LiveFlows
{
public:
    using Poster = std::function<void(proxy::Event)>;
    static constexpr qsizetype MaxEnded = 4096;

    enum class Result : quint8
    {
        Posted,
        Unknown,
        Ended,
    };

    void add(const QUuid& id, Poster poster);
    void remove(const QUuid& id);
    // Posts `event` to the connection that runs flow `id`.
    Result post(const QUuid& id, proxy::Event event);
    bool contains(const QUuid& id) const;

private:
    mutable std::mutex m_mutex;
    QHash<QUuid, Poster> m_live;
    QSet<QUuid> m_ended;
    std::deque<QUuid> m_endedOrder;
};

} // namespace spyglass
