/* The floor of any relay on this machine (issue 4): a minimal TCP relay that only forwards bytes,
 * so bench/relay_floor.sh can show what fraction of the direct WebSocket echo rate a process in
 * the middle can reach at all, before any proxy logic.
 *
 *   relay_floor --epoll|--uring|--splice [--threads N] LISTENPORT UPHOST UPPORT
 *
 * Listens on 127.0.0.1:LISTENPORT; for each client it connects to UPHOST:UPPORT and copies bytes
 * both ways until either side ends. Nothing else: no parsing, no logging. One thread, or with
 * --threads N, N independent loops that each listen on the port with SO_REUSEPORT (the kernel
 * spreads the connections), like a proxy with N worker threads.
 *   --epoll  level-triggered epoll, recv + send per readable socket (what an epoll proxy does),
 *            through one 256 KiB buffer.
 *   --splice the same loop, but the bytes go socket -> pipe -> socket with splice(2), never
 *            into user space (bench/s4_floor.sh: does that beat copying for a bulk download?).
 *   --uring  io_uring (liburing): a recv is kept armed on every socket; its completion queues a
 *            send to the peer linked with the next recv on the same socket; all queued SQEs go
 *            in one io_uring_enter per loop turn (submit_and_wait), so the relay makes one
 *            syscall per turn however many messages completed; DEFER_TASKRUN where the kernel
 *            has it (6.1+). Built only with -DHAVE_LIBURING (-luring -lpthread).
 * epoll: a send that does not take everything at once (never for the small ping-pong messages)
 * falls back to a blocking write of the rest: fine for a floor measurement, not for a real
 * proxy. io_uring: sends carry MSG_WAITALL, so the kernel finishes a partial send itself. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

#define BUF 65536

static void die(const char* what)
{
    perror(what);
    exit(1);
}

static const char* g_upHost;
static int g_upPort;

static int listenOn(int port)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(lfd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr*)&a, sizeof a) != 0 || listen(lfd, 512) != 0)
        die("listen");
    return lfd;
}

/* Blocking connect to the upstream (loopback, so it takes microseconds); -1 on failure. */
static int dialUpstream(void)
{
    struct addrinfo hints = {0}, *res;
    char portText[16];
    snprintf(portText, sizeof portText, "%d", g_upPort);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(g_upHost, portText, &hints, &res) != 0)
        return -1;
    int fd = socket(res->ai_family, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static void tune(int fd, int nonblocking)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (nonblocking)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* Writes the rest of a partial send, waiting with poll; 0 when all went out (epoll backend). */
static int finishSend(int fd, const char* data, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, data, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                struct pollfd p = {.fd = fd, .events = POLLOUT};
                poll(&p, 1, -1);
                continue;
            }
            return -1;
        }
        data += w;
        n -= (size_t)w;
    }
    return 0;
}

/* ---- epoll ----------------------------------------------------------------------------- */

#define EPOLL_BUF (256 * 1024)
#define PIPE_SIZE (1024 * 1024)

static int g_splice;

struct Side
{
    int fd;
    int pipe[2]; /* --splice: what this side received, on its way to the peer */
    struct Side* peer;
};

/* --splice: moves what s's socket has (up to the pipe's size) to the peer's socket through
 * s's pipe; waits with poll while the peer cannot take more. Returns the bytes moved, 0 at
 * the end of s's stream, -1 on an error, -2 when s had nothing after all. */
