#pragma once
// "Please stop" from outside the process, delivered as a Qt signal on the main thread: SIGINT
// and SIGTERM on POSIX systems (through a self-pipe, the only async-signal-safe way to reach
// the event loop), Ctrl+C, Ctrl+Break, console close, logoff and shutdown on Windows (the
// console control handler runs on a thread of its own and posts a queued call; for the last
// three it then waits, since Windows ends the process when it returns). spyglass-dump then
// finishes writing its session and HAR and exits 0 (DESIGN.md, command line contract).
//
// One instance per process; constructing it installs the handlers (and, on POSIX, ignores
// SIGPIPE: a peer that vanishes is an error value on a socket, never a killed proxy).

#include <QObject>

class QSocketNotifier;

namespace spyglass {

class QuitSignals : public QObject
{
    Q_OBJECT
public:
    explicit QuitSignals(QObject* parent = nullptr);
    ~QuitSignals() override;

Q_SIGNALS:
    // Once per signal received; the receiver decides whether a second one means "now".
    void quitRequested();

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace spyglass
