// parseClientHello against real ClientHellos written by OpenSSL, fed whole, byte by byte,
// re-framed into many records, and against garbage and hand-made malformed messages.

#include "test_tls_peer.h"
#include "tls/client_hello.h"

#include <QtTest>
#include <random>

using namespace spyglass;
using namespace spyglass::test;
using Status = ClientHelloResult::Status;

namespace {

QByteArray u16(int v)
{
    return QByteArray(1, char(v >> 8)) + char(v & 0xff);
}

// Wraps a handshake message into TLS records of at most `recordSize` bytes.
QByteArray frame(const QByteArray& handshake, int recordSize)
{
    QByteArray out;
    for (qsizetype i = 0; i < handshake.size(); i += recordSize) {
        const QByteArray part = handshake.mid(i, recordSize);
        out += QByteArray("\x16\x03\x01", 3) + u16(int(part.size())) + part;
    }
    return out;
}

// The handshake message inside a one-record ClientHello from OpenSSL.
QByteArray handshakeOf(const QByteArray& records)
{
    return records.mid(5);
}

QByteArray extension(int type, const QByteArray& data)
{
    return u16(type) + u16(int(data.size())) + data;
}

QByteArray sniExtension(const QByteArray& host)
{
    const QByteArray entry = QByteArray(1, '\0') + u16(int(host.size())) + host;
    return extension(0, u16(int(entry.size())) + entry);
}

// A handshake message: type, 24-bit length, body.
QByteArray handshakeMessage(char type, const QByteArray& body)
{
    const int n = int(body.size());
    return QByteArray(1, type) + char(n >> 16) + char((n >> 8) & 0xff) + char(n & 0xff) + body;
}

// A minimal hand-made ClientHello handshake message around `extensions`.
QByteArray handMadeHello(const QByteArray& extensions, bool withExtensionBlock = true)
{
    QByteArray body = u16(0x0303) + QByteArray(32, 'r') + QByteArray(1, '\0') + u16(2) +
                      u16(0x1301) + QByteArray("\x01\x00", 2);
    if (withExtensionBlock)
        body += u16(int(extensions.size())) + extensions;
    return handshakeMessage('\x01', body);
}

TestTlsPeer::ClientConfig config(const QByteArray& sni, const QList<QByteArray>& alpn = {},
                                 int maxVersion = TLS1_3_VERSION)
{
    TestTlsPeer::ClientConfig c;
    c.sni = sni;
    c.alpn = alpn;
    c.maxVersion = maxVersion;
    return c;
}

ClientHelloResult parse(const QByteArray& bytes)
{
    return parseClientHello(bytes);
}

} // namespace

class ClientHelloTest : public QObject
{
    Q_OBJECT

private slots:
    void parsesRealTls13ClientHello();
    void parsesTls12OnlyClientWithoutSniOrAlpn();
    void needsMoreUntilTheLastByte();
    void spansManyRecords();
    void randomRecordBoundaries();
    void ignoresBytesAfterTheClientHello();
    void notTls_data();
    void notTls();
    void invalid_data();
    void invalid();
    void oldClientWithoutExtensions();
    void mutatedInputNeverCrashes();
};

void ClientHelloTest::parsesRealTls13ClientHello()
{
    const QByteArray bytes = makeClientHello(config("example.com", {"h2", "http/1.1"}));
    const ClientHelloResult r = parse(bytes);
    QCOMPARE(r.status, Status::Ok);
    QCOMPARE(r.hello.sni, QByteArray("example.com"));
    QCOMPARE(r.hello.alpnProtocols, (QList<QByteArray>{"h2", "http/1.1"}));
    QCOMPARE(r.hello.legacyVersion, quint16(0x0303));
    QVERIFY(r.hello.supportedVersions.contains(0x0304));
    QVERIFY(r.hello.supportedVersions.contains(0x0303));
    QVERIFY(r.hello.cipherSuites.contains(0x1301)); // TLS_AES_128_GCM_SHA256
    QVERIFY(r.hello.extensions.contains(0));
    QVERIFY(r.hello.extensions.contains(16));
    QCOMPARE(r.hello.length, bytes.size());
    QVERIFY(r.reason.isEmpty());
}

