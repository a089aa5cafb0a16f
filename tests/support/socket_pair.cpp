#include "socket_pair.h"

#include <QtTest>

#include <cstring>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace spyglass::test {

SocketPair::SocketPair()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0)
        qFatal("socketpair: %s", std::strerror(errno));
}

SocketPair::~SocketPair()
{
    closeEnd(0);
    closeEnd(1);
}

int SocketPair::release(int i)
{
    return std::exchange(fds[i], -1);
}

void SocketPair::closeEnd(int i)
{
    if (fds[i] >= 0)
        ::close(fds[i]);
    fds[i] = -1;
}

void SocketPair::send(int i, const char* text)
{
    QVERIFY(::write(fds[i], text, std::strlen(text)) > 0);
}

QByteArray SocketPair::drain(int i)
{
    QByteArray out;
    char buf[256];
    ssize_t n;
    while ((n = ::read(fds[i], buf, sizeof buf)) > 0)
        out.append(buf, n);
    return out;
}

} // namespace spyglass::test
