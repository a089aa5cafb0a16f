#include "server/socket_stream.h"

#include "server/direct_socket_notifier.h"
#include "server/epoll_event_dispatcher.h"
#include "server/io_uring_loop.h"
#include "server/own_connections.h"

#include <QAbstractEventDispatcher>
#include <QHostInfo>
#include <QNetworkInterface>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <utility>

#ifdef Q_OS_WIN
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#endif

namespace spyglass {

namespace {

// The read buffer: kMaxReadPerWakeup less room for QByteArray's header, so that with its
// header it stays within the allocator's largest size class (tcmalloc: 256 KiB, served from
// the thread cache; one byte more is a page-heap allocation under a lock).
constexpr qint64 kReadBuffer = SocketStream::kMaxReadPerWakeup - 64;
// A read at least this large keeps the buffer it landed in (its unused tail, at most three
// quarters, travels with it until it is written); a smaller one is copied out.
constexpr qint64 kKeepReadBuffer = kReadBuffer / 4;
// io_uring: a wake-up that gathered this much from the buffer ring marks a bulk transfer, whose
// reads then go to one plain recv of kReadBuffer (SocketStream::RingIo::streaming).
constexpr qint64 kStreamingRead = 64 * 1024;

#ifdef Q_OS_WIN
using SockLen = int;
using NativeFd = SOCKET;
constexpr int kSendFlags = 0;
constexpr int kShutWrite = SD_SEND;
// Winsock must be started before the first socket(). Qt starts it only while one of its own
// sockets or a host lookup exists, and a replay without listeners (-n -C) may have neither.
// Started once, never cleaned up: the process's exit does that.
bool startWinsock()
{
    static const bool started = [] {
        WSADATA data;
        return ::WSAStartup(MAKEWORD(2, 2), &data) == 0;
    }();
    return started;
}
int lastError()
{
    return WSAGetLastError();
}
bool wouldBlock(int e)
{
    return e == WSAEWOULDBLOCK;
}
bool inProgress(int e)
{
    return e == WSAEWOULDBLOCK || e == WSAEINPROGRESS;
}
bool interrupted(int e)
{
    return e == WSAEINTR;
}
void closeNative(qintptr fd)
{
    ::closesocket(NativeFd(fd));
}
bool setNonBlocking(qintptr fd)
{
    u_long on = 1;
    return ::ioctlsocket(NativeFd(fd), FIONBIO, &on) == 0;
}
#else
using SockLen = socklen_t;
using NativeFd = int;
#ifdef MSG_NOSIGNAL
constexpr int kSendFlags = MSG_NOSIGNAL; // a peer that went away must not SIGPIPE the process
#else
constexpr int kSendFlags = 0; // macOS: SO_NOSIGPIPE is set on the socket instead
#endif
constexpr int kShutWrite = SHUT_WR;
int lastError()
{
    return errno;
}
bool wouldBlock(int e)
{
    return e == EAGAIN || e == EWOULDBLOCK;
}
bool inProgress(int e)
{
    return e == EINPROGRESS;
}
bool interrupted(int e)
{
    return e == EINTR;
}
void closeNative(qintptr fd)
{
    ::close(NativeFd(fd));
}
bool setNonBlocking(qintptr fd)
{
    const int flags = ::fcntl(NativeFd(fd), F_GETFL);
    return flags != -1 && ::fcntl(NativeFd(fd), F_SETFL, flags | O_NONBLOCK) != -1;
}
#endif

void tuneSocket(qintptr fd)
{
    int on = 1;
    ::setsockopt(NativeFd(fd), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&on),
                 sizeof(on));
#ifdef SO_NOSIGPIPE
    ::setsockopt(NativeFd(fd), SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof(on));
#endif
}

// The same words on every platform, so that users and tests see one text per cause.
QString errorText(int e)
{
#ifdef Q_OS_WIN
    switch (e) {
    case WSAECONNREFUSED:
        return QStringLiteral("Connection refused");
    case WSAECONNRESET:
        return QStringLiteral("Connection reset by peer");
    case WSAECONNABORTED:
        return QStringLiteral("Connection aborted");
    case WSAETIMEDOUT:
        return QStringLiteral("Connection timed out");
    case WSAENETUNREACH:
        return QStringLiteral("Network is unreachable");
    case WSAEHOSTUNREACH:
        return QStringLiteral("No route to host");
    default:
        break;
    }
#else
    switch (e) {
    case ECONNREFUSED:
        return QStringLiteral("Connection refused");
    case ECONNRESET:
        return QStringLiteral("Connection reset by peer");
    case ECONNABORTED:
        return QStringLiteral("Connection aborted");
    case ETIMEDOUT:
        return QStringLiteral("Connection timed out");
    case ENETUNREACH:
        return QStringLiteral("Network is unreachable");
    case EHOSTUNREACH:
        return QStringLiteral("No route to host");
    case EPIPE:
        return QStringLiteral("Broken pipe");
    default:
        break;
    }
#endif
    return qt_error_string(e);
}

// Fills `storage` for `address`:`port`; returns the length to pass to connect().
SockLen toSockaddr(const QHostAddress& address, quint16 port, sockaddr_storage* storage)
{
    std::memset(storage, 0, sizeof(*storage));
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        auto* a = reinterpret_cast<sockaddr_in*>(storage);
        a->sin_family = AF_INET;
        a->sin_port = htons(port);
        a->sin_addr.s_addr = htonl(address.toIPv4Address());
        return sizeof(sockaddr_in);
    }
    auto* a = reinterpret_cast<sockaddr_in6*>(storage);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    const Q_IPV6ADDR ip = address.toIPv6Address();
    std::memcpy(&a->sin6_addr, &ip, sizeof(ip));
    const QString scope = address.scopeId();
    if (!scope.isEmpty()) {
        bool numeric = false;
        const uint index = scope.toUInt(&numeric);
        a->sin6_scope_id = numeric ? index : uint(QNetworkInterface::interfaceIndexFromName(scope));
    }
    return sizeof(sockaddr_in6);
}

