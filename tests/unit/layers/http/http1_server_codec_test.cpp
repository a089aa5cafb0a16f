// Http1ServerCodec: requests in, responses out. Every scenario runs fed whole, byte by byte
// and at random cut points (http1_codec_driver.h) and must give the same result each time.
#include "http1_codec_driver.h"
#include "layers/http/http1_server_codec.h"

#include <QtTest>
#include <map>

using namespace spyglass;
using namespace spyglass::test;
using namespace spyglass::layers::http;

namespace {

using Script = std::map<int, std::vector<HttpEvent>>;

// A literal that may contain NUL bytes.
template <size_t N> QByteArray bytes(const char (&s)[N])
{
    return QByteArray(s, N - 1);
}

Response response(int status, const Headers& headers = {}, QByteArray reason = {})
{
    Response r;
    r.httpVersion = "HTTP/1.1";
    r.statusCode = status;
    r.reason = reason.isEmpty() ? defaultReason(status) : reason;
    r.headers = headers;
    return r;
}

// A complete response with a Content-Length body.
std::vector<HttpEvent> ok(int id, const QByteArray& body, int status = 200)
{
    return {ResponseHeaders{
                id, response(status, {{"Content-Length", QByteArray::number(body.size())}})},
            ResponseData{id, body}, ResponseEndOfMessage{id}};
}

int requestEnd(const HttpEvent& e)
{
    if (const auto* h = std::get_if<RequestHeaders>(&e); h && h->endStream)
        return h->streamId;
    if (const auto* m = std::get_if<RequestEndOfMessage>(&e))
        return m->streamId;
    return 0;
}

// Answers stream N with script[N] once its request has ended.
Responder onRequestEnd(Script script)
{
    return [script](const HttpEvent& e, HttpCodec& codec, CodecOutput& out) {
        const auto it = script.find(requestEnd(e));
        if (it != script.end())
            for (const HttpEvent& answer : it->second)
                codec.send(answer, out);
    };
}

// Answers stream N with script[N] as soon as its head is there (early responses, 1xx).
Responder onRequestHead(Script script)
{
    return [script](const HttpEvent& e, HttpCodec& codec, CodecOutput& out) {
        const auto* h = std::get_if<RequestHeaders>(&e);
        const auto it = h ? script.find(h->streamId) : script.end();
        if (it != script.end())
            for (const HttpEvent& answer : it->second)
                codec.send(answer, out);
    };
}

Responder both(Responder a, Responder b)
{
    return [a, b](const HttpEvent& e, HttpCodec& codec, CodecOutput& out) {
        a(e, codec, out);
        b(e, codec, out);
    };
}

QStringList state(HttpCodec& codec)
{
    return {QStringLiteral("idle=%1").arg(codec.isIdle()),
            QStringLiteral("closing=%1").arg(codec.isClosing()),
            QStringLiteral("handedOver=%1").arg(codec.isHandedOver()),
            QStringLiteral("unparsed=") + quoted(codec.takeUnparsed())};
}

Scenario server(const QByteArray& input, Responder respond = {}, CodecLimits limits = {})
{
    Scenario s;
    s.makeCodec = [limits] { return std::make_unique<Http1ServerCodec>(limits); };
    s.input = input;
    s.respond = std::move(respond);
    s.after = state;
    return s;
}

QByteArray errorResponse(int status, const QByteArray& reason, const QString& message)
{
    const QByteArray body = message.toUtf8();
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
           "\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

const QStringList kIdle{"idle=1", "closing=0", "handedOver=0", "unparsed=\"\""};
const QStringList kClosed{"idle=1", "closing=1", "handedOver=0", "unparsed=\"\""};

} // namespace

class Http1ServerCodecTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void getAbsoluteForm()
    {
        Scenario s = server("GET http://Example.com/a/b?c=d HTTP/1.1\r\nHost: example.com\r\n"
                            "User-Agent: curl/7.88\r\nAccept: */*\r\n\r\n",
                            onRequestEnd({{1, ok(1, "hello")}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(
            run.transcript.lines(),
            QStringList{"RequestHeaders#1 GET scheme=http host=example.com "
                        "port=80 authority=Example.com path=/a/b?c=d HTTP/1.1 "
                        "{Host: example.com, User-Agent: curl/7.88, Accept: */*} "
                        "end"});
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
        QVERIFY(!run.transcript.close);
        QCOMPARE(run.afterLines, kIdle);
    }

    void absoluteFormWithPortAndNoPath()
    {
        Scenario s = server("GET http://example.com:8080 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n"
                            "GET https://[::1]/x HTTP/1.1\r\nHost: [::1]\r\n\r\n",
                            onRequestEnd({{1, ok(1, "a")}, {3, ok(3, "b")}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(
            run.transcript.lines(),
            (QStringList{"RequestHeaders#1 GET scheme=http host=example.com port=8080 "
                         "authority=example.com:8080 path=/ HTTP/1.1 {Host: example.com:8080} end",
                         "RequestHeaders#3 GET scheme=https host=::1 port=443 authority=[::1] "
                         "path=/x HTTP/1.1 {Host: [::1]} end"}));
    }

    void absoluteFormPathTravelsAsSent()
    {
        Scenario s = server("GET http://user@example.com/a|b{c}^d%zz?q=[1] HTTP/1.1\r\n\r\n"
                            "GET HTTP://EXAMPLE.COM?x=1 HTTP/1.1\r\n\r\n",
                            onRequestEnd({{1, ok(1, "")}, {3, ok(3, "")}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               (QStringList{"RequestHeaders#1 GET scheme=http host=example.com "
                                            "port=80 authority=user@example.com "
                                            "path=/a|b{c}^d%zz?q=[1] HTTP/1.1 {} end",
                                            "RequestHeaders#3 GET scheme=http host=example.com "
                                            "port=80 authority=EXAMPLE.COM path=/?x=1 HTTP/1.1 "
                                            "{} end"}));
    }

    void originFormKeepsFieldOrderAndCase()
    {
        Scenario s = server("GET /index.html?q=1 HTTP/1.1\r\nhost: h.example\r\nX-b: 1\r\n"
                            "x-A: 2\r\nX-B:   3  \r\nCookie: a=1\r\nCookie: b=2\r\n\r\n",
                            onRequestEnd({{1, ok(1, "")}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               QStringList{"RequestHeaders#1 GET path=/index.html?q=1 HTTP/1.1 "
                                           "{host: h.example, X-b: 1, x-A: 2, X-B: 3, Cookie: a=1, "
                                           "Cookie: b=2} end"});
        QCOMPARE(run.transcript.toPeer, QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    }

    void optionsAsterisk()
    {
        Scenario s =
            server("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", onRequestEnd({{1, ok(1, "")}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(
            run.transcript.lines(),
            QStringList{"RequestHeaders#1 OPTIONS path=* HTTP/1.1 {Host: h} end"});
    }

    void connectThenHandedOver()
    {
        const Script script{
            {1, {ResponseHeaders{1, response(200, {}, "Connection established"), true}}}};
        Scenario s =
            server(bytes("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"
                         "\x16\x03\x01\x00\x05hello"),
                   onRequestEnd(script));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               QStringList{"RequestHeaders#1 CONNECT host=example.com port=443 "
                                           "authority=example.com:443 path= HTTP/1.1 "
                                           "{Host: example.com:443} end"});
        QCOMPARE(run.transcript.toPeer, QByteArray("HTTP/1.1 200 Connection established\r\n\r\n"));
        QVERIFY(!run.transcript.close);
        QCOMPARE(run.afterLines, (QStringList{"idle=0", "closing=1", "handedOver=1",
                                              "unparsed=\"\\x16\\x03\\x01\\x00\\x05hello\""}));
    }

    void connectIpv6AndRefusedConnectKeepsHttp()
    {
        // 407 is not 2xx: HTTP goes on, and the client retries with credentials.
        Scenario s = server(
            "CONNECT [::1]:8443 HTTP/1.1\r\n\r\n"
            "CONNECT [::1]:8443 HTTP/1.1\r\nProxy-Authorization: Basic eDp5\r\n\r\n",
            onRequestEnd({{1, ok(1, "auth!", 407)},
                          {3, {ResponseHeaders{3, response(200)}, ResponseEndOfMessage{3}}}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               (QStringList{"RequestHeaders#1 CONNECT host=::1 port=8443 "
                                            "authority=[::1]:8443 path= HTTP/1.1 {} end",
                                            "RequestHeaders#3 CONNECT host=::1 port=8443 "
                                            "authority=[::1]:8443 path= HTTP/1.1 "
                                            "{Proxy-Authorization: Basic eDp5} end"}));
        QCOMPARE(
            run.transcript.toPeer,
            QByteArray("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 5\r\n\r\n"
                       "auth!HTTP/1.1 200 OK\r\n\r\n"));
        QCOMPARE(run.afterLines,
                 (QStringList{"idle=0", "closing=1", "handedOver=1", "unparsed=\"\""}));
    }

    void postContentLength()
    {
        Scenario s = server("POST /submit HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n"
                            "hello world",
                            onRequestEnd({{1, ok(1, "done")}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(
            run.transcript.lines(),
            (QStringList{"RequestHeaders#1 POST path=/submit HTTP/1.1 {Host: h, "
                         "Content-Length: 11}",
                         "RequestData#1 \"hello world\"", "RequestEndOfMessage#1"}));
        QCOMPARE(run.afterLines, kIdle);
    }

    void postChunkedWithTrailers()
    {
        Scenario s = server("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Checksum: abc\r\n"
                            "X-More: 1\r\n\r\n",
                            onRequestEnd({{1, ok(1, "")}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               (QStringList{"RequestHeaders#1 POST path=/up HTTP/1.1 {Host: h, "
                                            "Transfer-Encoding: chunked}",
                                            "RequestData#1 \"hello world\"",
                                            "RequestTrailers#1 {X-Checksum: abc, X-More: 1}",
                                            "RequestEndOfMessage#1"}));
        QCOMPARE(run.afterLines, kIdle);
    }

    void emptyChunkedBody()
    {
        Scenario s = server("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                            onRequestEnd({{1, ok(1, "")}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               (QStringList{"RequestHeaders#1 POST path=/ HTTP/1.1 "
                                            "{Transfer-Encoding: chunked}",
                                            "RequestEndOfMessage#1"}));
    }

    void chunkedResponseWithTrailers()
    {
        Headers trailers{{"X-Checksum", "xyz"}};
        const std::vector<HttpEvent> answer{
            ResponseHeaders{1, response(200, {{"Transfer-Encoding", "chunked"},
                                              {"Content-Type", "text/plain"}})},
            ResponseData{1, "abc"},
            ResponseData{1, ""},
            ResponseData{1, "0123456789abcdefg"},
            ResponseTrailers{1, trailers},
            ResponseEndOfMessage{1}};
        Scenario s = server("GET / HTTP/1.1\r\n\r\n", onRequestEnd({{1, answer}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: "
                            "text/plain\r\n\r\n3\r\nabc\r\n11\r\n0123456789abcdefg\r\n0\r\n"
                            "X-Checksum: xyz\r\n\r\n"));
        QCOMPARE(run.afterLines, kIdle);
    }

    void chunkedResponseWithoutTrailers()
    {
        Scenario s = server(
            "GET / HTTP/1.1\r\n\r\n",
            onRequestEnd(
                {{1,
                  {ResponseHeaders{1, response(200, {{"transfer-encoding", "gzip, chunked"}})},
                   ResponseData{1, "zz"}, ResponseEndOfMessage{1}}}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\n"
                            "2\r\nzz\r\n0\r\n\r\n"));
        QVERIFY(!run.transcript.close);
    }

    void pipelinedRequestsAnsweredInOrder()
    {
        Scenario s =
            server("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
                   "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                   "GET /3 HTTP/1.1\r\nHost: h\r\n\r\n",
                   onRequestEnd({{1, ok(1, "one")}, {3, ok(3, "two")}, {5, ok(5, "three")}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(
            run.transcript.lines(),
            (QStringList{"RequestHeaders#1 GET path=/1 HTTP/1.1 {Host: h} end",
                         "RequestHeaders#3 POST path=/2 HTTP/1.1 {Host: h, "
                         "Content-Length: 3}",
                         "RequestData#3 \"abc\"", "RequestEndOfMessage#3",
                         "RequestHeaders#5 GET path=/3 HTTP/1.1 {Host: h} end"}));
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
                            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo"
                            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nthree"));
        QCOMPARE(run.afterLines, kIdle);
    }

    void pipelinedRequestIsNotParsedBeforeTheResponse()
    {
        Http1ServerCodec codec;
        CodecOutput out;
        codec.receiveData("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n", out);
        QCOMPARE(out.events.size(), size_t(1));
        QCOMPARE(streamIdOf(out.events[0]), 1);
        QVERIFY(!codec.isIdle());

        CodecOutput first;
        codec.send(ResponseHeaders{1, response(200, {{"Content-Length", "2"}})}, first);
        codec.send(ResponseData{1, "ok"}, first);
        QVERIFY(first.events.empty()); // the response has not ended yet
        codec.send(ResponseEndOfMessage{1}, first);
        QCOMPARE(first.events.size(), size_t(1));
        QCOMPARE(describe(first.events[0]),
                 QString("RequestHeaders#3 GET path=/2 HTTP/1.1 {} end"));

        CodecOutput second;
        codec.send(ResponseHeaders{3, response(204), true}, second);
        QCOMPARE(second.toPeer, QByteArray("HTTP/1.1 204 No Content\r\n\r\n"));
        QVERIFY(second.events.empty()); // request 3's head is incomplete
        CodecOutput third;
        codec.receiveData("\r\n", third);
        QCOMPARE(third.events.size(), size_t(1));
        QCOMPARE(streamIdOf(third.events[0]), 5);
    }

    void headResponseHasNoBody()
    {
        Scenario s =
            server("HEAD /big HTTP/1.1\r\nHost: h\r\n\r\nGET /next HTTP/1.1\r\n\r\n",
                   onRequestEnd({{1,
                                  {ResponseHeaders{1, response(200, {{"Content-Length", "1000"}})},
                                   ResponseData{1, "ignored"}, ResponseEndOfMessage{1}}},
                                 {3, ok(3, "x")}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"));
        QCOMPARE(run.transcript.lines().size(), 2);
        QVERIFY(!run.transcript.close);
        QVERIFY(run.transcript.debug.join('\n').contains("dropped 7 bytes"));
    }

    void noBodyFor204And304()
    {
        Scenario s = server("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
                            onRequestEnd({{1,
                                           {ResponseHeaders{1, response(204)}, ResponseData{1, "x"},
                                            ResponseEndOfMessage{1}}},
                                          {3,
                                           {ResponseHeaders{3, response(304, {{"ETag", "\"e\""}})},
                                            ResponseEndOfMessage{3}}}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\n"
                            "ETag: \"e\"\r\n\r\n"));
        QVERIFY(!run.transcript.close);
        QCOMPARE(run.afterLines, kIdle);
    }

    void continueThenFinalResponse()
    {
        Scenario s = server("POST /upload HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                            "Content-Length: 5\r\n\r\nhello",
                            both(onRequestHead({{1, {ResponseHeaders{1, response(100)}}}}),
                                 onRequestEnd({{1, ok(1, "stored", 201)}})));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
                            "Content-Length: 6\r\n\r\nstored"));
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               (QStringList{"RequestHeaders#1 POST path=/upload HTTP/1.1 {Host: h, "
                                            "Expect: 100-continue, Content-Length: 5}",
                                            "RequestData#1 \"hello\"", "RequestEndOfMessage#1"}));
        QCOMPARE(run.afterLines, kIdle);
    }

    void noInformationalResponseForHttp10()
    {
        Scenario s = server("POST / HTTP/1.0\r\nContent-Length: 1\r\n\r\nx",
                            both(onRequestHead({{1, {ResponseHeaders{1, response(100)}}}}),
                                 onRequestEnd({{1, ok(1, "")}})));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer, QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        QVERIFY(run.transcript.close);
    }

    void upgradeSwitchingProtocolsHandsOver()
    {
        Scenario s = server(
            "GET /chat HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\n"
            "Upgrade: websocket\r\nSec-WebSocket-Key: k\r\n\r\n\x81\x02hi",
            onRequestEnd(
                {{1,
                  {ResponseHeaders{
                       1, response(101, {{"Connection", "Upgrade"}, {"Upgrade", "websocket"}}),
                       true},
                   ResponseEndOfMessage{1}}}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer,
                 QByteArray("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                            "Upgrade: websocket\r\n\r\n"));
        QCOMPARE(run.afterLines,
                 (QStringList{"idle=0", "closing=1", "handedOver=1", "unparsed=\"\\x81\\x02hi\""}));
        QVERIFY(run.transcript.debug.isEmpty());
    }

    void upgradeRefusedKeepsHttp()
    {
        Scenario s =
            server("GET /chat HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
                   "GET /next HTTP/1.1\r\n\r\n",
                   onRequestEnd({{1, ok(1, "no", 400)}, {3, ok(3, "yes")}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.lines().size(), 2);
        QCOMPARE(run.afterLines, kIdle);
    }

    void http10ClosesUnlessKeepAlive()
    {
        Scenario close = server("GET / HTTP/1.0\r\n\r\nGET /ignored HTTP/1.0\r\n\r\n",
                                onRequestEnd({{1, ok(1, "x")}}));
        SPYGLASS_RUN_ALL_CUTS(closed, close);
        QCOMPARE(closed.transcript.lines(),
                 QStringList{"RequestHeaders#1 GET path=/ HTTP/1.0 {} end"});
        QVERIFY(closed.transcript.close);
        QCOMPARE(closed.afterLines.at(1), QString("closing=1"));

        Scenario keep = server("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                               "GET /2 HTTP/1.0\r\n\r\n",
                               onRequestEnd({{1, ok(1, "x")}, {3, ok(3, "y")}}));
        SPYGLASS_RUN_ALL_CUTS(kept, keep);
        QCOMPARE(kept.transcript.lines().size(), 2);
        QVERIFY(kept.transcript.close); // the second request had no keep-alive
    }

    void chunkedResponseToHttp10IsUnchunked()
    {
        Scenario s = server(
            "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            onRequestEnd({{1,
                           {ResponseHeaders{
                                1, response(200, {{"Transfer-Encoding", "chunked"}, {"X", "y"}})},
                            ResponseData{1, "abc"}, ResponseEndOfMessage{1}}}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer, QByteArray("HTTP/1.1 200 OK\r\nX: y\r\n\r\nabc"));
        QVERIFY(run.transcript.close);
    }

    void unwritableResponseBecomes502()
    {
        Scenario s = server("GET / HTTP/1.1\r\n\r\n",
                            onRequestEnd({{1, {ResponseHeaders{1, response(42), true}}}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(
            run.transcript.toPeer,
            errorResponse(502, "Bad Gateway", "cannot send a response with the status code 42"));
        QVERIFY(run.transcript.close);
        QCOMPARE(run.transcript.lines().size(), 1);
    }

    void connectionCloseInRequestOrResponse()
    {
        Scenario inRequest =
            server("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", onRequestEnd({{1, ok(1, "x")}}));
        SPYGLASS_RUN_ALL_CUTS(a, inRequest);
        QVERIFY(a.transcript.close);
        QCOMPARE(a.afterLines, kClosed);

        Scenario inResponse = server(
            "GET / HTTP/1.1\r\n\r\nGET /never HTTP/1.1\r\n\r\n",
            onRequestEnd({{1,
                           {ResponseHeaders{
                               1, response(200, {{"Connection", "close"}, {"Content-Length", "0"}}),
                               true}}}}));
        SPYGLASS_RUN_ALL_CUTS(b, inResponse);
        QVERIFY(b.transcript.close);
        QCOMPARE(b.transcript.lines().size(), 1);
    }

    void responseReadUntilCloseClosesAfterEnd()
    {
        Scenario s =
            server("GET / HTTP/1.1\r\n\r\n",
                   onRequestEnd({{1,
                                  {ResponseHeaders{1, response(200)}, ResponseData{1, "raw "},
                                   ResponseData{1, "bytes"}, ResponseTrailers{1, {{"X", "1"}}},
                                   ResponseEndOfMessage{1}}}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.toPeer, QByteArray("HTTP/1.1 200 OK\r\n\r\nraw bytes"));
        QVERIFY(run.transcript.close);
        QVERIFY(run.transcript.debug.join('\n').contains("trailers"));
    }

    void responseBodyGuardedByContentLength()
    {
        Scenario longer =
            server("GET / HTTP/1.1\r\n\r\n",
                   onRequestEnd({{1,
                                  {ResponseHeaders{1, response(200, {{"Content-Length", "3"}})},
                                   ResponseData{1, "abcdef"}, ResponseEndOfMessage{1}}}}));
        SPYGLASS_RUN_ALL_CUTS(a, longer);
        QCOMPARE(a.transcript.toPeer,
                 QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"));
        QVERIFY(!a.transcript.close);

        Scenario shorter =
            server("GET / HTTP/1.1\r\n\r\n",
                   onRequestEnd({{1,
                                  {ResponseHeaders{1, response(200, {{"Content-Length", "9"}})},
                                   ResponseData{1, "abc"}, ResponseEndOfMessage{1}}}}));
        SPYGLASS_RUN_ALL_CUTS(b, shorter);
        QVERIFY(b.transcript.close); // the client would wait for 6 more bytes
    }

    void earlyResponseClosesAfterItsEnd()
    {
        // Answered as soon as the head is there, so what else of the body the codec saw
        // depends on the cuts; the response and the close do not.
        Scenario s = server("POST /big HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly some",
                            onRequestHead({{1, ok(1, "too big", 413)}}));
        for (const auto& pieces :
             {QList{s.input}, splitEvery(s.input, 1), splitRandom(s.input, 7)}) {
            const Run run = runOnce(s, pieces);
            QCOMPARE(run.transcript.toPeer,
                     QByteArray("HTTP/1.1 413 Content Too Large\r\nContent-Length: 7\r\n\r\n"
                                "too big"));
            QVERIFY(run.transcript.close);
            QCOMPARE(run.transcript.lines().first(),
                     QString("RequestHeaders#1 POST path=/big HTTP/1.1 {Content-Length: 100}"));
            QCOMPARE(run.afterLines, kClosed);
        }
        // Request data that arrives after the response has ended is not parsed any more.
        Http1ServerCodec codec;
        CodecOutput out;
        codec.receiveData("POST /big HTTP/1.1\r\nContent-Length: 100\r\n\r\n", out);
        for (const auto& e : ok(1, "no", 413))
            codec.send(e, out);
        QVERIFY(out.close);
        CodecOutput later;
        codec.receiveData("more body", later);
        QVERIFY(later.events.empty());
    }

    void responseHeadIsSanitised()
    {
        Scenario s =
            server("GET / HTTP/1.1\r\n\r\n",
                   onRequestEnd({{1,
                                  {ResponseHeaders{1,
                                                   response(200, {{"X-Evil", "a\r\nSet-Cookie: b"},
                                                                  {"Bad Name", "c"},
                                                                  {"Content-Length", "0"}}),
                                                   true}}}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(
            run.transcript.toPeer,
            QByteArray("HTTP/1.1 200 OK\r\nX-Evil: a  Set-Cookie: b\r\nContent-Length: 0\r\n\r\n"));
        QCOMPARE(run.transcript.debug.size(), 2);
    }

    void eventsForAnotherStreamAreIgnored()
    {
        Http1ServerCodec codec;
        CodecOutput out;
        codec.receiveData("GET / HTTP/1.1\r\n\r\n", out);
        CodecOutput wrong;
        codec.send(ResponseHeaders{3, response(200), true}, wrong);
        codec.send(RequestEndOfMessage{1}, wrong);
        QVERIFY(wrong.toPeer.isEmpty());
        QCOMPARE(wrong.debug.size(), 2);
        QVERIFY(!codec.isIdle());
    }

    void defences_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("messagePart");
        QTest::addColumn<int>("before"); // events before the error (head, body)

        QTest::newRow("Content-Length with Transfer-Encoding")
            << QByteArray(
                   "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "0\r\n\r\n")
            << 400 << "Content-Length can't be present with Transfer-Encoding" << 0;
        QTest::newRow("Transfer-Encoding then Content-Length")
            << QByteArray(
                   "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n")
            << 400 << "ambiguous request length" << 0;
        QTest::newRow("different Content-Lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
            << 400 << "Duplicate Content-Length" << 0;
        QTest::newRow("Content-Length list")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\nabcd") << 400
            << "invalid Content-Length" << 0;
        QTest::newRow("Transfer-Encoding not ending in chunked")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nabc") << 400
            << "does not end in chunked" << 0;
        QTest::newRow("Transfer-Encoding chunked then gzip")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\nabc") << 400
            << "invalid Transfer-Encoding" << 0;
        QTest::newRow("bad chunk size")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n")
            << 400 << "invalid chunk size" << 1;
        QTest::newRow("chunk without CRLF after data")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n")
            << 400 << "invalid chunk size" << 2;
        QTest::newRow("chunk size overflow")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "fffffffffffffffffff\r\n")
            << 400 << "invalid chunk size" << 1;
        QTest::newRow("obs-fold") << QByteArray(
                                         "GET / HTTP/1.1\r\nX-Long: a\r\n  b\r\nHost: h\r\n\r\n")
                                  << 400 << "obsolete line folding" << 0;
        QTest::newRow("obs-fold with tab")
            << QByteArray("GET / HTTP/1.1\r\nX-Long: a\r\n\tb\r\n\r\n") << 400
            << "obsolete line folding" << 0;
        QTest::newRow("bare CR after request line")
            << QByteArray("GET / HTTP/1.1\rHost: h\r\n\r\n") << 400 << "Expected CRLF" << 0;
        QTest::newRow("bare CR in a value")
            << QByteArray("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n") << 400 << "bad line ending" << 0;
        QTest::newRow("NUL in a value") << bytes("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n") << 400
                                        << "invalid character in the request header" << 0;
        QTest::newRow("control character in a value")
            << QByteArray("GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n") << 400
            << "invalid character in the request header" << 0;
        QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : h\r\n\r\n")
                                            << 400 << "invalid header field name \"Host \"" << 0;
        QTest::newRow("empty field name") << QByteArray("GET / HTTP/1.1\r\n: h\r\n\r\n") << 400
                                          << "invalid header field name" << 0;
        QTest::newRow("control character in the target")
            << QByteArray("GET /a\x01 HTTP/1.1\r\n\r\n") << 400 << "Invalid char in url" << 0;
        QTest::newRow("two Host fields")
            << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400
            << "several Host header fields" << 0;
        QTest::newRow("CONNECT without a port")
            << QByteArray("CONNECT example.com HTTP/1.1\r\n\r\n") << 400 << "invalid CONNECT target"
            << 0;
        QTest::newRow("asterisk for GET")
            << QByteArray("GET * HTTP/1.1\r\n\r\n") << 400 << "only valid for OPTIONS" << 0;
        QTest::newRow("absolute-form with a bad port")
            << QByteArray("GET http://example.com:99999/ HTTP/1.1\r\n\r\n") << 400
            << "invalid request target" << 0;
        QTest::newRow("absolute-form of another scheme")
            << QByteArray("GET ftp://example.com/ HTTP/1.1\r\n\r\n") << 400
            << "invalid request target" << 0;
        QTest::newRow("authority-form for GET")
            << QByteArray("GET example.com:80 HTTP/1.1\r\n\r\n") << 400 << "malformed request" << 0;
        QTest::newRow("HTTP/2.0 request line")
            << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505 << "unsupported HTTP version 2.0" << 0;
        QTest::newRow("HTTP/0.9 request")
            << QByteArray("GET /\r\n\r\n") << 505 << "unsupported HTTP version 0.9" << 0;
        QTest::newRow("TLS ClientHello")
            << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03") << 400
            << "not an HTTP request" << 0;
        QTest::newRow("lower-case method")
            << QByteArray("get / HTTP/1.1\r\n\r\n") << 400 << "not an HTTP request" << 0;
        QTest::newRow("space in the target")
            << QByteArray("GET /a b HTTP/1.1\r\n\r\n") << 400 << "Expected HTTP/" << 0;
    }

    void defences()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, status);
        QFETCH(QString, messagePart);
        QFETCH(int, before);
        Scenario s = server(input);
        SPYGLASS_RUN_ALL_CUTS(run, s);
        const QStringList lines = run.transcript.lines();
        QCOMPARE(lines.size(), before + 1);
        const auto* error = std::get_if<RequestProtocolError>(&run.transcript.events.back());
        QVERIFY2(error, qPrintable(lines.join('\n')));
        QCOMPARE(error->streamId, 1);
        QCOMPARE(error->statusCode, status);
        QVERIFY2(error->message.contains(messagePart), qPrintable(error->message));
        QCOMPARE(run.transcript.toPeer,
                 errorResponse(status, status == 505 ? "HTTP Version Not Supported" : "Bad Request",
                               error->message));
        QVERIFY(run.transcript.close);
        QCOMPARE(run.afterLines, kClosed);
    }

    void errorResponseFormat()
    {
        Http1ServerCodec codec;
        CodecOutput out;
        codec.receiveData("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", out);
        QCOMPARE(out.toPeer,
                 QByteArray(
                     "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
                     "Content-Length: 71\r\nConnection: close\r\n\r\n"
                     "obsolete line folding in header field \"X\" of the request (RFC 9112 5.2)"));
        // Nothing more is accepted.
        CodecOutput later;
        codec.receiveData("GET / HTTP/1.1\r\n\r\n", later);
        QVERIFY(later.events.empty());
        QVERIFY(later.toPeer.isEmpty());
    }

    void errorInTheSecondPipelinedRequest()
    {
        Scenario s = server("GET /ok HTTP/1.1\r\n\r\nGET /bad HTTP/1.1\r\nX\x01: y\r\n\r\n",
                            onRequestEnd({{1, ok(1, "fine")}}));
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.lines().size(), 2);
        const auto* error = std::get_if<RequestProtocolError>(&run.transcript.events.back());
        QVERIFY(error);
        QCOMPARE(error->streamId, 3);
        QVERIFY(run.transcript.toPeer.startsWith(
            "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfineHTTP/1.1 400 Bad Request\r\n"));
    }

    void malformedBodyAfterResponseStartedGetsNoErrorResponse()
    {
        const QByteArray body = "3\r\nabc\r\nQ\r\n";
        for (const auto& pieces : {QList{body}, splitEvery(body, 1), splitRandom(body, 3)}) {
            Http1ServerCodec codec;
            CodecOutput out;
            codec.receiveData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", out);
            codec.send(ResponseHeaders{1, response(200, {{"Content-Length", "10"}})}, out);
            for (const QByteArray& piece : pieces)
                codec.receiveData(piece, out);
            // A response is under way: an error response cannot be put in the middle of it.
            QCOMPARE(out.toPeer, QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"));
            QVERIFY(out.close);
            QVERIFY(std::holds_alternative<RequestProtocolError>(out.events.back()));
        }
    }

    void oversizedHead()
    {
        CodecLimits limits;
        limits.maxHeadSize = 1024;
        const QByteArray big = "GET / HTTP/1.1\r\nX-Big: " + QByteArray(2000, 'a') + "\r\n\r\n";
        Scenario s = server(big, {}, limits);
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.lines(),
                 QStringList{"RequestProtocolError#1 431 request head larger than the limit of "
                             "1024 bytes"});
        QCOMPARE(run.transcript.toPeer,
                 errorResponse(431, "Request Header Fields Too Large",
                               "request head larger than the limit of 1024 bytes"));
        QVERIFY(run.transcript.close);

        // A head that never ends is refused once it passes the limit, not buffered forever.
        Http1ServerCodec codec(limits);
        CodecOutput out;
        codec.receiveData("GET / HTTP/1.1\r\n", out);
        for (int i = 0; i < 100 && out.events.empty(); ++i)
            codec.receiveData("X-Endless: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n", out);
        QCOMPARE(out.events.size(), size_t(1));
        QVERIFY(codec.isClosing());

        // The default limit is 64 KiB: a 60 KiB head passes, a 70 KiB one does not.
        for (const auto& [size, okay] : {std::pair{60 * 1024, true}, std::pair{70 * 1024, false}}) {
            Http1ServerCodec defaults;
            CodecOutput o;
            defaults.receiveData("GET / HTTP/1.1\r\nX: " + QByteArray(size, 'b') + "\r\n\r\n", o);
            QCOMPARE(o.events.size(), size_t(1));
            QCOMPARE(std::holds_alternative<RequestHeaders>(o.events[0]), okay);
        }
    }

    void headLimitCountsTheStartLine()
    {
        CodecLimits limits;
        limits.maxHeadSize = 100;
        Scenario s = server("GET /" + QByteArray(200, 'p') + " HTTP/1.1\r\n\r\n", {}, limits);
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.lines(),
                 QStringList{"RequestProtocolError#1 431 request head larger than the limit of "
                             "100 bytes"});
    }

    void clientClosesMidRequest()
    {
        Scenario midBody = server("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
        midBody.closeAtEnd = true;
        SPYGLASS_RUN_ALL_CUTS(a, midBody);
        SPYGLASS_COMPARE_LINES(a.transcript.lines(),
                               (QStringList{"RequestHeaders#1 POST path=/ HTTP/1.1 "
                                            "{Content-Length: 10}",
                                            "RequestData#1 \"abc\"",
                                            "RequestProtocolError#1 0 client disconnected before "
                                            "the request was complete"}));
        QVERIFY(a.transcript.toPeer.isEmpty());

        Scenario midHead = server("GET / HTTP/1.1\r\nHost: ");
        midHead.closeAtEnd = true;
        SPYGLASS_RUN_ALL_CUTS(b, midHead);
        QCOMPARE(b.transcript.lines(),
                 QStringList{"RequestProtocolError#1 0 client disconnected before the request "
                             "was complete"});

        Scenario chunked = server("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab");
        chunked.closeAtEnd = true;
        SPYGLASS_RUN_ALL_CUTS(c, chunked);
        QCOMPARE(c.transcript.lines().last(),
                 QString("RequestProtocolError#1 0 client disconnected before the request was "
                         "complete"));
    }

    void clientClosesWhenIdle()
    {
        Scenario s = server("GET / HTTP/1.1\r\n\r\n", onRequestEnd({{1, ok(1, "x")}}));
        s.closeAtEnd = true;
        SPYGLASS_RUN_ALL_CUTS(run, s);
        QCOMPARE(run.transcript.lines().size(), 1);

        Http1ServerCodec codec;
        CodecOutput out;
        codec.receiveClose(out);
        QVERIFY(out.events.empty());
        QVERIFY(out.toPeer.isEmpty());
    }

    void clientHalfClosesAfterACompleteRequest()
    {
        Http1ServerCodec codec;
        CodecOutput out;
        codec.receiveData("GET / HTTP/1.1\r\n\r\n", out);
        CodecOutput closed;
        codec.receiveClose(closed);
        QVERIFY(closed.events.empty()); // the request is complete: it can still be answered
        CodecOutput answer;
        for (const auto& e : ok(1, "late"))
            codec.send(e, answer);
        QCOMPARE(answer.toPeer, QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate"));
        QVERIFY(answer.close);
    }

    void truncatedPipelinedRequestAtClose()
    {
        Scenario s =
            server("GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 5\r\n\r\nab",
                   onRequestEnd({{1, ok(1, "x")}}));
        s.closeAtEnd = true;
        // The responder answers stream 1 at once: the close comes after.
        SPYGLASS_RUN_ALL_CUTS(run, s);
        SPYGLASS_COMPARE_LINES(run.transcript.lines(),
                               (QStringList{"RequestHeaders#1 GET path=/1 HTTP/1.1 {} end",
                                            "RequestHeaders#3 POST path=/2 HTTP/1.1 "
                                            "{Content-Length: 5}",
                                            "RequestData#3 \"ab\"",
                                            "RequestProtocolError#3 0 client disconnected before "
                                            "the request was complete"}));

        // The close arrives while request 1 is still unanswered: the error waits its turn.
        Http1ServerCodec codec;
        CodecOutput out;
        codec.receiveData("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\nHo", out);
        CodecOutput closed;
        codec.receiveClose(closed);
        QVERIFY(closed.events.empty());
        CodecOutput answer;
        for (const auto& e : ok(1, "x"))
            codec.send(e, answer);
        QCOMPARE(answer.events.size(), size_t(1));
        QCOMPARE(describe(answer.events[0]),
                 QString("RequestProtocolError#3 0 client disconnected before the request was "
                         "complete"));
        QVERIFY(answer.close);
    }

    void idleAndClosingReportState()
    {
        Http1ServerCodec codec;
        QVERIFY(codec.isIdle());
        QVERIFY(!codec.isClosing());
        CodecOutput out;
        codec.receiveData("\r\n", out); // blank lines between requests are not a request
        QVERIFY(codec.isIdle());
        codec.receiveData("GET / HT", out);
        QVERIFY(!codec.isIdle());
        codec.receiveData("TP/1.1\r\nConnection: close\r\n\r\n", out);
        QVERIFY(!codec.isIdle());
        QVERIFY(codec.isClosing());
    }
};

QTEST_GUILESS_MAIN(Http1ServerCodecTest)
#include "http1_server_codec_test.moc"
