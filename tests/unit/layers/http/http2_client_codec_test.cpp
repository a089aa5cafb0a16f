// Http2ClientCodec against a real nghttp2 server (http2_test_peer.h): requests out, responses
// in. The happy paths also run with the server's bytes cut into 1-byte pieces and at random
// points, and must give the same events and the same requests every time.
#include "http2_test_peer.h"
#include "layers/http/http2_client_codec.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::test;
using namespace spyglass::layers::http;

namespace {

const QByteArray kPreface("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

// The server's answer to each request at its end: 200, "reply to <path>", maybe trailers.
std::function<void(H2Peer&, qint32)> replyWith(Fields extra = {}, Fields trailers = {})
{
    return [extra, trailers](H2Peer& peer, qint32 id) {
        const QByteArray body = "reply to " + peer.streams[id].field(":path");
        peer.respond(id, Fields{{":status", "200"}, {"content-type", "text/plain"}} + extra, body,
                     true, trailers);
    };
}

struct Result
{
    QStringList events;
    QStringList requests;
    QStringList debug;
    bool close = false;
};

using Script = std::function<void(Exchange&, H2Peer&)>;

Result run(const Script& script, Exchange::Cut cut, quint32 seed)
{
    Http2ClientCodec codec;
    H2Peer peer(H2Peer::Role::Server);
    Exchange ex(codec, peer);
    ex.cut = cut;
    ex.seed = seed;
    script(ex, peer);
    ex.pump();
    Result r;
    r.events = ex.transcript.lines();
    r.requests = describePeerStreams(peer);
    r.debug = ex.transcript.debug;
    r.close = ex.transcript.close;
    if (ex.peerRefused)
        r.requests << QStringLiteral("peer refused the codec's bytes");
    return r;
}

Result runAllCuts(const Script& script, QString* mismatch)
{
    const Result whole = run(script, Exchange::Cut::Whole, 1);
    mismatch->clear();
    QList<std::pair<Exchange::Cut, quint32>> cuts{{Exchange::Cut::Bytes, 1}};
    for (quint32 seed = 1; seed <= 10; ++seed)
        cuts.append({Exchange::Cut::Random, seed * 104729});
    for (const auto& [cut, seed] : cuts) {
        const Result r = run(script, cut, seed);
        if (r.events != whole.events || r.requests != whole.requests || r.close != whole.close) {
            *mismatch =
                QStringLiteral("fed as %1:\n  events %2\n  whole  %3\n  requests %4\n  whole    %5")
                    .arg(cut == Exchange::Cut::Bytes
                             ? QStringLiteral("1-byte pieces")
                             : QStringLiteral("random cuts (seed %1)").arg(seed),
                         r.events.join(QStringLiteral(" | ")),
                         whole.events.join(QStringLiteral(" | ")),
                         r.requests.join(QStringLiteral(" | ")),
                         whole.requests.join(QStringLiteral(" | ")));
            break;
        }
    }
    return whole;
}

#define RUN_ALL_CUTS(result, script)                                                               \
    QString result##Mismatch;                                                                      \
    const Result result = runAllCuts(script, &result##Mismatch);                                   \
    QVERIFY2(result##Mismatch.isEmpty(), qPrintable(result##Mismatch))

void sendRequest(Exchange& ex, int id, const Request& request, const QByteArray& body = {},
                 const Headers& trailers = {})
{
    ex.call([&](HttpCodec& c, CodecOutput& out) {
        const bool bodyless = body.isEmpty() && trailers.isEmpty();
        c.send(RequestHeaders{id, request, bodyless}, out);
        if (bodyless)
            return;
        if (!body.isEmpty())
            c.send(RequestData{id, body}, out);
        if (!trailers.isEmpty())
            c.send(RequestTrailers{id, trailers}, out);
        c.send(RequestEndOfMessage{id}, out);
    });
}

} // namespace

class Http2ClientCodecTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void get()
    {
        const Script script = [](Exchange& ex, H2Peer& peer) {
            peer.onRequest = replyWith();
            Request r;
            r.method = "GET";
            r.path = "/a?b=c";
            r.httpVersion = "HTTP/1.1";
            r.headers = Headers{{"Host", "example.com"},
                                {"User-Agent", "curl/8"},
                                {"Connection", "keep-alive, X-Private"},
                                {"Keep-Alive", "timeout=5"},
                                {"Proxy-Connection", "keep-alive"},
                                {"X-Private", "hop"},
                                {"Upgrade", "h2c"},
                                {"TE", "gzip, trailers"},
                                {"Accept", "*/*"}};
            sendRequest(ex, 7, r);
        };
        RUN_ALL_CUTS(r, script);
        SPYGLASS_COMPARE_LINES(
            r.events,
            (QStringList{"ResponseHeaders#7 200 OK HTTP/2.0 {content-type: "
                         "text/plain}",
                         "ResponseData#7 \"reply to /a?b=c\"", "ResponseEndOfMessage#7"}));
        SPYGLASS_COMPARE_LINES(r.requests,
                               QStringList{"#1 {:method: GET, :scheme: https, :authority: "
                                           "example.com, :path: /a?b=c, user-agent: curl/8, te: "
                                           "trailers, accept: */*} end"});
        QVERIFY(!r.close);
    }

    void firstOutputIsThePreface()
    {
        Http2ClientCodec codec;
        CodecOutput out;
        codec.send(RequestHeaders{1, makeRequest("GET", "https://example.com/"), true}, out);
        QVERIFY(out.toPeer.startsWith(kPreface));
        QVERIFY(out.events.empty());
        QVERIFY(!codec.isIdle());
        // Nothing of the server yet: the SETTINGS it has not sent allow 100 streams.
        QVERIFY(codec.canOpenStream());
    }

    void authorityFromRequestHostOrHostPort()
    {
        const Script script = [](Exchange& ex, H2Peer& peer) {
            peer.onRequest = replyWith();
            Request a = makeRequest("GET", "https://example.com:8443/a");
            a.authority = "example.com:8443";
            a.headers = Headers{{"host", "example.com:8443"}};
            sendRequest(ex, 1, a);
            Request b = makeRequest("GET", "http://[::1]:8080/b"); // no authority, no Host
            sendRequest(ex, 3, b);
            Request c = makeRequest("GET", "https://example.org/c");
            c.headers = Headers{{"Host", "virtual.example"}}; // Host is the authority
            sendRequest(ex, 5, c);
            Request d = makeRequest("GET", "https://example.net/d");
            d.authority = "example.net";
            d.headers = Headers{{"Host", "other.example"}}; // kept, noted
            sendRequest(ex, 9, d);
        };
        RUN_ALL_CUTS(r, script);
        SPYGLASS_COMPARE_LINES(
            r.requests,
            (QStringList{"#1 {:method: GET, :scheme: https, :authority: example.com:8443, :path: "
                         "/a} end",
                         "#3 {:method: GET, :scheme: http, :authority: [::1]:8080, :path: /b} end",
                         "#5 {:method: GET, :scheme: https, :authority: virtual.example, :path: "
                         "/c} end",
                         "#7 {:method: GET, :scheme: https, :authority: example.net, :path: /d, "
                         "host: other.example} end"}));
        QCOMPARE(r.events.size(), 12);
        QVERIFY(r.events.contains("ResponseData#9 \"reply to /d\""));
        QVERIFY2(r.debug.join('\n').contains("kept the Host field \"other.example\" of stream 9"),
                 qPrintable(r.debug.join('\n')));
    }

    void postWithStreamedBody()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server);
        peer.onRequest = [](H2Peer& p, qint32 id) {
            p.respond(id, Fields{{":status", "201"}}, "got " + p.streams[id].data);
        };
        Exchange ex(codec, peer);
        Request r = makeRequest("POST", "https://example.com/upload");
        r.headers = Headers{{"Content-Type", "text/plain"}, {"Transfer-Encoding", "chunked"}};
        ex.call([&](HttpCodec& c, CodecOutput& out) { c.send(RequestHeaders{5, r}, out); });
        QVERIFY(ex.pump());
        // The provider is deferred until the body comes, piece by piece.
        for (const char* piece : {"one ", "two ", "three"}) {
            ex.call([&](HttpCodec& c, CodecOutput& out) { c.send(RequestData{5, piece}, out); });
            QVERIFY(ex.pump());
        }
        QVERIFY(!peer.streams[1].ended);
        ex.call([&](HttpCodec& c, CodecOutput& out) { c.send(RequestEndOfMessage{5}, out); });
        QVERIFY(ex.pump());
        SPYGLASS_COMPARE_LINES(describePeerStreams(peer),
                               QStringList{"#1 {:method: POST, :scheme: https, :authority: "
                                           "example.com, :path: /upload, content-type: "
                                           "text/plain} \"one two three\" end"});
        SPYGLASS_COMPARE_LINES(
            ex.transcript.lines(),
            (QStringList{"ResponseHeaders#5 201 Created HTTP/2.0 {}",
                         "ResponseData#5 \"got one two three\"", "ResponseEndOfMessage#5"}));
        QVERIFY(codec.isIdle());
    }