Address fromSockaddr(const sockaddr_storage& storage)
{
    Address out;
    const QHostAddress host(reinterpret_cast<const sockaddr*>(&storage));
    out.host = SocketStream::hostText(host);
    if (storage.ss_family == AF_INET)
        out.port = ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
    else if (storage.ss_family == AF_INET6)
        out.port = ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
    return out;
}

#ifdef Q_OS_LINUX
// netfilter's getsockopt names (linux/netfilter_ipv4.h SO_ORIGINAL_DST and
// linux/netfilter_ipv6/ip6_tables.h IP6T_SO_ORIGINAL_DST, both 80), spelled out here because
// those kernel headers clash with glibc's <netinet/in.h>.
constexpr int kSoOriginalDst = 80;
constexpr int kIp6tSoOriginalDst = 80;
#endif

QString secondsText(int ms)
{
    return QString::number(ms / 1000.0);
}

} // namespace

// The io_uring state of a connected socket. It outlives the SocketStream while operations
// are in flight (then `stream` is null and the loop owns it as a retired client): the kernel
// writes into `recvBuffer` and reads from `sendBuffer` until the completions arrive.
struct SocketStream::RingIo final : IoUringLoop::Client
{
    enum class Kind : quint8
    {
        Recv,
        Send,
        Cancel // the cancel of the recv when reading is disabled
    };
    struct Op final : IoUringLoop::Request
    {
        RingIo* io = nullptr;
        Kind kind = Kind::Recv;
        void completed(int result) override { io->done(kind, result, nullptr, false, false); }
        void received(int result, const char* data, bool more, bool followed) override
        {
            io->done(kind, result, data, more, followed);
        }
    };

    RingIo(SocketStream* s, IoUringLoop* l) : stream(s), loop(l), multishot(l->hasBufferRing())
    {
        recvOp.io = sendOp.io = cancelOp.io = this;
        sendOp.kind = Kind::Send;
        cancelOp.kind = Kind::Cancel;
    }

    bool busy() const { return recvArmed || sendArmed || cancelInFlight; }

    void done(Kind kind, int result, const char* data, bool more, bool followed)
    {
        if (kind == Kind::Cancel)
            cancelInFlight = false;
        else if (!more) // the operation ended (a multishot recv goes on while `more`)
            (kind == Kind::Recv ? recvArmed : sendArmed) = false;
        if (stream) {
            // Nothing of `this` is touched after the call: the stream may detach and delete it.
            if (kind == Kind::Recv)
                stream->onRecvDone(result, data, more, followed);
            else if (kind == Kind::Send)
                stream->onSendDone(result);
            else
                stream->onCancelDone(result);
            return;
        }
        if (!busy())
            loop->release(this);
    }

    static constexpr int kNoEnd = 1; // heldEnd when no end of stream or error is held
    bool held() const { return !heldData.isEmpty() || heldEnd != kNoEnd; }