static ssize_t spliceOnce(struct Side* s)
{
    ssize_t r = splice(s->fd, NULL, s->pipe[1], NULL, PIPE_SIZE, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (r < 0)
        return errno == EAGAIN || errno == EINTR ? -2 : -1;
    for (ssize_t left = r; left > 0;) {
        ssize_t w = splice(s->pipe[0], NULL, s->peer->fd, NULL, (size_t)left,
                           SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                return -1;
            struct pollfd p = {.fd = s->peer->fd, .events = POLLOUT};
            poll(&p, 1, -1);
            continue;
        }
        left -= w;
    }
    return r;
}

static void closePair(int ep, struct Side* s)
{
    struct Side* p = s->peer;
    epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
    epoll_ctl(ep, EPOLL_CTL_DEL, p->fd, NULL);
    close(s->fd);
    close(p->fd);
    if (g_splice) {
        close(s->pipe[0]);
        close(s->pipe[1]);
        close(p->pipe[0]);
        close(p->pipe[1]);
    }
    free(s < p ? s : p); /* both sides live in one allocation */
}

static void runEpoll(int lfd)
{
    tune(lfd, 1);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event events[256];
    char* buf = malloc(EPOLL_BUF);
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; ++i) {
            struct Side* s = events[i].data.ptr;
            if (!s) {
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    int up = dialUpstream();
                    if (up < 0) {
                        close(fd);
                        continue;
                    }
                    tune(fd, 1);
                    tune(up, 1);
                    struct Side* pair = calloc(2, sizeof *pair);
                    pair[0] = (struct Side){fd, {-1, -1}, &pair[1]};
                    pair[1] = (struct Side){up, {-1, -1}, &pair[0]};
                    if (g_splice) {
                        for (int k = 0; k < 2; ++k) {
                            if (pipe2(pair[k].pipe, O_NONBLOCK) != 0)
                                die("pipe2");
                            fcntl(pair[k].pipe[1], F_SETPIPE_SZ, PIPE_SIZE);
                        }
                    }
                    struct epoll_event a = {.events = EPOLLIN, .data.ptr = &pair[0]};
                    struct epoll_event b = {.events = EPOLLIN, .data.ptr = &pair[1]};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &a);
                    epoll_ctl(ep, EPOLL_CTL_ADD, up, &b);
                }
                continue;
            }
            if (g_splice) {
                const ssize_t r = spliceOnce(s);
                if (r == -2)
                    continue;
                if (r <= 0) {
                    closePair(ep, s);
                    break;
                }
                continue;
            }
            ssize_t r = recv(s->fd, buf, EPOLL_BUF, 0);
            if (r < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (r <= 0 || finishSend(s->peer->fd, buf, (size_t)r) != 0) {
                closePair(ep, s);
                /* a later event in this batch may name the freed pair: stop the batch here */
                break;
            }
        }
    }
}

/* ---- io_uring -------------------------------------------------------------------------- */

#ifdef HAVE_LIBURING
enum Op
{
    OpAccept = 1,
    OpRecv,
    OpSend
};

struct USide
{
    int fd;
    int closing;
    int inflight; /* SQEs not yet completed that name this side */
    struct USide* peer;
    char buf[BUF];
};

/* user_data: the side pointer with the op in the low bits (USide is 8-byte aligned) */
static void* tag(struct USide* s, enum Op op)
{
    return (void*)((uintptr_t)s | (uintptr_t)op);
}

static struct io_uring_sqe* sqe(struct io_uring* ring)
{
    struct io_uring_sqe* e = io_uring_get_sqe(ring);
    if (!e) {
        io_uring_submit(ring);
        e = io_uring_get_sqe(ring);
    }
    if (!e)
        die("io_uring_get_sqe");
    return e;
}

static void armRecv(struct io_uring* ring, struct USide* s)
{
    struct io_uring_sqe* e = sqe(ring);
    io_uring_prep_recv(e, s->fd, s->buf, BUF, 0);
    io_uring_sqe_set_data(e, tag(s, OpRecv));
    ++s->inflight;
}

static void armAccept(struct io_uring* ring, int lfd)
{
    struct io_uring_sqe* e = sqe(ring);
    io_uring_prep_accept(e, lfd, NULL, NULL, 0);
    io_uring_sqe_set_data(e, (void*)(uintptr_t)OpAccept);
}

/* Shuts both sockets so every armed op completes, frees the pair once none is in flight. */
static void closeU(struct USide* s)
{
    struct USide* p = s->peer;
    if (!s->closing) {
        s->closing = p->closing = 1;
        shutdown(s->fd, SHUT_RDWR);
        shutdown(p->fd, SHUT_RDWR);
    }
    if (s->inflight == 0 && p->inflight == 0) {
        close(s->fd);
        close(p->fd);
        free(s < p ? s : p); /* both sides live in one allocation */
    }
}

