#include "io/content_coding.h"
#include "io/har_writer.h"
#include "sample_flows.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;
using namespace spyglass::test;

namespace {

constexpr double T = 1700000000.0; // a whole second: timings below are exact in ms

// Checks the HAR 1.2 required fields and their types; returns a description of the first
// problem, or an empty string.
QString checkNameValues(const QJsonValue& v, const QString& where, bool valueRequired = true)
{
    if (!v.isArray())
        return where + " is not an array";
    for (const QJsonValue& item : v.toArray()) {
        const QJsonObject o = item.toObject();
        if (!o.value("name").isString())
            return where + "[].name is not a string";
        if ((valueRequired || o.contains("value")) && !o.value("value").isString())
            return where + "[].value is not a string";
    }
    return {};
}

QString checkCookies(const QJsonValue& v, const QString& where)
{
    if (QString e = checkNameValues(v, where); !e.isEmpty())
        return e;
    for (const QJsonValue& item : v.toArray()) {
        const QJsonObject c = item.toObject();
        for (const char* s : {"path", "domain", "expires", "comment"})
            if (c.contains(s) && !c.value(s).isString())
                return where + "[]." + s + " is not a string";
        for (const char* b : {"httpOnly", "secure"})
            if (c.contains(b) && !c.value(b).isBool())
                return where + "[]." + b + " is not a boolean";
    }
    return {};
}

QString checkEntry(const QJsonObject& e)
{
    static const QRegularExpression iso(
        R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$)");
    if (!iso.match(e.value("startedDateTime").toString()).hasMatch())
        return "startedDateTime is not ISO 8601 with ms and zone: " +
               e.value("startedDateTime").toString();
    if (!e.value("time").isDouble() || e.value("time").toDouble() < 0)
        return "time";
    if (!e.value("cache").isObject())
        return "cache";
    for (const char* s : {"serverIPAddress", "connection", "comment", "pageref"})
        if (e.contains(s) && !e.value(s).isString())
            return QString(s) + " is not a string";

    const QJsonObject rq = e.value("request").toObject();
    for (const char* s : {"method", "url", "httpVersion"})
        if (!rq.value(s).isString())
            return QString("request.") + s;
    if (QString x = checkCookies(rq.value("cookies"), "request.cookies"); !x.isEmpty())
        return x;
    if (QString x = checkNameValues(rq.value("headers"), "request.headers"); !x.isEmpty())
        return x;
    if (QString x = checkNameValues(rq.value("queryString"), "request.queryString"); !x.isEmpty())
        return x;
    if (!rq.value("headersSize").isDouble() || !rq.value("bodySize").isDouble())
        return "request sizes";
    if (rq.contains("postData")) {
        const QJsonObject p = rq.value("postData").toObject();
        if (!p.value("mimeType").isString())
            return "postData.mimeType";
        if (p.contains("text") && !p.value("text").isString())
            return "postData.text";
        if (p.contains("params")) {
            if (QString x = checkNameValues(p.value("params"), "postData.params", false);
                !x.isEmpty())
                return x;
        }
    }

    const QJsonObject rs = e.value("response").toObject();
    if (!rs.value("status").isDouble())
        return "response.status";
    for (const char* s : {"statusText", "httpVersion", "redirectURL"})
        if (!rs.value(s).isString())
            return QString("response.") + s;
    if (QString x = checkCookies(rs.value("cookies"), "response.cookies"); !x.isEmpty())
        return x;
    if (QString x = checkNameValues(rs.value("headers"), "response.headers"); !x.isEmpty())
        return x;
    if (!rs.value("headersSize").isDouble() || !rs.value("bodySize").isDouble())
        return "response sizes";
    const QJsonObject c = rs.value("content").toObject();
    if (!c.value("size").isDouble() || !c.value("mimeType").isString())
        return "response.content size/mimeType";
    for (const char* s : {"text", "encoding", "comment"})
        if (c.contains(s) && !c.value(s).isString())
            return QString("response.content.") + s;

    const QJsonObject t = e.value("timings").toObject();
    double sum = 0;
    for (const char* s : {"send", "wait", "receive"}) {
        if (!t.value(s).isDouble() || t.value(s).toDouble() < 0)
            return QString("timings.") + s + " must be a number >= 0";
        sum += t.value(s).toDouble();
    }
    for (const char* s : {"blocked", "dns", "connect", "ssl"}) {
        if (t.contains(s) && (!t.value(s).isDouble() || t.value(s).toDouble() < -1))
            return QString("timings.") + s + " must be a number >= -1";
        if (qstrcmp(s, "ssl") != 0 && t.value(s).toDouble() > 0)
            sum += t.value(s).toDouble();
    }
    if (qAbs(sum - e.value("time").toDouble()) > 1e-6)
        return QStringLiteral("time %1 is not the sum of the timings %2")
            .arg(e.value("time").toDouble())
            .arg(sum);
    return {};
}

QJsonObject parse(const QByteArray& har)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(har, &pe);
    if (pe.error != QJsonParseError::NoError)
        qFatal("invalid JSON: %s", qPrintable(pe.errorString()));
    return doc.object();
}

