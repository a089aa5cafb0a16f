#pragma once
// Flows for the io tests: one with every field of HttpFlow set to something unusual, small
// ones for volume, and a field-by-field comparison that names the field that differs.
// Test-only, included by several io tests, hence the inline bodies.

#include "flow/flow.h"

#include <QtTest>

namespace spyglass::test {

inline QByteArray binaryBlob(int size, int seed)
{
    QByteArray b(size, '\0');
    quint32 x = quint32(seed) * 2654435761u + 1;
    for (int i = 0; i < size; ++i) {
        x = x * 1103515245u + 12345u;
        b[i] = char(x >> 24);
    }
    return b;
}

inline Connection fullConnection(Connection::Role role, quint64 id, int seed)
{
    Connection c;
    c.id = id;
    c.role = role;
    c.peer = {role == Connection::Role::Client ? "192.168.1.5" : "example.com",
              quint16(role == Connection::Role::Client ? 50123 : 443)};
    c.sockname = {"::1", quint16(8080 + seed)};
    c.state = role == Connection::Role::Client ? ConnectionState::Open : ConnectionState::CanRead;
    c.error = role == Connection::Role::Client ? QString() : QStringLiteral("reset by peer ✗");
    c.tls = true;
    c.tlsEstablished = role == Connection::Role::Client;
    c.tlsResumed = role == Connection::Role::Client && seed % 2 == 0;
    c.sni = "example.com";
    c.alpnOffers = {"h2", "http/1.1"};
    c.alpn = "h2";
    c.tlsVersion = "TLSv1.3";
    c.cipher = "TLS_AES_256_GCM_SHA384";
    c.certificateChainDer = {binaryBlob(900 + seed, seed), binaryBlob(700, seed + 1),
                             QByteArray("\0\x01\x02", 3)};
    if (role == Connection::Role::Server)
        c.via = {"proxy.local", 3128};
    c.timestampStart = 1700000000.123456 + seed;
    c.timestampTcpSetup = 1700000000.223456 + seed;
    c.timestampTlsSetup = 1700000000.323456 + seed;
    c.timestampEnd = role == Connection::Role::Client ? 0 : 1700000009.5 + seed;
    return c;
}

// Every field set, none to its default.
inline HttpFlow fullFlow()
{
    HttpFlow f;
    f.client = fullConnection(Connection::Role::Client, 7, 1);
    f.server = fullConnection(Connection::Role::Server, 8, 2);

    Request& rq = f.request;
    rq.method = "POST";
    rq.scheme = "https";
    rq.authority = "example.com:8443";
    rq.host = "example.com";
    rq.port = 8443;
    rq.path = "/api/v1/items?q=caf%C3%A9&x=1";
    rq.httpVersion = "HTTP/2.0";
    rq.headers = {{"Content-Type", "application/octet-stream"},
                  {"Cookie", "a=1; b=two"},
                  {"X-Dup", "1"},
                  {"x-dup", "2"},
                  {"X-Empty", ""}};
    rq.body.content = binaryBlob(300, 3);
    rq.body.size = 1234567;
    rq.body.streamed = true;
    rq.trailers = {{"x-checksum", "abc"}};
    rq.timestampStart = 1700000001.0;
    rq.timestampEnd = 1700000001.25;

    Response rs;
    rs.httpVersion = "HTTP/2.0";
    rs.statusCode = 201;
    rs.reason = "Created Just Now";
    rs.headers = {{"Content-Type", "text/plain; charset=utf-8"},
                  {"Set-Cookie", "sid=xyz; Path=/; HttpOnly"},
                  {"Set-Cookie", "t=1; Secure"}};
    rs.body.content = QByteArray("h\xC3\xA9llo \0 world", 14);
    rs.body.size = 14;
    rs.trailers = {{"grpc-status", "0"}, {"grpc-message", "ok"}};
    rs.timestampStart = 1700000001.75;
    rs.timestampEnd = 1700000002.5;
    f.response = rs;

    f.error = FlowError{QStringLiteral("connection killed ✂"), 1700000003.0};
    f.live = false;
    f.intercepted = true;
    f.isReplay = true;
    f.marked = QStringLiteral(":star:");
    f.comment = QStringLiteral("héllo ✓ 日本\nsecond line");
    return f;
}

// A small, typical GET with a 200 response; `n` varies the URL and body.
inline HttpFlow smallFlow(int n)
{
    HttpFlow f;
    f.live = false;
    f.client.id = 1;
    f.client.peer = {"127.0.0.1", 40000};
    f.server.id = quint64(100 + n % 5);
    f.server.role = Connection::Role::Server;
    f.server.peer = {"example.org", 80};
    f.request.method = "GET";
    f.request.scheme = "http";
    f.request.host = "example.org";
    f.request.port = 80;
    f.request.path = "/item/" + QByteArray::number(n);
    f.request.httpVersion = "HTTP/1.1";
    f.request.headers = {{"Host", "example.org"}, {"User-Agent", "curl/7.88.1"}, {"Accept", "*/*"}};
    f.request.timestampStart = 1700000000.0 + n;
    f.request.timestampEnd = 1700000000.0 + n;
    Response r;
    r.httpVersion = "HTTP/1.1";
    r.statusCode = 200;
    r.reason = "OK";
    r.headers = {{"Content-Type", "text/plain"}, {"Content-Length", "12"}};
    r.body.content = "hello " + QByteArray::number(n % 1000000).rightJustified(6, '0');
    r.body.size = r.body.content.size();
    r.timestampStart = 1700000000.01 + n;
    r.timestampEnd = 1700000000.02 + n;
    f.response = r;
    return f;
}

inline void compareConnections(const Connection& a, const Connection& b)
{
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.role, b.role);
    QCOMPARE(a.peer, b.peer);
    QCOMPARE(a.sockname, b.sockname);
    QCOMPARE(a.state, b.state);
    QCOMPARE(a.error, b.error);
    QCOMPARE(a.tls, b.tls);
    QCOMPARE(a.tlsEstablished, b.tlsEstablished);
    QCOMPARE(a.tlsResumed, b.tlsResumed);
    QCOMPARE(a.sni, b.sni);
    QCOMPARE(a.alpnOffers, b.alpnOffers);
    QCOMPARE(a.alpn, b.alpn);
    QCOMPARE(a.tlsVersion, b.tlsVersion);
    QCOMPARE(a.cipher, b.cipher);
    QCOMPARE(a.certificateChainDer, b.certificateChainDer);
    QCOMPARE(a.via, b.via);
    QCOMPARE(a.timestampStart, b.timestampStart);
    QCOMPARE(a.timestampTcpSetup, b.timestampTcpSetup);
    QCOMPARE(a.timestampTlsSetup, b.timestampTlsSetup);
    QCOMPARE(a.timestampEnd, b.timestampEnd);
}

