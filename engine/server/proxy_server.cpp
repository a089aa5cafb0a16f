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
    if (m_listener)
        return true;
    const std::shared_ptr<const Options> opts = options();
    const int port = opts->listenPort;
    const QString where = QString::fromLatin1(
        Address{opts->listenHost.toLatin1(), quint16(qBound(0, port, 65535))}.toString());
    const auto fail = [&](const QString& why) {
        if (error)
            *error = QStringLiteral("cannot listen on %1: %2").arg(where, why);
        stop();
        return false;
    };
    if (port < 0 || port > 65535)
        return fail(QStringLiteral("invalid port %1").arg(port));
    QHostAddress address;
    QString why;
    if (!resolveListenHost(opts->listenHost, &address, &why))
        return fail(why);

    const int workers =
        opts->workerThreads > 0 ? opts->workerThreads : qMax(1, QThread::idealThreadCount());
    for (int i = 0; i < workers; ++i) {
        m_workers.push_back(std::make_unique<WorkerThread>(i));
        m_workers.back()->start();
    }

    m_acceptThread = new QThread;
    m_acceptThread->setObjectName(QStringLiteral("spyglass-accept"));
    m_listener = new TcpListener([this](qintptr d) { dispatch(d); });
    m_listener->moveToThread(m_acceptThread);
    m_acceptThread->start();

    bool ok = false;
    TcpListener* listener = m_listener;
    QMetaObject::invokeMethod(
        listener,
        [&] {
            listener->setListenBacklogSize(kListenBacklog);
            ok = listener->listen(address, quint16(port));
            if (ok)
                m_port = listener->serverPort();
            else
                why = listenErrorText(listener->serverError(), listener->errorString());
        },
        Qt::BlockingQueuedConnection);
    if (!ok)
        return fail(why);
    return true;
}

void ProxyServer::dispatch(qintptr descriptor)
{
    ServerConfig config;
    {
        std::lock_guard lock(m_mutex);
        config = m_config;
    }
    const unsigned n = m_nextWorker.fetch_add(1, std::memory_order_relaxed);
    m_workers[n % m_workers.size()]->adopt(descriptor, std::move(config), m_stats);
}

void ProxyServer::stop()
{
    if (m_listener) {
        TcpListener* listener = m_listener;
        QMetaObject::invokeMethod(
            listener, [listener] { listener->close(); }, Qt::BlockingQueuedConnection);
        listener->deleteLater(); // runs as the accept thread finishes
        m_listener = nullptr;
    }
    if (m_acceptThread) {
        m_acceptThread->quit();
        m_acceptThread->wait();
        delete m_acceptThread;
        m_acceptThread = nullptr;
    }
    for (auto& w : m_workers)
        w->stop();
    m_workers.clear();
    m_port = 0;
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
