#pragma once
// One non-blocking TCP socket: the doRead / doWrite half of the I/O shell (CONVENTIONS 6,
// nghttpx `ClientHandler::do_read/do_write`). It makes the system calls and nothing else; what
// the bytes mean is the ConnectionHandler's business.
//
// Why not QTcpSocket: QTcpSocket closes its descriptor as soon as the peer sends FIN, so a
// half-closed peer (a client that shuts down its sending side and waits for the answer) can
// no longer be written to, and it has no way to send our own FIN either. A proxy must relay
// half-closes both ways (mitmproxy `server.py` keeps a CAN_WRITE connection open), so this
// class owns a native descriptor with two QSocketNotifiers instead.
//
// Rules
// - Level-triggered: while reading is enabled and the kernel has bytes, `received` fires with
//   everything available, up to kMaxReadPerWakeup bytes per event-loop turn.
// - Reading disabled (`setReadEnabled(false)`) means we leave bytes in the kernel: its receive
//   buffer fills and TCP's window pushes back on the peer. Nothing is buffered in user space.
// - `write` queues; bytes leave as the kernel accepts them. `pendingOutput` is what is queued.
// - `shutdownWrite` sends FIN once the queue is empty and keeps reading.
// - `close` flushes, sends FIN, then lingers (discarding input) until the peer's FIN or
//   kLingerMs, so that closing with unread input does not turn into a RST that could destroy
//   our last bytes in flight. `abort` closes at once and drops the queue.
// - `finished` fires once, whenever the descriptor ends up closed (any path).
// Signals may be emitted from inside `write`/`abort` (an immediate send error); receivers must
// tolerate that (ConnectionHandler queues every event it derives from them).
//
// io_uring (the default, SPYGLASS_IO_URING=0: off; docs/io_uring.md): when the thread's dispatcher
// has an IoUringLoop, a connected socket has no notifiers. While reading is enabled (or lingering)
// one multishot recv takes bytes into the loop's provided-buffer ring; they are copied out at once
// and the pieces of one wake-up are passed on in one `received`. The ring holds kMaxReadPerWakeup
// bytes, so a turn takes at most that from the kernel. Disabling reading cancels the recv;
// what completes anyway (before the cancel reached the kernel) is held, in order, and
// delivered (queued) once reading is enabled again, so the overshoot is at most one turn's
// kMaxReadPerWakeup, as above. A bulk transfer (one wake-up gathered >= 64 KiB) switches to one
// plain recv of up to kMaxReadPerWakeup into the socket's own buffer, which travels upward
// uncopied as on the epoll path, until a recv returns less than a quarter of it (then the
// multishot again, the buffer freed). Without a buffer ring (the kernel refused it) one plain recv
// into the socket's own buffer is armed instead. The front of the write queue goes out as
// one send in flight; `written` comes from its completion, never from inside `write`.
// Connecting stays on the notifier path.

#include "flow/connection.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <deque>
#include <functional>

class QSocketNotifier;
class QTimer;
class QHostInfo;

namespace spyglass {

class SocketStream : public QObject
{
    Q_OBJECT
public:
    // At most this many bytes are read per readiness notification (fairness between sockets
    // and the bound on how far a single read can overshoot the handler's high-water mark).
    static constexpr qint64 kMaxReadPerWakeup = 256 * 1024;
    // How long a closed socket keeps draining the peer's input while waiting for its FIN.
    static constexpr int kLingerMs = 2000;

    explicit SocketStream(QObject* parent = nullptr);
    ~SocketStream() override;
    SocketStream(const SocketStream&) = delete;
    SocketStream& operator=(const SocketStream&) = delete;

    // Takes ownership of an already connected descriptor (from accept()). Makes it
    // non-blocking and sets TCP_NODELAY. On failure the descriptor is closed.
    bool adopt(qintptr descriptor, QString* error);

    // Resolves `host` (a literal IP needs no lookup) and connects to each address in turn
    // until one succeeds: then `connected()`, else `connectFailed(reason)` with a reason such
    // as "Connection refused", "Host not found" or "timed out after 30 s". `timeoutMs` <= 0:
    // no time limit of our own.
    void connectToHost(const QByteArray& host, quint16 port, int timeoutMs);

    // Takes the place of the `received` signal (which is then not emitted): a direct call
    // costs a few instructions where the signal machinery costs ~400, twice per proxied
    // exchange. For the one receiver on the data path (ConnectionHandler); null restores the
    // signal. The handler may destroy the stream, and with it itself: like `delete this`, it
    // must touch none of its captures after that.
    using ReceiveHandler = std::function<void(const QByteArray& data)>;
    void setReceiveHandler(ReceiveHandler handler) { m_receiveHandler = std::move(handler); }
    // The same for the `written` signal (also twice per proxied exchange), on the same terms.
    using WrittenHandler = std::function<void(qint64 pendingOutput)>;
    void setWrittenHandler(WrittenHandler handler) { m_writtenHandler = std::move(handler); }

