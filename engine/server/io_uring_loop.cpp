#include "server/io_uring_loop.h"

#include <QLoggingCategory>

#ifdef SPYGLASS_HAVE_LIBURING
#include <cerrno>
#include <cstdint>
#include <liburing.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#endif

namespace spyglass {

namespace {
Q_LOGGING_CATEGORY(lcUring, "spyglass.io_uring")
}

bool IoUringLoop::wanted()
{
#ifdef SPYGLASS_HAVE_LIBURING
    // The default; SPYGLASS_IO_URING=0 switches it off (any other value, or none, keeps it).
    return qgetenv("SPYGLASS_IO_URING").trimmed() != "0";
#else
    return false;
#endif
}

#ifdef SPYGLASS_HAVE_LIBURING

namespace {
constexpr unsigned kEntries = 1024;
// user_data of operations whose completion nobody waits for (cancels). Requests are pointers,
// never 1.
constexpr std::uint64_t kIgnored = 1;
constexpr int kBufferGroup = 0; // the provided-buffer ring's group id
} // namespace

struct IoUringLoop::Ring
{
    io_uring ring{};
    // The provided-buffer ring (buffer group kBufferGroup), or null.
    io_uring_buf_ring* bufRing = nullptr;
    std::size_t bufRingBytes = 0;
    char* buffers = nullptr;
    std::size_t buffersBytes = 0;
    unsigned bufferCount = 0;
    unsigned bufferSize = 0;

