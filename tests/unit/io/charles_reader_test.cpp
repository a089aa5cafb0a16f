#include "io/charles_reader.h"
#include "io/content_coding.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;

namespace {

QJsonArray headers(std::initializer_list<std::pair<const char*, const char*>> fields)
{
    QJsonArray a;
    for (const auto& [n, v] : fields)
        a.append(QJsonObject{{"name", n}, {"value", v}});
    return a;
}

// An entry shaped as Charles 4 exports it (File > Export Session > JSON Session File).
QJsonObject getEntry()
{
    return QJsonObject{
        {"status", "COMPLETE"},
        {"method", "GET"},
        {"protocolVersion", "HTTP/1.1"},
        {"scheme", "https"},
        {"host", "api.example.com"},
        {"port", 443},
        {"actualPort", 8443},
        {"path", "/v1/items"},
        {"query", "page=2&q=a%20b"},
        {"tunnel", false},
        {"keptAlive", true},
        {"webSocket", false},
        {"remoteAddress", "api.example.com/203.0.113.7"},
        {"clientAddress", "/127.0.0.1"},
        {"clientPort", 52344},
        {"times", QJsonObject{{"start", "2023-11-14T22:13:20.000+00:00"},
                              {"requestBegin", "2023-11-14T22:13:20.100+00:00"},
                              {"requestComplete", "2023-11-14T22:13:20.150+00:00"},
                              {"responseBegin", "2023-11-14T23:13:20.400+01:00"},
                              {"end", "2023-11-14T22:13:20.500+00:00"}}},
        {"durations", QJsonObject{{"total", 500},
                                  {"dns", 10},
                                  {"connect", 20},
                                  {"ssl", 30},
                                  {"request", 50},
                                  {"response", 100},
                                  {"latency", 250}}},
        {"speeds", QJsonObject{{"overall", 1000}, {"request", 100}, {"response", 900}}},
        {"totalSize", 1234},
        {"ssl", QJsonObject{{"protocol", "TLSv1.3"}, {"cipherSuite", "TLS_AES_128_GCM_SHA256"}}},
        {"alpn", QJsonObject{{"protocol", "http/1.1"}}},
        {"request",
         QJsonObject{{"sizes", QJsonObject{{"headers", 120}, {"body", 0}}},
                     {"mimeType", QJsonValue::Null},
                     {"charset", QJsonValue::Null},
                     {"contentEncoding", QJsonValue::Null},
                     {"header", QJsonObject{{"firstLine", "GET /v1/items?page=2 HTTP/1.1"},
                                            {"headers", headers({{"Host", "api.example.com"},
                                                                 {"Accept", "*/*"}})}}}}},
        {"response",
         QJsonObject{
             {"status", 200},
             {"sizes", QJsonObject{{"headers", 150}, {"body", 40}}},
             {"mimeType", "application/json"},
             {"charset", "utf-8"},
             {"contentEncoding", "gzip"},
             {"header", QJsonObject{{"firstLine", "HTTP/1.1 200 All Good"},
                                    {"headers", headers({{"Content-Type", "application/json"},
                                                         {"Content-Encoding", "gzip"},
                                                         {"Content-Length", "40"}})}}},
             {"body", QJsonObject{{"text", "{\"items\":[1,2,3]}"},
                                  {"charset", "utf-8"},
                                  {"decoded", true}}}}},
    };
}

QJsonObject postEntry()
{
    QJsonObject e = getEntry();
    e["method"] = "POST";
    e["scheme"] = "http";
    e.remove("actualPort");
    e["port"] = 80;
    e["path"] = "/upload";
    e["query"] = QJsonValue::Null;
    e.remove("ssl");
    QJsonObject req = e["request"].toObject();
    req["header"] =
        QJsonObject{{"firstLine", "POST /upload HTTP/1.1"},
                    {"headers", headers({{"Content-Type", "application/octet-stream"}})}};
    req["body"] = QJsonObject{{"encoding", "base64"}, {"encoded", "AAEC/w=="}};
    e["request"] = req;
    QJsonObject resp = e["response"].toObject();
    resp["status"] = 204;
    resp["header"] =
        QJsonObject{{"firstLine", "HTTP/1.1 204 No Content"}, {"headers", QJsonArray{}}};
    resp["sizes"] = QJsonObject{{"headers", 30}, {"body", 0}};
    resp.remove("body");
    e["response"] = resp;
    return e;
}

CharlesReader::Result parse(const QJsonArray& a)
{
    return CharlesReader::parse(QJsonDocument(a).toJson(), QStringLiteral("s.chlsj"));
}

double seconds(const char* iso)
{
    return double(
               QDateTime::fromString(QLatin1String(iso), Qt::ISODateWithMs).toMSecsSinceEpoch()) /
           1000;
}

} // namespace

