// Http2ServerCodec against a real nghttp2 client (http2_test_peer.h): requests in, responses
// out. The happy paths also run with the client's bytes cut into 1-byte pieces and at random
// points, and must give the same events and the same answers every time.
#include "http2_test_peer.h"
#include "layers/http/http2_server_codec.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::test;
using namespace spyglass::layers::http;

namespace {

const QByteArray kPreface("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

struct Result
{
    QStringList events;
    QStringList peer;
    QStringList debug;
    bool close = false;
    QStringList state;
};

using Script = std::function<void(Exchange&, H2Peer&)>;

QStringList codecState(const HttpCodec& codec)
{
    return {QStringLiteral("idle=%1").arg(codec.isIdle()),
            QStringLiteral("closing=%1").arg(codec.isClosing())};
}

Result run(const Script& script, const Responder& respond, Exchange::Cut cut = Exchange::Cut::Whole,
           quint32 seed = 1, CodecLimits limits = {})
{
    Http2ServerCodec codec(limits);
    H2Peer peer(H2Peer::Role::Client);
    Exchange ex{codec, peer, respond};
    ex.cut = cut;
    ex.seed = seed;
    script(ex, peer);
    ex.pump();
    Result r;
    r.events = ex.transcript.lines();
    r.peer = describePeerStreams(peer);
    r.debug = ex.transcript.debug;
    r.close = ex.transcript.close;
    r.state = codecState(codec);
    if (ex.peerRefused)
        r.peer << QStringLiteral("peer refused the codec's bytes");
    return r;
}

// Runs the script whole, byte by byte and at random cuts; all must agree.
Result runAllCuts(const Script& script, const Responder& respond, QString* mismatch,
                  CodecLimits limits = {})
{
    const Result whole = run(script, respond, Exchange::Cut::Whole, 1, limits);
    mismatch->clear();
    QList<std::pair<Exchange::Cut, quint32>> cuts{{Exchange::Cut::Bytes, 1}};
    for (quint32 seed = 1; seed <= 10; ++seed)
        cuts.append({Exchange::Cut::Random, seed * 7919});
    for (const auto& [cut, seed] : cuts) {
        const Result r = run(script, respond, cut, seed, limits);
        const QString label = cut == Exchange::Cut::Bytes
                                  ? QStringLiteral("1-byte pieces")
                                  : QStringLiteral("random cuts (seed %1)").arg(seed);
        if (r.events != whole.events || r.peer != whole.peer || r.close != whole.close ||
            r.state != whole.state) {
            *mismatch = QStringLiteral("fed as %1:\n  events %2\n  whole  %3\n  peer %4\n  "
                                       "whole %5")
                            .arg(label, r.events.join(QStringLiteral(" | ")),
                                 whole.events.join(QStringLiteral(" | ")),
                                 r.peer.join(QStringLiteral(" | ")),
                                 whole.peer.join(QStringLiteral(" | ")));
            break;
        }
    }
    return whole;
}

#define RUN_ALL_CUTS(result, script, respond)                                                      \
    QString result##Mismatch;                                                                      \
    const Result result = runAllCuts(script, respond, &result##Mismatch);                          \
    QVERIFY2(result##Mismatch.isEmpty(), qPrintable(result##Mismatch))

int requestEnd(const HttpEvent& e)
{
    if (const auto* h = std::get_if<RequestHeaders>(&e); h && h->endStream)
        return h->streamId;
    if (const auto* m = std::get_if<RequestEndOfMessage>(&e))
        return m->streamId;
    return 0;
}

// Answers every request at its end: 200 with `body` (or "echo <path>").
Responder answerAtEnd(QByteArray body = {}, Headers extra = {}, Headers trailers = {})
{
    auto paths = std::make_shared<std::map<int, QByteArray>>();
    return [=](const HttpEvent& e, HttpCodec& codec, CodecOutput& out) {
        if (const auto* h = std::get_if<RequestHeaders>(&e))
            (*paths)[h->streamId] = h->request.path;
        const int id = requestEnd(e);
        if (!id)
            return;
        const QByteArray b = body.isNull() ? "echo " + (*paths)[id] : body;
        Headers headers = extra;
        headers.add("Content-Type", "text/plain");
        codec.send(ResponseHeaders{id, makeResponse(200, headers)}, out);
        codec.send(ResponseData{id, b}, out);
        if (!trailers.isEmpty())
            codec.send(ResponseTrailers{id, trailers}, out);
        codec.send(ResponseEndOfMessage{id}, out);
    };
}

Headers fieldsOf(std::initializer_list<Headers::Field> f)
{
    return Headers(f);
}

} // namespace

class Http2ServerCodecTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void get()
    {
        const Script script = [](Exchange&, H2Peer& peer) {
            peer.request(Fields{{":method", "GET"},
                                {":scheme", "https"},
                                {":authority", "Example.com"},
                                {":path", "/a/b?c=d"},
                                {"user-agent", "curl/8"},
                                {"accept", "*/*"}});
        };
        RUN_ALL_CUTS(r, script, answerAtEnd("hello"));
        SPYGLASS_COMPARE_LINES(
            r.events, QStringList{"RequestHeaders#1 GET scheme=https host=example.com port=443 "
                                  "authority=Example.com path=/a/b?c=d HTTP/2.0 {user-agent: "
                                  "curl/8, accept: */*} end"});
        SPYGLASS_COMPARE_LINES(r.peer, QStringList{"#1 {:status: 200, content-type: text/plain} "
                                                   "\"hello\" end"});
        SPYGLASS_COMPARE_LINES(r.state, (QStringList{"idle=1", "closing=0"}));
        QVERIFY(!r.close);
    }

    // Names and values from HPACK's static table are nghttp2's own literals, shared by every
    // head instead of copied; everything else is the codec's own copy.
    void staticTableFieldsAreSharedNotCopied()
    {
        const auto receive = [](const Fields& head) {
            Http2ServerCodec codec{CodecLimits{}};
            H2Peer peer(H2Peer::Role::Client);
            CodecOutput out;
            codec.start(out);
            peer.request(head);
            codec.receiveData(peer.take(), out);
            for (const HttpEvent& e : out.events)
                if (const auto* h = std::get_if<RequestHeaders>(&e))
                    return h->request.headers;
            return Headers{};
        };
        const Fields head{{":method", "GET"},
                          {":scheme", "https"},
                          {":authority", "example.com"},
                          {":path", "/"},
                          {"accept-encoding", "gzip, deflate"},
                          {"user-agent", "curl/8"},
                          {"x-own", "value"}};
        const Headers a = receive(head);
        const Headers b = receive(head);
        QCOMPARE(a.size(), 3);
        QCOMPARE(a.fields(), b.fields());
        const auto at = [](const Headers& h, int i) { return h.fields().at(i); };
        // accept-encoding: gzip, deflate is a whole static entry: name and value shared.
        QCOMPARE(at(a, 0).first.constData(), at(b, 0).first.constData());
        QCOMPARE(at(a, 0).second.constData(), at(b, 0).second.constData());
        QCOMPARE(at(a, 0).first.constData()[at(a, 0).first.size()], '\0');
        // user-agent: a static name with a value of its own.
        QCOMPARE(at(a, 1).first.constData(), at(b, 1).first.constData());
        QVERIFY(at(a, 1).second.constData() != at(b, 1).second.constData());
        // x-own: neither is in the table.
        QVERIFY(at(a, 2).first.constData() != at(b, 2).first.constData());
        QVERIFY(at(a, 2).second.constData() != at(b, 2).second.constData());
        // A shared field changed by an addon is copied first; the table stays as it was.
        Headers changed = a;
        changed.set("accept-encoding", "br");
        QCOMPARE(b.value("accept-encoding"), QByteArray("gzip, deflate"));
        QCOMPARE(changed.value("accept-encoding"), QByteArray("br"));
    }

    void authorityWithPortAndHostFallback()
    {
        const Script script = [](Exchange&, H2Peer& peer) {
            peer.request(getRequest("/x", "[::1]:8443"));
            peer.request(Fields{{":method", "GET"},
                                {":scheme", "http"},
                                {":path", "/y"},
                                {"host", "h.example:8080"}});
        };
        RUN_ALL_CUTS(r, script, answerAtEnd("ok"));
        SPYGLASS_COMPARE_LINES(
            r.events,
            (QStringList{"RequestHeaders#1 GET scheme=https host=::1 port=8443 "
                         "authority=[::1]:8443 path=/x HTTP/2.0 {} end",
                         "RequestHeaders#3 GET scheme=http host=h.example port=8080 path=/y "
                         "HTTP/2.0 {host: h.example:8080} end"}));
    }

    void postWithBody()
    {
        const Script script = [](Exchange&, H2Peer& peer) {
            peer.request(Fields{{":method", "POST"},
                                {":scheme", "https"},
                                {":authority", "example.com"},
                                {":path", "/upload"},
                                {"content-length", "11"}},
                         "hello world");
        };
        RUN_ALL_CUTS(r, script, answerAtEnd());
        SPYGLASS_COMPARE_LINES(
            r.events, (QStringList{"RequestHeaders#1 POST scheme=https host=example.com "
                                   "port=443 authority=example.com path=/upload "
                                   "HTTP/2.0 {content-length: 11}",
                                   "RequestData#1 \"hello world\"", "RequestEndOfMessage#1"}));
        SPYGLASS_COMPARE_LINES(r.peer, QStringList{"#1 {:status: 200, content-type: text/plain} "
                                                   "\"echo /upload\" end"});
    }

    void trailersBothWays()
    {
        const Script script = [](Exchange&, H2Peer& peer) {
            peer.request(Fields{{":method", "POST"},
                                {":scheme", "https"},
                                {":authority", "example.com"},
                                {":path", "/grpc"},
                                {"te", "trailers"}},
                         "payload", true, Fields{{"x-checksum", "abc"}});
        };
        RUN_ALL_CUTS(r, script,
                     answerAtEnd("reply", fieldsOf({{"Trailer", "Grpc-Status"}}),
                                 fieldsOf({{"Grpc-Status", "0"}, {"Grpc-Message", "fine"}})));
        SPYGLASS_COMPARE_LINES(
            r.events,
            (QStringList{"RequestHeaders#1 POST scheme=https host=example.com "
                         "port=443 authority=example.com path=/grpc "
                         "HTTP/2.0 {te: trailers}",
                         "RequestData#1 \"payload\"", "RequestTrailers#1 {x-checksum: abc}",
                         "RequestEndOfMessage#1"}));
        SPYGLASS_COMPARE_LINES(r.peer,
                               QStringList{"#1 {:status: 200, trailer: Grpc-Status, content-type: "
                                           "text/plain} {grpc-status: 0, grpc-message: fine} "
                                           "\"reply\" end"});
    }

    void cookiesAreJoined()
    {
        const Script script = [](Exchange&, H2Peer& peer) {
            Fields f = getRequest("/");
            f += Fields{{"cookie", "a=1"}, {"accept", "*/*"}, {"cookie", "b=2"}, {"cookie", "c=3"}};
            peer.request(f);
        };
        RUN_ALL_CUTS(r, script, answerAtEnd("ok"));
        QCOMPARE(r.events.size(), 1);
        QVERIFY2(r.events[0].endsWith("{cookie: a=1; b=2; c=3, accept: */*} end"),
                 qPrintable(r.events[0]));
    }

    void connectionSpecificFieldsAreDroppedFromResponses()
    {
        const Script script = [](Exchange&, H2Peer& peer) { peer.request(getRequest("/")); };
        Headers h{{"Connection", "keep-alive, X-Hop"},
                  {"Keep-Alive", "timeout=5"},
                  {"Proxy-Connection", "keep-alive"},
                  {"Transfer-Encoding", "chunked"},
                  {"Upgrade", "websocket"},
                  {"X-Hop", "named by Connection"},
                  {"X-Mixed-Case", "Kept"},
                  {"Set-Cookie", "a=1"},
                  {"Set-Cookie", "b=2"}};
        RUN_ALL_CUTS(r, script, answerAtEnd("x", h));
        // The client's nghttp2 resets a stream with any of them: "end" shows none got through.
        SPYGLASS_COMPARE_LINES(r.peer, QStringList{"#1 {:status: 200, x-mixed-case: Kept, "
                                                   "set-cookie: a=1, set-cookie: b=2, "
                                                   "content-type: text/plain} \"x\" end"});
    }

    void malformedRequestsAreStreamErrors_data()
    {
        QTest::addColumn<Fields>("head");
        QTest::addColumn<QString>("error");
        const Fields base = getRequest("/");
        QTest::newRow("connection field")
            << base + Fields{{"connection", "close"}}
            << "malformed HTTP/2 request: invalid field \"connection: close\"";
        QTest::newRow("transfer-encoding")
            << base + Fields{{"transfer-encoding", "chunked"}}
            << "malformed HTTP/2 request: invalid field \"transfer-encoding: chunked\"";
        QTest::newRow("te other than trailers")
            << base + Fields{{"te", "gzip"}}
            << "malformed HTTP/2 request: invalid field \"te: gzip\"";
        QTest::newRow("uppercase name") << base + Fields{{"X-Upper", "1"}}
                                        << "malformed HTTP/2 request: invalid field \"X-Upper: 1\"";
        QTest::newRow("space in name") << base + Fields{{"bad name", "1"}}
                                       << "malformed HTTP/2 request: invalid field \"bad name: 1\"";
        QTest::newRow("newline in value")
            << base + Fields{{"x-a", "1\r\nx-b: 2"}}
            << "malformed HTTP/2 request: invalid field \"x-a: 1\\x0d\\x0ax-b: 2\"";
        QTest::newRow("missing :path")
            << Fields{{":method", "GET"}, {":scheme", "https"}, {":authority", "e.com"}}
            << "malformed HTTP/2 request: missing :path";
        QTest::newRow("missing :method and :scheme")
            << Fields{{":authority", "e.com"}, {":path", "/"}}
            << "malformed HTTP/2 request: missing :method, :scheme";
        QTest::newRow("CONNECT without authority")
            << Fields{{":method", "CONNECT"}} << "malformed HTTP/2 request: missing :authority";
    }
    void malformedRequestsAreStreamErrors()
    {
        QFETCH(Fields, head);
        QFETCH(QString, error);
        const Script script = [head](Exchange&, H2Peer& peer) {
            peer.request(head);
            peer.request(getRequest("/fine"));
        };
        RUN_ALL_CUTS(r, script, answerAtEnd());
        // Only that stream fails, with status 0 (nghttp2 already reset it); the next is served.
        QCOMPARE(r.events.size(), 2);
        QCOMPARE(r.events[0], "RequestProtocolError#1 0 " + error);
        QVERIFY2(r.events[1].startsWith("RequestHeaders#3 GET"), qPrintable(r.events[1]));
        QVERIFY2(r.peer[0].endsWith("reset=PROTOCOL_ERROR"), qPrintable(r.peer[0]));
        QVERIFY2(r.peer[1].endsWith("\"echo /fine\" end"), qPrintable(r.peer[1]));
        QVERIFY(!r.close);
    }

    void refusedByTheCodec_data()
    {
        QTest::addColumn<Fields>("head");
        QTest::addColumn<QString>("line");
        QTest::addColumn<QByteArray>("status");
        const Fields base = getRequest("/");
        QTest::newRow("Host differs")
            << base + Fields{{"host", "other.example"}}
            << "RequestProtocolError#1 400 the Host field \"other.example\" differs from "
               ":authority \"example.com\""
            << QByteArray("400");
        QTest::newRow("bad CONNECT authority")
            << Fields{{":method", "CONNECT"}, {":authority", "example.com"}}
            << "RequestProtocolError#1 400 invalid CONNECT :authority \"example.com\" "
               "(expected host:port)"
            << QByteArray("400");
        QTest::newRow("head too large")
            << base + Fields{{"x-big", QByteArray(2000, 'x')}}
            << "RequestProtocolError#1 431 request head larger than 1024 bytes"
            << QByteArray("431");
    }
    void refusedByTheCodec()
    {
        QFETCH(Fields, head);
        QFETCH(QString, line);
        QFETCH(QByteArray, status);
        CodecLimits limits;
        limits.maxHeadSize = 1024;
        Http2ServerCodec codec(limits);
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, answerAtEnd()};
        const qint32 id = peer.request(head, "body that nobody reads", false);
        QVERIFY(ex.pump());
        SPYGLASS_COMPARE_LINES(ex.transcript.lines(), QStringList{line});
        // The codec answered it itself, then told the client to stop sending (NO_ERROR).
        const H2Peer::Stream& s = peer.streams[id];
        QCOMPARE(s.field(":status"), status);
        QVERIFY(s.ended);
        QCOMPARE(QString::fromUtf8(s.data), line.section(' ', 2));
        QVERIFY(s.reset);
        QCOMPARE(s.resetCode, quint32(NGHTTP2_NO_ERROR));
        QVERIFY(codec.isIdle());
    }

    void connect()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        // As HttpStream answers an HTTP/1 CONNECT: 200 and endStream. The stream stays open.
        Exchange ex{codec, peer, [](const HttpEvent& e, HttpCodec& c, CodecOutput& out) {
                        if (const auto* h = std::get_if<RequestHeaders>(&e))
                            c.send(ResponseHeaders{h->streamId, makeResponse(200), true}, out);
                        if (const auto* d = std::get_if<RequestData>(&e))
                            c.send(ResponseData{d->streamId, "pong:" + d->data}, out);
                    }};
        const qint32 id = peer.request(
            Fields{{":method", "CONNECT"}, {":authority", "example.com:443"}}, {}, false);
        QVERIFY(ex.pump());
        peer.sendBody(id, "ping", false);
        QVERIFY(ex.pump());
        SPYGLASS_COMPARE_LINES(ex.transcript.lines(),
                               (QStringList{"RequestHeaders#1 CONNECT host=example.com port=443 "
                                            "authority=example.com:443 path=example.com:443 "
                                            "HTTP/2.0 {}",
                                            "RequestData#1 \"ping\""}));
        QCOMPARE(peer.streams[id].field(":status"), QByteArray("200"));
        QCOMPARE(peer.streams[id].data, QByteArray("pong:ping"));
        QVERIFY(!peer.streams[id].ended);
        // The client closes its side, then the layer closes the tunnel.
        peer.sendBody(id, {}, true);
        QVERIFY(ex.pump());
        QCOMPARE(ex.transcript.lines().last(), "RequestEndOfMessage#1");
        QVERIFY(!codec.isIdle());
        ex.call([](HttpCodec& c, CodecOutput& out) { c.send(ResponseEndOfMessage{1}, out); });
        QVERIFY(ex.pump());
        QVERIFY(peer.streams[id].ended);
        QVERIFY(codec.isIdle());
    }

