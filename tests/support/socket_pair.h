#pragma once
// A connected pair of non-blocking Unix stream sockets for the event-loop tests
// (io_uring_loop_test, epoll_event_dispatcher_test): real file descriptors that the loops
// under test watch, without any network.

#include <QByteArray>

namespace spyglass::test {

struct SocketPair
{
    int fds[2] = {-1, -1};

    SocketPair();
    ~SocketPair();
    SocketPair(const SocketPair&) = delete;
    SocketPair& operator=(const SocketPair&) = delete;

    // Hands end i over to the caller (who closes it); the pair forgets it.
    int release(int i);
    void closeEnd(int i);
    // Writes text to end i (QVERIFY that something was written).
    void send(int i, const char* text);
    // Everything end i can read now, without waiting.
    QByteArray drain(int i);
};

} // namespace spyglass::test