    SocketStream* stream;
    IoUringLoop* loop;
    Op recvOp;
    Op sendOp;
    Op cancelOp;
    bool recvArmed = false;
    bool sendArmed = false;
    bool cancelInFlight = false;
#ifdef __linux__
    // The send in flight: up to kMaxIov chunks of the queue in one sendmsg.
    static constexpr int kMaxIov = 16;
    QByteArray sendChunks[kMaxIov];
    iovec iov[kMaxIov];
    msghdr msg{};
#endif
    bool cancelAsked = false; // a cancel of the armed recv is on its way (reading disabled)
    // Multishot recvs into the loop's buffer ring (the bytes are copied out and the buffer
    // goes back at once); without a buffer ring, one plain recv into `recvBuffer`.
    const bool multishot;
    // The ring ran dry (-ENOBUFS): the next recv is a plain one into `recvBuffer`, freed after.
    bool plainNext = false;
    // A bulk transfer (one wake-up gathered >= kStreamingRead): the multishot is cancelled and
    // each recv is one plain recv of up to kReadBuffer into `recvBuffer`, whose bytes travel
    // upward uncopied, as the epoll path's; a recv below kKeepReadBuffer ends it (the buffer
    // is freed, the multishot comes back), so a socket that goes quiet pins no large buffer.
    bool streaming = false;
    QByteArray recvBuffer;
    // The pieces of one wake-up gathered so far (the next completion is more of them).
    QByteArray gathered;
    // What completed while reading was disabled (after the cancel was asked), in order: bytes,
    // then the end of stream (0) or an error (-errno). Delivered when it is enabled again.
    QByteArray heldData;
    int heldEnd = kNoEnd;
    bool heldQueued = false;
};

SocketStream::SocketStream(QObject* parent) : QObject(parent) {}

SocketStream::~SocketStream()
{
    if (m_life->guards == 0)
        delete m_life;
    else
        m_life->destroyed = true;
    if (m_lookupId != -1)
        QHostInfo::abortHostLookup(m_lookupId);
    forgetOwnAddress();
    detachRing();
    if (m_fd != -1)
        closeNative(m_fd);
}

QByteArray SocketStream::hostText(const QHostAddress& address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return QHostAddress(v4).toString().toLatin1();
    return address.toString().toLatin1();
}

void SocketStream::discardDescriptor(qintptr descriptor)
{
    if (descriptor != -1)
        closeNative(descriptor);
}

bool SocketStream::adopt(qintptr descriptor, QString* error)
{
    if (m_phase != Phase::Idle || descriptor == -1 || !setNonBlocking(descriptor)) {
        const QString why =
            descriptor == -1 ? QStringLiteral("invalid socket descriptor") : errorText(lastError());
        if (descriptor != -1)
            closeNative(descriptor);
        if (error)
            *error = why;
        return false;
    }
    tuneSocket(descriptor);
    m_fd = descriptor;
    becomeConnected();
    return true;
}

// ---- connecting ----------------------------------------------------------------------------

void SocketStream::connectToHost(const QByteArray& host, quint16 port, int timeoutMs)
{
    if (m_phase != Phase::Idle) {
        QTimer::singleShot(0, this,
                           [this] { failConnect(QStringLiteral("socket already in use")); });
        return;
    }
    m_host = host;
    m_port = port;
    m_timeoutMs = timeoutMs;
    m_phase = Phase::Resolving;
    if (timeoutMs > 0) {
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, &SocketStream::onConnectTimeout);
        m_timer->start(timeoutMs);
    }
    QHostAddress literal;
    if (literal.setAddress(QString::fromLatin1(host))) {
        m_candidates = {literal};
        // Report asynchronously in every case, so the caller never sees a signal from here.
        QTimer::singleShot(0, this, [this] {
            if (m_phase == Phase::Resolving)
                tryNextCandidate();
        });
        return;
    }
    m_lookupId = QHostInfo::lookupHost(QString::fromLatin1(host), this, &SocketStream::onLookedUp);
}

void SocketStream::onLookedUp(const QHostInfo& info)
{
    m_lookupId = -1;
    if (m_phase != Phase::Resolving)
        return;
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        failConnect(info.error() == QHostInfo::HostNotFound || info.error() == QHostInfo::NoError
                        ? QStringLiteral("Host not found")
                        : info.errorString());
        return;
    }
    m_candidates = info.addresses();
    tryNextCandidate();
}