void ClientHelloTest::parsesTls12OnlyClientWithoutSniOrAlpn()
{
    const QByteArray bytes = makeClientHello(config({}, {}, TLS1_2_VERSION));
    const ClientHelloResult r = parse(bytes);
    QCOMPARE(r.status, Status::Ok);
    QVERIFY(r.hello.sni.isEmpty());
    QVERIFY(r.hello.alpnProtocols.isEmpty());
    QVERIFY(!r.hello.supportedVersions.contains(0x0304));
}

void ClientHelloTest::needsMoreUntilTheLastByte()
{
    const QByteArray bytes = makeClientHello(config("one.byte.test", {"http/1.1"}));
    for (qsizetype n = 0; n < bytes.size(); ++n) {
        const ClientHelloResult r = parse(bytes.left(n));
        if (r.status != Status::NeedMore)
            QFAIL(qPrintable(QStringLiteral("prefix of %1 bytes: status %2 (%3)")
                                 .arg(n)
                                 .arg(int(r.status))
                                 .arg(r.reason)));
    }
    const ClientHelloResult r = parse(bytes);
    QCOMPARE(r.status, Status::Ok);
    QCOMPARE(r.hello.sni, QByteArray("one.byte.test"));
}

void ClientHelloTest::spansManyRecords()
{
    const QByteArray hs = handshakeOf(makeClientHello(config("records.test", {"h2"})));
    for (int recordSize : {1, 2, 7, 100, 255}) {
        const QByteArray bytes = frame(hs, recordSize);
        const ClientHelloResult r = parse(bytes);
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(r.hello.sni, QByteArray("records.test"));
        QCOMPARE(r.hello.alpnProtocols, QList<QByteArray>{"h2"});
        QCOMPARE(r.hello.length, bytes.size());
        // And every prefix of the multi-record form is NeedMore.
        for (qsizetype n = 0; n < bytes.size(); n += 3)
            QCOMPARE(parse(bytes.left(n)).status, Status::NeedMore);
    }
}

void ClientHelloTest::randomRecordBoundaries()
{
    const QByteArray hs = handshakeOf(makeClientHello(config("random.test")));
    std::mt19937 rng(42);
    for (int round = 0; round < 50; ++round) {
        QByteArray bytes;
        qsizetype i = 0;
        while (i < hs.size()) {
            const qsizetype n = 1 + qsizetype(rng() % 300);
            bytes += frame(hs.mid(i, n), 1 << 14);
            i += n;
        }
        const ClientHelloResult r = parse(bytes);
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(r.hello.sni, QByteArray("random.test"));
    }
}

void ClientHelloTest::ignoresBytesAfterTheClientHello()
{
    const QByteArray hello = makeClientHello(config("example.com"));
    const ClientHelloResult r = parse(hello + QByteArray("\x17\x03\x03\x00\x05hello", 10));
    QCOMPARE(r.status, Status::Ok);
    QCOMPARE(r.hello.length, hello.size());
}

void ClientHelloTest::notTls_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("http") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    QTest::newRow("http2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    QTest::newRow("ssh") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n");
    QTest::newRow("sslv2 hello") << QByteArray("\x80\x2e\x01\x00\x02", 5);
    QTest::newRow("handshake byte, bad major") << QByteArray("\x16\x02", 2);
    QTest::newRow("handshake byte, minor 9") << QByteArray("\x16\x03\x09", 3);
    QTest::newRow("single byte") << QByteArray("G");
}

void ClientHelloTest::notTls()
{
    QFETCH(QByteArray, bytes);
    QCOMPARE(parse(bytes).status, Status::NotTls);
}

