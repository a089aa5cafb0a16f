// http1_wire: writing HTTP/1 heads, and the repairs made to what may not be written.
#include "layers/http/http1_wire.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::layers::http;

class Http1WireTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestHead()
    {
        Request r;
        r.method = "DELETE";
        r.path = "/items/1?force=true";
        r.httpVersion = "HTTP/1.0";
        r.headers = {{"Host", "api"}, {"x-Mixed-Case", "v"}};
        QByteArray wire;
        QStringList debug;
        QVERIFY(http1WriteRequestHead(r, wire, debug).isEmpty());
        QCOMPARE(wire, QByteArray("DELETE /items/1?force=true HTTP/1.0\r\nHost: api\r\n"
                                  "x-Mixed-Case: v\r\n\r\n"));
        QVERIFY(debug.isEmpty());
    }

    void http2RequestGetsHost()
    {
        Request r;
        r.method = "GET";
        r.host = "example.com";
        r.port = 443;
        r.httpVersion = "HTTP/2.0";
        r.headers = {{"accept", "*/*"}};
        QByteArray wire;
        QStringList debug;
        QVERIFY(http1WriteRequestHead(r, wire, debug).isEmpty());
        QCOMPARE(wire,
                 QByteArray("GET / HTTP/1.1\r\nHost: example.com:443\r\naccept: */*\r\n\r\n"));
    }

    void refusedRequests()
    {
        Request r;
        r.method = "GET X";
        QByteArray wire;
        QStringList debug;
        QVERIFY(!http1WriteRequestHead(r, wire, debug).isEmpty());
        r.method = "CONNECT";
        QVERIFY(!http1WriteRequestHead(r, wire, debug).isEmpty()); // no destination
        QVERIFY(wire.isEmpty());
    }

    void responseHead()
    {
        Response r;
        r.httpVersion = "HTTP/2.0";
        r.statusCode = 299;
        r.headers = {{"a", "1"}};
        QByteArray wire;
        QStringList debug;
        QVERIFY(http1WriteResponseHead(r, wire, debug).isEmpty());
        QCOMPARE(wire, QByteArray("HTTP/1.1 299 \r\na: 1\r\n\r\n"));
        r.statusCode = 42;
        QVERIFY(!http1WriteResponseHead(r, wire, debug).isEmpty());
        r.statusCode = 200;
        r.reason = "Fine\r\nInjected: 1";
        wire.clear();
        QVERIFY(http1WriteResponseHead(r, wire, debug).isEmpty());
        QCOMPARE(wire, QByteArray("HTTP/1.1 200 Fine  Injected: 1\r\na: 1\r\n\r\n"));
        QCOMPARE(debug.size(), 1);
    }

    void tokensAreCheckedAtEveryPosition()
    {
        // Around the eight-byte steps the check takes: one bad byte anywhere fails a name.
        QVERIFY(!http1IsToken(""));
        QVERIFY(http1IsToken("!#$%&'*+-.^_`|~09azAZ"));
        for (qsizetype length = 1; length <= 20; ++length) {
            const QByteArray good(length, 'k');
            QVERIFY(http1IsToken(good));
            for (qsizetype at = 0; at < length; ++at) {
                for (const char bad : {' ', ':', '\0', '\x80', '"', '(', '\x7f'}) {
                    QByteArray name = good;
                    name[at] = bad;
                    QVERIFY2(!http1IsToken(name), qPrintable(QStringLiteral("%1 at %2 of %3")
                                                                 .arg(int(uchar(bad)))
                                                                 .arg(at)
                                                                 .arg(length)));
                }
            }
        }
    }

    void lineBreaksAndNulsInValuesBecomeSpaces()
    {
        // At every position of values of every length around the eight-byte steps the
        // writer scans in: each CR, LF and NUL becomes a space, with a note; nothing else
        // changes.
        for (qsizetype length = 1; length <= 40; ++length) {
            const QByteArray clean(length, 'v');
            for (qsizetype at = -1; at < length; ++at) {
                for (const char bad : {'\r', '\n', '\0'}) {
                    QByteArray value = clean;
                    if (at >= 0)
                        value[at] = bad;
                    Response r;
                    r.statusCode = 200;
                    r.headers = {{"a", "1"}, {"x-v", value}, {"b", "2"}};
                    QByteArray wire;
                    QStringList debug;
                    QVERIFY(http1WriteResponseHead(r, wire, debug).isEmpty());
                    QByteArray expected = clean;
                    if (at >= 0)
                        expected[at] = ' ';
                    QCOMPARE(wire,
                             "HTTP/1.1 200 OK\r\na: 1\r\nx-v: " + expected + "\r\nb: 2\r\n\r\n");
                    QCOMPARE(debug.size(), at >= 0 ? 1 : 0);
                }
            }
        }
    }

    void contentLengthNextToTransferEncodingIsLeftOut()
    {
        Response r;
        r.statusCode = 200;
        r.headers = {{"Content-Length", "5"}, {"Transfer-Encoding", "chunked"}, {"X", "1"}};
        QByteArray wire;
        QStringList debug;
        QVERIFY(http1WriteResponseHead(r, wire, debug).isEmpty());
        QCOMPARE(wire, QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX: 1\r\n\r\n"));
        QCOMPARE(debug.size(), 1);
        Request q;
        q.method = "POST";
        q.path = "/";
        q.headers = r.headers;
        wire.clear();
        QVERIFY(http1WriteRequestHead(q, wire, debug).isEmpty());
        QCOMPARE(wire, QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nX: 1\r\n\r\n"));
    }

    void errorResponse()
    {
        QCOMPARE(http1ErrorResponse(431, "too big"),
                 QByteArray("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: "
                            "text/plain\r\nContent-Length: 7\r\nConnection: close\r\n\r\ntoo big"));
        QVERIFY(
            http1ErrorResponse(505, "x").startsWith("HTTP/1.1 505 HTTP Version Not Supported\r\n"));
    }

    void endsInChunked()
    {
        QVERIFY(http1EndsInChunked({{"Transfer-Encoding", "gzip, Chunked "}}));
        QVERIFY(
            http1EndsInChunked({{"Transfer-Encoding", "gzip"}, {"Transfer-Encoding", "chunked,"}}));
        QVERIFY(!http1EndsInChunked({{"Transfer-Encoding", "chunked, gzip"}}));
        QVERIFY(!http1EndsInChunked({}));
    }

    void authority_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("name") << QByteArray("Example.com:443") << true << QByteArray("example.com")
                              << 443;
        QTest::newRow("v4") << QByteArray("10.0.0.1:8080") << true << QByteArray("10.0.0.1")
                            << 8080;
        QTest::newRow("v6") << QByteArray("[2001:db8::1]:443") << true << QByteArray("2001:db8::1")
                            << 443;
        QTest::newRow("no port") << QByteArray("example.com") << false << QByteArray() << 0;
        QTest::newRow("empty port") << QByteArray("example.com:") << false << QByteArray() << 0;
        QTest::newRow("port 0") << QByteArray("example.com:0") << false << QByteArray() << 0;
        QTest::newRow("port too big")
            << QByteArray("example.com:65536") << false << QByteArray() << 0;
        QTest::newRow("bare v6") << QByteArray("::1:443") << false << QByteArray() << 0;
        QTest::newRow("userinfo") << QByteArray("u@example.com:443") << false << QByteArray() << 0;
        QTest::newRow("path") << QByteArray("example.com/x:443") << false << QByteArray() << 0;
        QTest::newRow("no host") << QByteArray(":443") << false << QByteArray() << 0;
    }

    void authority()
    {
        QFETCH(QByteArray, input);
        QFETCH(bool, valid);
        QFETCH(QByteArray, host);
        QFETCH(int, port);
        QByteArray h;
        quint16 p = 0;
        QCOMPARE(http1ParseAuthority(input, &h, &p), valid);
        if (valid) {
            QCOMPARE(h, host);
            QCOMPARE(int(p), port);
        }
    }
};

QTEST_GUILESS_MAIN(Http1WireTest)
#include "http1_wire_test.moc"
