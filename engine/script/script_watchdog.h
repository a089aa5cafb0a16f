#pragma once
// Interrupts a script hook that runs too long (a loop, a slow computation): one thread per
// script that sleeps until the running call's deadline and then calls
// QJSEngine::setInterrupted(true), which makes the engine throw out of the script at its next
// check. The script thread arms it before each call and disarms it after; arming only wakes
// the watchdog when it had nothing to wait for, so a busy script costs a mutex per call.

#include <QtGlobal>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

class QJSEngine;

namespace spyglass::script {

class ScriptWatchdog
{
public:
    ScriptWatchdog();
    ~ScriptWatchdog();

    void arm(QJSEngine* engine, int timeoutMs);
    // True when the call armed last was interrupted.
    bool disarm();

private:
    void loop();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    QJSEngine* m_engine = nullptr; // armed when not null
    std::chrono::steady_clock::time_point m_deadline;
    bool m_fired = false;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace spyglass::script
