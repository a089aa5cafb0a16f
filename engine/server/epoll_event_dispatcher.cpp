#include "server/epoll_event_dispatcher.h"

#include "server/direct_socket_notifier.h"
#include "server/io_uring_loop.h"

#ifdef __linux__

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>
#include <QVarLengthArray>

#include <cerrno>
#include <cstdint>
#include <ctime>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace spyglass {

namespace {
constexpr int kMaxEventsPerTurn = 256;
constexpr qint64 kNsPerMs = 1000 * 1000;
// The eventfd is registered under a descriptor number no socket can have.
constexpr std::uint64_t kWakeUpTag = ~std::uint64_t(0);

constexpr quint32 kReadEvents = EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP;
constexpr quint32 kWriteEvents = EPOLLOUT | EPOLLHUP | EPOLLERR;
constexpr quint32 kExceptionEvents = EPOLLPRI | EPOLLHUP | EPOLLERR;
} // namespace

struct EpollEventDispatcher::EpollPoll final : IoUringLoop::Request
{
    bool armed = false;
    bool ready = false;
    void completed(int) override
    {
        armed = false;
        ready = true; // readable, or an error: either way epoll_wait says what there is
    }
};

// The eventfd wake-up read through the ring: one read SQE kept armed on the eventfd, so a
// wake-up from another thread completes inside the io_uring_enter the loop waits in (no
// epoll_wait, no read system call).
struct EpollEventDispatcher::WakeUpRead final : IoUringLoop::Request
{
    std::uint64_t value = 0; // the kernel writes the eventfd's counter here
    bool armed = false;
    bool ready = false;
    void completed(int) override
    {
        armed = false;
        ready = true; // the counter was read, or an error: either way deliver what is posted
    }
};

bool EpollEventDispatcher::wanted()
{
    return qEnvironmentVariableIntValue("SPYGLASS_QT_DISPATCHER") == 0;
}

EpollEventDispatcher* EpollEventDispatcher::create()
{
    const int epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    if (epollFd < 0)
        return nullptr;
    const int eventFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (eventFd < 0) {
        ::close(epollFd);
        return nullptr;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeUpTag;
    if (::epoll_ctl(epollFd, EPOLL_CTL_ADD, eventFd, &ev) != 0) {
        ::close(eventFd);
        ::close(epollFd);
        return nullptr;
    }
    auto* dispatcher = new EpollEventDispatcher(epollFd, eventFd);
    // The ring is made by the loop's own thread (ensureRing): it is single-issuer, and the
    // workers' dispatchers are created by the main thread.
    dispatcher->m_ringWanted = IoUringLoop::wanted();
    return dispatcher;
}

EpollEventDispatcher::EpollEventDispatcher(int epollFd, int eventFd)
    : m_epollFd(epollFd), m_eventFd(eventFd)
{
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    m_ring.reset(); // first: its poll SQE watches m_epollFd, its read SQE m_eventFd
    ::close(m_eventFd);
    ::close(m_epollFd);
}

qint64 EpollEventDispatcher::nowNs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 * kNsPerMs + ts.tv_nsec;
}

// ---- the loop ------------------------------------------------------------------------------

void EpollEventDispatcher::ensureRing()
{
    m_ringWanted = false;
    m_ring = IoUringLoop::create(); // null: epoll_wait as usual
    if (!m_ring)
        return;
    m_epollPoll = std::make_unique<EpollPoll>();
    // The wake-up moves from epoll to a read SQE on the ring. A wake-up written before this
    // point is not lost: the eventfd's counter stays set and the first read completes at once.
    if (::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, m_eventFd, nullptr) == 0)
        m_wakeUpRead = std::make_unique<WakeUpRead>();
}

