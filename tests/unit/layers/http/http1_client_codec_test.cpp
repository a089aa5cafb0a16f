// Http1ClientCodec: requests out, responses in. Every response stream runs fed whole, byte
// by byte and at random cut points (http1_codec_driver.h) and must give the same result.
#include "http1_codec_driver.h"
#include "layers/http/http1_client_codec.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::test;
using namespace spyglass::layers::http;

namespace {

template <size_t N> QByteArray bytes(const char (&s)[N])
{
    return QByteArray(s, N - 1);
}

Request request(const QByteArray& method, const QByteArray& path, const Headers& headers = {},
                const QByteArray& version = "HTTP/1.1")
{
    Request r;
    r.method = method;
    r.scheme = "http";
    r.host = "example.com";
    r.port = 80;
    r.path = path;
    r.httpVersion = version;
    r.headers = headers;
    return r;
}

RequestHeaders get(int id, const QByteArray& path = "/", const QByteArray& method = "GET")
{
    return RequestHeaders{id, request(method, path, {{"Host", "example.com"}}), true};
}

// Sends `events` before the input arrives; what they write is part of the transcript.
std::function<void(HttpCodec&, Transcript&)> sending(std::vector<HttpEvent> events)
{
    return [events](HttpCodec& codec, Transcript& t) {
        for (const HttpEvent& e : events) {
            CodecOutput out;
            codec.send(e, out);
            collect(std::move(out), codec, {}, t);
        }
    };
}

QStringList state(HttpCodec& codec)
{
    return {QStringLiteral("idle=%1").arg(codec.isIdle()),
            QStringLiteral("closing=%1").arg(codec.isClosing()),
            QStringLiteral("handedOver=%1").arg(codec.isHandedOver()),
            QStringLiteral("unparsed=") + quoted(codec.takeUnparsed())};
}

Scenario client(std::vector<HttpEvent> requests, const QByteArray& input, bool closeAtEnd = false,
                CodecLimits limits = {})
{
    Scenario s;
    s.makeCodec = [limits] { return std::make_unique<Http1ClientCodec>(limits); };
    s.before = sending(std::move(requests));
    s.input = input;
    s.closeAtEnd = closeAtEnd;
    s.after = state;
    return s;
}

const QStringList kIdle{"idle=1", "closing=0", "handedOver=0", "unparsed=\"\""};
const QStringList kClosed{"idle=1", "closing=1", "handedOver=0", "unparsed=\"\""};

} // namespace

