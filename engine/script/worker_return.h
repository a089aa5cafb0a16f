#pragma once
// The way back to the thread a hook arrived on. A script answers its hooks on its own thread,
// but what it changed, and the addons after it in the chain (another script, the `intercept`
// option), belong on the flow's worker: addons read and change the flow there, and one
// script's change must be made before the next script copies the flow, or the second would
// overwrite the first (addons/addon.h, HookData::onWorker). ScriptAddon::run takes the
// current thread's WorkerReturn on the worker and posts the rest of the hook back through it.
//
// Threads: current() on the thread itself; post() from any thread. Once that thread has
// ended, post() drops the work and returns false: its connections, and the layer waiting for
// the hook, are gone with it.

#include <QObject>
#include <functional>
#include <memory>
#include <mutex>

namespace spyglass::script {

class WorkerReturn
{
public:
    WorkerReturn();
    ~WorkerReturn();
    WorkerReturn(const WorkerReturn&) = delete;
    WorkerReturn& operator=(const WorkerReturn&) = delete;

    // The calling thread's (made on first use, closed when the thread ends).
    static std::shared_ptr<WorkerReturn> current();
    // Runs `work` on that thread's event loop, after what is queued there already.
    bool post(std::function<void()> work);
    // Drops the thread's context: later posts do nothing (its thread-exit hook calls it).
    void close();

private:
    std::mutex m_mutex;
    QObject* m_context = nullptr; // lives on the thread; deleted there by close()
};

} // namespace spyglass::script