class CharlesReaderTest : public QObject
{
    Q_OBJECT

private slots:
    void getWithDecodedBody()
    {
        const auto r = parse(QJsonArray{getEntry()});
        QVERIFY2(r.ok(), qPrintable(r.error));
        QVERIFY(r.warnings.isEmpty());
        QCOMPARE(r.flows.size(), 1);
        const HttpFlow& f = r.flows[0];
        QVERIFY(!f.live);
        QVERIFY(!f.id.isNull());
        QCOMPARE(f.request.method, QByteArray("GET"));
        QCOMPARE(f.request.url(),
                 QByteArray("https://api.example.com:8443/v1/items?page=2&q=a%20b"));
        QCOMPARE(f.request.httpVersion, QByteArray("HTTP/1.1"));
        QCOMPARE(f.request.headers.value("accept"), QByteArray("*/*"));
        QCOMPARE(f.request.body.size, 0);
        QCOMPARE(f.request.timestampStart, seconds("2023-11-14T22:13:20.100Z"));
        QCOMPARE(f.request.timestampEnd, seconds("2023-11-14T22:13:20.150Z"));
        QVERIFY(f.response);
        QCOMPARE(f.response->statusCode, 200);
        QCOMPARE(f.response->reason, QByteArray("All Good"));
        QCOMPARE(f.response->timestampStart, seconds("2023-11-14T22:13:20.400Z"));
        QCOMPARE(f.response->timestampEnd, seconds("2023-11-14T22:13:20.500Z"));
        // The decoded text is gzipped again: the flow holds what travelled.
        QCOMPARE(f.response->headers.value("content-encoding"), QByteArray("gzip"));
        const auto decoded = ContentCoding::decode({"gzip"}, f.response->body.content, 1 << 20);
        QVERIFY(decoded);
        QCOMPARE(*decoded, QByteArray("{\"items\":[1,2,3]}"));
        QCOMPARE(f.response->headers.value("content-length"),
                 QByteArray::number(f.response->body.content.size()));
        QVERIFY(!f.error);

        QCOMPARE(f.client.peer, (Address{"127.0.0.1", 52344}));
        QCOMPARE(f.server.peer, (Address{"203.0.113.7", 8443}));
        QVERIFY(f.server.tls && f.server.tlsEstablished);
        QCOMPARE(f.server.tlsVersion, QByteArray("TLSv1.3"));
        QCOMPARE(f.server.cipher, QByteArray("TLS_AES_128_GCM_SHA256"));
        QCOMPARE(f.server.alpn, QByteArray("http/1.1"));
        QCOMPARE(f.server.sni, QByteArray("api.example.com"));
        const double start = seconds("2023-11-14T22:13:20.000Z");
        QVERIFY(qAbs(f.server.timestampStart - (start + 0.010)) < 1e-6);
        QVERIFY(qAbs(f.server.timestampTcpSetup - (start + 0.030)) < 1e-6);
        QVERIFY(qAbs(f.server.timestampTlsSetup - (start + 0.060)) < 1e-6);
    }