inline void compareBodies(const BodyInfo& a, const BodyInfo& b)
{
    QCOMPARE(a.content, b.content);
    QCOMPARE(a.size, b.size);
    QCOMPARE(a.streamed, b.streamed);
}

// Every field of HttpFlow. Call, then `if (QTest::currentTestFailed()) return;`.
inline void compareFlows(const HttpFlow& a, const HttpFlow& b)
{
    QCOMPARE(a.id, b.id);
    compareConnections(a.client, b.client);
    if (QTest::currentTestFailed())
        return;
    compareConnections(a.server, b.server);
    if (QTest::currentTestFailed())
        return;

    QCOMPARE(a.request.method, b.request.method);
    QCOMPARE(a.request.scheme, b.request.scheme);
    QCOMPARE(a.request.authority, b.request.authority);
    QCOMPARE(a.request.host, b.request.host);
    QCOMPARE(a.request.port, b.request.port);
    QCOMPARE(a.request.path, b.request.path);
    QCOMPARE(a.request.httpVersion, b.request.httpVersion);
    QCOMPARE(a.request.headers, b.request.headers);
    compareBodies(a.request.body, b.request.body);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(a.request.trailers, b.request.trailers);
    QCOMPARE(a.request.timestampStart, b.request.timestampStart);
    QCOMPARE(a.request.timestampEnd, b.request.timestampEnd);

    QCOMPARE(a.response.has_value(), b.response.has_value());
    if (a.response) {
        QCOMPARE(a.response->httpVersion, b.response->httpVersion);
        QCOMPARE(a.response->statusCode, b.response->statusCode);
        QCOMPARE(a.response->reason, b.response->reason);
        QCOMPARE(a.response->headers, b.response->headers);
        compareBodies(a.response->body, b.response->body);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(a.response->trailers, b.response->trailers);
        QCOMPARE(a.response->timestampStart, b.response->timestampStart);
        QCOMPARE(a.response->timestampEnd, b.response->timestampEnd);
    }
    QCOMPARE(a.error.has_value(), b.error.has_value());
    if (a.error) {
        QCOMPARE(a.error->message, b.error->message);
        QCOMPARE(a.error->timestamp, b.error->timestamp);
    }
    QCOMPARE(a.live, b.live);
    QCOMPARE(a.intercepted, b.intercepted);
    QCOMPARE(a.isReplay, b.isReplay);
    QCOMPARE(a.marked, b.marked);
    QCOMPARE(a.comment, b.comment);
    QCOMPARE(a.websocket != nullptr, b.websocket != nullptr);
    if (a.websocket) {
        const WebSocketData& x = *a.websocket;
        const WebSocketData& y = *b.websocket;
        QCOMPARE(x.messages.size(), y.messages.size());
        for (qsizetype i = 0; i < x.messages.size(); ++i) {
            QCOMPARE(x.messages[i].fromClient, y.messages[i].fromClient);
            QCOMPARE(x.messages[i].isText, y.messages[i].isText);
            QCOMPARE(x.messages[i].content, y.messages[i].content);
            QCOMPARE(x.messages[i].timestamp, y.messages[i].timestamp);
            QCOMPARE(x.messages[i].injected, y.messages[i].injected);
            QCOMPARE(x.messages[i].dropped, y.messages[i].dropped);
        }
        QCOMPARE(x.closeCode, y.closeCode);
        QCOMPARE(x.closeReason, y.closeReason);
        QCOMPARE(x.closedByClient, y.closedByClient);
        QCOMPARE(x.timestampEnd, y.timestampEnd);
    }
    QCOMPARE(a.kind, b.kind);
    QCOMPARE(a.tcp != nullptr, b.tcp != nullptr);
    if (a.tcp) {
        QCOMPARE(a.tcp->messages.size(), b.tcp->messages.size());
        QCOMPARE(a.tcp->closedByClient, b.tcp->closedByClient);
        QCOMPARE(a.tcp->timestampEnd, b.tcp->timestampEnd);
        QVERIFY(*a.tcp == *b.tcp);
    }
}