void EpollEventDispatcher::startingUp()
{
    if (m_ringWanted)
        ensureRing();
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    if (m_ringWanted)
        ensureRing();
    m_interrupted.storeRelaxed(0);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();

    const bool mayWait =
        flags.testFlag(QEventLoop::WaitForMoreEvents) && m_interrupted.loadRelaxed() == 0;
    if (mayWait)
        Q_EMIT aboutToBlock();

    epoll_event events[kMaxEventsPerTurn];
    bool handled = false;
    int count = -1;
    if (m_ring) {
        count = waitInRing(mayWait, events, kMaxEventsPerTurn);
        if (count < 0) { // ring completions ran (sockets on the io_uring path)
            handled = true;
            count = -count - 1;
        }
    } else {
        do {
            count = ::epoll_wait(m_epollFd, events, kMaxEventsPerTurn, mayWait ? waitMs() : 0);
        } while (count < 0 && errno == EINTR);
    }
    if (count < 0)
        count = 0;

    int sockets = 0;
    for (int i = 0; i < count; ++i) {
        if (events[i].data.u64 == kWakeUpTag) {
            drainWakeUp();
            handled = true;
        } else {
            events[sockets++] = events[i];
        }
    }
    if (sockets > 0 && !flags.testFlag(QEventLoop::ExcludeSocketNotifiers)) {
        // Dispatch from a copy: a notifier's slot may run a nested loop (it should not).
        for (int i = 0; i < sockets; ++i) {
            const int fd = int(events[i].data.u64);
            const quint32 got = events[i].events;
            if (got & kReadEvents)
                activate(fd, &Watch::read, &Watch::readDirect);
            if (got & kWriteEvents)
                activate(fd, &Watch::write, &Watch::writeDirect);
            if (got & kExceptionEvents)
                activate(fd, &Watch::exception, nullptr);
        }
        handled = true;
    }
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers) && fireTimers())
        handled = true;
    return handled;
}

void EpollEventDispatcher::activate(int fd, QSocketNotifier* Watch::*slot,
                                    DirectSocketNotifier* Watch::*direct)
{
    // Looked up again for each notifier: an earlier slot may have removed or replaced it.
    if (fd < 0 || std::size_t(fd) >= m_watches.size())
        return;
    const Watch& watch = m_watches[std::size_t(fd)];
    if (direct && watch.*direct) {
        // Only enabled notifiers are registered, as QSocketNotifier::event would check.
        (watch.*direct)->callHandler();
        return;
    }
    QSocketNotifier* notifier = watch.*slot;
    if (!notifier)
        return;
    QEvent event(QEvent::SockAct);
    QCoreApplication::sendEvent(notifier, &event);
}

int EpollEventDispatcher::waitMs() const
{
    if (m_deadlines.empty())
        return -1;
    const qint64 left = m_deadlines.begin()->first - nowNs();
    if (left <= 0)
        return 0;
    const qint64 ms = (left + kNsPerMs - 1) / kNsPerMs; // never wake up early
    return int(qMin<qint64>(ms, 24 * 3600 * 1000));
}

qint64 EpollEventDispatcher::waitNs() const
{
    if (m_deadlines.empty())
        return -1;
    const qint64 left = m_deadlines.begin()->first - nowNs();
    return left <= 0 ? 0 : left;
}

// Waits in the ring (submitting the turn's operations in the same enter), runs its
// completions, then collects the epoll events if the epoll descriptor was reported readable.
// Returns the epoll event count, or -(count + 1) when ring completions other than the epoll
// poll ran.
int EpollEventDispatcher::waitInRing(bool mayWait, epoll_event* events, int max)
{
    if (!m_epollPoll->armed) {
        m_ring->preparePollIn(m_epollPoll.get(), m_epollFd);
        m_epollPoll->armed = true;
    }
    if (m_wakeUpRead && !m_wakeUpRead->armed) {
        m_ring->prepareRead(m_wakeUpRead.get(), m_eventFd, &m_wakeUpRead->value,
                            sizeof m_wakeUpRead->value);
        m_wakeUpRead->armed = true;
    }
    m_epollPoll->ready = false;
    if (m_wakeUpRead)
        m_wakeUpRead->ready = false;
    const int ran = m_ring->wait(mayWait ? waitNs() : 0);
    const bool woken = m_wakeUpRead && m_wakeUpRead->ready;
    const bool others = ran > (m_epollPoll->ready ? 1 : 0) + (woken ? 1 : 0);
    int count = 0;
    if (m_epollPoll->ready) {
        do {
            count = ::epoll_wait(m_epollFd, events, max, 0);
        } while (count < 0 && errno == EINTR);
        if (count < 0)
            count = 0;
    }
    if (woken) {
        // As drainWakeUp, the counter already read by the ring: a wakeUp() from now on writes
        // again and is seen next turn.
        m_wakeUpPending.storeRelease(0);
        QCoreApplication::sendPostedEvents();
    }
    return others || woken ? -count - 1 : count;
}

void EpollEventDispatcher::wakeUp()
{
    if (!m_wakeUpPending.testAndSetAcquire(0, 1))
        return; // the loop has not seen the previous one yet
    const std::uint64_t one = 1;
    ssize_t n;
    do {
        n = ::write(m_eventFd, &one, sizeof one);
    } while (n < 0 && errno == EINTR);
}

void EpollEventDispatcher::drainWakeUp()
{
    std::uint64_t value = 0;
    ssize_t n;
    do {
        n = ::read(m_eventFd, &value, sizeof value);
    } while (n < 0 && errno == EINTR);
    // Reset after reading: a wakeUp() from now on writes again and is seen next turn; the
    // events it announces are delivered at the start of that turn.
    m_wakeUpPending.storeRelease(0);
    QCoreApplication::sendPostedEvents();
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelaxed(1);
    wakeUp();
}