void SocketStream::tryNextCandidate()
{
    while (!m_candidates.isEmpty()) {
        const QHostAddress address = m_candidates.takeFirst();
        sockaddr_storage storage;
        const SockLen len = toSockaddr(address, m_port, &storage);
#ifdef Q_OS_WIN
        startWinsock(); // if it failed, socket() says why (WSANOTINITIALISED)
#endif
        const qintptr fd = qintptr(::socket(storage.ss_family, SOCK_STREAM, IPPROTO_TCP));
#ifdef Q_OS_WIN
        if (NativeFd(fd) == INVALID_SOCKET) {
#else
        if (fd < 0) {
#endif
            m_lastConnectError = errorText(lastError());
            continue;
        }
#ifndef Q_OS_WIN
        ::fcntl(NativeFd(fd), F_SETFD, FD_CLOEXEC);
#endif
        if (!setNonBlocking(fd)) {
            m_lastConnectError = errorText(lastError());
            closeNative(fd);
            continue;
        }
        tuneSocket(fd);
        int rc;
        do {
            rc = ::connect(NativeFd(fd), reinterpret_cast<const sockaddr*>(&storage), len);
        } while (rc != 0 && interrupted(lastError()));
        const int e = rc == 0 ? 0 : lastError();
        if (rc == 0 || inProgress(e))
            rememberOwnAddress(fd); // bound now: before anybody can accept it
        if (rc == 0) {
            m_fd = fd;
            becomeConnected();
            return;
        }
        if (inProgress(e)) {
            m_fd = fd;
            m_phase = Phase::Connecting;
            m_writeNotifier = new QSocketNotifier(fd, QSocketNotifier::Write, this);
            connect(m_writeNotifier, &QSocketNotifier::activated, this,
                    &SocketStream::onConnectWritable);
            return;
        }
        closeNative(fd);
        m_lastConnectError = errorText(e);
    }
    failConnect(m_lastConnectError.isEmpty() ? QStringLiteral("no usable address")
                                             : m_lastConnectError);
}

void SocketStream::onConnectWritable()
{
    if (m_phase != Phase::Connecting)
        return;
    int err = 0;
    SockLen len = sizeof(err);
    if (::getsockopt(NativeFd(m_fd), SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&err), &len) !=
        0)
        err = lastError();
    if (err == 0) {
        dropNotifiers();
        becomeConnected();
        return;
    }
    dropNotifiers();
    forgetOwnAddress();
    closeNative(m_fd);
    m_fd = -1;
    m_phase = Phase::Resolving;
    m_lastConnectError = errorText(err);
    tryNextCandidate();
}

void SocketStream::onConnectTimeout()
{
    if (!isConnecting())
        return;
    failConnect(QStringLiteral("timed out after %1 s").arg(secondsText(m_timeoutMs)));
}

void SocketStream::failConnect(const QString& reason)
{
    if (m_lookupId != -1) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    m_candidates.clear();
    closeDescriptor();
    const Alive self(this);
    emit connectFailed(reason);
    if (self)
        emit finished();
}

void SocketStream::becomeConnected()
{
    m_phase = Phase::Connected;
    if (m_timer) {
        m_timer->stop();
        m_timer->deleteLater();
        m_timer = nullptr;
    }
    fillAddresses();
    attachRing();
    if (!m_io)
        makeNotifiers();
    updateNotifiers();
    const Alive self(this);
    emit connected();
    // Bytes written while connecting leave through the write notifier; a FIN asked for
    // while connecting with nothing queued goes out now.
    if (self && m_phase == Phase::Connected && m_out.empty() && m_shutdownRequested)
        afterFlush();
}

void SocketStream::fillAddresses()
{
    sockaddr_storage storage;
    SockLen len = sizeof(storage);
    std::memset(&storage, 0, sizeof(storage));
    if (::getsockname(NativeFd(m_fd), reinterpret_cast<sockaddr*>(&storage), &len) == 0)
        m_local = fromSockaddr(storage);
    len = sizeof(storage);
    std::memset(&storage, 0, sizeof(storage));
    if (::getpeername(NativeFd(m_fd), reinterpret_cast<sockaddr*>(&storage), &len) == 0)
        m_peer = fromSockaddr(storage);
}

void SocketStream::rememberOwnAddress(qintptr fd)
{
    forgetOwnAddress();
    sockaddr_storage storage;
    SockLen len = sizeof(storage);
    std::memset(&storage, 0, sizeof(storage));
    if (::getsockname(NativeFd(fd), reinterpret_cast<sockaddr*>(&storage), &len) != 0)
        return;
    m_ownAddress = fromSockaddr(storage);
    OwnConnections::add(m_ownAddress);
}

void SocketStream::forgetOwnAddress()
{
    OwnConnections::remove(m_ownAddress);
    m_ownAddress = {};
}

