// The SOCKS5 client handshake with a parent proxy (RFC 1928 / RFC 1929): what it sends for
// each address type, with and without upstream_auth, success in any split with the tunnel's
// first bytes kept, and every failure answered with a readable message.
#include "layers/tunnel/socks5_client_handshake.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::layers::tunnel;

namespace {
const Address kParent{"127.0.0.1", 1080};

QByteArray bytes(std::initializer_list<int> list)
{
    QByteArray b;
    for (int v : list)
        b.append(char(v));
    return b;
}

// Feeds `data` in pieces of `size` bytes; collects what is sent; returns the final step.
HandshakeStep feedPieces(Socks5ClientHandshake& hs, const QByteArray& data, int size,
                         QByteArray* sent)
{
    HandshakeStep last;
    for (qsizetype i = 0; i < data.size(); i += size) {
        last = hs.receive(data.mid(i, size));
        *sent += last.send;
        if (last.done || !last.error.isEmpty())
            return last;
    }
    return last;
}

const QByteArray kDomainRequest =
    bytes({5, 1, 0, 3, 11}) + "example.com" + bytes({0x01, 0xbb}); // example.com:443
const QByteArray kSuccessV4 = bytes({5, 0, 0, 1, 10, 0, 0, 1, 0x12, 0x34});
} // namespace

class Socks5ClientHandshakeTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noAuthDomainInAnySplit_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("whole") << 100;
        QTest::newRow("1 byte") << 1;
        QTest::newRow("3 bytes") << 3;
    }
    void noAuthDomainInAnySplit()
    {
        QFETCH(int, size);
        Socks5ClientHandshake hs(Address{"example.com", 443}, {}, kParent);
        QCOMPARE(hs.start().send, bytes({5, 1, 0}));
        QByteArray sent;
        HandshakeStep s = feedPieces(hs, bytes({5, 0}), size, &sent);
        QVERIFY(!s.done && s.error.isEmpty());
        QCOMPARE(sent, kDomainRequest);
        sent.clear();
        // A domain-typed bound address, then the server's first bytes in the same packet.
        const QByteArray reply = bytes({5, 0, 0, 3, 4}) + "host" + bytes({0, 80});
        s = feedPieces(hs, reply + "SSH-2.0", size, &sent);
        QVERIFY(s.done);
        QVERIFY(sent.isEmpty());
        QVERIFY(QByteArray("SSH-2.0").startsWith(s.rest));
        if (size == 100)
            QCOMPARE(s.rest, QByteArray("SSH-2.0"));
    }
    void userPassAndAddressTypes()
    {
        Socks5ClientHandshake hs(Address{"10.1.2.3", 8080}, "alice:s3cret", kParent);
        QCOMPARE(hs.start().send, bytes({5, 2, 0, 2}));
        HandshakeStep s = hs.receive(bytes({5, 2}));
        QCOMPARE(s.send, bytes({1, 5}) + "alice" + bytes({6}) + "s3cret");
        s = hs.receive(bytes({1, 0}));
        QCOMPARE(s.send, bytes({5, 1, 0, 1, 10, 1, 2, 3, 0x1f, 0x90}));
        s = hs.receive(kSuccessV4);
        QVERIFY(s.done);
        QVERIFY(s.rest.isEmpty());

        Socks5ClientHandshake v6(Address{"::1", 443}, {}, kParent);
        v6.start();
        s = v6.receive(bytes({5, 0}));
        QCOMPARE(s.send,
                 bytes({5, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0xbb}));
        // An IPv6 bound address: 22 bytes, cut in two.
        const QByteArray reply = bytes({5, 0, 0, 4}) + QByteArray(16, '\0') + bytes({0, 1});
        QVERIFY(!v6.receive(reply.left(10)).done);
        QVERIFY(v6.receive(reply.mid(10)).done);
    }
    void failures_data()
    {
        QTest::addColumn<QByteArray>("auth");
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QString>("message");
        QTest::newRow("not socks") << QByteArray() << QByteArray("HTTP/1.1 400")
                                   << "SOCKS5 proxy 127.0.0.1:1080 is not a SOCKS5 proxy: it "
                                      "answered with version 0x48";
        QTest::newRow("needs auth") << QByteArray() << bytes({5, 0xff})
                                    << "requires authentication: set upstream_auth=user:pass";
        QTest::newRow("picks userpass unasked")
            << QByteArray() << bytes({5, 2}) << "requires authentication";
        QTest::newRow("no method") << QByteArray("a:b") << bytes({5, 0xff})
                                   << "accepted none of the offered authentication methods";
        QTest::newRow("odd method")
            << QByteArray() << bytes({5, 3}) << "chose authentication method 0x03";
        QTest::newRow("wrong password")
            << QByteArray("a:b") << bytes({5, 2, 1, 1})
            << "SOCKS5 proxy 127.0.0.1:1080 rejected the user name or password (upstream_auth)";
        QTest::newRow("refused") << QByteArray() << bytes({5, 0, 5, 5, 0, 1})
                                 << "could not connect to example.com:443: connection refused";
        QTest::newRow("host unreachable")
            << QByteArray() << bytes({5, 0, 5, 4, 0, 1}) << "host unreachable";
        QTest::newRow("bad atyp") << QByteArray() << bytes({5, 0, 5, 0, 0, 9, 0})
                                  << "address type 0x09";
    }
    void failures()
    {
        QFETCH(QByteArray, auth);
        QFETCH(QByteArray, answer);
        QFETCH(QString, message);
        for (const int size : {1, 100}) {
            Socks5ClientHandshake hs(Address{"example.com", 443}, auth, kParent);
            QVERIFY(hs.start().error.isEmpty());
            QByteArray sent;
            const HandshakeStep s = feedPieces(hs, answer, size, &sent);
            QVERIFY(!s.done);
            QVERIFY2(s.error.contains(message), qPrintable(s.error));
        }
    }
    void badInputAtStart()
    {
        Socks5ClientHandshake longName(Address{QByteArray(256, 'a'), 443}, {}, kParent);
        QVERIFY(longName.start().error.contains("at most 255 bytes"));
        Socks5ClientHandshake longUser(Address{"x.com", 443}, QByteArray(300, 'u') + ":p", kParent);
        QVERIFY(longUser.start().error.contains("RFC 1929"));
        Socks5ClientHandshake hs(Address{"x.com", 443}, {}, kParent);
        QCOMPARE(hs.closedError(), QString("SOCKS5 proxy 127.0.0.1:1080 closed the connection "
                                           "before the tunnel to x.com:443 was open"));
    }
};

QTEST_GUILESS_MAIN(Socks5ClientHandshakeTest)
#include "socks5_client_handshake_test.moc"
