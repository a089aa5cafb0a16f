#include "io/charles_reader.h"

#include "io/content_coding.h"
#include "io/json_file.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace spyglass {

namespace {

QByteArray bytes(const QJsonValue& v)
{
    return v.toString().toUtf8();
}

// An ISO 8601 time as seconds since the epoch; 0 when absent or unreadable.
double timeFrom(const QJsonValue& v)
{
    if (!v.isString())
        return 0;
    const QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? double(t.toMSecsSinceEpoch()) / 1000 : 0;
}

// Milliseconds as seconds; 0 when absent or negative.
double duration(const QJsonObject& o, const char* name)
{
    const double ms = o.value(QLatin1String(name)).toDouble(0);
    return ms > 0 && ms < 1e12 ? ms / 1000 : 0;
}

qint64 sizeFrom(const QJsonValue& v)
{
    const double d = v.toDouble();
    return d > 0 && d < 9007199254740992.0 ? qint64(d) : 0;
}

quint16 portFrom(const QJsonValue& v)
{
    const int p = v.toInt(0);
    return p > 0 && p <= 65535 ? quint16(p) : 0;
}

// "name/1.2.3.4", "/1.2.3.4" or "name": the IP literal if there is one, else the name.
QByteArray hostFromAddress(const QString& address)
{
    const qsizetype slash = address.lastIndexOf(QLatin1Char('/'));
    QString host = slash >= 0 ? address.mid(slash + 1) : address;
    if (host.isEmpty() && slash > 0)
        host = address.left(slash);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    return host.toUtf8();
}

Headers headersFrom(const QJsonObject& message, QByteArray* authority)
{
    Headers h;
    const QJsonArray fields = message.value("header").toObject().value("headers").toArray();
    for (const QJsonValue& item : fields) {
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

// The body as it travelled (see the header): `text` or base64 `encoded`, with the
// Content-Encoding applied again when Charles says it decoded it.
BodyInfo bodyFrom(const QJsonObject& message, Headers& headers, QStringList& warnings,
                  const QString& where)
{
    BodyInfo b;
    const QJsonObject body = message.value("body").toObject();
    QByteArray data;
    if (body.contains("encoded")) {
        auto r = QByteArray::fromBase64Encoding(body.value("encoded").toString().toLatin1(),
                                                QByteArray::AbortOnBase64DecodingErrors);
        if (r) {
            data = std::move(*r);
        } else {
            warnings.append(
                QStringLiteral("%1: the body is not valid base64; kept as text").arg(where));
            data = bytes(body.value("encoded"));
        }
    } else {
        data = bytes(body.value("text"));
    }
    const QList<QByteArray> codings = ContentCoding::parse(headers.joined("content-encoding"));
    bool changed = false;
    if (body.value("decoded").toBool() && !codings.isEmpty() && !data.isEmpty()) {
        if (std::optional<QByteArray> encoded = ContentCoding::encode(codings, data))
            data = std::move(*encoded);
        else
            headers.remove("content-encoding"); // a coding we cannot apply: keep it decoded
        changed = true;
    }
    b.content = std::move(data);
    b.size = b.content.size();
    const qint64 recorded = sizeFrom(message.value("sizes").toObject().value("body"));
    if (b.content.isEmpty() && !body.contains("text") && !body.contains("encoded") &&
        recorded > 0) {
        b.streamed = true;
        b.size = recorded;
    }
    if (changed && headers.contains("content-length"))
        headers.set("Content-Length", QByteArray::number(b.content.size()));
    return b;
}

// "HTTP/1.1 200 OK" -> "OK"
QByteArray reasonFrom(const QJsonObject& message)
{
    const QByteArray line = bytes(message.value("header").toObject().value("firstLine"));
    const QList<QByteArray> parts = line.split(' ');
    if (parts.size() < 3)
        return {};
    return line.mid(parts[0].size() + parts[1].size() + 2).trimmed();
}

QByteArray normalizedVersion(const QString& v)
{
    const QString u = v.trimmed().toUpper();
    if (u == QLatin1String("HTTP/2") || u == QLatin1String("HTTP/2.0") || u == QLatin1String("H2"))
        return "HTTP/2.0";
    return u.toLatin1();
}

bool entryFrom(const QJsonObject& e, const QString& where, HttpFlow& f, QStringList& warnings)
{
    Request& r = f.request;
    r.host = bytes(e.value("host"));
    if (r.host.isEmpty())
        return false;
    r.scheme = bytes(e.value("scheme")).toLower();
    if (r.scheme.isEmpty())
        r.scheme = "http";
    r.port = portFrom(e.value("actualPort"));
    if (r.port == 0)
        r.port = portFrom(e.value("port"));
    if (r.port == 0)
        r.port = defaultPort(r.scheme);
    r.method = bytes(e.value("method"));
    r.httpVersion = normalizedVersion(e.value("protocolVersion").toString());
    const bool tunnel = e.value("tunnel").toBool();
    if (tunnel) {
        if (r.method.isEmpty())
            r.method = "CONNECT";
        r.path = r.host + ':' + QByteArray::number(r.port);
    } else {
        r.path = bytes(e.value("path"));
        if (r.path.isEmpty())
            r.path = "/";
        const QByteArray query = bytes(e.value("query"));
        if (!query.isEmpty())
            r.path += '?' + query;
    }
    if (r.method.isEmpty())
        r.method = "GET";

    const QJsonObject times = e.value("times").toObject();
    const double start = timeFrom(times.value("start"));
    r.timestampStart = timeFrom(times.value("requestBegin"));
    if (r.timestampStart == 0)
        r.timestampStart = start;
    r.timestampEnd = qMax(r.timestampStart, timeFrom(times.value("requestComplete")));

    const QJsonObject request = e.value("request").toObject();
    r.headers = headersFrom(request, &r.authority);
    r.body = bodyFrom(request, r.headers, warnings, where + QStringLiteral(" request"));

    // Connections: what Charles tells of them.
    f.client.role = Connection::Role::Client;
    f.client.peer.host = hostFromAddress(e.value("clientAddress").toString());
    f.client.peer.port = portFrom(e.value("clientPort"));
    f.client.timestampStart = start;
    f.server.role = Connection::Role::Server;
    f.server.peer.host = hostFromAddress(e.value("remoteAddress").toString());
    if (f.server.peer.host.isEmpty())
        f.server.peer.host = r.host;
    f.server.peer.port = r.port;
    f.server.tls = r.scheme == "https" && !tunnel;
    const QJsonObject ssl = e.value("ssl").toObject();
    f.server.tlsVersion = bytes(ssl.value("protocol"));
    f.server.cipher = bytes(ssl.value("cipherSuite"));
    f.server.tlsEstablished = f.server.tls && !f.server.tlsVersion.isEmpty();
    f.server.alpn = bytes(e.value("alpn").toObject().value("protocol"));
    f.server.sni = f.server.tls ? r.host : QByteArray();
    const QJsonObject durations = e.value("durations").toObject();
    const double connect = duration(durations, "connect");
    if (start > 0 && connect > 0) {
        f.server.timestampStart = start + duration(durations, "dns");
        f.server.timestampTcpSetup = f.server.timestampStart + connect;
        const double handshake = duration(durations, "ssl");
        if (handshake > 0)
            f.server.timestampTlsSetup = f.server.timestampTcpSetup + handshake;
    }

    const QJsonObject response = e.value("response").toObject();
    const int status = response.value("status").toInt(0);
    if (status > 0 && status <= 999) {
        Response s;
        s.statusCode = status;
        s.httpVersion = r.httpVersion;
        s.reason = reasonFrom(response);
        s.headers = headersFrom(response, nullptr);
        s.body = bodyFrom(response, s.headers, warnings, where + QStringLiteral(" response"));
        s.timestampStart = qMax(r.timestampEnd, timeFrom(times.value("responseBegin")));
        s.timestampEnd = qMax(s.timestampStart, timeFrom(times.value("end")));
        f.response = std::move(s);
    }
    const QString state = e.value("status").toString();
    const QString message = e.value("errorMessage").toString();
    if (!message.isEmpty() || state == QLatin1String("FAILED") ||
        state == QLatin1String("EXCEPTION")) {
        f.error = FlowError{message.isEmpty() ? state : message, timeFrom(times.value("end"))};
    }
    if (e.value("webSocket").toBool() && !e.value("messages").toArray().isEmpty())
        warnings.append(QStringLiteral("%1: WebSocket messages are not imported").arg(where));
    const QString notes = e.value("notes").toString();
    if (!notes.isEmpty())
        f.comment = notes;
    f.id = newFlowId();
    f.live = false;
    return true;
}

} // namespace

CharlesReader::Result CharlesReader::read(const QString& path)
{
    QByteArray data;
    if (QString err = JsonFile::read(path, &data); !err.isEmpty()) {
        Result r;
        r.error = std::move(err);
        return r;
    }
    return parse(data, path);
}

CharlesReader::Result CharlesReader::parse(const QByteArray& json, const QString& name)
{
    Result r;
    const QString file = QDir::toNativeSeparators(name);
    QJsonDocument doc;
    if (r.error = JsonFile::parse(json, name, &doc); !r.error.isEmpty())
        return r;
    if (!doc.isArray()) {
        r.error = QStringLiteral("%1: not a Charles JSON session (expected an array of requests)")
                      .arg(file);
        return r;
    }
    const QJsonArray entries = doc.array();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QString where = QStringLiteral("%1: entry %2").arg(file).arg(i);
        if (!entries[i].isObject()) {
            r.warnings.append(where + QStringLiteral(" is not an object; skipped"));
            continue;
        }
        HttpFlow f;
        if (!entryFrom(entries[i].toObject(), where, f, r.warnings)) {
            r.warnings.append(where + QStringLiteral(" has no host; skipped"));
            continue;
        }
        r.flows.append(std::move(f));
    }
    return r;
}

} // namespace spyglass
