// EpollEventDispatcher against Qt's contract: socket notifiers (level-triggered, enable and
// disable, hang-up, a sibling deleted mid-dispatch), timers (single-shot, repeating, stopped
// from their own timeout, remaining time), posted events and wake-ups from another thread,
// interrupt. The test's own main thread runs on the dispatcher, so QTest's waiting helpers
// exercise it too.

#include "server/epoll_event_dispatcher.h"
#include "socket_pair.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>
#include <QtTest>

#include <atomic>
#include <memory>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace spyglass;
using spyglass::test::SocketPair;

class EpollEventDispatcherTest : public QObject
{
    Q_OBJECT
private slots:
    void mainThreadRunsOnIt()
    {
        QVERIFY(dynamic_cast<EpollEventDispatcher*>(QAbstractEventDispatcher::instance()));
    }

    void readNotifierIsLevelTriggeredAndCanBePaused()
    {
        SocketPair pair;
        QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
        int activations = 0;
        connect(&notifier, &QSocketNotifier::activated, this, [&] { ++activations; });

        QTest::qWait(30);
        QCOMPARE(activations, 0); // nothing to read yet

        pair.send(1, "hello");
        QTRY_VERIFY_WITH_TIMEOUT(activations >= 2, 2000); // unread bytes: fires again and again
        QCOMPARE(pair.drain(0), QByteArray("hello"));

        notifier.setEnabled(false);
        pair.send(1, "more");
        const int before = activations;
        QTest::qWait(50);
        QCOMPARE(activations, before); // disabled: the bytes wait in the kernel

        notifier.setEnabled(true);
        QTRY_VERIFY_WITH_TIMEOUT(activations > before, 2000);
        QCOMPARE(pair.drain(0), QByteArray("more"));
    }

    void writeNotifierFiresWhenWritable()
    {
        SocketPair pair;
        QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Write);
        bool fired = false;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            fired = true;
            notifier.setEnabled(false);
        });
        QTRY_VERIFY_WITH_TIMEOUT(fired, 2000);
    }

    void hangUpActivatesTheReader()
    {
        SocketPair pair;
        QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
        bool sawEof = false;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            char c;
            if (::read(pair.fds[0], &c, 1) == 0) {
                sawEof = true;
                notifier.setEnabled(false);
            }
        });
        pair.closeEnd(1);
        QTRY_VERIFY_WITH_TIMEOUT(sawEof, 2000);
    }

    void siblingDeletedDuringDispatchIsNotActivated()
    {
        SocketPair pair;
        auto reader = std::make_unique<QSocketNotifier>(pair.fds[0], QSocketNotifier::Read);
        auto* writer = new QSocketNotifier(pair.fds[0], QSocketNotifier::Write);
        QPointer<QSocketNotifier> writerAlive(writer);
        bool read = false;
        int writesAfterDelete = 0;
        connect(writer, &QSocketNotifier::activated, this, [&] {
            if (read)
                ++writesAfterDelete;
        });
        connect(reader.get(), &QSocketNotifier::activated, this, [&] {
            pair.drain(0);
            read = true;
            delete writerAlive.data(); // both are ready in this very turn
            reader->setEnabled(false);
        });
        pair.send(1, "x");
        QTRY_VERIFY_WITH_TIMEOUT(read, 2000);
        QTest::qWait(20);
        QVERIFY(!writerAlive);
        QCOMPARE(writesAfterDelete, 0);
    }

    void timersFireOnTimeAndStopFromTheirOwnTimeout()
    {
        QElapsedTimer clock;
        clock.start();
        qint64 singleAt = -1;
        int singles = 0;
        QTimer::singleShot(40, Qt::PreciseTimer, this, [&] {
            ++singles;
            singleAt = clock.elapsed();
        });

        QTimer repeating;
        repeating.setInterval(5);
        int ticks = 0;
        connect(&repeating, &QTimer::timeout, this, [&] {
            if (++ticks == 4)
                repeating.stop();
        });
        repeating.start();

        QTimer longOne;
        longOne.setSingleShot(true);
        longOne.start(10000);
        const int left = longOne.remainingTime();
        QVERIFY2(left > 9000 && left <= 10000, qPrintable(QString::number(left)));

        QTRY_COMPARE_WITH_TIMEOUT(singles, 1, 2000);
        QVERIFY2(singleAt >= 40, qPrintable(QString::number(singleAt)));
        QTRY_COMPARE_WITH_TIMEOUT(ticks, 4, 2000);
        QTest::qWait(40);
        QCOMPARE(ticks, 4);   // stopped from its own timeout
        QCOMPARE(singles, 1); // single-shot means once
        longOne.stop();
        QCOMPARE(longOne.remainingTime(), -1);
    }

    void aBlockedLoopWakesForAnotherThreadsCall()
    {
        QEventLoop loop;
        std::atomic<bool> ran{false};
        QTimer guard; // fails the test instead of hanging it
        guard.setSingleShot(true);
        connect(&guard, &QTimer::timeout, &loop, [&] { loop.exit(1); });
        guard.start(5000);
        std::thread other([&] {
            QThread::msleep(50); // the loop is blocked in epoll_wait by now
            QMetaObject::invokeMethod(
                &loop,
                [&] {
                    ran = true;
                    loop.exit(0);
                },
                Qt::QueuedConnection);
        });
        const int code = loop.exec();
        other.join();
        QCOMPARE(code, 0);
        QVERIFY(ran.load());
    }

    void workerThreadWithIt()
    {
        QThread thread;
        thread.setEventDispatcher(EpollEventDispatcher::create());
        thread.start();
        auto* home = new QObject;
        home->moveToThread(&thread);
        std::atomic<int> sum{0};
        for (int i = 1; i <= 100; ++i)
            QMetaObject::invokeMethod(
                home, [&sum, i] { sum += i; }, Qt::QueuedConnection);
        bool epoll = false;
        QMetaObject::invokeMethod(
            home,
            [&epoll] {
                epoll = dynamic_cast<EpollEventDispatcher*>(QAbstractEventDispatcher::instance());
            },
            Qt::BlockingQueuedConnection);
        QVERIFY(epoll);
        QCOMPARE(sum.load(), 5050); // delivered in order, none lost
        QMetaObject::invokeMethod(
            home, [home] { delete home; }, Qt::BlockingQueuedConnection);
        thread.quit(); // interrupt() ends the blocked loop
        QVERIFY(thread.wait(5000));
    }
};

int main(int argc, char** argv)
{
    QCoreApplication::setEventDispatcher(EpollEventDispatcher::create());
    QCoreApplication app(argc, argv);
    EpollEventDispatcherTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "epoll_event_dispatcher_test.moc"