// ---- socket notifiers ----------------------------------------------------------------------

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier* notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0)
        return;
    if (std::size_t(fd) >= m_watches.size())
        m_watches.resize(std::size_t(fd) + 1);
    Watch& watch = m_watches[std::size_t(fd)];
    // Registration happens when a notifier is enabled, not per event: the cast is cheap here.
    auto* direct = dynamic_cast<DirectSocketNotifier*>(notifier);
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        watch.read = notifier;
        watch.readDirect = direct;
        break;
    case QSocketNotifier::Write:
        watch.write = notifier;
        watch.writeDirect = direct;
        break;
    case QSocketNotifier::Exception:
        watch.exception = notifier;
        break;
    }
    updateWatch(fd, watch);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier* notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0 || std::size_t(fd) >= m_watches.size())
        return;
    Watch& watch = m_watches[std::size_t(fd)];
    if (watch.read == notifier)
        watch.read = watch.readDirect = nullptr;
    if (watch.write == notifier)
        watch.write = watch.writeDirect = nullptr;
    if (watch.exception == notifier)
        watch.exception = nullptr;
    updateWatch(fd, watch);
}

void EpollEventDispatcher::updateWatch(int fd, Watch& watch)
{
    quint32 wanted = 0;
    if (watch.read)
        wanted |= EPOLLIN | EPOLLRDHUP;
    if (watch.write)
        wanted |= EPOLLOUT;
    if (watch.exception)
        wanted |= EPOLLPRI;
    if (wanted == watch.events)
        return;
    epoll_event ev{};
    ev.events = wanted;
    ev.data.u64 = std::uint64_t(std::uint32_t(fd));
    if (wanted == 0) {
        // ENOENT/EBADF: the descriptor was closed first, and the kernel dropped it already.
        ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, &ev);
    } else if (watch.events == 0) {
        if (::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, fd, &ev) != 0 && errno == EEXIST)
            ::epoll_ctl(m_epollFd, EPOLL_CTL_MOD, fd, &ev);
    } else if (::epoll_ctl(m_epollFd, EPOLL_CTL_MOD, fd, &ev) != 0 && errno == ENOENT) {
        // Closed and reopened under the same number without unregistering in between.
        ::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, fd, &ev);
    }
    watch.events = wanted;
}

// ---- timers --------------------------------------------------------------------------------

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject* object)
{
    unregisterTimer(timerId);
    Timer t;
    t.intervalMs = qMax<qint64>(interval, 0);
    t.type = timerType;
    t.object = object;
    t.deadlineNs = nowNs() + t.intervalMs * kNsPerMs;
    m_timers.emplace(timerId, t);
    m_deadlines.emplace(t.deadlineNs, timerId);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_deadlines.erase({it->second.deadlineNs, timerId});
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject* object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->second.object == object) {
            m_deadlines.erase({it->second.deadlineNs, it->first});
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject* object) const
{
    QList<TimerInfo> list;
    for (const auto& [id, t] : m_timers)
        if (t.object == object)
            list.append(TimerInfo(id, int(t.intervalMs), t.type));
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    const qint64 left = it->second.deadlineNs - nowNs();
    return left <= 0 ? 0 : int((left + kNsPerMs - 1) / kNsPerMs);
}

bool EpollEventDispatcher::fireTimers()
{
    const qint64 now = nowNs();
    // Collect first: a timeout may start, stop or restart any timer, this one included.
    QVarLengthArray<int, 16> due;
    for (const auto& [deadline, id] : m_deadlines) {
        if (deadline > now)
            break;
        due.append(id);
    }
    for (const int id : due) {
        auto it = m_timers.find(id);
        if (it == m_timers.end() || it->second.firing || it->second.deadlineNs > now)
            continue;
        Timer& t = it->second;
        m_deadlines.erase({t.deadlineNs, id});
        t.deadlineNs += t.intervalMs * kNsPerMs;
        if (t.deadlineNs <= now) // fell behind (or a 0 ms timer: due again next turn)
            t.deadlineNs = now + t.intervalMs * kNsPerMs;
        m_deadlines.emplace(t.deadlineNs, id);
        t.firing = true;
        QObject* object = t.object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        it = m_timers.find(id); // the timeout may have killed it (single-shot timers do)
        if (it != m_timers.end())
            it->second.firing = false;
    }
    return !due.isEmpty();
}

} // namespace spyglass

#endif // __linux__
