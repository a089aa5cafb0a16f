#pragma once
// An io_uring submission/completion ring for one worker thread: the default when built with
// liburing and the kernel allows it; SPYGLASS_IO_URING=0 switches it off.
//
// Why: on a 2-core machine the proxy's CPU is mostly the kernel's: per relayed message the
// epoll path makes 2 recv + 2 send + some epoll_wait, each a system call and most a wake-up
// (docs/benchmarks.md, "the floor of any relay"). With a ring, a socket keeps one recv armed
// and its sends are queued as SQEs; everything queued during a loop turn goes to the kernel in
// the single io_uring_enter that also waits for the next completions (bench/relay_floor.c
// --uring: 20-40% less CPU per message, up to 3x fewer context switches).
//
// How it is used
// - EpollEventDispatcher owns one unless SPYGLASS_IO_URING=0, when the kernel allows it;
//   it waits in `wait()` instead of epoll_wait (the epoll descriptor itself is watched by a
//   poll SQE, so socket notifiers, timers and wake-ups work as before).
// - SocketStream prepares recv/send operations on it. Each operation names an
//   `IoUringLoop::Request`; its `completed(result)` runs inside `wait()` on the loop's thread
//   (result: bytes, 0 for end of stream, -errno on error, -ECANCELED when cancelled).
// - A Request must stay alive until its completion arrived. A `Client` whose owner is gone
//   while operations are in flight is handed to `retire()`; the loop deletes it when the owner
//   says it is done (`release`) or, at the latest, when the loop itself is destroyed.
// - SQEs name descriptors by number and the kernel looks the number up when the SQE is
//   submitted: call `submit()` before closing a descriptor that has prepared operations.
// Single-threaded: every call on the loop's own thread.

#include <QtGlobal>

#include <memory>
#include <unordered_set>

struct msghdr;

namespace spyglass {

class IoUringLoop
{
public:
    struct Request
    {
        virtual void completed(int result) = 0;
        // Every completion comes here first. For a multishot recv (prepareRecvMultishot)
        // `data` holds the `result` bytes the kernel put in a buffer of the loop's ring: valid
        // during the call only, the buffer goes back to the ring right after it. `more`: the
        // operation stays armed and more completions will follow. `followed`: the very next
        // completion is more bytes of this operation (so a receiver can gather the pieces of
        // one wake-up and pass them on once). By default: completed().
        virtual void received(int result, const char* data, bool more, bool followed)
        {
            Q_UNUSED(data);
            Q_UNUSED(more);
            Q_UNUSED(followed);
            completed(result);
        }

    protected:
        ~Request() = default;
    };
    // Something that owns Requests and may outlive its owner while they are in flight.
    struct Client
    {
        virtual ~Client() = default;
    };

    // The provided-buffer ring each loop registers (buffer group 0) for multishot recvs:
    // 16 x 16 KiB = 256 KiB per worker, SocketStream::kMaxReadPerWakeup. Buffers go back to the
    // ring only between two io_uring_enters, so one loop turn never takes more than that from
    // the kernel for all the worker's sockets together: the back-pressure bound of the epoll
    // path (one read of at most 256 KiB past the high-water mark) holds unchanged, and so
    // does peak RSS (S4, 100 MiB: +0.3 MiB over epoll; with 64 x 32 KiB it was +5 MiB and the
    // overshoot up to 2 MiB). 16 KiB per completion kept S4's throughput near epoll's where
    // 8 KiB lost a third. A turn with more than 16 sockets receiving runs dry: those sockets
    // get -ENOBUFS and one plain recv (SocketStream).
    static constexpr unsigned kBufferCount = 16;
    static constexpr unsigned kBufferSize = 16 * 1024;

    // Whether it was compiled in and the environment does not switch it off
    // (SPYGLASS_IO_URING=0).
    static bool wanted();
    // Null when io_uring cannot be had here (old kernel, seccomp, no liburing at build time).
    // `bufferCount` (a power of two) x `bufferSize`: the provided-buffer ring (tests make a
    // small one); 0 buffers: none. Without a buffer ring (not asked, or the kernel refused it)
    // hasBufferRing() is false and sockets use plain recvs into their own buffers.
    static std::unique_ptr<IoUringLoop> create(unsigned bufferCount = kBufferCount,
                                               unsigned bufferSize = kBufferSize);
    ~IoUringLoop();
    IoUringLoop(const IoUringLoop&) = delete;
    IoUringLoop& operator=(const IoUringLoop&) = delete;

    void prepareRecv(Request* request, int fd, void* buffer, unsigned length);
    // A multishot recv into the loop's buffer ring: one completion per received piece (with
    // `more` set) until it ends (end of stream, an error, -ENOBUFS when the ring ran dry,
    // -ECANCELED), whose completion has `more` clear. Only when hasBufferRing().
    void prepareRecvMultishot(Request* request, int fd);
    bool hasBufferRing() const;
    void prepareSend(Request* request, int fd, const void* buffer, unsigned length);
    // A gathering send; `message` (and what it points to) must live until the completion.
    void prepareSendMsg(Request* request, int fd, const msghdr* message);
    // A read(2) of a descriptor that is not a socket (the dispatcher's wake-up eventfd).
    void prepareRead(Request* request, int fd, void* buffer, unsigned length);
    // One-shot readiness (POLLIN) of a descriptor; the result is the poll mask.
    void preparePollIn(Request* request, int fd);
    // Asks the kernel to cancel the operation of `request` (its completion still comes).
    // `outcome`, if given, completes with the cancel's own result (0, -ENOENT: not found,
    // -EALREADY: under way).
    void prepareCancel(const Request* request, Request* outcome = nullptr);
    // Hands everything prepared to the kernel now (one io_uring_enter if anything is queued).
    void submit();
    // Submits what is prepared, waits up to `timeoutNs` (-1: no limit, 0: do not wait) for at
    // least one completion, and runs the completions that are there. Returns how many ran.
    int wait(qint64 timeoutNs);

    // Tests: submits what is prepared and enters the kernel until at least `want` completions
    // are in the queue or `timeoutNs` passed, without running any. Returns how many are ready.
    int fillCompletionQueue(unsigned want, qint64 timeoutNs);

    void retire(Client* client);
    void release(Client* client);
    int inFlight() const { return m_inFlight; }

private:
    struct Ring;
    explicit IoUringLoop(std::unique_ptr<Ring> ring);
    void* nextSqe();

    std::unique_ptr<Ring> m_ring;
    int m_prepared = 0; // SQEs not yet submitted
    int m_inFlight = 0; // operations whose completion has not run yet (cancels excluded)
    std::unordered_set<Client*> m_retired;
};

} // namespace spyglass
