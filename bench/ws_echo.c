/* WebSocket echo benchmark (issue 4): an echo server and a load client in one small C program,
 * so neither end is the bottleneck the way a Python client would be.
 *
 *   ws_echo server PORT
 *   ws_echo client HOST PORT CONNS SECONDS SIZE [PROXYHOST PROXYPORT]
 *
 * The client opens CONNS connections (through an HTTP proxy with CONNECT when given), upgrades
 * each to WebSocket (RFC 6455), then ping-pongs: every connection sends one masked text message
 * of SIZE bytes and waits for its echo before sending the next. After SECONDS it prints one
 * line: "messages=N seconds=S rate=R" (R = echoed messages per second). Plain ws:// only, on
 * loopback; everything is single-threaded epoll. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF 1048576

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char* what)
{
    perror(what);
    exit(1);
}

/* 0 when everything went out, -1 when the peer is gone. */
static int writeAll(int fd, const char* data, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, data, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                usleep(100);
                continue;
            }
            return -1;
        }
        data += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads until "\r\n\r\n"; returns the bytes after it (kept in buf), -1 on error. */
static ssize_t readHead(int fd, char* buf, size_t cap, size_t* headLen)
{
    size_t have = 0;
    for (;;) {
        ssize_t r = recv(fd, buf + have, cap - have - 1, 0);
        if (r <= 0)
            return -1;
        have += (size_t)r;
        buf[have] = 0;
        char* end = strstr(buf, "\r\n\r\n");
        if (end) {
            *headLen = (size_t)(end + 4 - buf);
            return (ssize_t)(have - *headLen);
        }
        if (have + 1 >= cap)
            return -1;
    }
}

static int dialTcp(const char* host, int port)
{
    struct addrinfo hints = {0}, *res;
    char portText[16];
    snprintf(portText, sizeof portText, "%d", port);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, portText, &hints, &res) != 0)
        die("getaddrinfo");
    int fd = socket(res->ai_family, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) != 0)
        die("connect");
    freeaddrinfo(res);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* ---- frames ---------------------------------------------------------------------------- */

static size_t frameHeader(unsigned char* out, uint64_t len, int masked)
{
    size_t n = 0;
    out[n++] = 0x81; /* FIN, text */
    unsigned char maskBit = masked ? 0x80 : 0;
    if (len < 126) {
        out[n++] = maskBit | (unsigned char)len;
    } else if (len < 65536) {
        out[n++] = maskBit | 126;
        out[n++] = (unsigned char)(len >> 8);
        out[n++] = (unsigned char)len;
    } else {
        out[n++] = maskBit | 127;
        for (int i = 7; i >= 0; --i)
            out[n++] = (unsigned char)(len >> (8 * i));
    }
    return n;
}

/* Parses one complete frame at buf[0..have); returns its total length or 0 if incomplete. */
static size_t frameLength(const unsigned char* buf, size_t have, uint64_t* payload, int* masked,
                          size_t* headerLen)
{
    if (have < 2)
        return 0;
    uint64_t len = buf[1] & 0x7f;
    size_t h = 2;
    if (len == 126) {
        if (have < 4)
            return 0;
        len = ((uint64_t)buf[2] << 8) | buf[3];
        h = 4;
    } else if (len == 127) {
        if (have < 10)
            return 0;
        len = 0;
        for (int i = 0; i < 8; ++i)
            len = (len << 8) | buf[2 + i];
        h = 10;
    }
    *masked = (buf[1] & 0x80) != 0;
    if (*masked)
        h += 4;
    if (have < h + len)
        return 0;
    *payload = len;
    *headerLen = h;
    return h + (size_t)len;
}

/* ---- server ---------------------------------------------------------------------------- */

struct Peer {
    int fd;
    int upgraded;
    size_t have;
    unsigned char* buf;
};

static void acceptKey(const char* head, char* out)
{
    const char* k = strcasestr(head, "Sec-WebSocket-Key:");
    char key[128] = {0};
    if (k) {
        k += strlen("Sec-WebSocket-Key:");
        while (*k == ' ')
            ++k;
        size_t i = 0;
        while (k[i] && k[i] != '\r' && i < sizeof key - 40)
            key[i] = k[i], ++i;
    }
    strcat(key, "258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1((const unsigned char*)key, strlen(key), digest);
    EVP_EncodeBlock((unsigned char*)out, digest, SHA_DIGEST_LENGTH);
}

static void serve(int port)
{
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr*)&a, sizeof a) != 0 || listen(lfd, 512) != 0)
        die("listen");
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event events[256];
    unsigned char* out = malloc(BUF + 16);
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        for (int i = 0; i < n; ++i) {
            struct Peer* p = events[i].data.ptr;
            if (!p) {
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    p = calloc(1, sizeof *p);
                    p->fd = fd;
                    p->buf = malloc(BUF);
                    struct epoll_event pe = {.events = EPOLLIN, .data.ptr = p};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &pe);
                }
                continue;
            }
            ssize_t r = recv(p->fd, p->buf + p->have, BUF - p->have, 0);
            if (r <= 0) {
                if (r < 0 && errno == EAGAIN)
                    continue;
                close(p->fd);
                free(p->buf);
                free(p);
                continue;
            }
            p->have += (size_t)r;
            if (!p->upgraded) {
                p->buf[p->have < BUF ? p->have : BUF - 1] = 0;
                char* end = strstr((char*)p->buf, "\r\n\r\n");
                if (!end)
                    continue;
                char accept[64];
                acceptKey((char*)p->buf, accept);
                char reply[256];
                int len = snprintf(reply, sizeof reply,
                                   "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                   "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
                                   accept);
                if (writeAll(p->fd, reply, (size_t)len) != 0) {
                    close(p->fd);
                    free(p->buf);
                    free(p);
                    continue;
                }
                size_t head = (size_t)(end + 4 - (char*)p->buf);
                memmove(p->buf, p->buf + head, p->have - head);
                p->have -= head;
                p->upgraded = 1;
            }
            size_t off = 0;
            int gone = 0;
            for (;;) {
                uint64_t payload;
                int masked;
                size_t h;
                size_t total = frameLength(p->buf + off, p->have - off, &payload, &masked, &h);
                if (!total)
                    break;
                unsigned char* data = p->buf + off + h;
                if (masked) {
                    const unsigned char* key = p->buf + off + h - 4;
                    for (uint64_t j = 0; j < payload; ++j)
                        data[j] ^= key[j & 3];
                }
                if ((p->buf[off] & 0x0f) == 0x8) { /* close: answer and hang up */
                    unsigned char c[2] = {0x88, 0};
                    writeAll(p->fd, (char*)c, 2);
                    shutdown(p->fd, SHUT_WR);
                    off += total;
                    break;
                }
                size_t oh = frameHeader(out, payload, 0);
                memcpy(out + oh, data, payload);
                if (writeAll(p->fd, (char*)out, oh + payload) != 0) {
                    gone = 1;
                    break;
                }
                off += total;
            }
            if (gone) {
                close(p->fd);
                free(p->buf);
                free(p);
                continue;
            }
            memmove(p->buf, p->buf + off, p->have - off);
            p->have -= off;
        }
    }
}