// A TLS flow on server connection `conn` whose timestamps are offsets in ms from T.
HttpFlow timedFlow(quint64 conn, double reqStart, double reqEnd, double connStart, double tcp,
                   double tls, double respStart, double respEnd)
{
    HttpFlow f = smallFlow(1);
    f.request.scheme = "https";
    f.request.port = 443;
    f.server.id = conn;
    f.server.tls = tls > 0;
    auto at = [](double msOffset) { return msOffset < 0 ? 0 : T + msOffset / 1000; };
    f.request.timestampStart = at(reqStart);
    f.request.timestampEnd = at(reqEnd);
    f.server.timestampStart = at(connStart);
    f.server.timestampTcpSetup = at(tcp);
    f.server.timestampTlsSetup = at(tls);
    f.response->timestampStart = at(respStart);
    f.response->timestampEnd = at(respEnd);
    return f;
}

QJsonObject timings(const QJsonObject& har, int i)
{
    return har["log"]["entries"][i]["timings"].toObject();
}

QJsonObject T7(double blocked, double connect, double ssl, double send, double wait, double receive)
{
    return QJsonObject{{"blocked", blocked}, {"dns", -1},    {"connect", connect}, {"ssl", ssl},
                       {"send", send},       {"wait", wait}, {"receive", receive}};
}

} // namespace

class HarWriterTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void documentAndEveryRequiredField()
    {
        HttpFlow post = smallFlow(2);
        post.request.method = "POST";
        post.request.headers.add("Content-Type", "application/x-www-form-urlencoded");
        post.request.body.content = "a=1&b=x+y%21&c";
        post.request.body.size = post.request.body.content.size();
        HttpFlow failed = smallFlow(3);
        failed.response.reset();
        failed.error = FlowError{"connect failed", failed.request.timestampEnd + 0.5};
        HttpFlow empty; // everything default

        const QList<HttpFlow> flows{fullFlow(), smallFlow(1), post, failed, empty};
        const QJsonObject har = parse(HarWriter::toHar(flows));
        QCOMPARE(har.keys(), QStringList{"log"});
        const QJsonObject log = har["log"].toObject();
        QCOMPARE(log["version"].toString(), QStringLiteral("1.2"));
        QCOMPARE(log["creator"]["name"].toString(), QStringLiteral("Spyglass"));
        QCOMPARE(log["creator"]["version"].toString(), QStringLiteral(SPYGLASS_VERSION));
        QVERIFY(log["pages"].isArray() && log["pages"].toArray().isEmpty());
        const QJsonArray entries = log["entries"].toArray();
        QCOMPARE(entries.size(), flows.size());
        for (int i = 0; i < entries.size(); ++i) {
            const QString problem = checkEntry(entries[i].toObject());
            QVERIFY2(problem.isEmpty(),
                     qPrintable(QStringLiteral("entry %1: %2").arg(i).arg(problem)));
        }

        const QJsonObject e = entries[0].toObject();
        QCOMPARE(e["startedDateTime"].toString(), QStringLiteral("2023-11-14T22:13:21.000Z"));
        QCOMPARE(e["request"]["url"].toString(),
                 QStringLiteral("https://example.com:8443/api/v1/items?q=caf%C3%A9&x=1"));
        QCOMPARE(e["request"]["queryString"].toArray(),
                 (QJsonArray{QJsonObject{{"name", "q"}, {"value", "café"}},
                             QJsonObject{{"name", "x"}, {"value", "1"}}}));
        QCOMPARE(e["request"]["httpVersion"].toString(), QStringLiteral("HTTP/2.0"));
        QCOMPARE(e["request"]["headersSize"].toInt(), -1); // HTTP/2: compressed
        QCOMPARE(e["response"]["status"].toInt(), 201);
        QCOMPARE(e["response"]["statusText"].toString(), QStringLiteral("Created Just Now"));
        QCOMPARE(e["response"]["_error"].toString(), QStringLiteral("connection killed ✂"));
        QCOMPARE(e["connection"].toString(), QStringLiteral("8"));
        QVERIFY(!e.contains("serverIPAddress")); // example.com is a name, not an address
        QCOMPARE(e["comment"].toString(), fullFlow().comment);
        QCOMPARE(e["_marked"].toString(), QStringLiteral(":star:"));
        const QJsonArray headers = e["request"]["headers"].toArray();
        QCOMPARE(headers.size(), 5);
        QCOMPARE(headers[3].toObject(), (QJsonObject{{"name", "x-dup"}, {"value", "2"}}));

        const QJsonObject p = entries[2]["request"]["postData"].toObject();
        QCOMPARE(p["mimeType"].toString(), QStringLiteral("application/x-www-form-urlencoded"));
        QCOMPARE(p["text"].toString(), QStringLiteral("a=1&b=x+y%21&c"));
        QCOMPARE(p["params"].toArray(), (QJsonArray{QJsonObject{{"name", "a"}, {"value", "1"}},
                                                    QJsonObject{{"name", "b"}, {"value", "x y!"}},
                                                    QJsonObject{{"name", "c"}, {"value", ""}}}));
        QVERIFY(!entries[1]["request"].toObject().contains("postData"));

        // HTTP/1.1 head sizes, byte for byte.
        const QJsonObject small = entries[1].toObject();
        const int reqHead = QByteArray("GET /item/1 HTTP/1.1\r\nHost: example.org\r\n"
                                       "User-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n")
                                .size();
        QCOMPARE(small["request"]["headersSize"].toInt(), reqHead);
        const int respHead = QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                        "Content-Length: 12\r\n\r\n")
                                 .size();
        QCOMPARE(small["response"]["headersSize"].toInt(), respHead);
        QCOMPARE(small["response"]["bodySize"].toInt(), 12);
        QCOMPARE(small["response"]["content"].toObject(),
                 (QJsonObject{{"size", 12}, {"mimeType", "text/plain"}, {"text", "hello 000001"}}));
        QCOMPARE(small["request"]["bodySize"].toInt(), 0);
    }

    void timingsArithmetic()
    {
        // Connection 5, opened lazily after the request was in: blocked 5, connect 20 + ssl 50.
        const HttpFlow opener = timedFlow(5, 0, 10, 15, 35, 85, 185, 200);
        // A second request on connection 5: no connect or ssl.
        const HttpFlow reuse = timedFlow(5, 300, 301.5, 15, 35, 85, 350.25, 400);
        // Connection 6 opened eagerly, before the request came: connect 30 + ssl 20 reported,
        // waiting counts from the request's end.
        const HttpFlow eager = timedFlow(6, 100, 110, 0.5, 10.5, 30.5, 160, 170);
        // Connection 7 without TLS, opened 1 ms after the request was in.
        const HttpFlow plain = timedFlow(7, 0, 1, 2, 12, -1, 40, 41.001);
        // The opener of a connection is the earliest flow, wherever it is in the list.
        const QJsonObject har =
            parse(HarWriter::toHar(QList<HttpFlow>{reuse, opener, eager, plain}));

        QCOMPARE(timings(har, 1), T7(5, 70, 50, 10, 100, 15));
        QCOMPARE(har["log"]["entries"][1]["time"].toDouble(), 200.0);
        QCOMPARE(timings(har, 0), T7(-1, -1, -1, 1.5, 48.75, 49.75));
        QCOMPARE(har["log"]["entries"][0]["time"].toDouble(), 100.0);
        QCOMPARE(timings(har, 2), T7(-1, 30, 20, 10, 50, 10));
        QCOMPARE(har["log"]["entries"][2]["time"].toDouble(), 100.0);
        QCOMPARE(timings(har, 3), T7(1, 10, -1, 1, 28, 1.001));
        QCOMPARE(har["log"]["entries"][3]["time"].toDouble(), 41.001);
        QCOMPARE(har["log"]["entries"][1]["startedDateTime"].toString(),
                 QStringLiteral("2023-11-14T22:13:20.000Z"));
        QCOMPARE(har["log"]["entries"][0]["startedDateTime"].toString(),
                 QStringLiteral("2023-11-14T22:13:20.300Z"));

        // Missing timestamps never make a negative or absurd duration.
        HttpFlow partial = smallFlow(1);
        partial.request.timestampEnd = 0;
        partial.response->timestampStart = partial.request.timestampStart - 5; // clock step
        const QJsonObject t = HarWriter::entry(partial, true).value("timings").toObject();
        QCOMPARE(t, T7(-1, -1, -1, 0, 0, 5020)); // receive is the response's own duration
    }

    void binaryBodiesAreBase64()
    {
        HttpFlow f = smallFlow(1);
        const QByteArray png = QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + binaryBlob(200, 9);
        f.response->headers = {{"Content-Type", "image/png"}};
        f.response->body.content = png;
        f.response->body.size = png.size();
        f.request.method = "PUT";
        f.request.body.content = QByteArray("\xff\xfe\0bin", 6);
        f.request.body.size = 6;
        const QJsonObject e = HarWriter::entry(f, false);
        const QJsonObject c = e["response"]["content"].toObject();
        QCOMPARE(c["encoding"].toString(), QStringLiteral("base64"));
        QCOMPARE(QByteArray::fromBase64(c["text"].toString().toLatin1()), png);
        QCOMPARE(c["size"].toInt(), png.size());
        QCOMPARE(c["mimeType"].toString(), QStringLiteral("image/png"));
        const QJsonObject p = e["request"]["postData"].toObject();
        QCOMPARE(p["_encoding"].toString(), QStringLiteral("base64"));
        QCOMPARE(QByteArray::fromBase64(p["text"].toString().toLatin1()), f.request.body.content);
        QCOMPARE(p["mimeType"].toString(), QString());

        // Valid UTF-8 stays text, BOM and all.
        f.response->body.content = "\xEF\xBB\xBF{\"k\": \"\xC3\xA9\"}";
        const QJsonObject t = HarWriter::entry(f, false).value("response")["content"].toObject();
        QVERIFY(!t.contains("encoding"));
        QCOMPARE(t["text"].toString().toUtf8(), f.response->body.content);
    }

    void encodedBodiesAreDecoded()
    {
        HttpFlow f = smallFlow(1);
        const QByteArray json = QByteArray("{\"items\": [1, 2, 3]}").repeated(50);
        f.response->headers = {{"Content-Type", "application/json"}, {"Content-Encoding", "gzip"}};
        f.response->body.content = *ContentCoding::encode({"gzip"}, json);
        f.response->body.size = f.response->body.content.size();
        QJsonObject r = HarWriter::entry(f, false).value("response").toObject();
        QCOMPARE(std::as_const(r)["content"]["text"].toString().toUtf8(), json);
        QCOMPARE(std::as_const(r)["content"]["size"].toInt(), json.size());
        QCOMPARE(r["bodySize"].toInt(), f.response->body.size);
        QCOMPARE(std::as_const(r)["content"]["compression"].toInt(),
                 json.size() - f.response->body.size);

        // A coding we cannot undo: the bytes as they travelled, and said so.
        f.response->headers.set("Content-Encoding", "br");
        f.response->body.content = binaryBlob(80, 4);
        f.response->body.size = 80;
        r = HarWriter::entry(f, false).value("response").toObject();
        QCOMPARE(std::as_const(r)["content"]["_contentEncoding"].toString(), QStringLiteral("br"));
        QCOMPARE(QByteArray::fromBase64(std::as_const(r)["content"]["text"].toString().toLatin1()),
                 f.response->body.content);
        QVERIFY(std::as_const(r)["content"]["comment"].toString().contains("br-encoded"));
        QCOMPARE(std::as_const(r)["content"]["size"].toInt(), 80);
    }

    void streamedBodiesSayTheyAreTruncated()
    {
        HttpFlow f = smallFlow(1);
        f.response->body.content = QByteArray(1000, 'x');
        f.response->body.size = 50 * 1024 * 1024;
        f.response->body.streamed = true;
        const QJsonObject r = HarWriter::entry(f, false).value("response").toObject();
        QCOMPARE(std::as_const(r)["content"]["size"].toDouble(), 50.0 * 1024 * 1024);
        QCOMPARE(r["bodySize"].toDouble(), 50.0 * 1024 * 1024);
        QCOMPARE(std::as_const(r)["content"]["text"].toString(), QString(1000, 'x'));
        QCOMPARE(std::as_const(r)["content"]["_truncated"].toBool(), true);
        QVERIFY2(std::as_const(r)["content"]["comment"].toString().contains(
                     "truncated: 1000 of 52428800 bytes"),
                 qPrintable(std::as_const(r)["content"]["comment"].toString()));
    }

    void failedFlowLooksLikeChromes()
    {
        HttpFlow f = timedFlow(9, 0, 2, -1, -1, -1, 0, 0);
        f.response.reset();
        f.error = FlowError{"DNS lookup failed: no such host", T + 0.0125};
        const QJsonObject e = HarWriter::entry(f, false);
        const QJsonObject r = e["response"].toObject();
        QCOMPARE(r["status"].toInt(), 0);
        QCOMPARE(r["statusText"].toString(), QString());
        QCOMPARE(r["httpVersion"].toString(), QString());
        QCOMPARE(r["_error"].toString(), QStringLiteral("DNS lookup failed: no such host"));
        QCOMPARE(std::as_const(r)["content"].toObject(),
                 (QJsonObject{{"size", 0}, {"mimeType", "x-unknown"}}));
        QCOMPARE(r["headers"].toArray(), QJsonArray());
        QCOMPARE(r["bodySize"].toInt(), -1);
        QCOMPARE(e["timings"].toObject(), T7(-1, -1, -1, 2, 10.5, 0));
        QCOMPARE(e["time"].toDouble(), 12.5);
        QVERIFY(checkEntry(e).isEmpty());
    }

    void cookies()
    {
        HttpFlow f = smallFlow(1);
        f.request.headers.add("Cookie", "sid=abc; theme=dark;flag");
        f.request.headers.add("cookie", "second=2"); // HTTP/2 may split the field
        f.response->timestampStart = T;
        f.response->headers = {
            {"Set-Cookie", "sid=xyz; Path=/; Domain=.example.org; Expires=Wed, 21 Oct 2026 "
                           "07:28:00 GMT; HttpOnly; Secure; SameSite=Lax"},
            {"set-cookie", "old=1; expires=Thursday, 01-Jan-70 00:00:01 GMT"},
            {"Set-Cookie", "ma=1; Max-Age=3600; Expires=Wed, 21 Oct 2026 07:28:00 GMT"},
            {"Set-Cookie", "bare"},
        };
        const QJsonObject e = HarWriter::entry(f, false);
        QCOMPARE(e["request"]["cookies"].toArray(),
                 (QJsonArray{QJsonObject{{"name", "sid"}, {"value", "abc"}},
                             QJsonObject{{"name", "theme"}, {"value", "dark"}},
                             QJsonObject{{"name", ""}, {"value", "flag"}},
                             QJsonObject{{"name", "second"}, {"value", "2"}}}));
        const QJsonArray c = e["response"]["cookies"].toArray();
        QCOMPARE(c.size(), 4);
        QCOMPARE(c[0].toObject(), (QJsonObject{{"name", "sid"},
                                               {"value", "xyz"},
                                               {"path", "/"},
                                               {"domain", ".example.org"},
                                               {"expires", "2026-10-21T07:28:00.000Z"},
                                               {"httpOnly", true},
                                               {"secure", true},
                                               {"sameSite", "Lax"}}));
        QCOMPARE(c[1]["expires"].toString(), QStringLiteral("1970-01-01T00:00:01.000Z"));
        QCOMPARE(c[2]["expires"].toString(), QStringLiteral("2023-11-14T23:13:20.000Z"));
        QCOMPARE(
            c[3].toObject(),
            (QJsonObject{{"name", ""}, {"value", "bare"}, {"httpOnly", false}, {"secure", false}}));
        QCOMPARE(e["response"]["redirectURL"].toString(), QString());
    }

    void connectionFieldsAndRedirect()
    {
        HttpFlow f = smallFlow(1);
        f.server.peer = {"2001:db8::1", 443};
        f.response->statusCode = 302;
        f.response->headers.add("Location", "https://example.org/next");
        QJsonObject e = HarWriter::entry(f, false);
        QCOMPARE(e["serverIPAddress"].toString(), QStringLiteral("2001:db8::1"));
        QCOMPARE(std::as_const(e)["response"]["redirectURL"].toString(),
                 QStringLiteral("https://example.org/next"));
        f.server.peer = {"93.184.216.34", 80};
        f.server.id = 0;
        e = HarWriter::entry(f, false);
        QCOMPARE(e["serverIPAddress"].toString(), QStringLiteral("93.184.216.34"));
        QVERIFY(!e.contains("connection"));
        QVERIFY(!e.contains("comment"));
        QVERIFY(!e.contains("_marked"));
    }

    void writesFilesAtomically()
    {
        const QString path = m_dir.filePath("out.har");
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old");
        old.close();
        const QList<FlowSnapshot> snaps{std::make_shared<const HttpFlow>(smallFlow(1)),
                                        std::make_shared<const HttpFlow>(fullFlow())};
        QCOMPARE(HarWriter::write(path, snaps), QString());
        QVERIFY(old.open(QIODevice::ReadOnly));
        const QJsonObject har = parse(old.readAll());
        QCOMPARE(har["log"]["entries"].toArray().size(), 2);

        const QString bad = m_dir.filePath("nope/out.har");
        const QString err = HarWriter::write(bad, QList<HttpFlow>{smallFlow(1)});
        QVERIFY2(err.startsWith(QDir::toNativeSeparators(bad) + ": "), qPrintable(err));
        QVERIFY(!QFile::exists(bad));

        // An empty list is a valid HAR too.
        const QJsonObject none = parse(HarWriter::toHar(QList<HttpFlow>{}));
        QCOMPARE(none["log"]["entries"].toArray(), QJsonArray());
    }
};

QTEST_GUILESS_MAIN(HarWriterTest)
#include "har_writer_test.moc"
