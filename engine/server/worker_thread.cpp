#include "server/worker_thread.h"

#include "server/connection_handler.h"
#include "server/epoll_event_dispatcher.h"
#include "server/socket_stream.h"

namespace spyglass {

namespace {
// Owns an accepted descriptor on its way to a worker; closes it if the call is dropped.
struct DescriptorGuard
{
    explicit DescriptorGuard(qintptr d) : descriptor(d) {}
    ~DescriptorGuard() { SocketStream::discardDescriptor(descriptor); }
    DescriptorGuard(const DescriptorGuard&) = delete;
    DescriptorGuard& operator=(const DescriptorGuard&) = delete;
    qintptr release() { return std::exchange(descriptor, qintptr(-1)); }
    qintptr descriptor;
};
} // namespace

WorkerThread::WorkerThread(int index)
{
    m_thread.setObjectName(QStringLiteral("spyglass-worker-%1").arg(index));
    m_home = new QObject;
    m_home->moveToThread(&m_thread);
}

WorkerThread::~WorkerThread()
{
    stop();
}

void WorkerThread::start()
{
#ifdef __linux__
    if (!m_thread.isRunning() && EpollEventDispatcher::wanted())
        if (auto* dispatcher = EpollEventDispatcher::create())
            m_thread.setEventDispatcher(dispatcher); // the thread owns it
#endif
    m_thread.start();
}

void WorkerThread::adopt(qintptr descriptor, ServerConfig config,
                         std::shared_ptr<ServerStats> stats)
{
    auto guard = std::make_shared<DescriptorGuard>(descriptor);
    QObject* home = m_home;
    if (!home)
        return; // stopped: the guard closes the descriptor
    QMetaObject::invokeMethod(
        home,
        [home, guard, config = std::move(config), stats = std::move(stats)] {
            auto* handler = new ConnectionHandler(guard->release(), config, stats, home);
            handler->start();
        },
        Qt::QueuedConnection);
}

void WorkerThread::run(std::function<void(QObject* home)> work)
{
    QObject* home = m_home;
    if (!home || !work)
        return;
    QMetaObject::invokeMethod(
        home, [home, work = std::move(work)] { work(home); }, Qt::QueuedConnection);
}

void WorkerThread::stop()
{
    if (!m_home)
        return;
    if (m_thread.isRunning()) {
        QObject* home = m_home;
        QMetaObject::invokeMethod(
            home,
            [home] {
                const auto handlers =
                    home->findChildren<ConnectionHandler*>(Qt::FindDirectChildrenOnly);
                qDeleteAll(handlers);
                // Whatever else lives in the worker (objects of run() jobs) ends here too, in
                // its own thread while its dispatcher exists: a SocketStream on the io_uring
                // path must hand its in-flight buffers to the loop before the loop goes.
                while (!home->children().isEmpty())
                    delete home->children().constFirst();
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    // Calls still queued for m_home (descriptors not yet adopted) are dropped with it, and
    // their guards close the descriptors.
    delete m_home;
    m_home = nullptr;
}

} // namespace spyglass
