#include "io/har_reader.h"

#include "io/content_coding.h"
#include "io/json_file.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace spyglass {

namespace {

QByteArray bytes(const QJsonValue& v)
{
    return v.toString().toUtf8();
}

// A timing in ms; -1 when absent or not applicable.
double timing(const QJsonObject& timings, const char* name)
{
    const QJsonValue v = timings.value(QLatin1String(name));
    return v.isDouble() && v.toDouble() >= 0 ? v.toDouble() : -1;
}

// A byte count: 0 when absent, negative, or beyond what a double holds exactly (a hostile
// 1e300 must not reach a float-to-integer conversion).
qint64 sizeFrom(const QJsonValue& v)
{
    const double d = v.toDouble();
    return d > 0 && d < 9007199254740992.0 ? qint64(d) : 0;
}

double positive(double ms)
{
    return ms > 0 ? ms / 1000 : 0;
}

QByteArray normalizedVersion(const QString& v)
{
    const QString u = v.trimmed().toUpper();
    if (u == QLatin1String("H2") || u == QLatin1String("HTTP/2") || u == QLatin1String("HTTP/2.0"))
        return "HTTP/2.0";
    if (u == QLatin1String("H3") || u.startsWith(QLatin1String("HTTP/3")) ||
        u.contains(QLatin1String("QUIC")))
        return "HTTP/3";
    if (u == QLatin1String("HTTP/1.1") || u == QLatin1String("HTTP/1.0"))
        return u.toLatin1();
    return v.toUtf8();
}

// Header fields in order. HTTP/2 pseudo-header fields are left out; :authority is returned.
Headers headersFrom(const QJsonValue& v, QByteArray* authority)
{
    Headers h;
    for (const QJsonValue& item : v.toArray()) {
        const QJsonObject o = item.toObject();
        const QByteArray name = bytes(o.value("name"));
        if (name.startsWith(':')) {
            if (authority && name == ":authority")
                *authority = bytes(o.value("value"));
            continue;
        }
        if (!name.isEmpty())
            h.add(name, bytes(o.value("value")));
    }
    return h;
}

// text, or base64 text when `encoding` says so. A bad base64 text is kept as text.
QByteArray bodyFrom(const QJsonObject& o, const QString& encoding, QStringList& warnings,
                    const QString& where)
{
    const QString t = o.value("text").toString();
    if (encoding.compare(QLatin1String("base64"), Qt::CaseInsensitive) != 0)
        return t.toUtf8();
    auto r = QByteArray::fromBase64Encoding(t.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (r)
        return r.decoded;
    warnings << QStringLiteral("%1: invalid base64 text, kept as text").arg(where);
    return t.toUtf8();
}

bool setUrlFrom(Request& r, const QByteArray& url)
{
    if (r.setUrl(url)) {
        const qsizetype hash = r.path.indexOf('#');
        if (hash >= 0)
            r.path.truncate(hash);
        return true;
    }
    const QUrl tolerant(QString::fromUtf8(url), QUrl::TolerantMode);
    if (tolerant.isValid() && !tolerant.host().isEmpty() &&
        r.setUrl(tolerant.toEncoded(QUrl::RemoveFragment)))
        return true;
    if (r.method == "CONNECT") { // "host:port", as HarWriter writes a CONNECT
        const qsizetype colon = url.lastIndexOf(':');
        bool ok = false;
        const uint port = colon > 0 ? url.mid(colon + 1).toUInt(&ok) : 0;
        if (!ok || port == 0 || port > 65535)
            return false;
        QByteArray host = url.left(colon);
        if (host.startsWith('[') && host.endsWith(']'))
            host = host.mid(1, host.size() - 2);
        r.host = host;
        r.port = quint16(port);
        r.path = url;
        return true;
    }
    return false;
}

// Makes the response body the bytes that travelled, given the decoded HAR text.
void applyContentEncoding(Response& r, const QJsonObject& content, QByteArray data)
{
    BodyInfo& b = r.body;
    const QList<QByteArray> codings = ContentCoding::parse(r.headers.joined("content-encoding"));
    bool changed = false;
    if (!content.contains("_contentEncoding") && !codings.isEmpty() && !data.isEmpty()) {
        if (std::optional<QByteArray> encoded = ContentCoding::encode(codings, data)) {
            data = std::move(*encoded);
        } else {
            r.headers.remove("content-encoding"); // a coding we cannot apply: keep it decoded
        }
        changed = true;
    }
    b.content = std::move(data);
    b.size = b.content.size();
    if (content.value("_truncated").toBool() ||
        (!content.contains("text") && content.value("size").toDouble() > 0)) {
        b.streamed = true;
        b.size = qMax(b.size, sizeFrom(content.value("size")));
    }
    if (changed && !b.streamed && r.headers.contains("content-length"))
        r.headers.set("Content-Length", QByteArray::number(b.content.size()));
}

// `_webSocketMessages` (Chrome, mitmproxy, HarWriter) and our `_webSocketClose`.
std::shared_ptr<const WebSocketData> webSocketFrom(const QJsonObject& e, const QString& where,
                                                   QStringList& warnings)
{
    auto ws = std::make_shared<WebSocketData>();
    const QJsonArray messages = e.value("_webSocketMessages").toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QJsonObject o = messages[i].toObject();
        const int opcode = o.value("opcode").toInt(-1);
        if (opcode != 1 && opcode != 2) {
            warnings << QStringLiteral("%1._webSocketMessages[%2]: opcode %3 skipped (only "
                                       "text and binary messages are kept)")
                            .arg(where)
                            .arg(i)
                            .arg(opcode);
            continue;
        }
        WebSocketMessage m;
        m.fromClient = o.value("type").toString() == QLatin1String("send");
        m.isText = opcode == 1;
        m.timestamp = o.value("time").toDouble();
        m.injected = o.value("_injected").toBool();
        m.dropped = o.value("_dropped").toBool();
        const QString data = o.value("data").toString();
        if (m.isText) {
            m.content = data.toUtf8();
        } else {
            auto r = QByteArray::fromBase64Encoding(data.toLatin1(),
                                                    QByteArray::AbortOnBase64DecodingErrors);
            if (r) {
                m.content = r.decoded;
            } else {
                warnings << QStringLiteral("%1._webSocketMessages[%2]: invalid base64 data, "
                                           "kept as text")
                                .arg(where)
                                .arg(i);
                m.content = data.toUtf8();
            }
        }
        ws->messages.push_back(std::move(m));
    }
    const QJsonObject close = e.value("_webSocketClose").toObject();
    if (close.value("code").isDouble())
        ws->closeCode = close.value("code").toInt();
    ws->closeReason = close.value("reason").toString();
    ws->closedByClient = close.value("closedByClient").toBool();
    ws->timestampEnd = close.value("time").toDouble();
    return ws;
}

std::optional<HttpFlow> flowFrom(const QJsonObject& e, const QString& where, QStringList& warnings)
{
    HttpFlow f;
    f.live = false;
    f.client.role = Connection::Role::Client;
    f.server.role = Connection::Role::Server;

    const QJsonObject rq = e.value("request").toObject();
    Request& req = f.request;
    req.method = bytes(rq.value("method"));
    if (req.method.isEmpty())
        req.method = "GET";
    const QByteArray url = bytes(rq.value("url"));
    if (url.isEmpty() || !setUrlFrom(req, url)) {
        warnings << QStringLiteral("%1: skipped (no usable request URL: \"%2\")")
                        .arg(where, QString::fromUtf8(url.left(200)));
        return std::nullopt;
    }
    req.httpVersion = normalizedVersion(rq.value("httpVersion").toString());
    req.headers = headersFrom(rq.value("headers"), &req.authority);
    if (rq.value("postData").isObject()) {
        const QJsonObject post = rq.value("postData").toObject();
        QString enc = post.value("_encoding").toString();
        if (enc.isEmpty())
            enc = post.value("encoding").toString();
        req.body.content = bodyFrom(post, enc, warnings, where + QLatin1String(".request"));
        if (!post.contains("text") && post.value("params").isArray()) {
            QList<QByteArray> parts;
            for (const QJsonValue& p : post.value("params").toArray()) {
                const QJsonObject o = p.toObject();
                parts << QUrl::toPercentEncoding(o.value("name").toString()) + '=' +
                             QUrl::toPercentEncoding(o.value("value").toString());
            }
            req.body.content = parts.join('&');
        }
        req.body.size = req.body.content.size();
        if (post.value("_truncated").toBool()) {
            req.body.streamed = true;
            req.body.size = qMax(req.body.size, sizeFrom(rq.value("bodySize")));
        }
    }

    // Timestamps from startedDateTime and the timings (see the header for the layout).
    const QString started = e.value("startedDateTime").toString();
    QDateTime t = QDateTime::fromString(started, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(started, Qt::ISODate);
    double t0 = 0;
    if (t.isValid())
        t0 = double(t.toMSecsSinceEpoch()) / 1000;
    else
        warnings << QStringLiteral("%1: invalid startedDateTime \"%2\"").arg(where, started);

    const QJsonObject timings = e.value("timings").toObject();
    double send = timing(timings, "send"), wait = timing(timings, "wait");
    double receive = timing(timings, "receive");
    if (timings.isEmpty()) { // only the total is known
        send = 0;
        wait = 0;
        receive = qMax(0.0, e.value("time").toDouble());
    }
    const double blocked = timing(timings, "blocked"), dns = timing(timings, "dns");
    const double gap = positive(blocked) + positive(dns);
    const double connect = timing(timings, "connect"), ssl = timing(timings, "ssl");

    req.timestampStart = t0;
    req.timestampEnd = t0 + positive(send);
    double waitFrom = req.timestampEnd + gap;
    Connection& srv = f.server;
    if (connect >= 0 && t0 > 0) {
        if (blocked < 0 && dns < 0) {
            // Set up before the request came (HarWriter's eager case): it ends at t0.
            srv.timestampStart = t0 - positive(connect);
        } else {
            // Set up for this request, after blocked + dns; the server waits after it.
            srv.timestampStart = req.timestampEnd + gap;
            waitFrom = srv.timestampStart + positive(connect);
        }
        srv.timestampTcpSetup = srv.timestampStart + positive(connect - qMax(ssl, 0.0));
        if (ssl >= 0) {
            srv.timestampTlsSetup = srv.timestampStart + positive(connect);
            srv.tlsEstablished = true;
        }
    }
    const double responseStart = waitFrom + positive(wait);

    bool ok = false;
    srv.id = e.value("connection").toString().toULongLong(&ok);
    if (!ok)
        srv.id = 0;
    QByteArray ip = bytes(e.value("serverIPAddress"));
    if (ip.startsWith('[') && ip.endsWith(']'))
        ip = ip.mid(1, ip.size() - 2);
    srv.peer = {ip.isEmpty() ? req.host : ip, req.port};
    if (!ip.isEmpty())
        srv.peername = {ip, req.port};
    srv.tls = req.scheme == "https" || req.scheme == "wss";

    const QJsonObject rs = e.value("response").toObject();
    QJsonValue error = rs.value("_error");
    if (!error.isString())
        error = e.value("_error");
    const int status = rs.value("status").toInt();
    if (status > 0) {
        Response r;
        r.statusCode = status;
        r.reason = bytes(rs.value("statusText"));
        r.httpVersion = normalizedVersion(rs.value("httpVersion").toString());
        if (r.httpVersion.isEmpty())
            r.httpVersion = req.httpVersion;
        r.headers = headersFrom(rs.value("headers"), nullptr);
        const QJsonObject content = rs.value("content").toObject();
        applyContentEncoding(r, content,
                             bodyFrom(content, content.value("encoding").toString(), warnings,
                                      where + QLatin1String(".response")));
        if (content.value("_truncated").toBool())
            r.body.size = qMax(r.body.size, sizeFrom(rs.value("bodySize")));
        r.timestampStart = responseStart;
        r.timestampEnd = responseStart + positive(receive);
        f.response = r;
        if (error.isString() && !error.toString().isEmpty())
            f.error = FlowError{error.toString(), r.timestampEnd};
    } else {
        const QString msg = error.toString();
        f.error = FlowError{msg.isEmpty() ? QStringLiteral("no response") : msg, responseStart};
    }

    if (t0 <= 0) { // no start time: durations alone would make nonsense timestamps
        req.timestampEnd = 0;
        if (f.response)
            f.response->timestampStart = f.response->timestampEnd = 0;
        if (f.error)
            f.error->timestamp = 0;
    }

    f.comment = e.value("comment").toString();
    f.marked = e.value("_marked").toString();
    if (e.value("_webSocketMessages").isArray() ||
        e.value("_resourceType").toString() == QLatin1String("websocket"))
        f.websocket = webSocketFrom(e, where, warnings);
    return f;
}

} // namespace

HarReader::Result HarReader::read(const QString& path)
{
    QByteArray data;
    if (QString err = JsonFile::read(path, &data); !err.isEmpty()) {
        Result r;
        r.error = std::move(err);
        return r;
    }
    return parse(data, path);
}

HarReader::Result HarReader::parse(const QByteArray& json, const QString& name)
{
    Result r;
    const QString file = QDir::toNativeSeparators(name);
    QJsonDocument doc;
    if (r.error = JsonFile::parse(json, name, &doc); !r.error.isEmpty())
        return r;
    const QJsonValue entries = doc.object().value("log").toObject().value("entries");
    if (!entries.isArray()) {
        r.error = QStringLiteral("%1: not a HAR file (no log.entries array)").arg(file);
        return r;
    }
    const QJsonArray list = entries.toArray();
    r.flows.reserve(list.size());
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = QStringLiteral("%1: entries[%2]").arg(file).arg(i);
        if (!list[i].isObject()) {
            r.warnings << QStringLiteral("%1: skipped (not an object)").arg(where);
            continue;
        }
        if (std::optional<HttpFlow> f = flowFrom(list[i].toObject(), where, r.warnings))
            r.flows.append(std::move(*f));
    }
    return r;
}

} // namespace spyglass
