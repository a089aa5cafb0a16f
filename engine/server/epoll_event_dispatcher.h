#pragma once
// The event loop of a worker thread on Linux: epoll instead of Qt's poll-based dispatcher.
//
// Why: a worker watches every socket of its connections. Qt's dispatchers (GLib's or the
// plain UNIX one) rebuild a pollfd array and hand all of it to the kernel on every loop turn,
// and walk all of it again afterwards, so each turn costs O(sockets) even when one socket is
// ready. With 64 busy keep-alive sockets per worker that was a tenth of the proxy's CPU
// (docs/benchmarks.md). epoll keeps the interest set in the kernel: a turn costs O(ready).
// nghttpx (libev) and mitmproxy (asyncio) sit on epoll for the same reason.
//
// What it keeps of Qt's contract
// - Socket notifiers: level-triggered; a hang-up or error activates every notifier of the
//   descriptor, as QEventDispatcherUNIX does. A descriptor with no enabled notifier is not in
//   the epoll set (so a hang-up on a paused socket does not spin).
// - Timers: every timer type is treated as precise (millisecond resolution); a repeating timer
//   that fell behind skips the missed shots instead of firing in a burst; a timer is never
//   re-entered from its own timeout.
// - Posted events are delivered at the start of each turn; wakeUp() (from any thread) uses an
//   eventfd, written at most once until the loop has seen it.
// Only the worker threads use it; the main thread keeps Qt's dispatcher (the window's, GLib's).
// SPYGLASS_QT_DISPATCHER=1 in the environment switches the workers back to Qt's, to compare.
//
// io_uring (the default when built with liburing and the kernel allows it; SPYGLASS_IO_URING=0
// switches it off; any failure to set it up falls back to epoll_wait silently): the
// dispatcher owns an IoUringLoop and blocks in it (one io_uring_enter that also submits the
// turn's sends and recvs) instead of in epoll_wait. The epoll descriptor is watched by a
// one-shot poll SQE, re-armed each turn, so notifiers and timers keep their behaviour; the
// wake-up eventfd leaves epoll and is read by a read SQE on the ring (a wake-up completes
// inside the enter the loop waits in). SocketStreams find the loop through ioUring(). Ring
// completions run even under ExcludeSocketNotifiers (nothing in the workers asks for that flag).

#ifdef __linux__

#include <QAbstractEventDispatcher>
#include <QAtomicInt>

#include <memory>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

struct epoll_event;

namespace spyglass {

class DirectSocketNotifier;
class IoUringLoop;

// No Q_OBJECT: it adds no signals, and moc would not see through the platform guard.
class EpollEventDispatcher : public QAbstractEventDispatcher
{
public:
    // Null when epoll or eventfd cannot be had (then the caller keeps Qt's dispatcher).
    static EpollEventDispatcher* create();
    // Whether workers should use it (Linux, and not switched off by the environment).
    static bool wanted();
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier* notifier) override;
    void unregisterSocketNotifier(QSocketNotifier* notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject* object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject* object) override;
    QList<TimerInfo> registeredTimers(QObject* object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;
    void startingUp() override;

    // The thread's io_uring loop, or null (not asked for, not available, or not yet made: it
    // is made by the loop's thread when it starts).
    IoUringLoop* ioUring() const { return m_ring.get(); }

private:
    EpollEventDispatcher(int epollFd, int eventFd);

    struct Watch
    {
        QSocketNotifier* read = nullptr;
        QSocketNotifier* write = nullptr;
        QSocketNotifier* exception = nullptr;
        // The same notifiers when they are DirectSocketNotifiers (called without an event).
        DirectSocketNotifier* readDirect = nullptr;
        DirectSocketNotifier* writeDirect = nullptr;
        quint32 events = 0; // what the epoll set holds for the descriptor (0: not in it)
    };
    struct Timer
    {
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject* object = nullptr;
        qint64 deadlineNs = 0;
        bool firing = false;
    };

    void updateWatch(int fd, Watch& watch);
    bool dispatchSockets(int count);
    void activate(int fd, QSocketNotifier* Watch::*slot, DirectSocketNotifier* Watch::*direct);
    bool fireTimers();
    int waitMs() const;
    qint64 waitNs() const;
    void ensureRing();
    int waitInRing(bool mayWait, epoll_event* events, int max);
    void drainWakeUp();
    static qint64 nowNs();

    int m_epollFd;
    int m_eventFd;
    QAtomicInt m_wakeUpPending{0};
    QAtomicInt m_interrupted{0};
    // Indexed by descriptor (they are small and dense): no hashing on every event.
    std::vector<Watch> m_watches;
    std::unordered_map<int, Timer> m_timers;
    std::set<std::pair<qint64, int>> m_deadlines; // (deadline, timer id), soonest first

    struct EpollPoll;
    struct WakeUpRead;
    bool m_ringWanted = false;
    std::unique_ptr<IoUringLoop> m_ring;
    std::unique_ptr<EpollPoll> m_epollPoll;   // the poll SQE that watches m_epollFd in m_ring
    std::unique_ptr<WakeUpRead> m_wakeUpRead; // the read SQE on m_eventFd in m_ring
};

} // namespace spyglass

#endif // __linux__
