#include "io/content_coding.h"
#include "io/har_reader.h"
#include "io/har_writer.h"
#include "sample_flows.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;
using namespace spyglass::test;

namespace {

constexpr double T = 1700000000.0;

// What a HAR can carry of a flow, compared after export and import.
void compareThroughHar(const HttpFlow& a, const HttpFlow& b)
{
    QCOMPARE(b.request.method, a.request.method);
    QCOMPARE(b.request.url(), a.request.url());
    QCOMPARE(b.request.httpVersion, a.request.httpVersion);
    QCOMPARE(b.request.headers, a.request.headers);
    QCOMPARE(b.request.body.content, a.request.body.content);
    QCOMPARE(b.request.body.size, a.request.body.size);
    QCOMPARE(b.request.body.streamed, a.request.body.streamed);
    QCOMPARE(b.response.has_value(), a.response.has_value());
    if (a.response) {
        QCOMPARE(b.response->statusCode, a.response->statusCode);
        QCOMPARE(b.response->reason, a.response->reason);
        QCOMPARE(b.response->httpVersion, a.response->httpVersion);
        QCOMPARE(b.response->headers, a.response->headers);
        QCOMPARE(b.response->body.content, a.response->body.content);
        QCOMPARE(b.response->body.size, a.response->body.size);
        QCOMPARE(b.response->body.streamed, a.response->body.streamed);
        QVERIFY(qAbs(b.response->timestampStart - a.response->timestampStart) < 0.001);
        QVERIFY(qAbs(b.response->timestampEnd - a.response->timestampEnd) < 0.001);
    }
    QCOMPARE(b.error.has_value(), a.error.has_value());
    if (a.error) {
        QCOMPARE(b.error->message, a.error->message);
    }
    QVERIFY(qAbs(b.request.timestampStart - a.request.timestampStart) < 0.001);
    QVERIFY(qAbs(b.request.timestampEnd - a.request.timestampEnd) < 0.001);
    QCOMPARE(b.server.id, a.server.id);
    QCOMPARE(b.comment, a.comment);
    QCOMPARE(b.marked, a.marked);
    QVERIFY(!b.live);
}

QList<HttpFlow> varietyOfFlows()
{
    QList<HttpFlow> flows;

    HttpFlow full = fullFlow(); // HTTP/2, streamed binary request body, error + response
    full.response->body.content = "plain response ✓";
    full.response->body.size = full.response->body.content.size();
    flows << full;

    HttpFlow opener = smallFlow(1); // opens connection 21 lazily, TLS
    opener.request.scheme = "https";
    opener.request.port = 443;
    opener.server.id = 21;
    opener.server.tls = true;
    opener.server.timestampStart = T + 1.002;
    opener.server.timestampTcpSetup = T + 1.010;
    opener.server.timestampTlsSetup = T + 1.030;
    opener.request.timestampStart = T + 1;
    opener.request.timestampEnd = T + 1.001;
    opener.response->timestampStart = T + 1.080;
    opener.response->timestampEnd = T + 1.085;
    flows << opener;

    HttpFlow gz = smallFlow(2); // on connection 21, gzip'd JSON
    gz.request.scheme = "https";
    gz.request.port = 443;
    gz.server = opener.server;
    gz.request.timestampStart = T + 2;
    gz.request.timestampEnd = T + 2.001;
    gz.response->timestampStart = T + 2.050;
    gz.response->timestampEnd = T + 2.060;
    const QByteArray json = QByteArray("{\"a\": [1, 2, 3], \"b\": \"\xC3\xA9\"}").repeated(20);
    gz.response->headers = {{"Content-Type", "application/json"},
                            {"Content-Encoding", "gzip"},
                            {"Content-Length", "0"}};
    gz.response->body.content = *ContentCoding::encode({"gzip"}, json);
    gz.response->body.size = gz.response->body.content.size();
    gz.response->headers.set("Content-Length", QByteArray::number(gz.response->body.size));
    gz.marked = ":+1:";
    flows << gz;

    HttpFlow br = smallFlow(3); // br that does not decode: kept as it travelled
    br.response->headers = {{"Content-Encoding", "br"}};
    br.response->body.content = binaryBlob(64, 3);
    br.response->body.size = 64;
    flows << br;

    HttpFlow image = smallFlow(4); // binary, PNG
    image.response->headers = {{"Content-Type", "image/png"}};
    image.response->body.content = QByteArray("\x89PNG\r\n\x1a\n", 8) + binaryBlob(100, 4);
    image.response->body.size = image.response->body.content.size();
    flows << image;

    HttpFlow form = smallFlow(5); // urlencoded POST
    form.request.method = "POST";
    form.request.headers.add("Content-Type", "application/x-www-form-urlencoded");
    form.request.body.content = "q=hello+world&lang=fr";
    form.request.body.size = form.request.body.content.size();
    flows << form;

    HttpFlow streamed = smallFlow(6); // a streamed download, gzip'd: recorded start only
    streamed.response->headers = {{"Content-Encoding", "gzip"}};
    streamed.response->body.content = binaryBlob(500, 6);
    streamed.response->body.size = 80 * 1024 * 1024;
    streamed.response->body.streamed = true;
    flows << streamed;

    HttpFlow failed = smallFlow(7); // no response
    failed.response.reset();
    failed.error = FlowError{"server closed the connection", failed.request.timestampEnd + 0.2};
    flows << failed;

    HttpFlow connect = smallFlow(8);
    connect.request.method = "CONNECT";
    connect.request.host = "example.net";
    connect.request.port = 443;
    connect.request.path = "example.net:443";
    connect.response = Response::make(200, {}, {});
    connect.response->headers.clear();
    connect.response->timestampStart = connect.request.timestampEnd + 0.01;
    connect.response->timestampEnd = connect.response->timestampStart;
    flows << connect;
    return flows;
}

} // namespace

class HarReaderTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void roundTripsOurOwnExport()
    {
        const QList<HttpFlow> flows = varietyOfFlows();
        const QString path = m_dir.filePath("round.har");
        QCOMPARE(HarWriter::write(path, flows), QString());
        const HarReader::Result r = HarReader::read(path);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join('\n')));
        QCOMPARE(r.flows.size(), flows.size());
        for (int i = 0; i < flows.size(); ++i) {
            compareThroughHar(flows[i], r.flows[i]);
            if (QTest::currentTestFailed())
                qFatal("flow %d differs", i);
        }
        // Connection set-up comes back on the flow that opened it.
        const HttpFlow& opener = r.flows[1];
        QVERIFY(qAbs(opener.server.timestampStart - (T + 1.002)) < 1e-6);
        QVERIFY(qAbs(opener.server.timestampTcpSetup - (T + 1.010)) < 1e-6);
        QVERIFY(qAbs(opener.server.timestampTlsSetup - (T + 1.030)) < 1e-6);
        QCOMPARE(r.flows[1].server.peer, (Address{"example.org", 443}));
        QVERIFY(r.flows[1].server.tls);

        // Export -> import -> export gives the same document, byte for byte: nothing that
        // HAR carries is lost or moved (timings included).
        QCOMPARE(HarWriter::toHar(r.flows), HarWriter::toHar(flows));
    }

    void readsAChromeExport()
    {
        // Trimmed from a Chrome 120 "Save all as HAR with content", fields and quirks kept.
        const QByteArray gzText = "{\"ok\":true,\"items\":[1,2,3]}";
        const QByteArray chrome = R"({
  "log": {
    "version": "1.2",
    "creator": {"name": "WebInspector", "version": "537.36"},
    "pages": [{"startedDateTime": "2024-01-15T09:30:00.100Z", "id": "page_1",
               "title": "https://example.com/", "pageTimings": {"onContentLoad": 420.5, "onLoad": 800.1}}],
    "entries": [
      {
        "_initiator": {"type": "other"}, "_priority": "VeryHigh", "_resourceType": "document",
        "cache": {}, "connection": "48213", "pageref": "page_1",
        "request": {
          "method": "GET", "url": "https://example.com/?q=a%20b", "httpVersion": "http/2.0",
          "headers": [
            {"name": ":authority", "value": "example.com"}, {"name": ":method", "value": "GET"},
            {"name": ":path", "value": "/?q=a%20b"}, {"name": ":scheme", "value": "https"},
            {"name": "accept", "value": "text/html"}, {"name": "accept-encoding", "value": "gzip, deflate, br"},
            {"name": "cookie", "value": "sid=1"}
          ],
          "queryString": [{"name": "q", "value": "a%20b"}],
          "cookies": [{"name": "sid", "value": "1", "path": "/", "domain": "example.com",
                       "expires": "2025-01-01T00:00:00.000Z", "httpOnly": false, "secure": true}],
          "headersSize": -1, "bodySize": 0
        },
        "response": {
          "status": 200, "statusText": "", "httpVersion": "http/2.0",
          "headers": [{"name": "content-encoding", "value": "br"},
                      {"name": "content-type", "value": "text/html; charset=utf-8"},
                      {"name": "content-length", "value": "17"}],
          "cookies": [],
          "content": {"size": 31, "mimeType": "text/html", "compression": 14,
                      "text": "<html>héllo</html>"},
          "redirectURL": "", "headersSize": -1, "bodySize": 17, "_transferSize": 120, "_error": null
        },
        "serverIPAddress": "[2606:2800:220:1:248:1893:25c8:1946]",
        "startedDateTime": "2024-01-15T09:30:00.123Z",
        "time": 151.25,
        "timings": {"blocked": 2.5, "dns": 10, "ssl": 20, "connect": 45, "send": 0.25,
                    "wait": 88.5, "receive": 5, "_blocked_queueing": 1.5}
      },
      {
        "cache": {}, "connection": "48213", "pageref": "page_1",
        "request": {
          "method": "POST", "url": "https://example.com/api", "httpVersion": "http/2.0",
          "headers": [{"name": "content-type", "value": "application/x-www-form-urlencoded"}],
          "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 11,
          "postData": {"mimeType": "application/x-www-form-urlencoded", "text": "a=1&b=hello",
                       "params": [{"name": "a", "value": "1"}, {"name": "b", "value": "hello"}]}
        },
        "response": {
          "status": 201, "statusText": "Created", "httpVersion": "http/2.0",
          "headers": [{"name": "content-encoding", "value": "gzip"},
                      {"name": "Content-Length", "value": "999"},
                      {"name": "content-type", "value": "application/json"}],
          "cookies": [], "content": {"size": 27, "mimeType": "application/json", "text": "GZTEXT"},
          "redirectURL": "", "headersSize": -1, "bodySize": 40, "_error": null
        },
        "serverIPAddress": "[2606:2800:220:1:248:1893:25c8:1946]",
        "startedDateTime": "2024-01-15T09:30:01.000Z", "time": 30,
        "timings": {"blocked": 1, "dns": -1, "ssl": -1, "connect": -1, "send": 1, "wait": 25, "receive": 3}
      },
      {
        "cache": {}, "pageref": "page_1",
        "request": {"method": "GET", "url": "https://cdn.example.com/logo.png", "httpVersion": "",
                    "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 200, "statusText": "OK", "httpVersion": "h3",
                     "headers": [{"name": "content-type", "value": "image/png"}], "cookies": [],
                     "content": {"size": 8, "mimeType": "image/png", "text": "iVBORw0KGgo=", "encoding": "base64"},
                     "redirectURL": "", "headersSize": -1, "bodySize": 8},
        "serverIPAddress": "93.184.216.34",
        "startedDateTime": "2024-01-15T09:30:02.500Z", "time": 10,
        "timings": {"blocked": -1, "dns": -1, "ssl": -1, "connect": -1, "send": 0, "wait": 9, "receive": 1}
      },
      {
        "cache": {}, "pageref": "page_1",
        "request": {"method": "GET", "url": "https://tracker.invalid/t.js", "httpVersion": "",
                    "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 0, "statusText": "", "httpVersion": "", "headers": [], "cookies": [],
                     "content": {"size": 0, "mimeType": "x-unknown"}, "redirectURL": "",
                     "headersSize": -1, "bodySize": -1, "_transferSize": 0,
                     "_error": "net::ERR_NAME_NOT_RESOLVED"},
        "serverIPAddress": "", "startedDateTime": "2024-01-15T09:30:03.000Z", "time": 4.5,
        "timings": {"blocked": 4.5, "dns": -1, "ssl": -1, "connect": -1, "send": 0, "wait": 0, "receive": 0}
      },
      {
        "cache": {}, "request": {"method": "GET", "url": "/relative/is/unusable"},
        "response": {"status": 200}, "startedDateTime": "2024-01-15T09:30:04.000Z", "time": 1,
        "timings": {"send": 0, "wait": 1, "receive": 0}
      }
    ]
  }
})";
        const HarReader::Result r = HarReader::parse(
            QByteArray(chrome).replace("GZTEXT", QByteArray(gzText).replace("\"", "\\\"")),
            "chrome.har");
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.flows.size(), 4);
        QCOMPARE(r.warnings.size(), 1);
        QVERIFY2(r.warnings.first().startsWith("chrome.har: entries[4]: skipped"),
                 qPrintable(r.warnings.first()));

        const double t0 =
            double(QDateTime(QDate(2024, 1, 15), QTime(9, 30), Qt::UTC).toSecsSinceEpoch());
        const HttpFlow& doc = r.flows[0];
        QCOMPARE(doc.request.method, QByteArray("GET"));
        QCOMPARE(doc.request.scheme, QByteArray("https"));
        QCOMPARE(doc.request.host, QByteArray("example.com"));
        QCOMPARE(doc.request.port, 443);
        QCOMPARE(doc.request.path, QByteArray("/?q=a%20b"));
        QCOMPARE(doc.request.authority, QByteArray("example.com"));
        QCOMPARE(doc.request.httpVersion, QByteArray("HTTP/2.0"));
        QCOMPARE(doc.request.headers, (Headers{{"accept", "text/html"},
                                               {"accept-encoding", "gzip, deflate, br"},
                                               {"cookie", "sid=1"}}));
        QVERIFY(doc.response);
        QCOMPARE(doc.response->statusCode, 200);
        // br is applied again, as gzip is: the body is what travelled, and Content-Length
        // matches it.
        QCOMPARE(*ContentCoding::decode({"br"}, doc.response->body.content, 1 << 20),
                 QByteArray("<html>h\xC3\xA9llo</html>"));
        QCOMPARE(doc.response->headers,
                 (Headers{{"content-encoding", "br"},
                          {"content-type", "text/html; charset=utf-8"},
                          {"content-length", QByteArray::number(doc.response->body.size)}}));
        QCOMPARE(doc.response->body.size, doc.response->body.content.size());
        QVERIFY(!doc.error);
        QCOMPARE(doc.server.id, 48213u);
        QCOMPARE(doc.server.peer, (Address{"2606:2800:220:1:248:1893:25c8:1946", 443}));
        // startedDateTime; send 0.25; blocked+dns 12.5; connect 45 of which ssl 20; wait 88.5.
        QCOMPARE(doc.request.timestampStart, t0 + 0.123);
        QVERIFY(qAbs(doc.request.timestampEnd - (t0 + 0.12325)) < 1e-6);
        QVERIFY(qAbs(doc.server.timestampStart - (t0 + 0.13575)) < 1e-6);
        QVERIFY(qAbs(doc.server.timestampTcpSetup - (t0 + 0.16075)) < 1e-6);
        QVERIFY(qAbs(doc.server.timestampTlsSetup - (t0 + 0.18075)) < 1e-6);
        QVERIFY(qAbs(doc.response->timestampStart - (t0 + 0.26925)) < 1e-6);
        QVERIFY(qAbs(doc.response->timestampEnd - (t0 + 0.27425)) < 1e-6);
        QVERIFY(doc.server.tls && doc.server.tlsEstablished);

        const HttpFlow& post = r.flows[1];
        QCOMPARE(post.request.method, QByteArray("POST"));
        QCOMPARE(post.request.body.content, QByteArray("a=1&b=hello"));
        QCOMPARE(post.response->reason, QByteArray("Created"));
        // gzip is applied again: the body is what travelled, and Content-Length matches it.
        QCOMPARE(post.response->headers.value("content-encoding"), QByteArray("gzip"));
        QCOMPARE(*ContentCoding::decode({"gzip"}, post.response->body.content, 1 << 20), gzText);
        QCOMPARE(post.response->headers.value("content-length"),
                 QByteArray::number(post.response->body.content.size()));
        QCOMPARE(post.server.timestampStart, 0.0); // reused connection: no set-up
        // blocked without a connect is folded into wait: total time is kept.
        QVERIFY(qAbs(post.response->timestampEnd - (t0 + 1.030)) < 1e-6);

        const HttpFlow& image = r.flows[2];
        QCOMPARE(image.response->body.content, QByteArray("\x89PNG\r\n\x1a\n"));
        QCOMPARE(image.response->httpVersion, QByteArray("HTTP/3"));
        QCOMPARE(image.server.peer.host, QByteArray("93.184.216.34"));
        QCOMPARE(image.server.id, 0u);

        const HttpFlow& failed = r.flows[3];
        QVERIFY(!failed.response);
        QVERIFY(failed.error);
        QCOMPARE(failed.error->message, QStringLiteral("net::ERR_NAME_NOT_RESOLVED"));
        QCOMPARE(failed.server.peer.host, QByteArray("tracker.invalid"));
    }

    void readsFirefoxQuirks()
    {
        const QByteArray firefox =
            R"({"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "121.0"},
          "entries": [{
            "startedDateTime": "2024-01-15T10:30:00.250+01:00", "time": 12,
            "request": {"bodySize": 0, "method": "GET", "url": "http://example.org/big.bin",
                        "httpVersion": "HTTP/1.1", "headers": [{"name": "Host", "value": "example.org"}],
                        "cookies": [], "queryString": [], "headersSize": 40},
            "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                         "headers": [{"name": "Content-Type", "value": "application/octet-stream"}],
                         "cookies": [], "content": {"mimeType": "application/octet-stream", "size": 5000000},
                         "redirectURL": "", "headersSize": 80, "bodySize": 5000000},
            "cache": {}, "timings": {"blocked": 0, "dns": 0, "connect": 0, "ssl": 0, "send": 0, "wait": 10, "receive": 2},
            "connection": "80"
          }]}})";
        const HarReader::Result r = HarReader::parse(firefox, "ff.har");
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.flows.size(), 1);
        const HttpFlow& f = r.flows[0];
        const double t0 =
            double(QDateTime(QDate(2024, 1, 15), QTime(9, 30), Qt::UTC).toSecsSinceEpoch());
        QCOMPARE(f.request.timestampStart, t0 + 0.25);
        // Content not saved: an empty, streamed body of the full size.
        QVERIFY(f.response->body.streamed);
        QCOMPARE(f.response->body.size, 5000000);
        QVERIFY(f.response->body.content.isEmpty());
        QCOMPARE(f.request.port, 80);
        QCOMPARE(f.server.id, 80u);
    }

    void badInput()
    {
        HarReader::Result r = HarReader::parse("{\"log\": {\"entries\": [}", "broken.har");
        QVERIFY(!r.ok());
        QVERIFY2(r.error.startsWith("broken.har: invalid JSON at offset 22 ("),
                 qPrintable(r.error));
        QVERIFY(r.flows.isEmpty());

        r = HarReader::parse("{\"not\": \"a har\"}", "x.json");
        QCOMPARE(r.error, QStringLiteral("x.json: not a HAR file (no log.entries array)"));
        r = HarReader::parse("[1, 2]", "x.json");
        QVERIFY(!r.ok());
        r = HarReader::parse("", "empty.har");
        QVERIFY(r.error.startsWith("empty.har: invalid JSON at offset 0"));

        // Damaged entries are skipped with a warning; the others are read.
        r = HarReader::parse(R"({"log": {"entries": [
            42,
            {"request": {"method": "GET", "url": "http://ok.example/"}, "response": {"status": 204},
             "startedDateTime": "yesterday", "timings": {"send": -5, "wait": "x"}},
            {"request": {"url": "http://ok.example/b"},
             "response": {"status": 200, "content": {"text": "@@@", "encoding": "base64"}}}
        ]}})",
                             "w.har");
        QVERIFY(r.ok());
        QCOMPARE(r.flows.size(), 2);
        QCOMPARE(r.warnings.size(), 3);
        QVERIFY(r.warnings[0].contains("entries[0]: skipped (not an object)"));
        QVERIFY(r.warnings[1].contains("entries[1]: invalid startedDateTime"));
        QVERIFY(r.warnings[2].contains("entries[2].response: invalid base64"));
        QCOMPARE(r.flows[0].request.timestampStart, 0.0); // no usable start time
        QCOMPARE(r.flows[0].request.timestampEnd, 0.0);
        QCOMPARE(r.flows[0].response->timestampEnd, 0.0);
        QCOMPARE(r.flows[0].response->statusCode, 204);
        QCOMPARE(r.flows[1].request.method, QByteArray("GET"));
        QCOMPARE(r.flows[1].response->body.content, QByteArray("@@@"));

        r = HarReader::read(m_dir.filePath("missing.har"));
        QVERIFY(!r.ok());
        QVERIFY(r.error.contains("missing.har"));
    }
};

QTEST_GUILESS_MAIN(HarReaderTest)
#include "har_reader_test.moc"
