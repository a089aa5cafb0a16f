#pragma once
// The client replay queue (mitmproxy ClientPlayback's queue with client_replay_concurrency):
// flows wait here in order and at most `concurrency` replays run at once (-1: no limit).
// It knows nothing of sockets: a Runner starts one replay (on a worker, ReplayHandler) and
// calls `done` when it has ended, from any thread.
//
// Threads: every method is thread-safe. The runner is called with the queue's lock held, so
// it must only post work (never wait for it, never call back into the queue synchronously).
// After close() the runner is never called again; a `done` of a replay started before is
// ignored.

#include "flow/flow.h"

#include <functional>
#include <memory>
#include <vector>

namespace spyglass {

class ReplayQueue
{
public:
    // Starts `flow`; calls `done` once it ended. False when it cannot start (then `done` is
    // never called).
    using Runner = std::function<bool(const HttpFlowPtr& flow, std::function<void()> done)>;

    ReplayQueue();
    ~ReplayQueue();
    ReplayQueue(const ReplayQueue&) = delete;
    ReplayQueue& operator=(const ReplayQueue&) = delete;

    // Accepts flows from now on, starting them with `runner`. `onIdle` is called (from the
    // thread of the last `done`) each time the last replay has ended and none waits.
    void open(Runner runner, int concurrency, std::function<void()> onIdle);
    // Drops the waiting flows and forgets the running ones.
    void close();
    bool isOpen() const;

    // False when closed. The flow waits for its turn.
    bool add(const HttpFlowPtr& flow);
    // Several at once, in order: `onIdle` cannot run between two of them.
    bool add(const std::vector<HttpFlowPtr>& flows);
    // -1 (or any value below 1): no limit.
    void setConcurrency(int concurrency);
    // Waiting plus running.
    int pending() const;
    int running() const;

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace spyglass