    void postWithBase64Body()
    {
        const auto r = parse(QJsonArray{postEntry()});
        QVERIFY2(r.ok(), qPrintable(r.error));
        const HttpFlow& f = r.flows[0];
        QCOMPARE(f.request.url(), QByteArray("http://api.example.com/upload"));
        QCOMPARE(f.request.body.content, QByteArray("\0\1\2\xff", 4));
        QCOMPARE(f.response->statusCode, 204);
        QCOMPARE(f.response->reason, QByteArray("No Content"));
        QVERIFY(f.response->body.content.isEmpty());
        QVERIFY(!f.response->body.streamed);
        QVERIFY(!f.server.tls);
    }

    void bodyNotCapturedIsStreamed()
    {
        QJsonObject e = getEntry();
        QJsonObject resp = e["response"].toObject();
        resp.remove("body");
        resp["sizes"] = QJsonObject{{"headers", 150}, {"body", 5000000}};
        e["response"] = resp;
        const auto r = parse(QJsonArray{e});
        QVERIFY(r.ok());
        QVERIFY(r.flows[0].response->body.streamed);
        QCOMPARE(r.flows[0].response->body.size, 5000000);
    }

    void tunnelsFailuresAndSkips()
    {
        QJsonObject tunnel{{"status", "COMPLETE"},
                           {"method", "CONNECT"},
                           {"protocolVersion", "HTTP/1.1"},
                           {"scheme", "https"},
                           {"host", "secure.example"},
                           {"port", 443},
                           {"tunnel", true},
                           {"request", QJsonObject{}},
                           {"response", QJsonObject{{"status", 200}}}};
        QJsonObject failed = getEntry();
        failed["status"] = "FAILED";
        failed["errorMessage"] = "Connect failed: connection refused";
        failed.remove("response");
        QJsonObject noHost = getEntry();
        noHost.remove("host");
        QJsonObject ws = getEntry();
        ws["webSocket"] = true;
        ws["messages"] = QJsonArray{QJsonObject{{"type", "text"}}};
        const auto r = parse(QJsonArray{tunnel, failed, noHost, 7, ws});
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.flows.size(), 3);
        QCOMPARE(r.flows[0].request.method, QByteArray("CONNECT"));
        QCOMPARE(r.flows[0].request.url(), QByteArray("secure.example:443"));
        QVERIFY(!r.flows[0].server.tls);
        QVERIFY(r.flows[1].error);
        QCOMPARE(r.flows[1].error->message, QStringLiteral("Connect failed: connection refused"));
        QVERIFY(!r.flows[1].response);
        QCOMPARE(r.warnings.size(), 3);
        QVERIFY2(r.warnings[0].contains(QLatin1String("s.chlsj: entry 2 has no host")),
                 qPrintable(r.warnings[0]));
        QVERIFY(r.warnings[1].contains(QLatin1String("entry 3 is not an object")));
        QVERIFY(r.warnings[2].contains(QLatin1String("WebSocket messages are not imported")));
    }

    void errors()
    {
        auto r = CharlesReader::parse("[{\"host\": ", QStringLiteral("bad.chlsj"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.startsWith(QLatin1String("bad.chlsj: invalid JSON at offset")),
                 qPrintable(r.error));
        r = CharlesReader::parse("{\"a\":1}", QStringLiteral("obj.chlsj"));
        QVERIFY(!r.ok());
        QVERIFY(r.error.contains(QLatin1String("not a Charles JSON session")));
        r = CharlesReader::parse("[]", QStringLiteral("empty.chlsj"));
        QVERIFY(r.ok());
        QVERIFY(r.flows.isEmpty());
        QTemporaryDir dir;
        r = CharlesReader::read(dir.filePath(QStringLiteral("none.chlsj")));
        QVERIFY(!r.ok());
        QVERIFY(r.error.contains(QLatin1String("none.chlsj")));
    }
};

QTEST_GUILESS_MAIN(CharlesReaderTest)
#include "charles_reader_test.moc"
