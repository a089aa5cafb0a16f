#include "server/replay_queue.h"

#include <deque>
#include <mutex>

namespace spyglass {

struct ReplayQueue::State
{
    mutable std::mutex mutex;
    Runner runner;
    std::function<void()> onIdle;
    std::deque<HttpFlowPtr> waiting;
    int running = 0;
    int concurrency = 1;
    quint64 generation = 0; // bumped by open() and close(): a stale `done` is ignored
    bool open = false;

    // With the lock held.
    void pump(const std::shared_ptr<State>& self)
    {
        while (open && !waiting.empty() && (concurrency < 1 || running < concurrency)) {
            HttpFlowPtr flow = std::move(waiting.front());
            waiting.pop_front();
            ++running;
            const quint64 g = generation;
            std::weak_ptr<State> weak = self;
            const bool started = runner(flow, [weak, g] {
                if (auto s = weak.lock())
                    s->finished(s, g);
            });
            if (!started)
                --running;
        }
    }

    void finished(const std::shared_ptr<State>& self, quint64 g)
    {
        std::function<void()> idle;
        {
            std::lock_guard lock(mutex);
            if (g != generation || !open)
                return;
            --running;
            pump(self);
            if (running == 0 && waiting.empty())
                idle = onIdle;
        }
        if (idle)
            idle();
    }
};

ReplayQueue::ReplayQueue() : m_state(std::make_shared<State>()) {}

ReplayQueue::~ReplayQueue()
{
    close();
}

void ReplayQueue::open(Runner runner, int concurrency, std::function<void()> onIdle)
{
    std::lock_guard lock(m_state->mutex);
    m_state->runner = std::move(runner);
    m_state->onIdle = std::move(onIdle);
    m_state->concurrency = concurrency;
    m_state->waiting.clear();
    m_state->running = 0;
    ++m_state->generation;
    m_state->open = true;
}

void ReplayQueue::close()
{
    std::lock_guard lock(m_state->mutex);
    m_state->open = false;
    ++m_state->generation;
    m_state->waiting.clear();
    m_state->running = 0;
    m_state->runner = nullptr;
    m_state->onIdle = nullptr;
}

bool ReplayQueue::isOpen() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->open;
}

bool ReplayQueue::add(const HttpFlowPtr& flow)
{
    return add(std::vector<HttpFlowPtr>{flow});
}

bool ReplayQueue::add(const std::vector<HttpFlowPtr>& flows)
{
    std::lock_guard lock(m_state->mutex);
    if (!m_state->open)
        return false;
    for (const HttpFlowPtr& flow : flows)
        if (flow)
            m_state->waiting.push_back(flow);
    m_state->pump(m_state);
    return true;
}

void ReplayQueue::setConcurrency(int concurrency)
{
    std::lock_guard lock(m_state->mutex);
    m_state->concurrency = concurrency;
    m_state->pump(m_state);
}

int ReplayQueue::pending() const
{
    std::lock_guard lock(m_state->mutex);
    return int(m_state->waiting.size()) + m_state->running;
}

int ReplayQueue::running() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->running;
}

} // namespace spyglass
