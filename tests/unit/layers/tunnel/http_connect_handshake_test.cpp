// The CONNECT handshake with an HTTP parent proxy: the request it writes (with and without
// upstream_auth), 2xx answers in any split with the tunnel's first bytes kept, refusals with
// the parent's status, nonsense and oversized heads, and the parent closing early.
#include "layers/tunnel/http_connect_handshake.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::layers::tunnel;

namespace {
const Address kTarget{"example.com", 443};
const Address kParent{"127.0.0.1", 3128};

// Feeds `data` in pieces of `size` bytes; returns the last step (or the first that ends).
HandshakeStep feedPieces(HttpConnectHandshake& hs, const QByteArray& data, int size)
{
    HandshakeStep last;
    for (qsizetype i = 0; i < data.size(); i += size) {
        last = hs.receive(data.mid(i, size));
        if (last.done || !last.error.isEmpty())
            return last;
    }
    return last;
}
} // namespace

class HttpConnectHandshakeTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestWithoutAuth()
    {
        HttpConnectHandshake hs(kTarget, {}, kParent);
        const HandshakeStep s = hs.start();
        QCOMPARE(s.send,
                 QByteArray("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"));
        QVERIFY(!s.done);
        QVERIFY(s.error.isEmpty());
    }
    void requestWithAuthAndIpv6()
    {
        HttpConnectHandshake hs(Address{"::1", 8443}, "user:pass", kParent);
        QCOMPARE(hs.start().send, QByteArray("CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\n"
                                             "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n\r\n"));
        QCOMPARE(HttpConnectHandshake::basicAuth("u:p"), QByteArray("Basic dTpw"));
    }
    void successInAnySplit_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("whole") << 1000;
        QTest::newRow("1 byte") << 1;
        QTest::newRow("3 bytes") << 3;
    }
    void successInAnySplit()
    {
        QFETCH(int, size);
        HttpConnectHandshake hs(kTarget, {}, kParent);
        hs.start();
        const QByteArray answer = "HTTP/1.1 200 Connection established\r\nVia: squid\r\n\r\n";
        HandshakeStep s = feedPieces(hs, answer + "\x16\x03\x01", size);
        QVERIFY(s.done);
        QVERIFY(s.error.isEmpty());
        // The bytes behind the head belong to the tunnel: all of them when they came in the
        // same piece as its end, else the start of them.
        QVERIFY(QByteArray("\x16\x03\x01").startsWith(s.rest));
        if (size == 1000)
            QCOMPARE(s.rest, QByteArray("\x16\x03\x01"));
        QVERIFY(s.send.isEmpty());
    }
    void refusal_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QString>("message");
        QTest::newRow("407") << QByteArray(
                                    "HTTP/1.1 407 Proxy Authentication Required\r\n"
                                    "Proxy-Authenticate: Basic\r\nContent-Length: 3\r\n\r\nno!")
                             << "upstream proxy 127.0.0.1:3128 refused CONNECT example.com:443: "
                                "407 Proxy Authentication Required";
        QTest::newRow("502") << QByteArray("HTTP/1.0 502 Bad Gateway\r\n\r\n")
                             << "refused CONNECT example.com:443: 502 Bad Gateway";
        QTest::newRow("garbage") << QByteArray("SSH-2.0-OpenSSH\r\n\r\n")
                                 << "sent an invalid answer to CONNECT example.com:443: "
                                    "\"SSH-2.0-OpenSSH\"";
        QTest::newRow("bad status") << QByteArray("HTTP/1.1 2000 OK\r\n\r\n") << "invalid answer";
    }
    void refusal()
    {
        QFETCH(QByteArray, answer);
        QFETCH(QString, message);
        for (const int size : {1, 1000}) {
            HttpConnectHandshake hs(kTarget, {}, kParent);
            hs.start();
            const HandshakeStep s = feedPieces(hs, answer, size);
            QVERIFY(!s.done);
            QVERIFY2(s.error.contains(message), qPrintable(s.error));
            // Nothing more comes out of a finished handshake.
            const HandshakeStep after = hs.receive("HTTP/1.1 200 OK\r\n\r\n");
            QVERIFY(!after.done && after.error.isEmpty());
        }
    }
    void oversizedHead()
    {
        HttpConnectHandshake hs(kTarget, {}, kParent);
        hs.start();
        HandshakeStep s = hs.receive("HTTP/1.1 200 OK\r\n");
        QVERIFY(!s.done && s.error.isEmpty());
        s = hs.receive("X-Filler: " + QByteArray(70 * 1024, 'a'));
        QVERIFY2(s.error.contains("over 64 KiB"), qPrintable(s.error));
    }
    void closedEarly()
    {
        HttpConnectHandshake hs(kTarget, {}, kParent);
        hs.start();
        hs.receive("HTTP/1.1 2");
        QCOMPARE(hs.closedError(), QString("upstream proxy 127.0.0.1:3128 closed the connection "
                                           "before answering CONNECT example.com:443"));
    }
};

QTEST_GUILESS_MAIN(HttpConnectHandshakeTest)
#include "http_connect_handshake_test.moc"