    void trailersBothWays()
    {
        const Script script = [](Exchange& ex, H2Peer& peer) {
            peer.onRequest = replyWith({{"trailer", "grpc-status"}}, {{"grpc-status", "0"}});
            Request r = makeRequest("POST", "https://example.com/svc/Call");
            r.headers = Headers{{"TE", "trailers"}};
            sendRequest(ex, 3, r, "msg", Headers{{"X-Checksum", "abc"}, {"Connection", "x"}});
        };
        RUN_ALL_CUTS(r, script);
        SPYGLASS_COMPARE_LINES(r.requests,
                               QStringList{"#1 {:method: POST, :scheme: https, :authority: "
                                           "example.com, :path: /svc/Call, te: trailers} "
                                           "{x-checksum: abc} \"msg\" end"});
        SPYGLASS_COMPARE_LINES(
            r.events,
            (QStringList{"ResponseHeaders#3 200 OK HTTP/2.0 {content-type: text/plain, "
                         "trailer: grpc-status}",
                         "ResponseData#3 \"reply to /svc/Call\"",
                         "ResponseTrailers#3 {grpc-status: 0}", "ResponseEndOfMessage#3"}));
    }

    void connect()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server);
        Exchange ex(codec, peer);
        Request r;
        r.method = "CONNECT";
        r.host = "example.com";
        r.port = 443;
        r.authority = "example.com:443";
        r.httpVersion = "HTTP/1.1";
        r.headers = Headers{{"Host", "example.com:443"}, {"Proxy-Connection", "keep-alive"}};
        // As an HTTP/1 CONNECT arrives: no body (endStream). The stream stays open.
        ex.call([&](HttpCodec& c, CodecOutput& out) { c.send(RequestHeaders{1, r, true}, out); });
        QVERIFY(ex.pump());
        SPYGLASS_COMPARE_LINES(describePeerStreams(peer),
                               QStringList{"#1 {:method: CONNECT, :authority: example.com:443}"});
        peer.respond(1, Fields{{":status", "200"}}, {}, false);
        QVERIFY(ex.pump());
        ex.call([](HttpCodec& c, CodecOutput& out) { c.send(RequestData{1, "hello"}, out); });
        QVERIFY(ex.pump());
        QCOMPARE(peer.streams[1].data, QByteArray("hello"));
        peer.sendBody(1, "world", true);
        QVERIFY(ex.pump());
        SPYGLASS_COMPARE_LINES(ex.transcript.lines(),
                               (QStringList{"ResponseHeaders#1 200 OK HTTP/2.0 {}",
                                            "ResponseData#1 \"world\"", "ResponseEndOfMessage#1"}));
        ex.call([](HttpCodec& c, CodecOutput& out) { c.send(RequestEndOfMessage{1}, out); });
        QVERIFY(ex.pump());
        QVERIFY(peer.streams[1].ended);
        QVERIFY(codec.isIdle());
    }

    // RFC 8441 towards an HTTP/2 server that enables it: the request that reads as an
    // HTTP/1.1 upgrade goes out as extended CONNECT (no Sec-WebSocket-Key, no Upgrade), the
    // server's 200 comes back as a complete 101, then DATA are the WebSocket's bytes.
    void extendedConnect()
    {
        Http2ClientCodec codec;
        H2PeerOptions options;
        options.enableConnectProtocol = true;
        H2Peer peer(H2Peer::Role::Server, options);
        Exchange ex(codec, peer);
        QVERIFY(!codec.supportsExtendedConnect());
        ex.call([](HttpCodec& c, CodecOutput& out) { c.sendPing(out); });
        QVERIFY(ex.pump());
        QVERIFY(codec.supportsExtendedConnect());
        Request r;
        r.method = "GET";
        r.scheme = "https";
        r.host = "example.com";
        r.port = 443;
        r.authority = "example.com";
        r.path = "/ws";
        r.httpVersion = "HTTP/2.0";
        r.headers = Headers{{"Upgrade", "websocket"},
                            {"Connection", "Upgrade"},
                            {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                            {"Sec-WebSocket-Version", "13"}};
        ex.call([&](HttpCodec& c, CodecOutput& out) {
            c.send(RequestHeaders{1, r, true, "websocket"}, out);
        });
        QVERIFY(ex.pump());
        SPYGLASS_COMPARE_LINES(describePeerStreams(peer),
                               QStringList{"#1 {:method: CONNECT, :protocol: websocket, :scheme: "
                                           "https, :authority: example.com, :path: /ws, "
                                           "sec-websocket-version: 13}"});
        QVERIFY(!peer.streams[1].ended);
        peer.respond(1, Fields{{":status", "200"}}, {}, false);
        QVERIFY(ex.pump());
        ex.call([](HttpCodec& c, CodecOutput& out) { c.send(RequestData{1, "hello"}, out); });
        QVERIFY(ex.pump());
        QCOMPARE(peer.streams[1].data, QByteArray("hello"));
        peer.sendBody(1, "world", true);
        QVERIFY(ex.pump());
        SPYGLASS_COMPARE_LINES(ex.transcript.lines(),
                               (QStringList{"ResponseHeaders#1 101 Switching Protocols HTTP/2.0 "
                                            "{} end",
                                            "ResponseData#1 \"world\"", "ResponseEndOfMessage#1"}));
        ex.call([](HttpCodec& c, CodecOutput& out) { c.send(RequestEndOfMessage{1}, out); });
        QVERIFY(ex.pump());
        QVERIFY(peer.streams[1].ended);
        QVERIFY(codec.isIdle());
    }

    // A refusal is an ordinary response.
    void extendedConnectRefused()
    {
        Http2ClientCodec codec;
        H2PeerOptions options;
        options.enableConnectProtocol = true;
        H2Peer peer(H2Peer::Role::Server, options);
        Exchange ex(codec, peer);
        Request r;
        r.method = "GET";
        r.scheme = "https";
        r.authority = "example.com";
        r.path = "/ws";
        r.httpVersion = "HTTP/2.0";
        ex.call([&](HttpCodec& c, CodecOutput& out) {
            c.send(RequestHeaders{1, r, true, "websocket"}, out);
        });
        QVERIFY(ex.pump());
        peer.respond(1, Fields{{":status", "404"}}, "gone", true);
        QVERIFY(ex.pump());
        SPYGLASS_COMPARE_LINES(ex.transcript.lines(),
                               (QStringList{"ResponseHeaders#1 404 Not Found HTTP/2.0 {}",
                                            "ResponseData#1 \"gone\"", "ResponseEndOfMessage#1"}));
    }

    void informationalResponsesAreDropped()
    {
        const Script script = [](Exchange& ex, H2Peer& peer) {
            peer.onRequest = [](H2Peer& p, qint32 id) {
                p.informational(id, {{":status", "103"}, {"link", "</a.css>"}});
                p.informational(id, {{":status", "100"}});
                p.respond(id, {{":status", "204"}});
            };
            sendRequest(ex, 1, makeRequest("GET", "https://example.com/"));
        };
        RUN_ALL_CUTS(r, script);
        SPYGLASS_COMPARE_LINES(r.events, QStringList{"ResponseHeaders#1 204 No Content HTTP/2.0 "
                                                     "{} end"});
        QVERIFY2(r.debug.join('\n').contains("dropped 103 "), qPrintable(r.debug.join('\n')));
        QVERIFY(r.debug.join('\n').contains("dropped 100 Continue for stream 1"));
    }

    void hundredConcurrentStreams()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server);
        Exchange ex(codec, peer);
        for (int i = 0; i < 100; ++i) {
            const int id = 1001 + 2 * i; // the layer's ids, not HTTP/2's
            sendRequest(ex, id,
                        makeRequest("GET", "https://example.com/" + QByteArray::number(id)));
        }
        QVERIFY(!codec.canOpenStream()); // 100 open: nghttp2's limit until the server's SETTINGS
        QVERIFY(ex.pump());
        QCOMPARE(peer.streams.size(), size_t(100));
        QVERIFY(codec.canOpenStream()); // the server set no limit
        // The server answers in reverse order.
        for (auto it = peer.streams.rbegin(); it != peer.streams.rend(); ++it)
            replyWith()(peer, it->first);
        QVERIFY(ex.pump());
        int ends = 0;
        for (const HttpEvent& e : ex.transcript.events) {
            if (const auto* d = std::get_if<ResponseData>(&e))
                QCOMPARE(d->data, "reply to /" + QByteArray::number(d->streamId));
            if (std::holds_alternative<ResponseEndOfMessage>(e))
                ++ends;
        }
        QCOMPARE(ends, 100);
        QVERIFY(codec.isIdle());
        QVERIFY(codec.canOpenStream());
    }

    void respectsMaxConcurrentStreams()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server, {true, 10});
        Exchange ex(codec, peer);
        QVERIFY(ex.pump()); // SETTINGS both ways
        int sent = 0;
        while (codec.canOpenStream()) {
            sendRequest(ex, 1 + 2 * sent, makeRequest("GET", "https://example.com/"));
            ++sent;
        }
        QCOMPARE(sent, 10);
        QVERIFY(ex.pump());
        replyWith()(peer, 1);
        QVERIFY(ex.pump());
        QVERIFY(codec.canOpenStream());
        // Beyond the limit, a request waits in nghttp2 until a stream closes.
        sendRequest(ex, 101, makeRequest("GET", "https://example.com/x"));
        sendRequest(ex, 103, makeRequest("GET", "https://example.com/y"));
        QVERIFY(ex.pump());
        QCOMPARE(peer.streams.size(), size_t(11));
        replyWith()(peer, 3);
        QVERIFY(ex.pump());
        QCOMPARE(peer.streams.size(), size_t(12));
        QCOMPARE(peer.streams.rbegin()->second.field(":path"), QByteArray("/y"));
    }

    // The codec uploads 10 MB to a server that reads slowly: pendingOutput shows what waits
    // for its window, and `drained` says when it is all gone.
    void uploadWaitsForTheServersWindow()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server, {false, 0});
        Exchange ex(codec, peer);
        const qint64 size = 10 * 1024 * 1024;
        const QByteArray body = patternBody(size);
        ex.call([&](HttpCodec& c, CodecOutput& out) {
            c.send(RequestHeaders{9, makeRequest("PUT", "https://example.com/big")}, out);
            c.send(RequestData{9, body.first(size / 2)}, out);
        });
        QVERIFY(ex.pump());
        QCOMPARE(peer.streams[1].data.size(), 65535);
        QCOMPARE(codec.pendingOutput(9), size / 2 - 65535);
        ex.call([&](HttpCodec& c, CodecOutput& out) {
            c.send(RequestData{9, body.sliced(size / 2)}, out);
            c.send(RequestEndOfMessage{9}, out);
        });
        QVERIFY(ex.pump());
        QCOMPARE(codec.pendingOutput(9), size - 65535);
        int rounds = 0;
        while (codec.pendingOutput(9) > 0 && rounds++ < 1000) {
            QVERIFY(ex.drained.empty());
            peer.consume(1, peer.streams[1].unconsumed);
            QVERIFY(ex.pump());
        }
        QCOMPARE(codec.pendingOutput(9), 0);
        QCOMPARE(ex.drained, std::vector<int>{9});
        QVERIFY(peer.streams[1].ended);
        QVERIFY(peer.streams[1].data == body);
        peer.respond(1, {{":status", "204"}});
        QVERIFY(ex.pump());
        QCOMPARE(ex.transcript.lines(),
                 QStringList{"ResponseHeaders#9 204 No Content HTTP/2.0 {} end"});
        QVERIFY(codec.isIdle());
    }

    // A 10 MB download: the server stalls at our stream window until the layer acknowledges.
    void downloadIsFlowControlledByAcknowledge()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server);
        const qint64 size = 10 * 1024 * 1024;
        const QByteArray body = patternBody(size);
        peer.onRequest = [&](H2Peer& p, qint32 id) { p.respond(id, {{":status", "200"}}, body); };
        Exchange ex(codec, peer);
        ex.autoAcknowledge = false;
        sendRequest(ex, 3, makeRequest("GET", "https://example.com/big"));
        QByteArray received;
        int stalls = 0;
        for (int round = 0; round < 100; ++round) {
            QVERIFY(ex.pump());
            for (const HttpEvent& e : ex.transcript.events)
                if (const auto* d = std::get_if<ResponseData>(&e))
                    received += d->data;
            const bool ended =
                !ex.transcript.events.empty() &&
                std::holds_alternative<ResponseEndOfMessage>(ex.transcript.events.back());
            ex.transcript.events.clear();
            QVERIFY(ex.unacknowledged <= kHttp2StreamWindow);
            if (ended)
                break;
            QCOMPARE(ex.unacknowledged, qint64(kHttp2StreamWindow));
            QVERIFY(peer.outstanding(1) > 0);
            ++stalls;
            const qint64 n = std::exchange(ex.unacknowledged, 0);
            ex.call([&](HttpCodec& c, CodecOutput& out) { c.acknowledge(3, n, out); });
        }
        QCOMPARE(received.size(), size);
        QVERIFY(received == body);
        QCOMPARE(stalls, 9);
    }

    void serverResetOfOneStream()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server);
        Exchange ex(codec, peer);
        sendRequest(ex, 11, makeRequest("GET", "https://example.com/a"));
        sendRequest(ex, 13, makeRequest("GET", "https://example.com/b"));
        QVERIFY(ex.pump());
        peer.reset(1, NGHTTP2_REFUSED_STREAM);
        replyWith()(peer, 3);
        QVERIFY(ex.pump());
        SPYGLASS_COMPARE_LINES(
            ex.transcript.lines(),
            (QStringList{"ResponseProtocolError#11 server reset stream: REFUSED_STREAM",
                         "ResponseHeaders#13 200 OK HTTP/2.0 {content-type: text/plain}",
                         "ResponseData#13 \"reply to /b\"", "ResponseEndOfMessage#13"}));
        QVERIFY(codec.isIdle());
        QVERIFY(!codec.isClosing());
    }

    void goawayLeavesLaterStreamsOut()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server);
        Exchange ex(codec, peer);
        sendRequest(ex, 1, makeRequest("GET", "https://example.com/a"));
        sendRequest(ex, 3, makeRequest("GET", "https://example.com/b"));
        QVERIFY(ex.pump());
        peer.goaway(NGHTTP2_NO_ERROR, 1); // stream 1 is processed, stream 3 is not
        QVERIFY(ex.pump());
        QVERIFY(codec.isClosing());
        QVERIFY(!codec.canOpenStream());
        SPYGLASS_COMPARE_LINES(
            ex.transcript.lines(),
            QStringList{"ResponseProtocolError#3 server sent GOAWAY (NO_ERROR) without "
                        "processing the request"});
        // A new request is refused at once.
        sendRequest(ex, 5, makeRequest("GET", "https://example.com/c"));
        QCOMPARE(ex.transcript.lines().last(),
                 "ResponseProtocolError#5 the upstream HTTP/2 connection is going away (GOAWAY)");
        QVERIFY(!ex.transcript.close);
        replyWith()(peer, 1);
        QVERIFY(ex.pump());
        QCOMPARE(ex.transcript.lines().last(), "ResponseEndOfMessage#1");
        QVERIFY(ex.transcript.close); // both sides done
        QVERIFY(codec.isIdle());
    }

    void abortAndRequestErrorResetOneStream()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server);
        Exchange ex(codec, peer);
        ex.call([](HttpCodec& c, CodecOutput& out) {
            c.send(RequestHeaders{1, makeRequest("POST", "https://example.com/a")}, out);
            c.send(RequestData{1, "partial"}, out);
            c.send(RequestHeaders{3, makeRequest("POST", "https://example.com/b")}, out);
            c.send(RequestData{3, "partial"}, out);
        });
        sendRequest(ex, 5, makeRequest("GET", "https://example.com/c"));
        QVERIFY(ex.pump());
        ex.call([](HttpCodec& c, CodecOutput& out) {
            c.abortStream(1, out);
            c.send(RequestProtocolError{3, "client vanished", 0}, out);
        });
        replyWith()(peer, 5);
        QVERIFY(ex.pump());
        QCOMPARE(peer.streams[1].resetCode, quint32(NGHTTP2_CANCEL));
        QCOMPARE(peer.streams[3].resetCode, quint32(NGHTTP2_CANCEL));
        SPYGLASS_COMPARE_LINES(
            ex.transcript.lines(),
            (QStringList{"ResponseHeaders#5 200 OK HTTP/2.0 {content-type: "
                         "text/plain}",
                         "ResponseData#5 \"reply to /c\"", "ResponseEndOfMessage#5"}));
        QVERIFY(codec.isIdle());
        QCOMPARE(codec.pendingOutput(1), 0);
    }

    void earlyResponseIsComplete()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server);
        Exchange ex(codec, peer);
        ex.call([](HttpCodec& c, CodecOutput& out) {
            c.send(RequestHeaders{1, makeRequest("POST", "https://example.com/a")}, out);
            c.send(RequestData{1, "partial"}, out);
        });
        QVERIFY(ex.pump());
        // RFC 9113 8.1: a complete response, then "stop sending" without error.
        peer.respond(1, {{":status", "413"}});
        QVERIFY(ex.pump());
        peer.reset(1, NGHTTP2_NO_ERROR);
        QVERIFY(ex.pump());
        SPYGLASS_COMPARE_LINES(ex.transcript.lines(),
                               QStringList{"ResponseHeaders#1 413 Content Too Large HTTP/2.0 {} "
                                           "end"});
        QVERIFY(codec.isIdle());
    }

    void malformedResponse()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server);
        Exchange ex(codec, peer);
        sendRequest(ex, 1, makeRequest("GET", "https://example.com/a"));
        sendRequest(ex, 3, makeRequest("GET", "https://example.com/b"));
        QVERIFY(ex.pump());
        peer.respond(1, {{":status", "200"}, {"connection", "close"}});
        peer.respond(3, {{"x-no-status", "1"}});
        QVERIFY(ex.pump());
        SPYGLASS_COMPARE_LINES(
            ex.transcript.lines(),
            (QStringList{"ResponseProtocolError#1 malformed HTTP/2 response: invalid field "
                         "\"connection: close\"",
                         "ResponseProtocolError#3 malformed HTTP/2 response: missing :status"}));
        QCOMPARE(peer.streams[1].resetCode, quint32(NGHTTP2_PROTOCOL_ERROR));
        QVERIFY(!codec.isClosing());
    }

    void ping()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server);
        Exchange ex(codec, peer);
        ex.call([](HttpCodec& c, CodecOutput& out) { c.sendPing(out); });
        QVERIFY(ex.pump());
        QCOMPARE(peer.pingsReceived, 1);
        peer.ping();
        QVERIFY(ex.pump());
        QCOMPARE(peer.pingAcks, 1);
        QVERIFY(ex.transcript.events.empty());
    }

    void shutdown()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server);
        Exchange ex(codec, peer);
        sendRequest(ex, 1, makeRequest("GET", "https://example.com/a"));
        ex.call([](HttpCodec& c, CodecOutput& out) { c.shutdown(out); });
        QVERIFY(ex.pump());
        QCOMPARE(peer.goaways, 1);
        QVERIFY(codec.isClosing());
        QVERIFY(!codec.canOpenStream());
        QVERIFY(!ex.transcript.close);
        replyWith()(peer, 1);
        QVERIFY(ex.pump());
        QCOMPARE(ex.transcript.lines().last(), "ResponseEndOfMessage#1");
        QVERIFY(ex.transcript.close);
    }

    void garbageFailsOpenStreams()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server);
        Exchange ex(codec, peer);
        sendRequest(ex, 1, makeRequest("GET", "https://example.com/a"));
        sendRequest(ex, 3, makeRequest("GET", "https://example.com/b"));
        QVERIFY(ex.pump());
        ex.feedCodec("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        QVERIFY(ex.transcript.close);
        const QStringList errors = ex.transcript.errors();
        QCOMPARE(errors.size(), 2);
        for (const QString& e : errors)
            QVERIFY2(e.startsWith("HTTP/2 connection error: "), qPrintable(e));
        QVERIFY(ex.pump());
        QCOMPARE(peer.goaways, 1);
        QVERIFY(peer.goawayCode != NGHTTP2_NO_ERROR);
        QVERIFY(codec.isIdle());
        QVERIFY(codec.isClosing());
        // Requests after that fail at once.
        sendRequest(ex, 5, makeRequest("GET", "https://example.com/c"));
        QCOMPARE(ex.transcript.lines().last(),
                 "ResponseProtocolError#5 the upstream HTTP/2 connection is closed");
    }

    void notAnHttp2ServerAtAll()
    {
        Http2ClientCodec codec;
        CodecOutput out;
        codec.send(RequestHeaders{1, makeRequest("GET", "https://example.com/"), true}, out);
        CodecOutput answer;
        codec.receiveData("HTTP/1.1 400 Bad Request\r\n\r\n", answer);
        QVERIFY(answer.close);
        QCOMPARE(answer.events.size(), size_t(1));
        const auto* error = std::get_if<ResponseProtocolError>(&answer.events[0]);
        QVERIFY(error);
        QVERIFY2(error->message.startsWith("HTTP/2 connection error: PROTOCOL_ERROR"),
                 qPrintable(error->message));
    }

    void serverGoneMidResponse()
    {
        Http2ClientCodec codec;
        H2Peer peer(H2Peer::Role::Server);
        Exchange ex(codec, peer);
        sendRequest(ex, 1, makeRequest("GET", "https://example.com/a"));
        QVERIFY(ex.pump());
        peer.respond(1, {{":status", "200"}}, "partial", false);
        QVERIFY(ex.pump());
        ex.call([](HttpCodec& c, CodecOutput& out) { c.receiveClose(out); });
        QVERIFY(ex.transcript.close);
        QCOMPARE(ex.transcript.errors(),
                 QStringList{"server closed the connection before the response was complete"});
    }
};

QTEST_GUILESS_MAIN(Http2ClientCodecTest)
#include "http2_client_codec_test.moc"