bool SocketStream::originalDestination(Address* out, QString* error) const
{
    const auto fail = [&](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    if (m_fd == -1)
        return fail(QStringLiteral("the socket is closed"));
#ifdef Q_OS_LINUX
    // As mitmproxy's platform/linux.py: the local address decides which table to ask, not the
    // socket's family. An IPv4 client on a dual-stack socket (local ::ffff:a.b.c.d, which
    // hostText() shows as a.b.c.d) is tracked by the IPv4 table only.
    const bool v4 = !m_local.host.contains(':');
    sockaddr_storage storage;
    std::memset(&storage, 0, sizeof(storage));
    SockLen len = v4 ? SockLen(sizeof(sockaddr_in)) : SockLen(sizeof(sockaddr_in6));
    const int rc = v4 ? ::getsockopt(NativeFd(m_fd), SOL_IP, kSoOriginalDst, &storage, &len)
                      : ::getsockopt(NativeFd(m_fd), SOL_IPV6, kIp6tSoOriginalDst, &storage, &len);
    if (rc != 0) {
        const int e = lastError();
        if (e == ENOENT)
            return fail(QStringLiteral("netfilter has no record of it: no REDIRECT rule "
                                       "matched, or connection tracking is off"));
        if (e == ENOPROTOOPT)
            return fail(QStringLiteral("the kernel has no %1 connection tracking (nf_conntrack)")
                            .arg(v4 ? QStringLiteral("IPv4") : QStringLiteral("IPv6")));
        return fail(QStringLiteral("SO_ORIGINAL_DST: %1").arg(errorText(e)));
    }
    const Address found = fromSockaddr(storage);
    if (!found.isValid())
        return fail(QStringLiteral("SO_ORIGINAL_DST gave no usable address"));
    *out = found;
    return true;
#else
    Q_UNUSED(out);
    return fail(QStringLiteral("transparent mode needs Linux"));
#endif
}

// ---- the data path -------------------------------------------------------------------------

void SocketStream::makeNotifiers()
{
    // Called straight by the workers' epoll dispatcher; the signal serves Qt's dispatchers.
    m_readNotifier = new DirectSocketNotifier(
        m_fd, QSocketNotifier::Read, this,
        [](void* self) { static_cast<SocketStream*>(self)->onReadable(); }, this);
    m_readNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &SocketStream::onReadable);
    m_writeNotifier = new DirectSocketNotifier(
        m_fd, QSocketNotifier::Write, this,
        [](void* self) { static_cast<SocketStream*>(self)->onWritable(); }, this);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &SocketStream::onWritable);
}

void SocketStream::dropNotifiers()
{
    // deleteLater: we may be inside one of their activated() signals.
    for (QSocketNotifier** n : {&m_readNotifier, &m_writeNotifier}) {
        if (*n) {
            (*n)->setEnabled(false);
            (*n)->disconnect(this);
            (*n)->deleteLater();
            *n = nullptr;
        }
    }
}

void SocketStream::updateNotifiers()
{
    if (m_phase != Phase::Connected)
        return;
    if (m_io) {
        const bool reading = m_readEnabled || m_lingering;
        if (m_io->held() && reading && !m_io->heldQueued) {
            // Delivered from the loop, not from inside setReadEnabled (no re-entrant signals).
            m_io->heldQueued = true;
            QMetaObject::invokeMethod(this, &SocketStream::deliverHeld, Qt::QueuedConnection);
        }
        if (!m_peerEof && reading && !m_io->held()) {
            if (!m_io->recvArmed)
                armRecv();
        } else if (m_io->recvArmed && !m_io->cancelAsked) {
            // Reading disabled: take the armed recv back, so the bytes stay in the kernel.
            m_io->cancelAsked = true;
            m_io->cancelInFlight = true;
            m_io->loop->prepareCancel(&m_io->recvOp, &m_io->cancelOp);
        }
        if (m_pending > 0 && !m_io->sendArmed)
            startSend();
        return;
    }
    if (!m_readNotifier)
        return;
    m_readNotifier->setEnabled(!m_peerEof && (m_readEnabled || m_lingering));
    m_writeNotifier->setEnabled(m_pending > 0);
}

void SocketStream::setReadEnabled(bool enabled)
{
    if (m_readEnabled == enabled)
        return;
    m_readEnabled = enabled;
    updateNotifiers();
}

void SocketStream::onReadable()
{
    doRead();
}

void SocketStream::onWritable()
{
    doWrite();
}

void SocketStream::doRead()
{
    if (m_phase != Phase::Connected)
        return;
    // One recv() per wake-up: the kernel copies everything it holds (up to kReadBuffer) in
    // one call. A large read travels upward in the buffer it landed in (no copy) and the next
    // read gets a fresh buffer; a small one is copied out and the buffer stays for the next.
    static thread_local QByteArray scratch(kReadBuffer, Qt::Uninitialized);
    QByteArray data;
    qint64 total = 0;
    bool eof = false;
    int error = 0;
    for (;;) {
        const auto n = ::recv(NativeFd(m_fd), scratch.data(), int(kReadBuffer), 0);
        if (n > 0) {
            if (n >= kKeepReadBuffer) {
                data = std::exchange(scratch, QByteArray(kReadBuffer, Qt::Uninitialized));
                data.truncate(n);
            } else {
                data = QByteArray(scratch.constData(), n);
            }
            total = n; // a FIN behind the data wakes us again
            break;
        }
        if (n == 0) {
            eof = true;
            break;
        }
        const int e = lastError();
        if (interrupted(e))
            continue;
        if (!wouldBlock(e))
            error = e;
        break;
    }

    if (m_lingering) { // closed by us: input is drained and dropped until the peer's FIN
        if (eof || error) {
            closeDescriptor();
            emit finished();
        }
        return;
    }

    const Alive self(this);
    if (total > 0) {
        deliver(data);
        if (!self || m_phase != Phase::Connected)
            return;
    }
    if (error) {
        fail(error);
        return;
    }
    if (eof)
        peerClosed();
}