    // RFC 8441: a WebSocket in an HTTP/2 stream. The codec advertises the setting only when
    // asked; the extended CONNECT reads as the GET it stands for; the 101 of the upgrade it
    // was translated into goes out as 200 without Sec-WebSocket-Accept, and the stream then
    // carries the WebSocket's bytes both ways until each side's END_STREAM.
    void extendedConnect()
    {
        {
            Http2ServerCodec plain;
            H2Peer peer(H2Peer::Role::Client);
            Exchange ex{plain, peer};
            QVERIFY(ex.pump());
            QVERIFY(!peer.remoteEnablesConnectProtocol());
        }
        CodecLimits limits;
        limits.extendedConnect = true;
        Http2ServerCodec codec(limits);
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, [](const HttpEvent& e, HttpCodec& c, CodecOutput& out) {
                        if (const auto* h = std::get_if<RequestHeaders>(&e)) {
                            Response r =
                                makeResponse(101, Headers{{"Upgrade", "websocket"},
                                                          {"Connection", "Upgrade"},
                                                          {"Sec-WebSocket-Accept", "x"},
                                                          {"Sec-WebSocket-Protocol", "chat"}});
                            c.send(ResponseHeaders{h->streamId, r, true}, out);
                        }
                        if (const auto* d = std::get_if<RequestData>(&e))
                            c.send(ResponseData{d->streamId, "echo:" + d->data}, out);
                    }};
        QVERIFY(ex.pump());
        QVERIFY(peer.remoteEnablesConnectProtocol());
        const qint32 id = peer.request(Fields{{":method", "CONNECT"},
                                              {":protocol", "websocket"},
                                              {":scheme", "https"},
                                              {":path", "/chat?x=1"},
                                              {":authority", "example.com"},
                                              {"sec-websocket-version", "13"},
                                              {"sec-websocket-protocol", "chat"}},
                                       {}, false);
        QVERIFY(ex.pump());
        peer.sendBody(id, "frame", false);
        QVERIFY(ex.pump());
        SPYGLASS_COMPARE_LINES(ex.transcript.lines(),
                               (QStringList{"RequestHeaders#1 GET scheme=https host=example.com "
                                            "port=443 authority=example.com path=/chat?x=1 "
                                            "HTTP/2.0 {sec-websocket-version: 13, "
                                            "sec-websocket-protocol: chat} protocol=websocket",
                                            "RequestData#1 \"frame\""}));
        QCOMPARE(peer.streams[id].field(":status"), QByteArray("200"));
        QCOMPARE(peer.streams[id].field("sec-websocket-protocol"), QByteArray("chat"));
        QVERIFY(peer.streams[id].field("sec-websocket-accept").isNull());
        QVERIFY(peer.streams[id].field("upgrade").isNull());
        QCOMPARE(peer.streams[id].data, QByteArray("echo:frame"));
        QVERIFY(!peer.streams[id].ended);
        // The proxy ends its side first; the client's END_STREAM follows.
        ex.call([](HttpCodec& c, CodecOutput& out) { c.send(ResponseEndOfMessage{1}, out); });
        QVERIFY(ex.pump());
        QVERIFY(peer.streams[id].ended);
        QVERIFY(!codec.isIdle());
        peer.sendBody(id, {}, true);
        QVERIFY(ex.pump());
        QCOMPARE(ex.transcript.lines().last(), "RequestEndOfMessage#1");
        QVERIFY(codec.isIdle());
        QVERIFY(peer.streams[id].closed);
        QCOMPARE(peer.streams[id].closeCode, quint32(NGHTTP2_NO_ERROR));
    }

    // The upgrade refused upstream: the client gets that status and the stream ends (with a
    // RST_STREAM NO_ERROR, since the client's side is still open).
    void extendedConnectRefused()
    {
        CodecLimits limits;
        limits.extendedConnect = true;
        Http2ServerCodec codec(limits);
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, [](const HttpEvent& e, HttpCodec& c, CodecOutput& out) {
                        if (const auto* h = std::get_if<RequestHeaders>(&e)) {
                            c.send(ResponseHeaders{h->streamId, makeResponse(403), false}, out);
                            c.send(ResponseData{h->streamId, "no"}, out);
                            c.send(ResponseEndOfMessage{h->streamId}, out);
                        }
                    }};
        const qint32 id = peer.request(Fields{{":method", "CONNECT"},
                                              {":protocol", "websocket"},
                                              {":scheme", "https"},
                                              {":path", "/"},
                                              {":authority", "example.com"}},
                                       {}, false);
        QVERIFY(ex.pump());
        QCOMPARE(peer.streams[id].field(":status"), QByteArray("403"));
        QCOMPARE(peer.streams[id].data, QByteArray("no"));
        QVERIFY(peer.streams[id].ended);
        QVERIFY(peer.streams[id].reset);
        QCOMPARE(peer.streams[id].resetCode, quint32(NGHTTP2_NO_ERROR));
        QVERIFY(codec.isIdle());
        SPYGLASS_COMPARE_LINES(ex.transcript.lines(),
                               (QStringList{"RequestHeaders#1 GET scheme=https host=example.com "
                                            "port=443 authority=example.com path=/ HTTP/2.0 {} "
                                            "protocol=websocket"}));
    }

    // Without the setting, :protocol is malformed (nghttp2 resets the stream).
    void extendedConnectWithoutTheSettingIsRefused()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer};
        const qint32 id = peer.request(Fields{{":method", "CONNECT"},
                                              {":protocol", "websocket"},
                                              {":scheme", "https"},
                                              {":path", "/"},
                                              {":authority", "example.com"}},
                                       {}, false);
        QVERIFY(ex.pump());
        QVERIFY(peer.streams[id].reset);
        for (const QString& line : ex.transcript.lines())
            QVERIFY2(!line.startsWith("RequestHeaders"), qPrintable(line));
    }

    void informationalAndBodylessResponses()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{
            codec, peer, [](const HttpEvent& e, HttpCodec& c, CodecOutput& out) {
                const auto* h = std::get_if<RequestHeaders>(&e);
                if (!h)
                    return;
                const int id = h->streamId;
                c.send(ResponseHeaders{id, makeResponse(103, {{"Link", "</s.css>"}})}, out);
                c.send(ResponseHeaders{id, makeResponse(101)}, out); // not in HTTP/2
                c.send(ResponseHeaders{id, makeResponse(200, {{"Content-Length", "5"}})}, out);
                c.send(ResponseData{id, "hello"}, out); // not after HEAD
                c.send(ResponseEndOfMessage{id}, out);
            }};
        Fields head = getRequest("/");
        head[0].second = "HEAD";
        const qint32 id = peer.request(head);
        QVERIFY(ex.pump());
        const H2Peer::Stream& s = peer.streams[id];
        QCOMPARE(s.blocks.size(), 2);
        QCOMPARE(s.field(":status", 0), QByteArray("103"));
        QCOMPARE(s.field("link", 0), QByteArray("</s.css>"));
        QCOMPARE(s.field(":status", 1), QByteArray("200"));
        QCOMPARE(s.field("content-length", 1), QByteArray("5"));
        QVERIFY(s.data.isEmpty());
        QVERIFY(s.ended);
        QVERIFY(!s.reset);
        QVERIFY2(ex.transcript.debug.join('\n').contains("dropped 101"),
                 qPrintable(ex.transcript.debug.join('\n')));
        QVERIFY(codec.isIdle());
    }

    void responseHeadTooLargeToSend()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, {}};
        const qint32 id = peer.request(getRequest("/"));
        QVERIFY(ex.pump());
        ex.call([&](HttpCodec& c, CodecOutput& out) {
            c.send(ResponseHeaders{id, makeResponse(200, {{"X-Huge", QByteArray(70000, 'h')}})},
                   out);
            c.send(ResponseData{id, "body"}, out);
        });
        QVERIFY(ex.pump());
        QCOMPARE(ex.transcript.errors().size(), 1);
        QVERIFY2(ex.transcript.errors()[0].startsWith(
                     "the response head for stream 1 could not be sent"),
                 qPrintable(ex.transcript.errors()[0]));
        QCOMPARE(peer.streams[id].resetCode, quint32(NGHTTP2_INTERNAL_ERROR));
        QVERIFY(codec.isIdle());
    }

    void hundredConcurrentStreams()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        int heads = 0;
        Exchange ex{codec, peer, [&heads](const HttpEvent& e, HttpCodec& c, CodecOutput& out) {
                        if (std::holds_alternative<RequestHeaders>(e))
                            ++heads;
                    }};
        std::vector<qint32> ids;
        for (int i = 0; i < 100; ++i)
            ids.push_back(peer.request(getRequest("/" + QByteArray::number(i))));
        QVERIFY(ex.pump());
        // All 100 are open at once, none answered yet.
        QCOMPARE(heads, 100);
        QVERIFY(!codec.isIdle());
        // Answer them in reverse order.
        for (int i = 99; i >= 0; --i) {
            ex.call([&](HttpCodec& c, CodecOutput& out) {
                c.send(ResponseHeaders{ids[size_t(i)], makeResponse(200)}, out);
                c.send(ResponseData{ids[size_t(i)], "r" + QByteArray::number(i)}, out);
                c.send(ResponseEndOfMessage{ids[size_t(i)]}, out);
            });
        }
        QVERIFY(ex.pump());
        for (int i = 0; i < 100; ++i) {
            const H2Peer::Stream& s = peer.streams[ids[size_t(i)]];
            QCOMPARE(s.data, "r" + QByteArray::number(i));
            QVERIFY(s.ended);
        }
        QVERIFY(codec.isIdle());
    }

    // The client uploads 10 MB; the layer acknowledges only what it has passed on. The
    // client must stall at the stream window and go on when acknowledged.
    void uploadIsFlowControlledByAcknowledge()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, {}};
        ex.autoAcknowledge = false;
        const qint64 size = 10 * 1024 * 1024;
        const QByteArray body = patternBody(size);
        const qint32 id = peer.request(Fields{{":method", "PUT"},
                                              {":scheme", "https"},
                                              {":authority", "example.com"},
                                              {":path", "/big"}},
                                       body);
        QByteArray received;
        int stalls = 0;
        for (int round = 0; round < 100; ++round) {
            QVERIFY(ex.pump());
            QByteArray got;
            for (const HttpEvent& e : ex.transcript.events)
                if (const auto* d = std::get_if<RequestData>(&e))
                    got += d->data;
            ex.transcript.events.clear();
            received += got;
            // Never more than the stream window outstanding.
            QVERIFY2(ex.unacknowledged <= kHttp2StreamWindow,
                     qPrintable(QString::number(ex.unacknowledged)));
            if (received.size() == size)
                break;
            // Stalled: the client still has bytes and nothing more came.
            QVERIFY(peer.outstanding(id) > 0);
            QCOMPARE(ex.unacknowledged, qint64(kHttp2StreamWindow));
            ++stalls;
            const qint64 n = ex.unacknowledged;
            ex.unacknowledged = 0;
            ex.call([&](HttpCodec& c, CodecOutput& out) { c.acknowledge(id, n, out); });
        }
        QCOMPARE(received.size(), size);
        QVERIFY(received == body);
        QCOMPARE(stalls, 9);
    }

    // Twenty unacknowledged uploads of 1 MiB each: the connection window caps what the
    // client may have in flight at kHttp2ConnectionWindow in all.
    void connectionWindowBoundsAllStreams()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, {}};
        ex.autoAcknowledge = false;
        const QByteArray body = patternBody(kHttp2StreamWindow);
        std::vector<qint32> ids;
        for (int i = 0; i < 20; ++i)
            ids.push_back(peer.request(Fields{{":method", "PUT"},
                                              {":scheme", "https"},
                                              {":authority", "example.com"},
                                              {":path", "/" + QByteArray::number(i)}},
                                       body));
        QVERIFY(ex.pump());
        QCOMPARE(ex.unacknowledged, qint64(kHttp2ConnectionWindow));
        // nghttp2 reopens a window once half of it is consumed: acknowledging 8 MiB lets the
        // remaining 4 MiB in.
        std::map<int, qint64> perStream;
        for (const HttpEvent& e : ex.transcript.events)
            if (const auto* d = std::get_if<RequestData>(&e))
                perStream[d->streamId] += d->data.size();
        qint64 acknowledged = 0;
        for (const auto& [id, n] : perStream) {
            if (acknowledged >= kHttp2ConnectionWindow / 2)
                break;
            ex.call(
                [&, id = id, n = n](HttpCodec& c, CodecOutput& out) { c.acknowledge(id, n, out); });
            acknowledged += n;
            ex.unacknowledged -= n;
        }
        QVERIFY(ex.pump());
        QCOMPARE(ex.unacknowledged, 20 * qint64(kHttp2StreamWindow) - acknowledged);
        int ends = 0;
        for (const HttpEvent& e : ex.transcript.events)
            ends += std::holds_alternative<RequestEndOfMessage>(e);
        QCOMPARE(ends, 20);
    }

    // The codec sends 10 MB to a client that reads slowly: the body waits in the codec
    // (pendingOutput) and `drained` says when it has gone.
    void downloadWaitsForTheClientsWindow()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client, {false, 0});
        Exchange ex{codec, peer, {}};
        const qint32 id = peer.request(getRequest("/big"));
        QVERIFY(ex.pump());
        const qint64 size = 10 * 1024 * 1024;
        const QByteArray body = patternBody(size);
        ex.call([&](HttpCodec& c, CodecOutput& out) {
            c.send(ResponseHeaders{id, makeResponse(200)}, out);
            for (qint64 off = 0; off < size; off += 1024 * 1024)
                c.send(ResponseData{id, body.mid(off, 1024 * 1024)}, out);
            c.send(ResponseEndOfMessage{id}, out);
        });
        QVERIFY(ex.pump());
        // The client's initial windows (65535) are all that went out.
        QCOMPARE(peer.streams[id].data.size(), 65535);
        QCOMPARE(codec.pendingOutput(id), size - 65535);
        QVERIFY(ex.drained.empty());
        int rounds = 0;
        while (codec.pendingOutput(id) > 0 && rounds++ < 1000) {
            QVERIFY(ex.drained.empty());
            const qint64 n = peer.streams[id].unconsumed;
            QVERIFY(n > 0);
            peer.consume(id, n);
            QVERIFY(ex.pump());
        }
        QCOMPARE(codec.pendingOutput(id), 0);
        QCOMPARE(ex.drained, std::vector<int>{id});
        peer.consume(id, peer.streams[id].unconsumed);
        QVERIFY(ex.pump());
        QVERIFY(peer.streams[id].data == body);
        QVERIFY(peer.streams[id].ended);
        QVERIFY(codec.isIdle());
    }

    void clientResetOfOneStream()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, answerAtEnd()};
        const Fields post{{":method", "POST"},
                          {":scheme", "https"},
                          {":authority", "example.com"},
                          {":path", "/p"}};
        const qint32 a = peer.request(post, "part", false);
        const qint32 b = peer.request(post, "part", false);
        QVERIFY(ex.pump());
        peer.reset(a, NGHTTP2_CANCEL);
        peer.sendBody(b, "-rest", true);
        QVERIFY(ex.pump());
        // The layer answers the reset stream anyway: ignored.
        ex.call([&](HttpCodec& c, CodecOutput& out) {
            c.send(ResponseHeaders{a, makeResponse(200)}, out);
        });
        SPYGLASS_COMPARE_LINES(ex.transcript.lines(),
                               (QStringList{"RequestHeaders#1 POST scheme=https host=example.com "
                                            "port=443 authority=example.com path=/p HTTP/2.0 {}",
                                            "RequestHeaders#3 POST scheme=https host=example.com "
                                            "port=443 authority=example.com path=/p HTTP/2.0 {}",
                                            "RequestData#1 \"part\"", "RequestData#3 \"part\"",
                                            "RequestProtocolError#1 0 client reset stream: CANCEL",
                                            "RequestData#3 \"-rest\"", "RequestEndOfMessage#3"}));
        QVERIFY(peer.streams[b].ended);
        QCOMPARE(peer.streams[b].data, QByteArray("echo /p"));
        QVERIFY(ex.transcript.debug.join('\n').contains("ignored response headers for stream 1"));
        QVERIFY(codec.isIdle());
        QVERIFY(!codec.isClosing());
    }

    void clientResetAfterTheRequestEnded()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, {}};
        const qint32 id = peer.request(getRequest("/slow"));
        QVERIFY(ex.pump());
        ex.call([&](HttpCodec& c, CodecOutput& out) {
            c.send(ResponseHeaders{id, makeResponse(200)}, out);
            c.send(ResponseData{id, "first part"}, out);
        });
        QVERIFY(ex.pump());
        peer.reset(id, NGHTTP2_CANCEL);
        QVERIFY(ex.pump());
        // The layer must learn that nobody reads the rest of the response.
        QCOMPARE(ex.transcript.lines().last(),
                 QStringLiteral("RequestProtocolError#1 0 client reset stream: CANCEL"));
        QVERIFY(codec.isIdle());
    }

    void abortAndResponseErrorResetOneStream()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, {}};
        const qint32 a = peer.request(getRequest("/a"));
        const qint32 b = peer.request(getRequest("/b"));
        const qint32 c = peer.request(getRequest("/c"));
        QVERIFY(ex.pump());
        ex.call([&](HttpCodec& codec, CodecOutput& out) {
            codec.abortStream(a, out);
            codec.send(ResponseHeaders{b, makeResponse(200)}, out);
            codec.send(ResponseProtocolError{b, "upstream went away"}, out);
            codec.send(ResponseHeaders{c, makeResponse(204), true}, out);
        });
        QVERIFY(ex.pump());
        QCOMPARE(ex.transcript.lines().size(), 3); // the three heads, no error events
        QCOMPARE(peer.streams[a].resetCode, quint32(NGHTTP2_CANCEL));
        QCOMPARE(peer.streams[b].resetCode, quint32(NGHTTP2_INTERNAL_ERROR));
        QVERIFY(!peer.streams[c].reset);
        QVERIFY(peer.streams[c].ended);
        QVERIFY(codec.isIdle());
        QVERIFY(!ex.transcript.close);
    }

    void shutdownSendsGoawayAndLetsOpenStreamsFinish()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, {}};
        const qint32 id = peer.request(getRequest("/"));
        QVERIFY(ex.pump());
        ex.call([](HttpCodec& c, CodecOutput& out) { c.shutdown(out); });
        QVERIFY(ex.pump());
        QCOMPARE(peer.goaways, 1);
        QCOMPARE(peer.goawayCode, quint32(NGHTTP2_NO_ERROR));
        QCOMPARE(peer.goawayLastStream, id);
        QVERIFY(codec.isClosing());
        QVERIFY(!ex.transcript.close);
        ex.call([&](HttpCodec& c, CodecOutput& out) {
            c.send(ResponseHeaders{id, makeResponse(200)}, out);
            c.send(ResponseData{id, "bye"}, out);
            c.send(ResponseEndOfMessage{id}, out);
        });
        QVERIFY(ex.pump());
        QVERIFY(peer.streams[id].ended);
        QCOMPARE(peer.streams[id].data, QByteArray("bye"));
        QVERIFY(ex.transcript.close); // nothing left: close
        QVERIFY(ex.transcript.events.size() == 1);
    }

    void goawayFromTheClient()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, {}};
        const qint32 id = peer.request(getRequest("/"));
        QVERIFY(ex.pump());
        peer.goaway(NGHTTP2_NO_ERROR, 0);
        QVERIFY(ex.pump());
        QVERIFY(codec.isClosing());
        QVERIFY(!ex.transcript.close);
        ex.call([&](HttpCodec& c, CodecOutput& out) {
            c.send(ResponseHeaders{id, makeResponse(204), true}, out);
        });
        QVERIFY(ex.pump());
        QVERIFY(peer.streams[id].ended);
        QVERIFY(ex.transcript.close);
        QVERIFY(ex.transcript.debug.join('\n').contains("client sent GOAWAY NO_ERROR"));
    }

    void ping()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, {}};
        QVERIFY(ex.pump());
        ex.call([](HttpCodec& c, CodecOutput& out) { c.sendPing(out); });
        QVERIFY(ex.pump());
        QCOMPARE(peer.pingsReceived, 1);
        peer.ping();
        QVERIFY(ex.pump());
        QCOMPARE(peer.pingAcks, 1); // answered by nghttp2
        QVERIFY(ex.transcript.events.empty());
        QVERIFY(!codec.isClosing());
    }

    void notHttp2AtAll()
    {
        Http2ServerCodec codec;
        CodecOutput out;
        codec.receiveData("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", out);
        QVERIFY(out.close);
        QVERIFY(out.events.empty());
        // Our SETTINGS, then GOAWAY PROTOCOL_ERROR (type 7, error code 1 at the end).
        QVERIFY(out.toPeer.size() >= 17);
        QCOMPARE(out.toPeer.at(out.toPeer.size() - 17 + 3), char(NGHTTP2_GOAWAY));
        QCOMPARE(out.toPeer.right(4), QByteArray("\0\0\0\1", 4));
        QVERIFY(codec.isClosing());
        CodecOutput later;
        codec.receiveData("more", later);
        QVERIFY(later.toPeer.isEmpty());
        QVERIFY(later.events.empty());
    }

    void garbageAfterThePrefaceFailsOpenStreams()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, {}};
        peer.request(getRequest("/a"), "x", false);
        peer.request(getRequest("/b"), "y", false);
        QVERIFY(ex.pump());
        // A DATA frame on stream 0 is a connection error (RFC 9113 6.1).
        ex.feedCodec(QByteArray("\0\0\1\0\0\0\0\0\0z", 10));
        QVERIFY(ex.transcript.close);
        const QStringList errors = ex.transcript.errors();
        QCOMPARE(errors.size(), 2);
        for (const QString& e : errors)
            QVERIFY2(e.startsWith("HTTP/2 connection error: PROTOCOL_ERROR"), qPrintable(e));
        QVERIFY(ex.pump());
        QCOMPARE(peer.goaways, 1);
        QCOMPARE(peer.goawayCode, quint32(NGHTTP2_PROTOCOL_ERROR));
        QVERIFY(codec.isClosing());
        QVERIFY(codec.isIdle());
    }

    void clientGoneMidRequest()
    {
        Http2ServerCodec codec;
        H2Peer peer(H2Peer::Role::Client);
        Exchange ex{codec, peer, {}};
        peer.request(getRequest("/a"), "x", false);
        QVERIFY(ex.pump());
        ex.call([](HttpCodec& c, CodecOutput& out) { c.receiveClose(out); });
        QVERIFY(ex.transcript.close);
        QCOMPARE(ex.transcript.errors(), QStringList{"client closed the connection"});
        QVERIFY(codec.isIdle());
        QVERIFY(codec.isClosing());
    }

    void interfaceDefaults()
    {
        Http2ServerCodec codec;
        QVERIFY(!codec.canOpenStream());
        QVERIFY(codec.isMultiplexed());
        QVERIFY(!codec.isHandedOver());
        QVERIFY(codec.takeUnparsed().isEmpty());
        QVERIFY(codec.isIdle());
        QVERIFY(!codec.isClosing());
        QCOMPARE(codec.pendingOutput(1), 0);
    }
};

QTEST_GUILESS_MAIN(Http2ServerCodecTest)
#include "http2_server_codec_test.moc"
