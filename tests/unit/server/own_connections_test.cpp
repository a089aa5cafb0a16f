// OwnConnections, the registry transparent mode uses to recognise Spyglass's own upstream
// connections redirected back to it: counting, and SocketStream's outgoing sockets listed
// exactly while their descriptor is open (accepted ones never). Also checks that a socket
// which was not redirected has no original destination other than its own address.

#include "server/own_connections.h"
#include "server/socket_stream.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

using namespace spyglass;

namespace {

class DescriptorServer : public QTcpServer
{
public:
    QList<qintptr> descriptors;

protected:
    void incomingConnection(qintptr descriptor) override { descriptors.append(descriptor); }
};

} // namespace

class OwnConnectionsTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void counts()
    {
        const Address a{"10.9.9.9", 40000};
        QVERIFY(!OwnConnections::contains(a));
        const qsizetype before = OwnConnections::count();
        OwnConnections::add(a);
        OwnConnections::add(a); // two sockets may share a local address (different peers)
        QVERIFY(OwnConnections::contains(a));
        QVERIFY(!OwnConnections::contains(Address{"10.9.9.9", 40001}));
        OwnConnections::remove(a);
        QVERIFY(OwnConnections::contains(a));
        OwnConnections::remove(a);
        QVERIFY(!OwnConnections::contains(a));
        OwnConnections::remove(a); // harmless
        OwnConnections::add(Address{});
        QVERIFY(!OwnConnections::contains(Address{}));
        QCOMPARE(OwnConnections::count(), before);
    }
    void outgoingSocketsAreListedWhileOpen()
    {
        DescriptorServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        SocketStream out;
        QSignalSpy connected(&out, &SocketStream::connected);
        out.connectToHost("127.0.0.1", server.serverPort(), 5000);
        QVERIFY(connected.wait(5000));
        const Address local = out.localAddress();
        QVERIFY(local.isValid());
        QVERIFY(OwnConnections::contains(local));

        QTRY_VERIFY(!server.descriptors.isEmpty());
        SocketStream in;
        QString error;
        QVERIFY2(in.adopt(server.descriptors.takeFirst(), &error), qPrintable(error));
        QCOMPARE(in.peerAddress(), local);
        QVERIFY(!OwnConnections::contains(in.localAddress())); // accepted: not ours to list

        Address original;
        if (in.originalDestination(&original, &error))
            QCOMPARE(original, in.localAddress()); // tracked but not redirected: ourselves
        else
            QVERIFY(!error.isEmpty());

        const qsizetype open = OwnConnections::count();
        out.abort();
        QVERIFY(!OwnConnections::contains(local));
        QCOMPARE(OwnConnections::count(), open - 1);
    }
    void failedConnectIsForgotten()
    {
        // A port with no listener: the refused socket must not stay listed.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        const qsizetype before = OwnConnections::count();
        SocketStream out;
        QSignalSpy failed(&out, &SocketStream::connectFailed);
        out.connectToHost("127.0.0.1", port, 5000);
        QVERIFY(failed.wait(5000));
        QCOMPARE(OwnConnections::count(), before);
        {
            SocketStream pending; // destroyed while connecting
            pending.connectToHost("192.0.2.1", 9, 5000);
            QTest::qWait(50);
        }
        QCOMPARE(OwnConnections::count(), before);
    }
};

QTEST_GUILESS_MAIN(OwnConnectionsTest)
#include "own_connections_test.moc"