// A WebSocket connection's worth of messages: text, binary with NUL bytes, empty, 100 KB,
// one injected, one dropped, closed by the client with 4000 "bye".
inline std::shared_ptr<const WebSocketData> sampleWebSocket(bool closed = true)
{
    auto ws = std::make_shared<WebSocketData>();
    auto add = [&](bool fromClient, bool isText, QByteArray content, double t) {
        WebSocketMessage m;
        m.fromClient = fromClient;
        m.isText = isText;
        m.content = std::move(content);
        m.timestamp = t;
        ws->messages.push_back(m);
    };
    add(true, true, "hello ✓", 1700000010.125);
    add(false, false, QByteArray("\0\x01\xff binary", 10), 1700000010.25);
    add(true, true, "", 1700000010.5);
    add(false, false, binaryBlob(100 * 1000, 9), 1700000011.0);
    add(false, true, "injected", 1700000011.5);
    ws->messages.lastForWriting().injected = true;
    add(true, true, "dropped", 1700000012.0);
    ws->messages.lastForWriting().dropped = true;
    if (closed) {
        ws->closeCode = 4000;
        ws->closeReason = QStringLiteral("bye");
        ws->closedByClient = true;
        ws->timestampEnd = 1700000013.0;
    }
    return ws;
}

} // namespace spyglass::test
