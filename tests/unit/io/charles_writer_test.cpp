// CharlesWriter: a Charles JSON session in Charles' own shape that CharlesReader reads back to
// the flows that were written (to the millisecond: the format's resolution).
#include "io/charles_reader.h"
#include "io/charles_writer.h"
#include "io/content_coding.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;

namespace {

constexpr double T = 1700000000.125; // whole milliseconds: exact through the format

HttpFlow tlsPost()
{
    HttpFlow f;
    f.live = false;
    f.client.peer = {"127.0.0.1", 52344};
    f.client.timestampStart = T;
    f.server.role = Connection::Role::Server;
    f.server.peer = {"api.example.com", 443};
    f.server.peername = {"203.0.113.7", 443};
    f.server.tls = true;
    f.server.tlsEstablished = true;
    f.server.tlsVersion = "TLSv1.3";
    f.server.cipher = "TLS_AES_128_GCM_SHA256";
    f.server.alpn = "h2";
    f.server.timestampStart = T + 0.010;
    f.server.timestampTcpSetup = T + 0.030;
    f.server.timestampTlsSetup = T + 0.060;
    Request& r = f.request;
    r.method = "POST";
    r.scheme = "https";
    r.host = "api.example.com";
    r.port = 443;
    r.authority = "api.example.com";
    r.path = "/v1/items?page=2&q=a%20b";
    r.httpVersion = "HTTP/2.0";
    r.headers = {
        {"content-type", "application/json; charset=utf-8"}, {"x-dup", "1"}, {"x-dup", "2"}};
    r.body.content = "{\"name\":\"café ✓\"}";
    r.body.size = r.body.content.size();
    r.timestampStart = T + 0.100;
    r.timestampEnd = T + 0.150;
    Response s;
    s.httpVersion = "HTTP/2.0";
    s.statusCode = 201;
    s.reason = "All Good";
    s.headers = {{"content-type", "application/json"}, {"content-encoding", "gzip"}};
    s.body.content = *ContentCoding::encode({"gzip"}, "{\"items\":[1,2,3]}");
    s.body.size = s.body.content.size();
    s.timestampStart = T + 0.400;
    s.timestampEnd = T + 0.500;
    f.response = s;
    f.comment = QStringLiteral("a note ✎");
    return f;
}

QList<HttpFlow> flows()
{
    HttpFlow binary;
    binary.live = false;
    binary.client.peer = {"::1", 50000};
    binary.request.method = "GET";
    binary.request.scheme = "http";
    binary.request.host = "img.example";
    binary.request.port = 8080;
    binary.request.path = "/a.png";
    binary.request.httpVersion = "HTTP/1.1";
    binary.request.timestampStart = T + 1;
    binary.request.timestampEnd = T + 1;
    Response png;
    png.httpVersion = "HTTP/1.1";
    png.statusCode = 200;
    png.reason = "OK";
    png.headers = {{"Content-Type", "image/png"}};
    png.body.content = QByteArray("\x89PNG\r\n\x1a\n\0\0\xff", 11);
    png.body.size = png.body.content.size();
    png.timestampStart = T + 1.5;
    png.timestampEnd = T + 1.75;
    binary.response = png;

    HttpFlow streamed = binary;
    streamed.request.path = "/big.iso";
    streamed.response->headers = {{"Content-Length", "50000000"}};
    streamed.response->body = BodyInfo{{}, 50000000, true};

    HttpFlow failed;
    failed.live = false;
    failed.request.method = "GET";
    failed.request.scheme = "https";
    failed.request.host = "down.example";
    failed.request.port = 443;
    failed.request.path = "/";
    failed.request.httpVersion = "HTTP/1.1";
    failed.request.timestampStart = T + 2;
    failed.request.timestampEnd = T + 2;
    failed.error = FlowError{QStringLiteral("connection refused"), T + 2.5};

    HttpFlow tunnel;
    tunnel.live = false;
    tunnel.request.method = "CONNECT";
    tunnel.request.scheme = "https";
    tunnel.request.host = "pinned.example";
    tunnel.request.port = 443;
    tunnel.request.path = "pinned.example:443";
    tunnel.request.httpVersion = "HTTP/1.1";
    tunnel.request.timestampStart = T + 3;
    tunnel.request.timestampEnd = T + 3;

    HttpFlow tcp;
    tcp.kind = FlowKind::Tcp;
    tcp.request.host = "db.example";
    tcp.request.port = 5432;

    return {tlsPost(), binary, streamed, failed, tunnel, tcp};
}

class CharlesWriterTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void shapeIsCharles()
    {
        const QJsonObject e = CharlesWriter::entry(tlsPost());
        QCOMPARE(e["status"].toString(), QStringLiteral("COMPLETE"));
        QCOMPARE(e["path"].toString(), QStringLiteral("/v1/items"));
        QCOMPARE(e["query"].toString(), QStringLiteral("page=2&q=a%20b"));
        QCOMPARE(e["remoteAddress"].toString(), QStringLiteral("api.example.com/203.0.113.7"));
        QCOMPARE(e["clientAddress"].toString(), QStringLiteral("/127.0.0.1"));
        QCOMPARE(e["times"].toObject()["start"].toString(),
                 QStringLiteral("2023-11-14T22:13:20.125+00:00"));
        const QJsonObject d = e["durations"].toObject();
        QCOMPARE(d["dns"].toInt(), 10);
        QCOMPARE(d["connect"].toInt(), 20);
        QCOMPARE(d["ssl"].toInt(), 30);
        QCOMPARE(d["latency"].toInt(), 250);
        QCOMPARE(d["total"].toInt(), 500);
        QVERIFY(e["speeds"].toObject()["overall"].toInteger() > 0);
        QVERIFY(e["totalSize"].toInteger() > 0);
        const QJsonObject rq = e["request"].toObject();
        QCOMPARE(rq["mimeType"].toString(), QStringLiteral("application/json"));
        QCOMPARE(rq["charset"].toString(), QStringLiteral("utf-8"));
        QCOMPARE(rq["header"].toObject()["firstLine"].toString(),
                 QStringLiteral("POST /v1/items?page=2&q=a%20b HTTP/2.0"));
        QCOMPARE(rq["body"].toObject()["text"].toString(), QStringLiteral("{\"name\":\"café ✓\"}"));
        const QJsonObject rs = e["response"].toObject();
        QCOMPARE(rs["status"].toInt(), 201);
        QCOMPARE(rs["contentEncoding"].toString(), QStringLiteral("gzip"));
        QCOMPARE(rs["header"].toObject()["firstLine"].toString(),
                 QStringLiteral("HTTP/2.0 201 All Good"));
        QCOMPARE(rs["body"].toObject()["encoding"].toString(), QStringLiteral("base64"));
        QVERIFY(!CharlesWriter::canWrite(flows().last()));
        // Valid JSON array, TCP left out.
        const QJsonDocument doc = QJsonDocument::fromJson(CharlesWriter::toJson(flows()));
        QVERIFY(doc.isArray());
        QCOMPARE(doc.array().size(), 5);
    }