/* ---- client ---------------------------------------------------------------------------- */

struct Conn {
    int fd;
    size_t have;
    unsigned char* buf;
};

static void sendMessage(struct Conn* c, const unsigned char* payload, size_t size, unsigned char* scratch)
{
    size_t h = frameHeader(scratch, size, 1);
    const unsigned char key[4] = {0x12, 0x34, 0x56, 0x78};
    memcpy(scratch + h, key, 4);
    h += 4;
    for (size_t j = 0; j < size; ++j)
        scratch[h + j] = payload[j] ^ key[j & 3];
    if (writeAll(c->fd, (char*)scratch, h + size) != 0)
        die("send message");
}

static void client(const char* host, int port, int conns, double seconds, size_t size,
                   const char* proxyHost, int proxyPort)
{
    unsigned char* payload = malloc(size + 1);
    for (size_t i = 0; i < size; ++i)
        payload[i] = (unsigned char)('a' + i % 26);
    unsigned char* scratch = malloc(size + 32);
    struct Conn* cs = calloc((size_t)conns, sizeof *cs);
    int ep = epoll_create1(0);
    char head[8192];
    for (int i = 0; i < conns; ++i) {
        int fd = proxyHost ? dialTcp(proxyHost, proxyPort) : dialTcp(host, port);
        size_t headLen;
        if (proxyHost) {
            int n = snprintf(head, sizeof head,
                             "CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\n\r\n", host, port, host,
                             port);
            if (writeAll(fd, head, (size_t)n) != 0)
                die("send CONNECT");
            if (readHead(fd, head, sizeof head, &headLen) != 0 || strncmp(head + 9, "200", 3))
                die("CONNECT refused");
        }
        int n = snprintf(head, sizeof head,
                         "GET /echo HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                         "Sec-WebSocket-Version: 13\r\n\r\n",
                         host, port);
        if (writeAll(fd, head, (size_t)n) != 0)
            die("send upgrade");
        ssize_t extra = readHead(fd, head, sizeof head, &headLen);
        if (extra != 0 || strncmp(head + 9, "101", 3)) {
            fprintf(stderr, "upgrade refused: %.40s\n", head);
            exit(1);
        }
        cs[i].fd = fd;
        cs[i].buf = malloc(size + 64);
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &cs[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    /* Warm-up of one message each, then the measured ping-pong. */
    long long count = 0;
    for (int i = 0; i < conns; ++i)
        sendMessage(&cs[i], payload, size, scratch);
    const double start = now();
    const double stop = start + seconds;
    struct epoll_event events[256];
    while (now() < stop) {
        int n = epoll_wait(ep, events, 256, 100);
        for (int i = 0; i < n; ++i) {
            struct Conn* c = events[i].data.ptr;
            ssize_t r = recv(c->fd, c->buf + c->have, size + 64 - c->have, 0);
            if (r <= 0)
                die("recv (the echo connection ended)");
            c->have += (size_t)r;
            uint64_t len;
            int masked;
            size_t h;
            size_t total = frameLength(c->buf, c->have, &len, &masked, &h);
            if (!total)
                continue;
            if (len != size || memcmp(c->buf + h, payload, size) != 0)
                die("echo differs from the message");
            memmove(c->buf, c->buf + total, c->have - total);
            c->have -= total;
            ++count;
            sendMessage(c, payload, size, scratch);
        }
    }
    const double took = now() - start;
    printf("messages=%lld seconds=%.2f rate=%.0f\n", count, took, count / took);
}

int main(int argc, char** argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (argc == 3 && strcmp(argv[1], "server") == 0) {
        serve(atoi(argv[2]));
        return 0;
    }
    if ((argc == 7 || argc == 9) && strcmp(argv[1], "client") == 0) {
        client(argv[2], atoi(argv[3]), atoi(argv[4]), atof(argv[5]), (size_t)atol(argv[6]),
               argc == 9 ? argv[7] : NULL, argc == 9 ? atoi(argv[8]) : 0);
        return 0;
    }
    fprintf(stderr, "usage: ws_echo server PORT\n"
                    "       ws_echo client HOST PORT CONNS SECONDS SIZE [PROXYHOST PROXYPORT]\n");
    return 2;
}