void ClientHelloTest::invalid_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason");
    const QByteArray good = handMadeHello(sniExtension("ok.test"));
    QTest::newRow("server hello") << frame(QByteArray(1, '\x02') + good.mid(1), 1 << 14)
                                  << "not a ClientHello";
    QTest::newRow("empty record") << QByteArray("\x16\x03\x01\x00\x00", 5) << "empty";
    QTest::newRow("oversized record") << QByteArray("\x16\x03\x01\x50\x00", 5) << "exceeds";
    QTest::newRow("alert interrupts")
        << frame(good.left(10), 1 << 14) + QByteArray("\x15\x03\x03\x00\x02\x02\x28", 7)
        << "interrupts";
    QTest::newRow("huge message") << frame(QByteArray("\x01\x10\x00\x00", 4) + QByteArray(20, 'x'),
                                           1 << 14)
                                  << "larger than";
    QTest::newRow("duplicate extension")
        << frame(handMadeHello(sniExtension("a.test") + sniExtension("b.test")), 1 << 14)
        << "twice";
    QTest::newRow("extension overruns")
        << frame(handMadeHello(u16(0) + u16(50) + QByteArray(4, 'x')), 1 << 14) << "extension";
    QTest::newRow("empty server name")
        << frame(handMadeHello(extension(0, u16(3) + QByteArray(1, '\0') + u16(0))), 1 << 14)
        << "server_name";
    QTest::newRow("empty alpn name")
        << frame(handMadeHello(extension(16, u16(1) + QByteArray(1, '\0'))), 1 << 14) << "ALPN";
    QTest::newRow("odd cipher list")
        << frame(handshakeMessage('\x01', u16(0x0303) + QByteArray(32, 'r') + QByteArray(1, '\0') +
                                              u16(1) + QByteArray("\x13\x01\x00", 3)),
                 1 << 14)
        << "cipher suite";
    QTest::newRow("truncated body")
        << frame(QByteArray("\x01\x00\x00\x05", 4) + QByteArray("\x03\x03\x00\x00\x00", 5), 1 << 14)
        << "truncated";
}

void ClientHelloTest::invalid()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);
    const ClientHelloResult r = parse(bytes);
    QCOMPARE(r.status, Status::Invalid);
    QVERIFY2(r.reason.contains(reason), qPrintable(r.reason));
}

void ClientHelloTest::oldClientWithoutExtensions()
{
    const ClientHelloResult r = parse(frame(handMadeHello({}, false), 1 << 14));
    QCOMPARE(r.status, Status::Ok);
    QVERIFY(r.hello.extensions.isEmpty());
    QCOMPARE(r.hello.cipherSuites, QList<quint16>{0x1301});
}

void ClientHelloTest::mutatedInputNeverCrashes()
{
    const QByteArray base = makeClientHello(config("fuzz.test", {"h2", "http/1.1"}));
    std::mt19937 rng(7);
    int ok = 0;
    for (int round = 0; round < 3000; ++round) {
        QByteArray bytes = base;
        const int flips = 1 + int(rng() % 4);
        for (int i = 0; i < flips; ++i)
            bytes[qsizetype(rng() % bytes.size())] = char(rng());
        if (rng() % 3 == 0)
            bytes.truncate(qsizetype(rng() % bytes.size()));
        const ClientHelloResult r = parse(bytes);
        if (r.status == Status::Ok)
            ++ok;
        if (r.status == Status::Invalid)
            QVERIFY(!r.reason.isEmpty());
    }
    QVERIFY(ok > 0); // flips in the random field or cipher list still parse
    for (int round = 0; round < 2000; ++round) {
        QByteArray bytes(qsizetype(rng() % 64), Qt::Uninitialized);
        for (char& c : bytes)
            c = char(rng());
        if (!bytes.isEmpty())
            bytes[0] = '\x16';
        parse(bytes);
    }
}

QTEST_GUILESS_MAIN(ClientHelloTest)
#include "client_hello_test.moc"
