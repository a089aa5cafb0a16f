// Connection::operator==: every field counts, and copies that share their strings compare
// equal without their bytes being read (the shortcut must not make unequal ones equal).
#include "flow/connection.h"

#include "../io/sample_flows.h"

#include <QtTest>
#include <functional>

using namespace spyglass;
using namespace spyglass::test;

class ConnectionTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void copiesAndEqualContentCompareEqual()
    {
        const Connection a = fullFlow().server;
        const Connection copy = a; // shares every string
        QVERIFY(copy == a);
        Connection deep = a; // same content, own memory
        deep.peer.host = QByteArray(a.peer.host.constData(), a.peer.host.size());
        deep.error = QString(a.error.constData(), a.error.size());
        deep.certificateChainDer = {};
        for (const QByteArray& der : a.certificateChainDer)
            deep.certificateChainDer.append(QByteArray(der.constData(), der.size()));
        QVERIFY(deep == a);
        QVERIFY(Connection() == Connection());
    }

    void everyFieldCounts()
    {
        const Connection a = fullFlow().server;
        const QList<std::function<void(Connection&)>> changes = {
            [](Connection& c) { ++c.id; },
            [](Connection& c) { c.role = Connection::Role::Client; },
            [](Connection& c) { c.peer.host += "x"; },
            [](Connection& c) { ++c.peer.port; },
            [](Connection& c) { c.sockname.host = "127.0.0.2"; },
            [](Connection& c) { c.state = ConnectionState::Closed; },
            [](Connection& c) { c.error = QStringLiteral("other"); },
            [](Connection& c) { c.tls = !c.tls; },
            [](Connection& c) { c.tlsEstablished = !c.tlsEstablished; },
            [](Connection& c) { c.tlsResumed = !c.tlsResumed; },
            [](Connection& c) { c.sni = "other.example"; },
            [](Connection& c) { c.alpnOffers.append("h3"); },
            [](Connection& c) { c.alpnOffers[0] = "h9"; },
            [](Connection& c) { c.alpn = "http/1.1"; },
            [](Connection& c) { c.tlsVersion = "TLSv1.2"; },
            [](Connection& c) { c.cipher = "TLS_AES_128_GCM_SHA256"; },
            [](Connection& c) { c.certificateChainDer.removeLast(); },
            [](Connection& c) {
                c.certificateChainDer[0][5] = char(c.certificateChainDer[0][5] ^ 1);
            },
            [](Connection& c) { c.via.port = 1; },
            [](Connection& c) {
                c.peername = {"10.1.2.3", 443};
            },
            [](Connection& c) { c.timestampStart += 1; },
            [](Connection& c) { c.timestampTcpSetup += 1; },
            [](Connection& c) { c.timestampTlsSetup += 1; },
            [](Connection& c) { c.timestampEnd += 1; },
        };
        for (qsizetype i = 0; i < changes.size(); ++i) {
            Connection b = a;
            changes[i](b);
            QVERIFY2(!(b == a), qPrintable(QStringLiteral("change %1").arg(i)));
            QVERIFY2(!(a == b), qPrintable(QStringLiteral("change %1").arg(i)));
        }
    }
};

QTEST_APPLESS_MAIN(ConnectionTest)
#include "connection_test.moc"