static void runUring(int lfd)
{
    /* DEFER_TASKRUN: completions are processed only inside our own io_uring_enter, with no
     * interrupting task work in between (kernel >= 6.1); older kernels get the plain ring. */
    const unsigned flagSets[] = {IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
                                 IORING_SETUP_COOP_TASKRUN, 0};
    struct io_uring ring;
    int rc = -1;
    for (size_t i = 0; i < sizeof flagSets / sizeof flagSets[0] && rc < 0; ++i) {
        struct io_uring_params params = {0};
        params.flags = flagSets[i];
        rc = io_uring_queue_init_params(1024, &ring, &params);
    }
    if (rc < 0) {
        errno = -rc;
        die("io_uring_queue_init");
    }
    armAccept(&ring, lfd);
    for (;;) {
        /* the one syscall of this turn: submits everything queued below, waits for one */
        rc = io_uring_submit_and_wait(&ring, 1);
        if (rc < 0 && rc != -EINTR) {
            errno = -rc;
            die("io_uring_submit_and_wait");
        }
        struct io_uring_cqe* cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe)
        {
            ++seen;
            uintptr_t data = (uintptr_t)io_uring_cqe_get_data(cqe);
            enum Op op = (enum Op)(data & 7);
            struct USide* s = (struct USide*)(data & ~(uintptr_t)7);
            int res = cqe->res;
            if (op == OpAccept) {
                armAccept(&ring, lfd);
                if (res < 0)
                    continue;
                int up = dialUpstream();
                if (up < 0) {
                    close(res);
                    continue;
                }
                tune(res, 0);
                tune(up, 0);
                struct USide* pair = calloc(2, sizeof *pair);
                pair[0].fd = res;
                pair[0].peer = &pair[1];
                pair[1].fd = up;
                pair[1].peer = &pair[0];
                armRecv(&ring, &pair[0]);
                armRecv(&ring, &pair[1]);
                continue;
            }
            --s->inflight;
            if (s->closing || res < 0 || (op == OpRecv && res == 0)) {
                /* end of stream, an error, or the recv cancelled because its linked send
                 * failed (MSG_WAITALL makes a send short only on error) */
                closeU(s);
                continue;
            }
            if (op == OpRecv) {
                /* send to the peer, linked with the next recv on this socket (the buffer is
                 * reused only after the send completed); both go in the next enter */
                struct io_uring_sqe* e = sqe(&ring);
                io_uring_prep_send(e, s->peer->fd, s->buf, (size_t)res, MSG_NOSIGNAL | MSG_WAITALL);
                io_uring_sqe_set_data(e, tag(s, OpSend));
                e->flags |= IOSQE_IO_LINK;
                ++s->inflight;
                armRecv(&ring, s);
            }
            /* OpSend with res >= 0: all went out, the linked recv is armed already */
        }
        io_uring_cq_advance(&ring, seen);
    }
}
#endif

struct Loop
{
    int uring;
    int lfd;
};

static void* runLoop(void* arg)
{
    const struct Loop* l = arg;
#ifdef HAVE_LIBURING
    if (l->uring) {
        runUring(l->lfd);
        return NULL;
    }
#endif
    runEpoll(l->lfd);
    return NULL;
}

int main(int argc, char** argv)
{
    signal(SIGPIPE, SIG_IGN);
    int threads = 1;
    if (argc == 7 && strcmp(argv[2], "--threads") == 0) {
        threads = atoi(argv[3]);
        memmove(argv + 2, argv + 4, 3 * sizeof *argv);
        argc -= 2;
    }
    if (argc != 5 || threads < 1 ||
        (strcmp(argv[1], "--epoll") && strcmp(argv[1], "--uring") && strcmp(argv[1], "--splice"))) {
        fprintf(stderr, "usage: relay_floor --epoll|--uring|--splice [--threads N] LISTENPORT "
                        "UPHOST UPPORT\n");
        return 2;
    }
    g_upHost = argv[3];
    g_upPort = atoi(argv[4]);
    const int uring = strcmp(argv[1], "--uring") == 0;
    g_splice = strcmp(argv[1], "--splice") == 0;
#ifndef HAVE_LIBURING
    if (uring) {
        fprintf(stderr, "relay_floor: built without liburing (install liburing-dev)\n");
        return 2;
    }
#endif
    struct Loop* loops = calloc((size_t)threads, sizeof *loops);
    for (int i = 0; i < threads; ++i) {
        loops[i].uring = uring;
        loops[i].lfd = listenOn(atoi(argv[2]));
    }
    for (int i = 1; i < threads; ++i) {
        pthread_t t;
        if (pthread_create(&t, NULL, runLoop, &loops[i]) != 0)
            die("pthread_create");
    }
    runLoop(&loops[0]);
    return 0;
}