void SocketStream::deliver(const QByteArray& data)
{
    if (m_receiveHandler)
        m_receiveHandler(data);
    else
        emit received(data);
}

void SocketStream::notifyWritten()
{
    if (m_writtenHandler)
        m_writtenHandler(m_pending);
    else
        emit written(m_pending);
}

void SocketStream::write(const QByteArray& data)
{
    if (data.isEmpty() || m_phase == Phase::Closed || m_shutdownRequested)
        return;
    const bool wasEmpty = m_out.empty();
    m_out.push_back(data);
    m_pending += data.size();
    if (m_phase == Phase::Connected && wasEmpty)
        doWrite(); // try at once: most writes fit in the kernel buffer
}

void SocketStream::doWrite()
{
    if (m_phase != Phase::Connected)
        return;
    if (m_io) {
        if (!m_io->sendArmed && !m_out.empty())
            startSend();
        return;
    }
    qint64 wrote = 0;
    while (!m_out.empty()) {
        const QByteArray& front = m_out.front();
        const qint64 left = front.size() - m_frontOffset;
        const auto n =
            ::send(NativeFd(m_fd), front.constData() + m_frontOffset, int(left), kSendFlags);
        if (n > 0) {
            wrote += n;
            m_pending -= n;
            m_frontOffset += n;
            if (m_frontOffset == front.size()) {
                m_out.pop_front();
                m_frontOffset = 0;
                continue;
            }
            break; // a partial write: the kernel buffer is full
        }
        const int e = n < 0 ? lastError() : 0;
        if (n < 0 && interrupted(e))
            continue;
        if (n < 0 && !wouldBlock(e)) {
            fail(e);
            return;
        }
        break;
    }
    updateNotifiers();
    const Alive self(this);
    if (wrote > 0)
        notifyWritten();
    if (self && m_phase == Phase::Connected && m_out.empty())
        afterFlush();
}

void SocketStream::afterFlush()
{
    if (m_shutdownRequested && !m_shutdownDone) {
        m_shutdownDone = true;
        ::shutdown(NativeFd(m_fd), kShutWrite); // a failure shows up on the next read
    }
    if (m_closeRequested || (m_shutdownDone && m_peerEof)) {
        if (m_peerEof) {
            closeDescriptor();
            emit finished();
            return;
        }
        if (!m_lingering) {
            m_lingering = true;
            m_timer = new QTimer(this);
            m_timer->setSingleShot(true);
            connect(m_timer, &QTimer::timeout, this, [this] {
                closeDescriptor();
                emit finished();
            });
            m_timer->start(kLingerMs);
            updateNotifiers();
        }
    }
}

void SocketStream::shutdownWrite()
{
    if (m_phase == Phase::Closed || m_shutdownRequested)
        return;
    m_shutdownRequested = true;
    if (m_phase == Phase::Connected && m_out.empty())
        afterFlush();
}

void SocketStream::close()
{
    if (m_phase == Phase::Closed || m_closeRequested)
        return;
    if (m_phase != Phase::Connected) {
        abort();
        return;
    }
    m_closeRequested = true;
    m_shutdownRequested = true;
    if (m_out.empty())
        afterFlush();
}

void SocketStream::abort()
{
    if (m_phase == Phase::Closed)
        return;
    if (m_lookupId != -1) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    closeDescriptor();
    emit finished();
}

void SocketStream::fail(int error)
{
    const QString reason = errorText(error);
    closeDescriptor();
    const Alive self(this);
    emit failed(reason);
    if (self)
        emit finished();
}

void SocketStream::closeDescriptor()
{
    dropNotifiers();
    detachRing();
    if (m_timer) {
        m_timer->stop();
        m_timer->deleteLater();
        m_timer = nullptr;
    }
    forgetOwnAddress();
    if (m_fd != -1) {
        closeNative(m_fd);
        m_fd = -1;
    }
    m_out.clear();
    m_frontOffset = 0;
    m_pending = 0;
    m_lingering = false;
    m_phase = Phase::Closed;
}

