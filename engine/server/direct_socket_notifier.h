#pragma once
// A QSocketNotifier that the workers' EpollEventDispatcher calls straight, without Qt's event
// and signal machinery.
//
// Why: a proxied request or WebSocket message wakes four socket notifiers, and each went
// QCoreApplication::sendEvent -> QSocketNotifier::event -> activated() -> QMetaObject::activate
// -> the slot. perf put that chain at ~2 µs per echoed WebSocket message, about 7% of the
// proxy's CPU for it (docs/benchmarks.md, "The floor of any relay"). The dispatcher recognises
// this class when the notifier is enabled and calls the handler itself; under any other
// dispatcher (Qt's, the main thread's) it is an ordinary notifier, so the owner also connects
// activated() to the same function.

#include <QSocketNotifier>

namespace spyglass {

class DirectSocketNotifier : public QSocketNotifier
{
public:
    using Handler = void (*)(void* context);

    DirectSocketNotifier(qintptr fd, Type type, QObject* parent, Handler handler, void* context)
        : QSocketNotifier(fd, type, parent), m_handler(handler), m_context(context)
    {
    }

    void callHandler() const { m_handler(m_context); }

private:
    Handler m_handler;
    void* m_context;
};

} // namespace spyglass