    bool setupBuffers(unsigned count, unsigned size);
    void recycle(unsigned id)
    {
        io_uring_buf_ring_add(bufRing, buffers + std::size_t(id) * bufferSize, bufferSize,
                              static_cast<unsigned short>(id), io_uring_buf_ring_mask(bufferCount),
                              0);
        io_uring_buf_ring_advance(bufRing, 1);
    }
    ~Ring()
    {
        if (buffers)
            ::munmap(buffers, buffersBytes);
        if (bufRing)
            ::munmap(bufRing, bufRingBytes);
    }
};

bool IoUringLoop::Ring::setupBuffers(unsigned count, unsigned size)
{
    if (count == 0 || (count & (count - 1)) != 0 || count > 32768 || size == 0)
        return false;
    // Both mappings are anonymous: pages become resident only where the kernel writes.
    bufRingBytes = std::size_t(count) * sizeof(io_uring_buf);
    void* ringMemory =
        ::mmap(nullptr, bufRingBytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (ringMemory == MAP_FAILED)
        return false;
    io_uring_buf_reg reg{};
    reg.ring_addr = std::uint64_t(reinterpret_cast<std::uintptr_t>(ringMemory));
    reg.ring_entries = count;
    reg.bgid = kBufferGroup;
    const int rc = io_uring_register_buf_ring(&ring, &reg, 0);
    if (rc != 0) {
        ::munmap(ringMemory, bufRingBytes);
        qCDebug(lcUring) << "no provided-buffer ring, sockets keep their own recv buffers:"
                         << qt_error_string(-rc);
        return false;
    }
    buffersBytes = std::size_t(count) * size;
    void* bufferMemory =
        ::mmap(nullptr, buffersBytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (bufferMemory == MAP_FAILED) {
        io_uring_unregister_buf_ring(&ring, kBufferGroup);
        ::munmap(ringMemory, bufRingBytes);
        return false;
    }
    bufRing = static_cast<io_uring_buf_ring*>(ringMemory);
    buffers = static_cast<char*>(bufferMemory);
    bufferCount = count;
    bufferSize = size;
    io_uring_buf_ring_init(bufRing);
    for (unsigned id = 0; id < count; ++id)
        io_uring_buf_ring_add(bufRing, buffers + std::size_t(id) * size, size,
                              static_cast<unsigned short>(id), io_uring_buf_ring_mask(count),
                              int(id));
    io_uring_buf_ring_advance(bufRing, int(count));
    return true;
}

std::unique_ptr<IoUringLoop> IoUringLoop::create(unsigned bufferCount, unsigned bufferSize)
{
    // DEFER_TASKRUN: completions are processed only inside our own io_uring_enter, with no
    // interrupting task work in between (6.1+); older kernels get COOP_TASKRUN or a plain ring.
    const unsigned flagSets[] = {IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
                                 IORING_SETUP_COOP_TASKRUN, 0};
    auto ring = std::make_unique<Ring>();
    int rc = -ENOSYS;
    for (const unsigned flags : flagSets) {
        io_uring_params params{};
        params.flags = flags;
        rc = io_uring_queue_init_params(kEntries, &ring->ring, &params);
        if (rc == 0) {
            if (!(params.features & IORING_FEAT_EXT_ARG)) {
                // Without it a timed wait costs a timeout SQE per turn: not worth it (< 5.11).
                io_uring_queue_exit(&ring->ring);
                qCDebug(lcUring) << "io_uring lacks IORING_FEAT_EXT_ARG; staying on epoll";
                return nullptr;
            }
            break;
        }
    }
    if (rc != 0) {
        qCDebug(lcUring) << "io_uring unavailable, staying on epoll:" << qt_error_string(-rc);
        return nullptr;
    }
    if (bufferCount > 0)
        ring->setupBuffers(bufferCount, bufferSize);
    return std::unique_ptr<IoUringLoop>(new IoUringLoop(std::move(ring)));
}

IoUringLoop::IoUringLoop(std::unique_ptr<Ring> ring) : m_ring(std::move(ring)) {}

IoUringLoop::~IoUringLoop()
{
    // The kernel cancels whatever is still in flight; the retired clients' buffers may go now.
    io_uring_queue_exit(&m_ring->ring); // unregisters the buffer ring too
    for (Client* client : m_retired)
        delete client;
}

bool IoUringLoop::hasBufferRing() const
{
    return m_ring->bufRing != nullptr;
}

void* IoUringLoop::nextSqe()
{
    io_uring_sqe* sqe = io_uring_get_sqe(&m_ring->ring);
    if (!sqe) { // the submission queue is full: hand it over and take a fresh entry
        submit();
        sqe = io_uring_get_sqe(&m_ring->ring);
    }
    if (!sqe) // cannot happen after a submit; fatal rather than silently losing an operation
        qFatal("io_uring: no submission queue entry after submit");
    ++m_prepared;
    return sqe;
}

void IoUringLoop::prepareRecv(Request* request, int fd, void* buffer, unsigned length)
{
    auto* sqe = static_cast<io_uring_sqe*>(nextSqe());
    io_uring_prep_recv(sqe, fd, buffer, length, 0);
    io_uring_sqe_set_data(sqe, request);
    ++m_inFlight;
}

void IoUringLoop::prepareRecvMultishot(Request* request, int fd)
{
    auto* sqe = static_cast<io_uring_sqe*>(nextSqe());
    io_uring_prep_recv_multishot(sqe, fd, nullptr, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = kBufferGroup;
    io_uring_sqe_set_data(sqe, request);
    ++m_inFlight;
}

void IoUringLoop::prepareSend(Request* request, int fd, const void* buffer, unsigned length)
{
    auto* sqe = static_cast<io_uring_sqe*>(nextSqe());
    io_uring_prep_send(sqe, fd, buffer, length, MSG_NOSIGNAL);
    io_uring_sqe_set_data(sqe, request);
    ++m_inFlight;
}

void IoUringLoop::prepareSendMsg(Request* request, int fd, const msghdr* message)
{
    auto* sqe = static_cast<io_uring_sqe*>(nextSqe());
    io_uring_prep_sendmsg(sqe, fd, message, MSG_NOSIGNAL);
    io_uring_sqe_set_data(sqe, request);
    ++m_inFlight;
}

void IoUringLoop::prepareRead(Request* request, int fd, void* buffer, unsigned length)
{
    auto* sqe = static_cast<io_uring_sqe*>(nextSqe());
    io_uring_prep_read(sqe, fd, buffer, length, 0);
    io_uring_sqe_set_data(sqe, request);
    ++m_inFlight;
}

void IoUringLoop::preparePollIn(Request* request, int fd)
{
    auto* sqe = static_cast<io_uring_sqe*>(nextSqe());
    io_uring_prep_poll_add(sqe, fd, POLLIN);
    io_uring_sqe_set_data(sqe, request);
    ++m_inFlight;
}

void IoUringLoop::prepareCancel(const Request* request, Request* outcome)
{
    auto* sqe = static_cast<io_uring_sqe*>(nextSqe());
    io_uring_prep_cancel64(sqe, std::uint64_t(reinterpret_cast<std::uintptr_t>(request)), 0);
    if (outcome) {
        io_uring_sqe_set_data(sqe, outcome);
        ++m_inFlight;
    } else {
        io_uring_sqe_set_data64(sqe, kIgnored);
    }
}

void IoUringLoop::submit()
{
    if (m_prepared == 0)
        return;
    int rc;
    do {
        rc = io_uring_submit(&m_ring->ring);
    } while (rc == -EINTR);
    // Every prepared SQE is consumed (the kernel takes them all or fails the enter outright).
    if (rc >= 0)
        m_prepared = 0;
}

int IoUringLoop::wait(qint64 timeoutNs)
{
    io_uring* ring = &m_ring->ring;
    int rc = 0;
    if (io_uring_cq_ready(ring) == 0) {
        if (timeoutNs == 0) {
            if (m_prepared > 0) // submit only; with DEFER_TASKRUN get_events runs task work
                rc = io_uring_submit_and_get_events(ring);
            else
                rc = io_uring_get_events(ring);
        } else if (timeoutNs < 0) {
            rc = io_uring_submit_and_wait(ring, 1);
        } else {
            __kernel_timespec ts{};
            ts.tv_sec = timeoutNs / 1000000000;
            ts.tv_nsec = timeoutNs % 1000000000;
            io_uring_cqe* cqe = nullptr;
            rc = io_uring_submit_and_wait_timeout(ring, &cqe, 1, &ts, nullptr);
        }
        if (rc >= 0 || rc == -ETIME || rc == -EINTR)
            m_prepared = 0; // submitted (a timeout or signal ends only the waiting part)
    } else if (m_prepared > 0) {
        submit();
    }

    int ran = 0;
    // Completions may prepare new operations (and even submit, which does not touch the
    // completion queue), so take one at a time and advance before running it.
    io_uring_cqe* cqe = nullptr;
    while (io_uring_peek_cqe(ring, &cqe) == 0 && cqe) {
        const std::uint64_t data = io_uring_cqe_get_data64(cqe);
        const int result = cqe->res;
        const unsigned flags = cqe->flags;
        io_uring_cqe_seen(ring, cqe);
        // A buffer of the ring holds the bytes: lent for the call, then given back at once,
        // so a consumer that is slow to read never keeps ring buffers.
        const bool hasBuffer = (flags & IORING_CQE_F_BUFFER) && m_ring->bufRing;
        const unsigned bufferId = flags >> IORING_CQE_BUFFER_SHIFT;
        const char* bytes = hasBuffer && bufferId < m_ring->bufferCount
                                ? m_ring->buffers + std::size_t(bufferId) * m_ring->bufferSize
                                : nullptr;
        if (data != kIgnored && data != 0) {
            const bool more = flags & IORING_CQE_F_MORE;
            if (!more)
                --m_inFlight;
            ++ran;
            // Whether the next completion in the queue is more bytes of the same operation
            // (a multishot's pieces of one wake-up come together): read before the call,
            // which may submit and so let the kernel post more.
            bool followed = false;
            io_uring_cqe* next = nullptr;
            if (result > 0 && more && io_uring_peek_cqe(ring, &next) == 0 && next)
                followed = io_uring_cqe_get_data64(next) == data && next->res > 0;
            reinterpret_cast<Request*>(std::uintptr_t(data))
                ->received(result, result > 0 ? bytes : nullptr, more, followed);
        }
        if (bytes)
            m_ring->recycle(bufferId);
    }
    return ran;
}

int IoUringLoop::fillCompletionQueue(unsigned want, qint64 timeoutNs)
{
    io_uring* ring = &m_ring->ring;
    if (io_uring_cq_ready(ring) < want) {
        __kernel_timespec ts{};
        ts.tv_sec = timeoutNs / 1000000000;
        ts.tv_nsec = timeoutNs % 1000000000;
        io_uring_cqe* cqe = nullptr; // waiting does not consume anything
        const int rc = io_uring_submit_and_wait_timeout(ring, &cqe, want, &ts, nullptr);
        if (rc >= 0 || rc == -ETIME || rc == -EINTR)
            m_prepared = 0;
    } else if (m_prepared > 0) {
        submit();
    }
    return int(io_uring_cq_ready(ring));
}

#else // no liburing at build time: create() never makes one, so nothing below is reached

struct IoUringLoop::Ring
{
};

std::unique_ptr<IoUringLoop> IoUringLoop::create(unsigned, unsigned)
{
    qCDebug(lcUring) << "built without liburing; staying on epoll";
    return nullptr;
}

IoUringLoop::IoUringLoop(std::unique_ptr<Ring> ring) : m_ring(std::move(ring)) {}
IoUringLoop::~IoUringLoop()
{
    for (Client* client : m_retired)
        delete client;
}
void* IoUringLoop::nextSqe()
{
    return nullptr;
}
void IoUringLoop::prepareRecv(Request*, int, void*, unsigned) {}
void IoUringLoop::prepareRecvMultishot(Request*, int) {}
bool IoUringLoop::hasBufferRing() const
{
    return false;
}
int IoUringLoop::fillCompletionQueue(unsigned, qint64)
{
    return 0;
}
void IoUringLoop::prepareSend(Request*, int, const void*, unsigned) {}
void IoUringLoop::prepareSendMsg(Request*, int, const msghdr*) {}
void IoUringLoop::prepareRead(Request*, int, void*, unsigned) {}
void IoUringLoop::preparePollIn(Request*, int) {}
void IoUringLoop::prepareCancel(const Request*, Request*) {}
void IoUringLoop::submit() {}
int IoUringLoop::wait(qint64)
{
    return 0;
}

#endif

void IoUringLoop::retire(Client* client)
{
    m_retired.insert(client);
}

void IoUringLoop::release(Client* client)
{
    if (m_retired.erase(client))
        delete client;
}

} // namespace spyglass