class Http1ClientCodecTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void getWithContentLengthResponse()
    {
        Scenario s = client(
            {RequestHeaders{
                1, request("GET", "/a?b=1", {{"Host", "example.com"}, {"accept", "*/*"}}), true}},
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
            "\r\nhello");
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("GET /a?b=1 HTTP/1.1\r\nHost: example.com\r\naccept: */*\r\n\r\n"));
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               (QStringList{"ResponseHeaders#1 200 OK HTTP/1.1 {Content-Type: "
                                            "text/plain, Content-Length: 5}",
                                            "ResponseData#1 \"hello\"", "ResponseEndOfMessage#1"}));
        QVERIFY(!run.transcript.close);
        QCOMPARE(run.afterLines, kIdle);
    }

    // A read that is all body travels on as it came (shared, not copied); a read that also
    // holds the head gives the body its own bytes. Either way the bytes are the same.
    void bodyReadsAreSharedWhenWhole()
    {
        Http1ClientCodec codec;
        CodecOutput sent;
        codec.send(get(1), sent);
        CodecOutput first;
        codec.receiveData("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nabcd", first);
        QCOMPARE(first.events.size(), size_t(2));
        QCOMPARE(std::get<ResponseData>(first.events[1]).data, QByteArray("abcd"));

        const QByteArray read(8, 'x');
        CodecOutput second;
        codec.receiveData(read, second);
        QCOMPARE(second.events.size(), size_t(2));
        const QByteArray& body = std::get<ResponseData>(second.events[0]).data;
        QCOMPARE(body, read);
        QCOMPARE(body.constData(), read.constData());
        QVERIFY(std::holds_alternative<ResponseEndOfMessage>(second.events[1]));
        QVERIFY(codec.isIdle());
    }

    void emptyPathAndReasonlessStatus()
    {
        Scenario s = client({get(7, "")}, "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n");
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer, QByteArray("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"));
        QCOMPARE(run.transcript.lines(),
                 QStringList{"ResponseHeaders#7 200  HTTP/1.1 {Content-Length: 0} end"});
        QCOMPARE(run.afterLines, kIdle);
    }

    void postContentLengthBody()
    {
        Scenario s =
            client({RequestHeaders{1, request("POST", "/f", {{"Content-Length", "11"}})},
                    RequestData{1, "hello"}, RequestData{1, " world"}, RequestEndOfMessage{1}},
                   "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("POST /f HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world"));
        QCOMPARE(run.transcript.lines(),
                 QStringList{"ResponseHeaders#1 201 Created HTTP/1.1 {Content-Length: 0} end"});
        QCOMPARE(run.afterLines, kIdle);
    }

    void postChunkedBodyWithTrailers()
    {
        Scenario s =
            client({RequestHeaders{1, request("POST", "/f", {{"Transfer-Encoding", "chunked"}})},
                    RequestData{1, "hello"}, RequestData{1, ""}, RequestData{1, "0123456789abcdef"},
                    RequestTrailers{1, {{"X-Sum", "42"}}}, RequestEndOfMessage{1}},
                   "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "4\r\nresp\r\n10;name=value\r\n0123456789ABCDEF\r\n0\r\n"
                   "Server-Timing: db;dur=53\r\n\r\n");
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("POST /f HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "5\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\nX-Sum: 42\r\n\r\n"));
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               (QStringList{"ResponseHeaders#1 200 OK HTTP/1.1 "
                                            "{Transfer-Encoding: chunked}",
                                            "ResponseData#1 \"resp0123456789ABCDEF\"",
                                            "ResponseTrailers#1 {Server-Timing: db;dur=53}",
                                            "ResponseEndOfMessage#1"}));
        QCOMPARE(run.afterLines, kIdle);
    }

    void chunkedRequestWithoutTrailers()
    {
        Scenario s =
            client({RequestHeaders{1, request("PUT", "/x", {{"Transfer-Encoding", "chunked"}})},
                    RequestData{1, "ab"}, RequestEndOfMessage{1}},
                   "HTTP/1.1 204 No Content\r\n\r\n");
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer,
                 QByteArray(
                     "PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n"));
    }

    void requestBodyWithoutFramingIsDropped()
    {
        Http1ClientCodec codec;
        CodecOutput out;
        codec.send(RequestHeaders{1, request("POST", "/", {})}, out);
        codec.send(RequestData{1, "lost"}, out);
        codec.send(RequestEndOfMessage{1}, out);
        QCOMPARE(out.toPeer, QByteArray("POST / HTTP/1.1\r\n\r\n"));
        QVERIFY(out.debug.join('\n').contains("dropped 4 bytes"));
    }

    void requestBodyShorterThanContentLengthFails()
    {
        Http1ClientCodec codec;
        CodecOutput out;
        codec.send(RequestHeaders{1, request("POST", "/", {{"Content-Length", "10"}})}, out);
        codec.send(RequestData{1, "short"}, out);
        codec.send(RequestEndOfMessage{1}, out);
        QCOMPARE(out.events.size(), size_t(1));
        QVERIFY(
            describe(out.events[0]).startsWith("ResponseProtocolError#1 the request body ended"));
        QVERIFY(out.close);
        QVERIFY(codec.isClosing());
    }

    void http2RequestIsTranslated()
    {
        Request r = request("POST", "/api", {{"content-type", "application/json"}}, "HTTP/2.0");
        r.authority = "example.com:8443";
        Scenario s = client({RequestHeaders{1, r}, RequestData{1, "{}"}, RequestEndOfMessage{1}},
                            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("POST /api HTTP/1.1\r\nHost: example.com:8443\r\ncontent-type: "
                            "application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "2\r\n{}\r\n0\r\n\r\n"));
    }

    void requestHeadIsSanitised()
    {
        Http1ClientCodec codec;
        CodecOutput out;
        codec.send(RequestHeaders{1, request("GET", "/a b\r\n", {{"X", "1\r\nY: 2"}}), true}, out);
        QCOMPARE(out.toPeer, QByteArray("GET /a%20b%0D%0A HTTP/1.1\r\nX: 1  Y: 2\r\n\r\n"));
        QCOMPARE(out.debug.size(), 2);

        CodecOutput refused;
        codec.send(RequestHeaders{3, request("GET /x", "/"), true}, refused);
        QVERIFY(refused.toPeer.isEmpty());
        QCOMPARE(refused.events.size(), size_t(1));
        QVERIFY(std::holds_alternative<ResponseProtocolError>(refused.events[0]));
    }

    void headResponseHasNoBody()
    {
        Scenario s = client({get(1, "/big", "HEAD"), get(3, "/next")},
                            "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("HEAD /big HTTP/1.1\r\nHost: example.com\r\n\r\n"
                            "GET /next HTTP/1.1\r\nHost: example.com\r\n\r\n"));
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               (QStringList{"ResponseHeaders#1 200 OK HTTP/1.1 "
                                            "{Content-Length: 1000} end",
                                            "ResponseHeaders#3 200 OK HTTP/1.1 {Content-Length: 2}",
                                            "ResponseData#3 \"ok\"", "ResponseEndOfMessage#3"}));
        QCOMPARE(run.afterLines, kIdle);
    }

    void noBodyFor204And304()
    {
        Scenario s = client({get(1), get(3), get(5)},
                            "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n"
                            "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz");
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               (QStringList{"ResponseHeaders#1 204 No Content HTTP/1.1 "
                                            "{Content-Length: 5} end",
                                            "ResponseHeaders#3 304 Not Modified HTTP/1.1 "
                                            "{Transfer-Encoding: chunked} end",
                                            "ResponseHeaders#5 200 OK HTTP/1.1 {Content-Length: 1}",
                                            "ResponseData#5 \"z\"", "ResponseEndOfMessage#5"}));
        QCOMPARE(run.afterLines, kIdle);
    }

    void informationalResponsesAreDropped()
    {
        Scenario s = client(
            {RequestHeaders{
                 1, request("POST", "/", {{"Expect", "100-continue"}, {"Content-Length", "1"}})},
             RequestData{1, "x"}, RequestEndOfMessage{1}},
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n"
            "Link: </style.css>; rel=preload\r\n\r\n"
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               (QStringList{"ResponseHeaders#1 200 OK HTTP/1.1 {Content-Length: 2}",
                                            "ResponseData#1 \"ok\"", "ResponseEndOfMessage#1"}));
        QCOMPARE(run.transcript.debug, (QStringList{"dropped 100 Continue for stream 1",
                                                    "dropped 103 Early Hints for stream 1"}));
        QCOMPARE(run.afterLines, kIdle);
    }

    void connectThenHandedOver()
    {
        Request r = request("CONNECT", "", {{"Host", "example.com:443"}});
        r.authority = "example.com:443";
        r.port = 443;
        Scenario s =
            client({RequestHeaders{1, r, true}},
                   bytes("HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x03\x00\x7a"));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"));
        QCOMPARE(run.transcript.lines(),
                 QStringList{"ResponseHeaders#1 200 Connection established HTTP/1.1 {} end"});
        QCOMPARE(run.afterLines, (QStringList{"idle=0", "closing=1", "handedOver=1",
                                              "unparsed=\"\\x16\\x03\\x03\\x00z\""}));
        QVERIFY(!run.transcript.close);
    }

    void connectWithoutAuthorityUsesHostAndPort()
    {
        Request r = request("CONNECT", "");
        r.host = "::1";
        r.port = 8443;
        Http1ClientCodec codec;
        CodecOutput out;
        codec.send(RequestHeaders{1, r, true}, out);
        QCOMPARE(out.toPeer, QByteArray("CONNECT [::1]:8443 HTTP/1.1\r\n\r\n"));
    }

    void refusedConnectKeepsHttp()
    {
        Request r = request("CONNECT", "");
        r.authority = "example.com:443";
        Scenario s = client({RequestHeaders{1, r, true}},
                            "HTTP/1.1 407 Proxy Authentication Required\r\n"
                            "Proxy-Authenticate: Basic\r\nContent-Length: 4\r\n\r\nauth");
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               (QStringList{"ResponseHeaders#1 407 Proxy Authentication Required "
                                            "HTTP/1.1 {Proxy-Authenticate: Basic, "
                                            "Content-Length: 4}",
                                            "ResponseData#1 \"auth\"", "ResponseEndOfMessage#1"}));
        QCOMPARE(run.afterLines, kIdle);
    }

    void upgradeSwitchingProtocolsHandsOver()
    {
        Scenario s = client(
            {RequestHeaders{
                1, request("GET", "/chat", {{"Connection", "Upgrade"}, {"Upgrade", "websocket"}}),
                true}},
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
            "Upgrade: websocket\r\n\r\n\x81\x03hey");
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.lines(),
                 QStringList{"ResponseHeaders#1 101 Switching Protocols HTTP/1.1 "
                             "{Connection: Upgrade, Upgrade: websocket} end"});
        QCOMPARE(run.afterLines, (QStringList{"idle=0", "closing=1", "handedOver=1",
                                              "unparsed=\"\\x81\\x03hey\""}));

        // Nothing more is accepted on a handed-over connection.
        Http1ClientCodec codec;
        CodecOutput out;
        codec.send(get(1), out);
        codec.receiveData("HTTP/1.1 101 Switching Protocols\r\n\r\n", out);
        QVERIFY(codec.isHandedOver());
        CodecOutput more;
        codec.send(get(3), more);
        QCOMPARE(more.events.size(), size_t(1));
        QVERIFY(std::holds_alternative<ResponseProtocolError>(more.events[0]));
        QVERIFY(more.toPeer.isEmpty());
    }

    void readUntilCloseBody()
    {
        Scenario s = client({get(1)},
                            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>"
                            "streamed until the end</html>",
                            true);
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(
            run.transcript.lines(),
            (QStringList{"ResponseHeaders#1 200 OK HTTP/1.1 "
                         "{Content-Type: text/html}",
                         "ResponseData#1 \"<html>streamed until the end</html>\"",
                         "ResponseEndOfMessage#1"}));
        QVERIFY(run.transcript.close);
        QCOMPARE(run.afterLines, kClosed);

        // Streamed as it arrives; the end comes with the close.
        Http1ClientCodec codec;
        CodecOutput out;
        codec.send(get(1), out);
        codec.receiveData("HTTP/1.0 200 OK\r\n\r\nfirst", out);
        QCOMPARE(out.events.size(), size_t(2));
        QVERIFY(codec.isClosing());
        QVERIFY(!codec.isIdle());
        CodecOutput end;
        codec.receiveClose(end);
        QCOMPARE(end.events.size(), size_t(1));
        QVERIFY(std::holds_alternative<ResponseEndOfMessage>(end.events[0]));
        QVERIFY(end.close);
    }

    void http10ResponseClosesUnlessKeepAlive()
    {
        Scenario close = client({get(1)}, "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\na");
        SPYGLASS_RUN_ALL_CUTS(a, close);
        QVERIFY(a.transcript.close);
        QCOMPARE(a.afterLines, kClosed);

        Scenario keep = client({get(1)}, "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
                                         "Content-Length: 1\r\n\r\na");
        SPYGLASS_RUN_ALL_CUTS(b, keep);
        QVERIFY(!b.transcript.close);
        QCOMPARE(b.afterLines, kIdle);
    }

    void connectionCloseInRequestOrResponse()
    {
        Scenario inResponse = client({get(1)}, "HTTP/1.1 200 OK\r\nConnection: close\r\n"
                                               "Content-Length: 1\r\n\r\na");
        SPYGLASS_RUN_ALL_CUTS(a, inResponse);
        QVERIFY(a.transcript.close);

        Scenario inRequest =
            client({RequestHeaders{1, request("GET", "/", {{"Connection", "close"}}), true}},
                   "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na");
        SPYGLASS_RUN_ALL_CUTS(b, inRequest);
        QVERIFY(b.transcript.close);
        QCOMPARE(b.afterLines, kClosed);
    }

    void pipelinedResponsesMatchTheirRequests()
    {
        Scenario s =
            client({get(1, "/a"), get(3, "/b"), get(5, "/c")},
                   "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nA"
                   "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nB\r\n0\r\n\r\n"
                   "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nC\r\n");
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               (QStringList{"ResponseHeaders#1 200 OK HTTP/1.1 {Content-Length: 1}",
                                            "ResponseData#1 \"A\"", "ResponseEndOfMessage#1",
                                            "ResponseHeaders#3 404 Not Found HTTP/1.1 "
                                            "{Transfer-Encoding: chunked}",
                                            "ResponseData#3 \"B\"", "ResponseEndOfMessage#3",
                                            "ResponseHeaders#5 200 OK HTTP/1.1 {Content-Length: 1}",
                                            "ResponseData#5 \"C\"", "ResponseEndOfMessage#5"}));
        QCOMPARE(run.afterLines, kIdle); // a stray CRLF after a response is tolerated
    }

    void earlyResponseBeforeTheRequestEnded()
    {
        Http1ClientCodec codec;
        CodecOutput out;
        codec.send(RequestHeaders{1, request("POST", "/", {{"Content-Length", "100"}})}, out);
        codec.send(RequestData{1, "some"}, out);
        codec.receiveData("HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n", out);
        QCOMPARE(out.events.size(), size_t(1));
        QVERIFY(out.close); // the rest of the body cannot be sent on a reusable connection
        QVERIFY(codec.isClosing());
    }

    void truncatedResponsesAtClose_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("before"); // events before the error
        QTest::addColumn<QString>("message");
        const QString cut = "server closed the connection before the response was complete";
        QTest::newRow("nothing") << QByteArray() << 0
                                 << "server closed the connection without sending a response";
        QTest::newRow("inside the status line") << QByteArray("HTTP/1.1 20") << 0 << cut;
        QTest::newRow("inside the head") << QByteArray("HTTP/1.1 200 OK\r\nContent-Le") << 0 << cut;
        QTest::newRow("short Content-Length body")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc") << 2 << cut;
        QTest::newRow("inside a chunk")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab") << 2
            << cut;
        QTest::newRow("before the last chunk")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n") << 2
            << cut;
    }

    void truncatedResponsesAtClose()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, before);
        QFETCH(QString, message);
        Scenario s = client({get(1)}, input, true);
        SPYGLASS_RUN_ALL_CUTS(run, s);
        const QStringList lines = run.transcript.lines();
        QCOMPARE(lines.size(), before + 1);
        QCOMPARE(lines.last(), "ResponseProtocolError#1 " + message);
        QVERIFY(run.transcript.close);
        QCOMPARE(run.afterLines, kClosed);
    }

    void closeWhenIdleIsQuiet()
    {
        Scenario s = client({get(1)}, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true);
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.lines().size(), 1);
        QVERIFY(run.transcript.close);
    }

    void pipelinedRequestsFailTogether()
    {
        Scenario s = client({get(1), get(3)}, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true);
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.lines(),
                 (QStringList{"ResponseHeaders#1 200 OK HTTP/1.1 {Content-Length: 0} end",
                              "ResponseProtocolError#3 server closed the connection without "
                              "sending a response"}));
    }

    void malformedResponses_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("before");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("not HTTP") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n") << 0 << "Expected HTTP/";
        QTest::newRow("bad status")
            << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n") << 0 << "Invalid response status";
        QTest::newRow("HTTP/2 status line")
            << QByteArray("HTTP/2.0 200 OK\r\n\r\n") << 0 << "unsupported HTTP version 2.0";
        QTest::newRow("CL and TE") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                                                 "Transfer-Encoding: chunked\r\n\r\n")
                                   << 0 << "Content-Length can't be present";
        QTest::newRow("two Content-Lengths")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabc")
            << 0 << "Duplicate Content-Length";
        QTest::newRow("bad chunk size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\nxyz\r\n")
            << 2 << "invalid chunk size in the response body";
        QTest::newRow("invalid field name") << QByteArray("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n")
                                            << 0 << "invalid header field name";
        QTest::newRow("NUL in a value")
            << bytes("HTTP/1.1 200 OK\r\nX: a\0\r\n\r\n") << 0 << "invalid character";
    }

    void malformedResponses()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, before);
        QFETCH(QString, messagePart);
        Scenario s = client({get(1)}, input);
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.events.size(), size_t(before + 1));
        const auto* error = std::get_if<ResponseProtocolError>(&run.transcript.events.back());
        QVERIFY2(error, qPrintable(run.transcript.lines().join('\n')));
        QCOMPARE(error->streamId, 1);
        QVERIFY2(error->message.contains(messagePart), qPrintable(error->message));
        QVERIFY(run.transcript.close);
        QCOMPARE(run.afterLines, kClosed);
    }

    void obsFoldInAResponseBecomesASpace()
    {
        Scenario s = client({get(1)}, "HTTP/1.1 200 OK\r\nX-Long: first\r\n  second\r\n\tthird\r\n"
                                      "Content-Length: 0\r\n\r\n");
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.lines(),
                 QStringList{"ResponseHeaders#1 200 OK HTTP/1.1 {X-Long: first second third, "
                             "Content-Length: 0} end"});
    }

    void oversizedResponseHead()
    {
        CodecLimits limits;
        limits.maxHeadSize = 512;
        Scenario s = client({get(1)}, "HTTP/1.1 200 OK\r\nX: " + QByteArray(600, 'v') + "\r\n\r\n",
                            false, limits);
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.lines(),
                 QStringList{"ResponseProtocolError#1 response head larger than the limit of 512 "
                             "bytes"});
        QVERIFY(run.transcript.close);
    }

    void unsolicitedResponseClosesTheConnection()
    {
        Http1ClientCodec codec;
        CodecOutput out;
        codec.receiveData("HTTP/1.1 200 OK\r\n\r\n", out);
        QVERIFY(out.events.empty());
        QVERIFY(out.close);
        QVERIFY(out.debug.join('\n').contains("without a request"));
    }

    void idleState()
    {
        Http1ClientCodec codec;
        QVERIFY(codec.isIdle());
        CodecOutput out;
        codec.send(RequestHeaders{1, request("POST", "/", {{"Content-Length", "2"}})}, out);
        QVERIFY(!codec.isIdle());
        codec.send(RequestData{1, "ab"}, out);
        codec.send(RequestEndOfMessage{1}, out);
        QVERIFY(!codec.isIdle()); // the response is outstanding
        codec.receiveData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", out);
        QVERIFY(!codec.isIdle());
        codec.receiveData("ok", out);
        QVERIFY(codec.isIdle());
        QVERIFY(!codec.isClosing());
    }
};

QTEST_GUILESS_MAIN(Http1ClientCodecTest)
#include "http1_client_codec_test.moc"
