#include "script/script_watchdog.h"

#include <QJSEngine>

namespace spyglass::script {

ScriptWatchdog::ScriptWatchdog() : m_thread([this] { loop(); }) {}

ScriptWatchdog::~ScriptWatchdog()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void ScriptWatchdog::arm(QJSEngine* engine, int timeoutMs)
{
    bool wake = false;
    {
        std::lock_guard lock(m_mutex);
        wake = m_engine == nullptr;
        m_engine = engine;
        m_fired = false;
        m_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    }
    // A watchdog waiting on an older deadline wakes then and waits again for this one.
    if (wake)
        m_wake.notify_one();
}

bool ScriptWatchdog::disarm()
{
    std::lock_guard lock(m_mutex);
    m_engine = nullptr;
    return m_fired;
}

void ScriptWatchdog::loop()
{
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        if (!m_engine) {
            m_wake.wait(lock);
            continue;
        }
        if (std::chrono::steady_clock::now() >= m_deadline) {
            m_engine->setInterrupted(true);
            m_fired = true;
            m_engine = nullptr;
            continue;
        }
        m_wake.wait_until(lock, m_deadline);
    }
}

} // namespace spyglass::script
