#pragma once
// Runs the client_connected hook before a client connection gets its real layers (mitmproxy's
// ConnectionHandler: `ClientConnectedHook`, then "client kill connection" if the hook set
// `client.error`). The engine puts it on top of the root layer only while some addon wants
// client_connected (block_global, on by default), so otherwise it costs nothing.
//
// States:
//   Starting --Start--> Hooking --hook answered, client.error set--> Closed
//                               \--hook answered, no error--------> Passing
// Closed: the client connection is closed, later events are dropped. Passing: the real
// layers run; events that arrived while hooking are replayed to them first.

#include "proxy/layer.h"

#include <deque>
#include <functional>
#include <memory>

namespace spyglass::addons {

class ClientGateLayer : public proxy::Layer
{
public:
    using Factory = std::function<std::unique_ptr<proxy::Layer>(proxy::Context)>;

    ClientGateLayer(proxy::Context context, Factory next);

    proxy::Commands handleEvent(const proxy::Event& event) override;
    QString name() const override { return QStringLiteral("ClientGateLayer"); }

private:
    enum class State : quint8
    {
        Starting,
        Hooking,
        Passing,
        Closed
    };

    proxy::Commands pass();

    Factory m_next;
    std::unique_ptr<proxy::Layer> m_child;
    State m_state = State::Starting;
    proxy::CommandId m_hookId = 0;
    std::deque<proxy::Event> m_queue;
};

} // namespace spyglass::addons
