#include "quit_signals.h"

#include <QSocketNotifier>

#ifdef Q_OS_WIN
#include <atomic>
#include <windows.h>
#else
#include <csignal>
#include <unistd.h>
#endif

namespace spyglass {

namespace {

#ifdef Q_OS_WIN
// Read on the handler's thread: an atomic pointer, not a QPointer (which is not thread-safe).
std::atomic<QuitSignals*> g_instance{nullptr};

BOOL WINAPI onConsoleControl(DWORD type)
{
    QuitSignals* q = g_instance.load();
    if (!q)
        return FALSE; // the default handler: the process ends
    switch (type) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
        QMetaObject::invokeMethod(q, &QuitSignals::quitRequested, Qt::QueuedConnection);
        return TRUE;
    case CTRL_CLOSE_EVENT:
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT:
        // Windows ends the process as soon as this handler returns (and anyway after a few
        // seconds), so it must not return: the main thread writes the session and the HAR,
        // and its exit ends this thread too.
        QMetaObject::invokeMethod(q, &QuitSignals::quitRequested, Qt::QueuedConnection);
        Sleep(INFINITE);
        return TRUE;
    default:
        return FALSE;
    }
}
#else
int g_pipe[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_pipe[1], &c, 1);
}
#endif

} // namespace

QuitSignals::QuitSignals(QObject* parent) : QObject(parent)
{
#ifdef Q_OS_WIN
    g_instance = this;
    SetConsoleCtrlHandler(onConsoleControl, TRUE);
#else
    std::signal(SIGPIPE, SIG_IGN);
    if (g_pipe[0] < 0 && ::pipe(g_pipe) != 0)
        return; // no pipe, no graceful stop: the default action (terminate) stays
    m_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char c;
        [[maybe_unused]] const auto n = ::read(g_pipe[0], &c, 1);
        Q_EMIT quitRequested();
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
#endif
}

QuitSignals::~QuitSignals()
{
#ifdef Q_OS_WIN
    g_instance.store(nullptr);
    SetConsoleCtrlHandler(onConsoleControl, FALSE);
#else
    if (m_notifier) {
        // Back to the default action: a signal after the event loop is gone ends the process.
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
    }
#endif
}

} // namespace spyglass
