#pragma once
// How a ConnectionHandler hands a Hook command to the outside world (addons, the window's
// intercept). The counterpart of mitmproxy's `ConnectionHandler.handle_hook`: the layer
// that emitted the hook simply waits for HookCompleted; nothing else on the connection stalls.
//
// Threads: `run` is called on the worker thread that owns the connection. It either finishes
// the hook there and returns true (the handler feeds HookCompleted at once), or returns false
// and later calls `complete` exactly once, from any thread. `complete` marshals back to the
// owning worker by itself; if the connection is gone by then, it does nothing.

#include "proxy/hook.h"

#include <functional>

namespace spyglass {

class HookRunner
{
public:
    virtual ~HookRunner();
    virtual bool run(const proxy::HookPtr& hook, std::function<void()> complete) = 0;
};

} // namespace spyglass