// ---- the io_uring path ---------------------------------------------------------------------

void SocketStream::attachRing()
{
#ifdef __linux__
    if (m_io)
        return;
    auto* dispatcher = dynamic_cast<EpollEventDispatcher*>(QAbstractEventDispatcher::instance());
    if (IoUringLoop* loop = dispatcher ? dispatcher->ioUring() : nullptr)
        m_io = new RingIo(this, loop);
#endif
}

void SocketStream::detachRing()
{
    if (!m_io)
        return;
    RingIo* io = std::exchange(m_io, nullptr);
    io->stream = nullptr;
    if (!io->busy()) {
        delete io;
        return;
    }
    // Prepared SQEs name the descriptor by number: the kernel must look it up before close().
    io->loop->submit();
    if (io->recvArmed && !io->cancelAsked)
        io->loop->prepareCancel(&io->recvOp);
    if (io->sendArmed)
        io->loop->prepareCancel(&io->sendOp);
    io->loop->retire(io); // deleted when the last completion arrives
}

bool SocketStream::readsInBulk() const
{
    return m_io && m_io->streaming;
}

void SocketStream::armRecv()
{
    m_io->recvArmed = true;
    m_io->cancelAsked = false;
    if (m_io->multishot && !m_io->plainNext && !m_io->streaming) {
        m_io->loop->prepareRecvMultishot(&m_io->recvOp, int(m_fd));
        return;
    }
    const qint64 size =
        m_io->multishot && !m_io->streaming ? qint64(IoUringLoop::kBufferSize) : kReadBuffer;
    if (m_io->recvBuffer.size() != size)
        m_io->recvBuffer = QByteArray(size, Qt::Uninitialized);
    m_io->loop->prepareRecv(&m_io->recvOp, int(m_fd), m_io->recvBuffer.data(), unsigned(size));
}

void SocketStream::startSend()
{
#ifdef __linux__
    int count = 0;
    qint64 offset = m_frontOffset;
    for (auto it = m_out.begin(); it != m_out.end() && count < RingIo::kMaxIov; ++it) {
        m_io->sendChunks[count] = *it; // shared: alive until the completion even if m_out clears
        m_io->iov[count].iov_base = const_cast<char*>(it->constData()) + offset;
        m_io->iov[count].iov_len = std::size_t(it->size() - offset);
        offset = 0;
        ++count;
    }
    m_io->msg = msghdr{};
    m_io->msg.msg_iov = m_io->iov;
    m_io->msg.msg_iovlen = std::size_t(count);
    m_io->sendArmed = true;
    m_io->loop->prepareSendMsg(&m_io->sendOp, int(m_fd), &m_io->msg);
#endif
}

void SocketStream::onRecvDone(int result, const char* bytes, bool more, bool followed)
{
    if (!more)
        m_io->cancelAsked = false; // the recv ended; a cancel still on its way finds nothing
    if (m_phase != Phase::Connected)
        return;
    if (result == -ECANCELED || result == -EINTR || result == -EAGAIN || result == -ENOBUFS) {
        // -ENOBUFS: one turn took every buffer of the ring; they are back by now, but the
        // next recv is a plain one so that a dry ring can never make the loop spin.
        if (result == -ENOBUFS)
            m_io->plainNext = true;
        if (result == -ECANCELED && m_io->streaming && !more)
            m_io->recvBuffer = QByteArray(); // back-pressure: no large buffer while disabled
        if (!more)
            updateNotifiers(); // re-armed if reading is (again) wanted
        return;
    }
    QByteArray data;
    if (result > 0) {
        if (bytes && followed) { // more of this wake-up comes next: one `received` for all
            m_io->gathered.append(bytes, result);
            return;
        }
        if (bytes && !m_io->gathered.isEmpty()) { // the last piece of a gathered wake-up
            m_io->gathered.append(bytes, result);
            data = std::exchange(m_io->gathered, QByteArray());
            result = int(data.size());
        } else if (bytes) { // a buffer of the loop's ring, lent for this call only
            data = QByteArray(bytes, result);
        } else if (m_io->multishot && m_io->streaming && result >= kKeepReadBuffer) {
            data = std::exchange(m_io->recvBuffer, QByteArray()); // travels upward uncopied
            data.truncate(result);
            m_io->plainNext = false;
        } else if (m_io->multishot) {
            // The plain recv after -ENOBUFS, or a stream's short one: its buffer goes, and the
            // multishot comes back.
            data = QByteArray(m_io->recvBuffer.constData(), result);
            m_io->recvBuffer = QByteArray();
            m_io->plainNext = false;
            m_io->streaming = false;
        } else if (result >= kKeepReadBuffer) { // as doRead: a large read travels in its buffer
            data = std::exchange(m_io->recvBuffer, QByteArray());
            data.truncate(result);
        } else {
            data = QByteArray(m_io->recvBuffer.constData(), result);
        }
    }
    if (bytes && more && data.size() >= kStreamingRead && !m_io->streaming && !m_io->cancelAsked &&
        !m_io->cancelInFlight) {
        // A bulk transfer: take the multishot back; its last completion (-ECANCELED) re-arms
        // the socket's recv as a plain one into its own buffer (armRecv). Bytes that complete
        // before the cancel come through here as usual, in order.
        m_io->streaming = true;
        m_io->cancelAsked = true;
        m_io->cancelInFlight = true;
        m_io->loop->prepareCancel(&m_io->recvOp, &m_io->cancelOp);
    }
    if ((!m_readEnabled && !m_lingering) || m_io->held()) {
        // It completed after its cancel was asked (or behind bytes already held): kept, in
        // order, until reading is enabled again; never delivered while disabled.
        if (result > 0)
            m_io->heldData += data;
        else if (m_io->heldEnd == RingIo::kNoEnd)
            m_io->heldEnd = result;
        if (!more)
            updateNotifiers();
        return;
    }
    handleReceived(data, result);
}

