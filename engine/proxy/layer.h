#pragma once
// A Layer is a pure state machine: events in, commands out (CONVENTIONS 1-3). No sockets,
// timers, threads or clocks: time arrives through Context::now() and Wakeup.
//
// Layers stack. A parent passes events its child should see to `child.handleEvent()` and may
// rewrite the commands that come back (the TLS layer encrypts SendData for its connection).
// A layer that waits for a reply queues later events and replays them afterwards.

#include "proxy/context.h"
#include "proxy/event.h"

#include <QString>

namespace spyglass::proxy {

class Layer
{
public:
    explicit Layer(Context context);
    virtual ~Layer();
    Layer(const Layer&) = delete;
    Layer& operator=(const Layer&) = delete;

    virtual Commands handleEvent(const Event& event) = 0;
    virtual QString name() const = 0;

    const Context& context() const { return m_context; }

protected:
    Context m_context;
};

// Appends `more` to `out`.
inline void append(Commands& out, Commands&& more)
{
    if (out.empty()) { // the usual case: take the vector, not its elements one by one
        out = std::move(more);
        return;
    }
    for (auto& c : more)
        out.push_back(std::move(c));
}

// Joins consecutive SendData to the same connection, so that a head and a body written one
// after the other leave in one system call (or one TLS record).
void mergeSendData(Commands& commands);

} // namespace spyglass::proxy
