#pragma once
// Flows for the filter tests, by name: each shows one thing a filter operator looks at.
// Test-only, included by several filter tests, hence the inline bodies.

#include "flow/flow.h"
#include "io/content_coding.h"

#include <QMap>

namespace spyglass::test {

inline Response makeResponse(int status, const QByteArray& reason, Headers headers,
                             const QByteArray& body)
{
    Response r;
    r.httpVersion = "HTTP/1.1";
    r.statusCode = status;
    r.reason = reason;
    r.headers = std::move(headers);
    r.body.content = body;
    r.body.size = body.size();
    return r;
}

inline HttpFlow makeGet(const QByteArray& scheme, const QByteArray& host, quint16 port,
                        const QByteArray& path)
{
    HttpFlow f;
    f.live = false;
    f.client.peer = {"192.168.1.5", 50123};
    f.server.peer = {"93.184.216.34", port};
    f.request.method = "GET";
    f.request.scheme = scheme;
    f.request.host = host;
    f.request.port = port;
    f.request.path = path;
    f.request.httpVersion = "HTTP/1.1";
    f.request.headers = {{"Host", host}, {"User-Agent", "curl/8.0"}, {"Accept", "*/*"}};
    return f;
}

// A response whose body travelled with `coding` (a Content-Encoding value).
inline HttpFlow encodedFlow(const QByteArray& coding, const QByteArray& text)
{
    HttpFlow f = makeGet("https", "static.example.com", 443, "/data.txt");
    const QByteArray body = *ContentCoding::encode(ContentCoding::parse(coding), text);
    f.response = makeResponse(200, "OK",
                              {{"Content-Type", "text/plain"}, {"Content-Encoding", coding}}, body);
    return f;
}

inline HttpFlow assetFlow(const QByteArray& contentType)
{
    HttpFlow f = makeGet("https", "cdn.example.net", 443, "/asset");
    f.response = makeResponse(200, "OK", {{"content-type", contentType}}, "x");
    return f;
}

inline QMap<QString, HttpFlow> filterFlows()
{
    QMap<QString, HttpFlow> m;

    HttpFlow get = makeGet("https", "example.com", 443, "/api/items?q=1");
    get.response = makeResponse(
        200, "OK", {{"Content-Type", "application/json; charset=utf-8"}, {"Server", "nginx"}},
        "{\"ok\": true, \"name\": \"Zo\xC3\xAB\"}");
    m["get"] = get;

    HttpFlow post = makeGet("http", "api.test", 8080, "/login");
    post.server.peer = {"10.0.0.7", 8080};
    post.request.method = "POST";
    post.request.headers = {{"Host", "api.test:8080"},
                            {"Content-Type", "application/x-www-form-urlencoded"}};
    post.request.body.content = "user=alice&password=hunter2";
    post.request.body.size = post.request.body.content.size();
    post.response =
        makeResponse(404, "Not Found", {{"Content-Type", "text/html"}}, "<h1>Not here</h1>");
    post.marked = QStringLiteral(":star:");
    post.comment = QStringLiteral("check this\nlater");
    post.isReplay = true;
    m["post"] = post;

    HttpFlow pending = makeGet("http", "example.org", 80, "/slow");
    pending.server.peer = {};
    pending.error = FlowError{QStringLiteral("connection reset"), 1700000000.0};
    m["pending"] = pending;

    m["css"] = assetFlow("text/css");
    m["js"] = assetFlow("application/javascript; charset=utf-8");
    m["xjs"] = assetFlow("application/x-javascript");
    m["textjs"] = assetFlow("Text/JavaScript");
    m["png"] = assetFlow("image/png");
    m["font"] = assetFlow("font/woff2");
    m["appfont"] = assetFlow("application/font-woff");
    m["html"] = assetFlow("text/html");

    HttpFlow ws = makeGet("https", "chat.example.com", 443, "/socket");
    ws.request.headers.add("Upgrade", "websocket");
    ws.request.headers.add("Connection", "Upgrade");
    ws.response = makeResponse(101, "Switching Protocols",
                               {{"Upgrade", "WebSocket"}, {"Connection", "Upgrade"}}, "");
    m["ws"] = ws;
    HttpFlow h2c = ws;
    h2c.response->headers = {{"Upgrade", "h2c"}, {"Connection", "Upgrade"}};
    m["h2c"] = h2c;
    HttpFlow wsRefused = ws;
    wsRefused.response = makeResponse(400, "Bad Request", {{"Upgrade", "websocket"}}, "");
    m["wsRefused"] = wsRefused;

    const QByteArray secret = "the secret payload, decoded";
    m["gzip"] = encodedFlow("gzip", secret);
    m["deflate"] = encodedFlow("deflate", secret);
    m["br"] = encodedFlow("br", secret);
    m["zstd"] = encodedFlow("zstd", secret);
    m["stacked"] = encodedFlow("gzip, br", secret);
    HttpFlow damaged = encodedFlow("gzip", secret);
    damaged.response->body.content = "not gzip: the secret payload, as it travelled";
    m["damaged"] = damaged;
    HttpFlow gzipRequest = makeGet("https", "upload.example.com", 443, "/up");
    gzipRequest.request.method = "PUT";
    gzipRequest.request.headers.add("Content-Encoding", "gzip");
    gzipRequest.request.body.content = *ContentCoding::encode({"gzip"}, "uploaded secret");
    gzipRequest.request.body.size = gzipRequest.request.body.content.size();
    m["gzipRequest"] = gzipRequest;

    HttpFlow streamed = makeGet("https", "dl.example.com", 443, "/big.iso");
    streamed.response = makeResponse(200, "OK", {{"Content-Type", "application/octet-stream"}}, "");
    streamed.response->body.size = 50 << 20;
    streamed.response->body.streamed = true;
    m["streamed"] = streamed;

    HttpFlow idn = makeGet("https", "xn--bcher-kva.example", 443, "/");
    m["idn"] = idn;

    HttpFlow v6 = makeGet("https", "2001:db8::1", 443, "/v6");
    v6.client.peer = {"::1", 5000};
    v6.server.peer = {"2001:db8::1", 443};
    m["ipv6"] = v6;

    HttpFlow connect = makeGet("http", "example.com", 443, "example.com:443");
    connect.request.method = "CONNECT";
    connect.response = makeResponse(200, "Connection established", {}, "");
    m["connect"] = connect;

    return m;
}

} // namespace spyglass::test
