#include "server/proxy_server.h"

#include "server/tcp_listener.h"
#include "server/worker_thread.h"

#include <QDateTime>
#include <QHostAddress>
#include <QHostInfo>
#include <QThread>

namespace spyglass {

namespace {

QString listenErrorText(QAbstractSocket::SocketError error, const QString& fallback)
{
    switch (error) {
    case QAbstractSocket::AddressInUseError:
        return QStringLiteral("address already in use");
    case QAbstractSocket::SocketAccessError:
        return QStringLiteral("permission denied");
    case QAbstractSocket::SocketAddressNotAvailableError:
        return QStringLiteral("address not available");
    default:
        return fallback;
    }
}

// "" and "*" mean every interface; a name is resolved here, once, blocking.
bool resolveListenHost(const QString& host, QHostAddress* out, QString* error)
{
    const QString h = host.trimmed();
    if (h.isEmpty() || h == QLatin1String("*")) {
        *out = QHostAddress::Any;
        return true;
    }
    if (out->setAddress(h))
        return true;
    const QHostInfo info = QHostInfo::fromName(h);
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        *error = QStringLiteral("host not found");
        return false;
    }
    *out = info.addresses().first();
    return true;
}

} // namespace

ProxyServer::ProxyServer(ServerConfig config, QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_stats(std::make_shared<ServerStats>())
{
    if (!m_config.options)
        m_config.options = std::make_shared<const Options>();
    if (!m_config.services)
        m_config.services = std::make_shared<proxy::Services>();
    if (!m_config.services->clock)
        m_config.services->clock = [] {
            return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        };
}

ProxyServer::~ProxyServer()
{
    stop();
}

bool ProxyServer::listen(QString* error)
{
    if (!m_listeners.empty())
        return true;
    const std::shared_ptr<const Options> opts = options();
    const auto where = [&](int port) {
        return QString::fromLatin1(
            Address{opts->listenHost.toLatin1(), quint16(qBound(0, port, 65535))}.toString());
    };
    const auto fail = [&](int port, const QString& why) {
        if (error)
            *error = QStringLiteral("cannot listen on %1: %2").arg(where(port), why);
        stop();
        return false;
    };
    if (opts->listenPort < 0 || opts->listenPort > 65535)
        return fail(opts->listenPort, QStringLiteral("invalid port %1").arg(opts->listenPort));
    std::vector<ProxyMode> modes;
    if (const QString e = checkModes(opts->mode, opts->listenPort, &modes); !e.isEmpty()) {
        if (error)
            *error = e;
        return false;
    }
    QHostAddress address;
    QString why;
    if (!resolveListenHost(opts->listenHost, &address, &why))
        return fail(opts->listenPort, why);

    startWorkers();

    m_acceptThread = new QThread;
    m_acceptThread->setObjectName(QStringLiteral("spyglass-accept"));
    m_acceptThread->start();

    for (const ProxyMode& m : modes) {
        auto mode = std::make_shared<const ProxyMode>(m);
        const int port = m.effectivePort(opts->listenPort);
        auto* listener = new TcpListener([this, mode](qintptr d) { dispatch(d, mode); });
        listener->moveToThread(m_acceptThread);
        m_listeners.push_back(listener);
        bool ok = false;
        QMetaObject::invokeMethod(
            listener,
            [&] {
                listener->setListenBacklogSize(kListenBacklog);
                ok = listener->listen(address, quint16(port));
                if (ok)
                    m_ports.push_back(listener->serverPort());
                else
                    why = listenErrorText(listener->serverError(), listener->errorString());
            },
            Qt::BlockingQueuedConnection);
        if (!ok)
            return fail(port, m.spec == QLatin1String("regular")
                                  ? why
                                  : QStringLiteral("%1 (mode %2)").arg(why, m.spec));
    }
    return true;
}

void ProxyServer::startWorkers()
{
    std::lock_guard lock(m_mutex);
    if (!m_workers.empty())
        return;
    const Options& opts = *m_config.options;
    const int workers =
        opts.workerThreads > 0 ? opts.workerThreads : qMax(1, QThread::idealThreadCount());
    for (int i = 0; i < workers; ++i) {
        m_workers.push_back(std::make_unique<WorkerThread>(i));
        m_workers.back()->start();
    }
}

bool ProxyServer::runOnWorker(WorkerJob work)
{
    ServerConfig config;
    WorkerThread* worker = nullptr;
    {
        std::lock_guard lock(m_mutex);
        if (m_workers.empty())
            return false;
        config = m_config;
        const unsigned n = m_nextWorker.fetch_add(1, std::memory_order_relaxed);
        worker = m_workers[n % m_workers.size()].get();
        // Posted under the lock: stop() cannot take the worker away meanwhile.
        worker->run([work = std::move(work), config, stats = m_stats](QObject* home) {
            work(config, stats, home);
        });
    }
    return true;
}

void ProxyServer::dispatch(qintptr descriptor, const std::shared_ptr<const ProxyMode>& mode)
{
    ServerConfig config;
    {
        std::lock_guard lock(m_mutex);
        config = m_config;
    }
    config.mode = mode;
    const unsigned n = m_nextWorker.fetch_add(1, std::memory_order_relaxed);
    m_workers[n % m_workers.size()]->adopt(descriptor, std::move(config), m_stats);
}

void ProxyServer::stop()
{
    for (TcpListener* listener : m_listeners) {
        QMetaObject::invokeMethod(
            listener, [listener] { listener->close(); }, Qt::BlockingQueuedConnection);
        listener->deleteLater(); // runs as the accept thread finishes
    }
    m_listeners.clear();
    if (m_acceptThread) {
        m_acceptThread->quit();
        m_acceptThread->wait();
        delete m_acceptThread;
        m_acceptThread = nullptr;
    }
    std::vector<std::unique_ptr<WorkerThread>> workers;
    {
        std::lock_guard lock(m_mutex);
        workers.swap(m_workers);
    }
    for (auto& w : workers)
        w->stop();
    m_ports.clear();
}

void ProxyServer::setOptions(std::shared_ptr<const Options> options)
{
    if (!options)
        return;
    std::lock_guard lock(m_mutex);
    m_config.options = std::move(options);
}

std::shared_ptr<const Options> ProxyServer::options() const
{
    std::lock_guard lock(m_mutex);
    return m_config.options;
}

int ProxyServer::activeConnections() const
{
    return m_stats->connections.load(std::memory_order_relaxed);
}

qint64 ProxyServer::bufferedBytes() const
{
    return m_stats->bufferedBytes.load(std::memory_order_relaxed);
}

qint64 ProxyServer::peakHandlerBufferedBytes() const
{
    return m_stats->peakHandlerBufferedBytes.load(std::memory_order_relaxed);
}

} // namespace spyglass
