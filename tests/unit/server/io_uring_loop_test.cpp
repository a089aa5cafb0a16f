// IoUringLoop on its own (recv, send, cancel, retired clients) and SocketStream on the io_uring
// path: the test's main thread runs EpollEventDispatcher with the ring (the default), so every
// connected SocketStream here uses the ring (echo, a large write, back-pressure that leaves
// bytes in the kernel, half-close both ways, abort with a recv in flight). Skipped where the
// kernel refuses io_uring or the build has no liburing.

#include "server/epoll_event_dispatcher.h"
#include "server/io_uring_loop.h"
#include "server/socket_stream.h"
#include "socket_pair.h"

#include <QtTest>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace spyglass;
using spyglass::test::SocketPair;

namespace {

struct Recorder final : IoUringLoop::Request
{
    int result = 1;
    int calls = 0;
    void completed(int r) override
    {
        result = r;
        ++calls;
    }
};

// Collects a multishot recv's pieces (the ring's buffer is only lent during the call).
struct Pieces final : IoUringLoop::Request
{
    QByteArray bytes;
    QList<int> results;
    int ended = 0; // completions without `more`
    int lastEnd = 1;
    void completed(int r) override { received(r, nullptr, false, false); }
    void received(int r, const char* data, bool more, bool) override
    {
        results.append(r);
        if (r > 0 && data)
            bytes.append(data, r);
        if (!more) {
            ++ended;
            lastEnd = r;
        }
    }
};

struct Counted final : IoUringLoop::Client
{
    explicit Counted(int* deleted) : m_deleted(deleted) {}
    ~Counted() override { ++*m_deleted; }
    int* m_deleted;
};

// Reads what the peer end has, waiting up to `ms` for more while less than `want` arrived.
QByteArray readPeer(int fd, qint64 want, int ms)
{
    QByteArray out;
    QElapsedTimer clock;
    clock.start();
    char buf[65536];
    while (out.size() < want && clock.elapsed() < ms) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            out.append(buf, n);
            continue;
        }
        if (n == 0)
            break;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    }
    return out;
}

bool ringActive()
{
    auto* dispatcher = dynamic_cast<EpollEventDispatcher*>(QAbstractEventDispatcher::instance());
    return dispatcher && dispatcher->ioUring();
}

} // namespace