void SocketStream::onCancelDone(int result)
{
    // Not found although the recv has not reported its end (and was not re-armed since): ask
    // again, so that a disabled socket can never go on receiving into the held bytes. A recv
    // that ended meanwhile has its final completion ahead of this one, so this is a guard.
    if (result == -ENOENT && m_io->recvArmed && m_io->cancelAsked) {
        m_io->cancelAsked = false;
        updateNotifiers();
    }
}

void SocketStream::deliverHeld()
{
    if (!m_io)
        return;
    m_io->heldQueued = false;
    if (!m_io->held() || m_phase != Phase::Connected || !(m_readEnabled || m_lingering))
        return;
    const QByteArray data = std::exchange(m_io->heldData, QByteArray());
    const int end = std::exchange(m_io->heldEnd, RingIo::kNoEnd);
    if (!data.isEmpty()) {
        const Alive self(this);
        handleReceived(data, int(data.size()));
        if (end == RingIo::kNoEnd || !self || m_phase != Phase::Connected || !m_io)
            return;
        if (!m_readEnabled && !m_lingering) { // disabled again by the bytes: the end waits
            m_io->heldEnd = end;
            return;
        }
    }
    if (end != RingIo::kNoEnd)
        handleReceived(QByteArray(), end);
}

void SocketStream::handleReceived(const QByteArray& data, int result)
{
    const bool eof = result == 0;
    const int error = result < 0 ? -result : 0;
    if (m_lingering) { // closed by us: input is dropped until the peer's FIN
        if (eof || error) {
            closeDescriptor();
            emit finished();
        } else {
            updateNotifiers();
        }
        return;
    }
    const Alive self(this);
    if (result > 0) {
        deliver(data);
        if (self && m_phase == Phase::Connected)
            updateNotifiers(); // the next recv, unless reading was disabled meanwhile
        return;
    }
    if (error) {
        fail(error);
        return;
    }
    peerClosed();
}

// The peer's FIN, on either path: no more reads; a stream whose own side is shut down too and
// whose output is written is finished.
void SocketStream::peerClosed()
{
    const Alive self(this);
    m_peerEof = true;
    updateNotifiers();
    emit readClosed();
    if (!self || m_phase != Phase::Connected)
        return;
    if (m_shutdownDone && m_out.empty()) {
        closeDescriptor();
        emit finished();
    }
}

void SocketStream::onSendDone(int result)
{
#ifdef __linux__
    for (QByteArray& chunk : m_io->sendChunks)
        chunk = QByteArray();
#endif
    if (m_phase != Phase::Connected)
        return;
    if (result == -ECANCELED || result == -EINTR || result == -EAGAIN) {
        updateNotifiers(); // sent again
        return;
    }
    if (result < 0) {
        fail(-result);
        return;
    }
    qint64 left = result;
    while (left > 0 && !m_out.empty()) {
        const qint64 take = qMin<qint64>(left, m_out.front().size() - m_frontOffset);
        left -= take;
        m_pending -= take;
        m_frontOffset += take;
        if (m_frontOffset == m_out.front().size()) {
            m_out.pop_front();
            m_frontOffset = 0;
        }
    }
    updateNotifiers(); // a partial send continues, more queued data goes next
    const Alive self(this);
    if (result > 0)
        notifyWritten();
    if (self && m_phase == Phase::Connected && m_out.empty())
        afterFlush();
}

} // namespace spyglass