    void roundTripThroughCharlesReader()
    {
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath("session.chlsj");
        QCOMPARE(CharlesWriter::write(path, flows()), QString());
        const CharlesReader::Result r = CharlesReader::read(path);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join('\n')));
        const QList<HttpFlow> in = flows();
        QCOMPARE(r.flows.size(), 5);

        for (qsizetype i = 0; i < r.flows.size(); ++i) {
            const HttpFlow& a = r.flows[i];
            const HttpFlow& e = in[i];
            QCOMPARE(a.request.method, e.request.method);
            QCOMPARE(a.request.scheme, e.request.scheme);
            QCOMPARE(a.request.host, e.request.host);
            QCOMPARE(a.request.port, e.request.port);
            QCOMPARE(a.request.path, e.request.path);
            QCOMPARE(a.request.httpVersion, e.request.httpVersion);
            QCOMPARE(a.request.headers, e.request.headers);
            QCOMPARE(a.request.body.content, e.request.body.content);
            QCOMPARE(a.request.timestampStart, e.request.timestampStart);
            QCOMPARE(a.request.timestampEnd, e.request.timestampEnd);
            QCOMPARE(a.response.has_value(), e.response.has_value());
            if (e.response) {
                QCOMPARE(a.response->statusCode, e.response->statusCode);
                QCOMPARE(a.response->reason, e.response->reason);
                QCOMPARE(a.response->headers, e.response->headers);
                QCOMPARE(a.response->body.content, e.response->body.content);
                QCOMPARE(a.response->body.size, e.response->body.size);
                QCOMPARE(a.response->body.streamed, e.response->body.streamed);
                QCOMPARE(a.response->timestampStart, e.response->timestampStart);
                QCOMPARE(a.response->timestampEnd, e.response->timestampEnd);
            }
            QCOMPARE(a.error.has_value(), e.error.has_value());
            if (e.error) {
                QCOMPARE(a.error->message, e.error->message);
                QCOMPARE(a.error->timestamp, e.error->timestamp);
            }
            QCOMPARE(a.comment, e.comment);
        }
        const HttpFlow& a = r.flows[0];
        QCOMPARE(a.request.authority, QByteArray("api.example.com"));
        QCOMPARE(a.client.peer, (Address{"127.0.0.1", 52344}));
        QCOMPARE(a.client.timestampStart, T);
        QCOMPARE(a.server.peer.host, QByteArray("203.0.113.7"));
        QCOMPARE(a.server.tlsVersion, QByteArray("TLSv1.3"));
        QCOMPARE(a.server.cipher, QByteArray("TLS_AES_128_GCM_SHA256"));
        QCOMPARE(a.server.alpn, QByteArray("h2"));
        QVERIFY(qAbs(a.server.timestampStart - (T + 0.010)) < 1e-6);
        QVERIFY(qAbs(a.server.timestampTcpSetup - (T + 0.030)) < 1e-6);
        QVERIFY(qAbs(a.server.timestampTlsSetup - (T + 0.060)) < 1e-6);
        QCOMPARE(r.flows[1].client.peer, (Address{"::1", 50000}));
        QVERIFY(r.flows[2].response->body.streamed);
        QVERIFY(r.flows[3].error);
        QCOMPARE(r.flows[4].request.method, QByteArray("CONNECT"));
    }

    void unwritablePathIsAnError()
    {
        const QString err = CharlesWriter::write(m_dir.filePath("no/such/x.chlsj"), flows());
        QVERIFY(err.contains(QLatin1String("x.chlsj")));
    }
};

} // namespace

QTEST_GUILESS_MAIN(CharlesWriterTest)
#include "charles_writer_test.moc"