class IoUringLoopTest : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        if (!ringActive())
            QSKIP("io_uring not available here (kernel, seccomp or build without liburing)");
    }

    void onByDefaultOffWithZero()
    {
        qunsetenv("SPYGLASS_IO_URING");
        const bool unset = IoUringLoop::wanted();
        qputenv("SPYGLASS_IO_URING", "0");
        const bool zero = IoUringLoop::wanted();
        qputenv("SPYGLASS_IO_URING", "1");
        QVERIFY(unset);
        QVERIFY(!zero);
        QVERIFY(IoUringLoop::wanted());
    }

    void sendAndReceive()
    {
        auto loop = IoUringLoop::create();
        QVERIFY(loop);
        SocketPair pair;
        char in[64] = {};
        const char out[] = "over the ring";
        Recorder recv, send;
        loop->prepareRecv(&recv, pair.fds[0], in, sizeof in);
        loop->prepareSend(&send, pair.fds[1], out, unsigned(std::strlen(out)));
        QCOMPARE(loop->inFlight(), 2);
        for (int i = 0; i < 10 && (recv.calls == 0 || send.calls == 0); ++i)
            loop->wait(100 * 1000 * 1000);
        QCOMPARE(send.result, int(std::strlen(out)));
        QCOMPARE(recv.result, int(std::strlen(out)));
        QCOMPARE(QByteArray(in, recv.result), QByteArray(out));
        QCOMPARE(loop->inFlight(), 0);
    }

    void cancelAnArmedRecv()
    {
        auto loop = IoUringLoop::create();
        QVERIFY(loop);
        SocketPair pair;
        char in[16];
        Recorder recv;
        loop->prepareRecv(&recv, pair.fds[0], in, sizeof in);
        loop->wait(0); // submitted: nothing to read, so it stays armed
        QCOMPARE(recv.calls, 0);
        loop->prepareCancel(&recv);
        for (int i = 0; i < 10 && recv.calls == 0; ++i)
            loop->wait(100 * 1000 * 1000);
        QCOMPARE(recv.calls, 1);
        QCOMPARE(recv.result, -ECANCELED);
        // Nothing was consumed: the bytes sent now are still there for a plain read.
        QCOMPARE(::write(pair.fds[1], "x", 1), ssize_t(1));
        char c = 0;
        QCOMPARE(::read(pair.fds[0], &c, 1), ssize_t(1));
        QCOMPARE(c, 'x');
    }

    void multishotRecvThroughTheBufferRing()
    {
        auto loop = IoUringLoop::create();
        QVERIFY(loop);
        QVERIFY(loop->hasBufferRing());
        SocketPair pair;
        Pieces recv;
        loop->prepareRecvMultishot(&recv, pair.fds[0]);
        loop->wait(0);
        QByteArray sent;
        for (int i = 0; i < 3; ++i) { // three separate arrivals, one armed operation
            const QByteArray piece = QByteArray::number(i).repeated(1000 + i);
            QCOMPARE(::write(pair.fds[1], piece.constData(), std::size_t(piece.size())),
                     ssize_t(piece.size()));
            sent += piece;
            for (int k = 0; k < 20 && recv.bytes.size() < sent.size(); ++k)
                loop->wait(50 * 1000 * 1000);
        }
        QCOMPARE(recv.bytes, sent);
        QCOMPARE(recv.ended, 0); // still armed
        QCOMPARE(loop->inFlight(), 1);
        // A piece larger than a buffer comes in several completions.
        const QByteArray big(3 * IoUringLoop::kBufferSize + 5, 'b');
        QCOMPARE(::write(pair.fds[1], big.constData(), std::size_t(big.size())),
                 ssize_t(big.size()));
        for (int k = 0; k < 20 && recv.bytes.size() < sent.size() + big.size(); ++k)
            loop->wait(50 * 1000 * 1000);
        QCOMPARE(recv.bytes, sent + big);
        QVERIFY(recv.results.size() >= 3 + 4);
        QCOMPARE(::shutdown(pair.fds[1], SHUT_WR), 0); // end of stream ends the multishot
        for (int k = 0; k < 20 && recv.ended == 0; ++k)
            loop->wait(50 * 1000 * 1000);
        QCOMPARE(recv.ended, 1);
        QCOMPARE(recv.lastEnd, 0);
        QCOMPARE(loop->inFlight(), 0);
    }

    void dryBufferRingEndsTheMultishotWithEnobufs()
    {
        auto loop = IoUringLoop::create(2, 16); // two buffers of 16 bytes
        QVERIFY(loop);
        QVERIFY(loop->hasBufferRing());
        SocketPair pair;
        Pieces recv;
        const QByteArray sent(100, 'n');
        QCOMPARE(::write(pair.fds[1], sent.constData(), std::size_t(sent.size())),
                 ssize_t(sent.size()));
        loop->prepareRecvMultishot(&recv, pair.fds[0]);
        for (int k = 0; k < 20 && recv.ended == 0; ++k)
            loop->wait(50 * 1000 * 1000);
        QCOMPARE(recv.ended, 1);
        QCOMPARE(recv.lastEnd, -ENOBUFS);
        QVERIFY(recv.bytes.size() <= 32); // at most what the two buffers held
        QCOMPARE(recv.bytes, sent.left(recv.bytes.size()));
        // The buffers went back as each completion ran: re-armed, it goes on where it stopped.
        while (recv.bytes.size() < sent.size()) {
            const qsizetype before = recv.bytes.size();
            const int endedBefore = recv.ended;
            loop->prepareRecvMultishot(&recv, pair.fds[0]);
            for (int k = 0; k < 20 && recv.ended == endedBefore; ++k)
                loop->wait(50 * 1000 * 1000);
            QVERIFY(recv.bytes.size() > before);
        }
        QCOMPARE(recv.bytes, sent);
    }

    void streamsUseTheBufferRing()
    {
        auto* dispatcher =
            dynamic_cast<EpollEventDispatcher*>(QAbstractEventDispatcher::instance());
        QVERIFY(dispatcher->ioUring()->hasBufferRing());
    }

    void timedWaitReturnsWithoutCompletions()
    {
        auto loop = IoUringLoop::create();
        QVERIFY(loop);
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(loop->wait(30 * 1000 * 1000), 0);
        QVERIFY(clock.elapsed() >= 25);
        QVERIFY(clock.elapsed() < 1000);
    }

    void retiredClientsAreDeleted()
    {
        int deleted = 0;
        {
            auto loop = IoUringLoop::create();
            QVERIFY(loop);
            auto* a = new Counted(&deleted);
            auto* b = new Counted(&deleted);
            loop->retire(a);
            loop->retire(b);
            loop->release(a);
            QCOMPARE(deleted, 1);
        } // the loop's end deletes b
        QCOMPARE(deleted, 2);
    }

    void streamEcho()
    {
        SocketPair pair;
        SocketStream stream;
        QString error;
        QVERIFY(stream.adopt(pair.release(0), &error));
        QByteArray got;
        connect(&stream, &SocketStream::received, [&](const QByteArray& d) { got += d; });
        int writtenInsideWrite = 0;
        bool inWrite = false;
        connect(&stream, &SocketStream::written, [&](qint64) { writtenInsideWrite += inWrite; });
        inWrite = true;
        stream.write("ping");
        inWrite = false;
        QCOMPARE(writtenInsideWrite, 0); // the ring path reports from the completion
        QCOMPARE(stream.pendingOutput(), qint64(4));
        QCOMPARE(readPeer(pair.fds[1], 4, 2000), QByteArray("ping"));
        QTRY_COMPARE(stream.pendingOutput(), qint64(0));
        QCOMPARE(::write(pair.fds[1], "pong", 4), ssize_t(4));
        QTRY_COMPARE(got, QByteArray("pong"));
    }

    void largeWriteInOrder()
    {
        SocketPair pair;
        SocketStream stream;
        QVERIFY(stream.adopt(pair.release(0), nullptr));
        QByteArray all;
        for (int i = 0; i < 64; ++i) {
            QByteArray chunk(64 * 1024, char('a' + i % 26));
            all += chunk;
            stream.write(chunk);
        }
        qint64 lastPending = -1;
        connect(&stream, &SocketStream::written, [&](qint64 p) { lastPending = p; });
        QCOMPARE(readPeer(pair.fds[1], all.size(), 10000), all);
        QTRY_COMPARE(lastPending, qint64(0));
    }

    void readDisabledLeavesBytesInTheKernel()
    {
        SocketPair pair;
        SocketStream stream;
        QVERIFY(stream.adopt(pair.release(0), nullptr));
        qint64 got = 0;
        QByteArray received;
        connect(&stream, &SocketStream::received, [&](const QByteArray& d) {
            got += d.size();
            received += d;
        });
        stream.setReadEnabled(false);
        QTest::qWait(20); // the armed recv is cancelled
        // The peer writes until the kernel pushes back.
        QByteArray sent;
        const QByteArray block(16 * 1024, 'z');
        for (int i = 0; i < 10000; ++i) {
            const ssize_t n = ::write(pair.fds[1], block.constData(), std::size_t(block.size()));
            if (n < 0) {
                QVERIFY(errno == EAGAIN);
                break;
            }
            sent += block.left(int(n));
            QCoreApplication::processEvents();
        }
        QVERIFY(sent.size() < 10000 * block.size()); // it stopped: back-pressure reached the peer
        QTest::qWait(50);
        QCOMPARE(got, qint64(0)); // nothing delivered while disabled
        stream.setReadEnabled(true);
        QTRY_COMPARE(got, qint64(sent.size()));
        QCOMPARE(received, sent);
    }

    void dataRacingTheDisableIsHeldNotLost()
    {
        // The recv is armed and the bytes arrive before setReadEnabled(false) reaches the
        // kernel: its completion may beat the cancel. Either way nothing is delivered while
        // reading is disabled, and nothing is lost.
        SocketPair pair;
        SocketStream stream;
        QVERIFY(stream.adopt(pair.release(0), nullptr));
        QByteArray got;
        connect(&stream, &SocketStream::received, [&](const QByteArray& d) { got += d; });
        QTest::qWait(20); // armed in the kernel
        QCOMPARE(::write(pair.fds[1], "raced", 5), ssize_t(5));
        ::usleep(10 * 1000); // the kernel has completed the recv, we have not seen it yet
        stream.setReadEnabled(false);
        QTest::qWait(50);
        QCOMPARE(got, QByteArray());
        QCOMPARE(::write(pair.fds[1], "+more", 5), ssize_t(5));
        QTest::qWait(20);
        QCOMPARE(got, QByteArray());
        stream.setReadEnabled(true);
        QTRY_COMPARE(got, QByteArray("raced+more"));
    }

    void completionsAfterTheCancelAreHeldInOrder()
    {
        // Deterministic "held" branch: the recv's completions (bytes, then the end of stream)
        // are already in the completion queue, not yet run, when reading is disabled; the
        // cancel is asked after the kernel completed them. They must be neither delivered
        // while reading is disabled nor lost, and come in order once it is enabled again.
        IoUringLoop* loop =
            dynamic_cast<EpollEventDispatcher*>(QAbstractEventDispatcher::instance())->ioUring();
        SocketPair pair;
        SocketStream stream;
        QVERIFY(stream.adopt(pair.release(0), nullptr));
        QByteArray got;
        bool readClosed = false;
        bool closedAfterData = false;
        connect(&stream, &SocketStream::received, [&](const QByteArray& d) { got += d; });
        connect(&stream, &SocketStream::readClosed, [&] {
            readClosed = true;
            closedAfterData = got == "held";
        });
        loop->submit(); // the recv is armed in the kernel; nothing has arrived
        QCOMPARE(::write(pair.fds[1], "held", 4), ssize_t(4));
        QCOMPARE(::shutdown(pair.fds[1], SHUT_WR), 0);
        // Let the kernel complete the recv into the queue (bytes, then 0), without running.
        int ready = 0;
        for (int i = 0; i < 20 && ready < 2; ++i)
            ready = loop->fillCompletionQueue(2, 50 * 1000 * 1000);
        QVERIFY2(ready >= 2, qPrintable(QString::number(ready)));
        QCOMPARE(got, QByteArray()); // nothing ran yet

        stream.setReadEnabled(false); // the cancel comes after the completions
        QTest::qWait(50);
        QCOMPARE(got, QByteArray());
        QVERIFY(!readClosed);
        QVERIFY(stream.isOpen());

        stream.setReadEnabled(true);
        QCOMPARE(got, QByteArray()); // queued, not delivered from inside setReadEnabled
        QTRY_VERIFY(readClosed);
        QCOMPARE(got, QByteArray("held"));
        QVERIFY(closedAfterData);
    }

    void piecesOfOneWakeUpComeAsOneReceived()
    {
        // 40 KiB are waiting before the multishot recv reaches the kernel: it takes them in
        // three ring buffers (16 + 16 + 8 KiB) at once, and the stream passes them on in one
        // `received`, as the epoll path's one read per wake-up.
        SocketPair pair;
        const QByteArray sent = QByteArray("0123456789abcdef").repeated(40 * 1024 / 16);
        QCOMPARE(::write(pair.fds[1], sent.constData(), std::size_t(sent.size())),
                 ssize_t(sent.size()));
        SocketStream stream;
        QList<QByteArray> got;
        connect(&stream, &SocketStream::received, [&](const QByteArray& d) { got.append(d); });
        QVERIFY(stream.adopt(pair.release(0), nullptr)); // the recv is prepared, not submitted
        QTRY_COMPARE(got.size(), 1);
        QTest::qWait(20);
        QCOMPARE(got.size(), 1);
        QCOMPARE(got.constFirst(), sent);
    }

    void bulkSwitchesToPlainRecvAndBack()
    {
        // 1 MiB waiting before the multishot recv arrives: the first wake-up gathers the whole
        // buffer ring (>= 64 KiB), so the stream goes over to one plain recv of up to 256 KiB
        // into its own buffer. Then small pieces, one at a time: the first plain recv that
        // takes less than a quarter of its buffer brings the multishot back. Then bulk again.
        // Every byte arrives, in order, none twice.
        SocketPair pair;
        int sndbuf = 4 * 1024 * 1024;
        ::setsockopt(pair.fds[1], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
        QByteArray sent;
        auto makeBlock = [&](int size) {
            QByteArray b(size, Qt::Uninitialized);
            for (int i = 0; i < size; ++i)
                b[i] = char('a' + (sent.size() + i) % 23);
            return b;
        };
        auto writeAll = [&](const QByteArray& b) {
            qint64 off = 0;
            while (off < b.size()) {
                const ssize_t n =
                    ::write(pair.fds[1], b.constData() + off, std::size_t(b.size() - off));
                if (n > 0)
                    off += n;
                else
                    QTest::qWait(1);
            }
            sent += b;
        };
        writeAll(makeBlock(1024 * 1024));
        SocketStream stream;
        QByteArray got;
        bool sawBulk = false;
        connect(&stream, &SocketStream::received, [&](const QByteArray& d) {
            got += d;
            sawBulk = sawBulk || stream.readsInBulk();
        });
        QVERIFY(stream.adopt(pair.release(0), nullptr));
        QTRY_COMPARE(got.size(), sent.size());
        QVERIFY(sawBulk);
        for (int i = 0; i < 3; ++i) {
            writeAll(makeBlock(100));
            QTRY_COMPARE(got.size(), sent.size());
        }
        QVERIFY(!stream.readsInBulk()); // a short read: the multishot again
        QCOMPARE(got, sent);
        sawBulk = false;
        writeAll(makeBlock(2 * 1024 * 1024));
        QTRY_COMPARE_WITH_TIMEOUT(got.size(), sent.size(), 10000);
        QVERIFY(sawBulk);
        writeAll(makeBlock(10));
        QTRY_COMPARE(got.size(), sent.size());
        QCOMPARE(got, sent);
        QCOMPARE(::shutdown(pair.fds[1], SHUT_WR), 0);
        bool closed = false;
        connect(&stream, &SocketStream::readClosed, [&] { closed = true; });
        QTRY_VERIFY(closed);
        QCOMPARE(got, sent);
    }

    void halfCloseBothWays()
    {
        SocketPair pair;
        SocketStream stream;
        QVERIFY(stream.adopt(pair.release(0), nullptr));
        bool readClosed = false;
        bool finished = false;
        connect(&stream, &SocketStream::readClosed, [&] { readClosed = true; });
        connect(&stream, &SocketStream::finished, [&] { finished = true; });
        QCOMPARE(::shutdown(pair.fds[1], SHUT_WR), 0);
        QTRY_VERIFY(readClosed);
        QVERIFY(stream.isOpen()); // still writable
        stream.write("after FIN");
        stream.shutdownWrite();
        QCOMPARE(readPeer(pair.fds[1], 100, 2000), QByteArray("after FIN")); // then EOF
        QTRY_VERIFY(finished);
        QVERIFY(stream.isClosed());
    }

    void abortWithRecvInFlightReleasesTheSocket()
    {
        SocketPair pair;
        auto* stream = new SocketStream;
        QVERIFY(stream->adopt(pair.release(0), nullptr));
        bool finished = false;
        connect(stream, &SocketStream::finished, [&] { finished = true; });
        QTest::qWait(20); // the recv is armed in the kernel
        stream->abort();
        QVERIFY(finished);
        delete stream;
        // Once the cancel ran, the ring drops its reference and the peer sees the close.
        QElapsedTimer clock;
        clock.start();
        ssize_t n = -1;
        char c;
        while (clock.elapsed() < 2000) {
            n = ::read(pair.fds[1], &c, 1);
            if (n >= 0 || errno != EAGAIN)
                break;
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        }
        QCOMPARE(n, ssize_t(0));
    }

    void closeFlushesThenFinishes()
    {
        SocketPair pair;
        SocketStream stream;
        QVERIFY(stream.adopt(pair.release(0), nullptr));
        bool finished = false;
        connect(&stream, &SocketStream::finished, [&] { finished = true; });
        stream.write(QByteArray(300 * 1024, 'q'));
        stream.close();
        const QByteArray got = readPeer(pair.fds[1], 300 * 1024 + 1, 5000);
        QCOMPARE(got.size(), 300 * 1024); // all of it, then the FIN
        QVERIFY(!finished);               // lingering: waits for the peer's FIN
        QCOMPARE(::shutdown(pair.fds[1], SHUT_WR), 0);
        QTRY_VERIFY(finished);
    }
};

int main(int argc, char** argv)
{
    qputenv("SPYGLASS_IO_URING", "1");
    QCoreApplication::setEventDispatcher(EpollEventDispatcher::create());
    QCoreApplication app(argc, argv);
    IoUringLoopTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "io_uring_loop_test.moc"