    void write(const QByteArray& data);
    void shutdownWrite();
    void close();
    void abort();
    void setReadEnabled(bool enabled);

    qint64 pendingOutput() const { return m_pending; }
    bool isOpen() const { return m_fd != -1 && m_phase == Phase::Connected; }
    bool isClosed() const { return m_phase == Phase::Closed; }
    bool isConnecting() const
    {
        return m_phase == Phase::Resolving || m_phase == Phase::Connecting;
    }
    Address localAddress() const { return m_local; }
    Address peerAddress() const { return m_peer; }
    // Transparent mode (Linux): where an adopted client meant to connect before the firewall
    // redirected it to us (netfilter SO_ORIGINAL_DST / IP6T_SO_ORIGINAL_DST). For a connection
    // that was not redirected but is tracked, that is our own address. False with `error`
    // when netfilter knows nothing of it, and always on other systems.
    bool originalDestination(Address* out, QString* error) const;

    // io_uring path: whether the socket reads a bulk transfer through one plain recv into its
    // own buffer (streaming) rather than the multishot recv into the loop's buffer ring.
    // False on the epoll path. For tests and diagnostics.
    bool readsInBulk() const;

    // "1.2.3.4" for an IPv4-mapped IPv6 address, else the usual text, never brackets.
    static QByteArray hostText(const QHostAddress& address);
    // Closes a descriptor that nobody adopted (an accepted socket whose worker is gone).
    static void discardDescriptor(qintptr descriptor);

Q_SIGNALS:
    void connected();
    void connectFailed(const QString& reason);
    void received(const QByteArray& data);
    void readClosed();                  // the peer sent FIN
    void failed(const QString& reason); // reset or another error; the descriptor is closed
    void written(qint64 pendingOutput); // bytes left the queue
    void finished();                    // the descriptor is closed

private:
    enum class Phase : quint8
    {
        Idle,
        Resolving,
        Connecting,
        Connected,
        Closed
    };

    // Tells a member function whether a signal or handler it called destroyed the stream:
    // QPointer's job without its shared atomic counter (two atomic operations and a call each
    // time, several times per exchange). The stream and its thread only: the counts are plain.
    struct Life
    {
        int guards = 0;
        bool destroyed = false;
    };
    class Alive
    {
    public:
        explicit Alive(const SocketStream* s) : m_life(s->m_life) { ++m_life->guards; }
        ~Alive()
        {
            if (--m_life->guards == 0 && m_life->destroyed)
                delete m_life; // the stream went first and left it to the last guard
        }
        Alive(const Alive&) = delete;
        Alive& operator=(const Alive&) = delete;
        explicit operator bool() const { return !m_life->destroyed; }

    private:
        Life* m_life;
    };

    void deliver(const QByteArray& data); // to the handler, or as `received`
    void notifyWritten();                 // to the handler, or as `written`
    void onLookedUp(const QHostInfo& info);
    void tryNextCandidate();
    void onConnectWritable();
    void onConnectTimeout();
    void failConnect(const QString& reason);
    void becomeConnected();

    void onReadable();
    void onWritable();
    void doRead();
    void peerClosed();
    void doWrite();
    void afterFlush();
    void closeDescriptor();
    void fail(int error);
    void updateNotifiers();
    void makeNotifiers();
    void dropNotifiers();
    void fillAddresses();
    // io_uring path (m_io set): see the comment at the top.
    struct RingIo;
    void attachRing();
    void detachRing();
    void armRecv();
    void startSend();
    void onRecvDone(int result, const char* bytes, bool more, bool followed);
    void onSendDone(int result);
    void onCancelDone(int result);
    void handleReceived(const QByteArray& data, int result);
    void deliverHeld();
    // Outgoing sockets are listed in OwnConnections while their descriptor is open.
    void rememberOwnAddress(qintptr fd);
    void forgetOwnAddress();

    qintptr m_fd = -1;
    Phase m_phase = Phase::Idle;
    QSocketNotifier* m_readNotifier = nullptr;
    QSocketNotifier* m_writeNotifier = nullptr;
    QTimer* m_timer = nullptr; // connect timeout, then linger timeout
    RingIo* m_io = nullptr;    // io_uring state (buffers live until their completions)

    std::deque<QByteArray> m_out;
    qint64 m_frontOffset = 0;
    qint64 m_pending = 0;
    ReceiveHandler m_receiveHandler;
    WrittenHandler m_writtenHandler;
    Life* m_life = new Life; // deleted with the stream, or by the last Alive if one outlives it

    bool m_readEnabled = true;
    bool m_peerEof = false;
    bool m_shutdownRequested = false;
    bool m_shutdownDone = false;
    bool m_closeRequested = false;
    bool m_lingering = false;

    // connecting
    QByteArray m_host;
    quint16 m_port = 0;
    int m_timeoutMs = 0;
    int m_lookupId = -1;
    QList<QHostAddress> m_candidates;
    QString m_lastConnectError;

    Address m_local;
    Address m_peer;
    Address m_ownAddress; // registered in OwnConnections (outgoing sockets only)
};

} // namespace spyglass
