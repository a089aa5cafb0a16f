#include "script/worker_return.h"

#include <utility>

namespace spyglass::script {

namespace {

// One per thread that ever ran a scripted hook; closes its WorkerReturn as the thread exits.
struct ThreadSlot
{
    std::shared_ptr<WorkerReturn> handle;
    ~ThreadSlot()
    {
        if (handle)
            handle->close();
    }
};

thread_local ThreadSlot t_slot;

} // namespace

WorkerReturn::WorkerReturn() : m_context(new QObject) {}

WorkerReturn::~WorkerReturn()
{
    close();
}

std::shared_ptr<WorkerReturn> WorkerReturn::current()
{
    if (!t_slot.handle)
        t_slot.handle = std::make_shared<WorkerReturn>();
    return t_slot.handle;
}

bool WorkerReturn::post(std::function<void()> work)
{
    std::lock_guard lock(m_mutex);
    if (!m_context)
        return false;
    QMetaObject::invokeMethod(m_context, std::move(work), Qt::QueuedConnection);
    return true;
}

void WorkerReturn::close()
{
    QObject* context = nullptr;
    {
        std::lock_guard lock(m_mutex);
        context = std::exchange(m_context, nullptr);
    }
    delete context; // on its own thread: the slot's destructor runs there
}

} // namespace spyglass::script
