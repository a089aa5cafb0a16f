#include "io/charles_writer.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStringDecoder>
#include <cmath>

namespace spyglass {

namespace {

QString text(const QByteArray& b)
{
    return QString::fromUtf8(b);
}

QJsonValue timeValue(double t)
{
    if (t <= 0)
        return QJsonValue::Null;
    // Charles spells UTC as an offset: "2023-11-14T22:13:20.250+00:00".
    QString iso = QDateTime::fromMSecsSinceEpoch(qint64(std::llround(t * 1000)), Qt::UTC)
                      .toString(Qt::ISODateWithMs);
    if (iso.endsWith(QLatin1Char('Z'))) {
        iso.chop(1);
        iso += QStringLiteral("+00:00");
    }
    return iso;
}

// Milliseconds from `from` to `to`, -1 when either is unknown or the order is wrong.
qint64 millis(double from, double to)
{
    if (from <= 0 || to <= 0 || to < from)
        return -1;
    return std::llround((to - from) * 1000);
}

qint64 speed(qint64 bytes, qint64 ms)
{
    return ms > 0 ? qint64(double(bytes) * 1000 / double(ms)) : 0;
}

bool isUtf8Text(const QByteArray& b)
{
    if (b.contains('\0'))
        return false;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    (void)decoder.decode(b);
    return !decoder.hasError();
}

qint64 headerSize(const QByteArray& firstLine, const Headers& headers)
{
    qint64 n = firstLine.size() + 2;
    for (const auto& [name, value] : headers.fields())
        n += name.size() + 2 + value.size() + 2;
    return n + 2;
}

// "text/html; charset=UTF-8" -> ("text/html", "UTF-8")
std::pair<QString, QString> contentType(const Headers& headers)
{
    const QByteArray type = headers.value("content-type");
    const QList<QByteArray> parts = type.split(';');
    QString charset;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QByteArray p = parts[i].trimmed();
        if (p.toLower().startsWith("charset="))
            charset = text(p.mid(8)).remove(QLatin1Char('"'));
    }
    return {text(parts.value(0).trimmed()), charset};
}

QJsonObject message(const QByteArray& firstLine, const Headers& headers, const BodyInfo& body,
                    const QByteArray& authority)
{
    QJsonArray fields;
    if (!authority.isEmpty())
        fields.append(QJsonObject{{"name", ":authority"}, {"value", text(authority)}});
    for (const auto& [name, value] : headers.fields())
        fields.append(QJsonObject{{"name", text(name)}, {"value", text(value)}});
    const qint64 head = headerSize(firstLine, headers);
    QJsonObject m{
        {"sizes", QJsonObject{{"headers", head}, {"body", body.size}}},
        {"header", QJsonObject{{"firstLine", text(firstLine)}, {"headers", fields}}},
    };
    const auto [mime, charset] = contentType(headers);
    m["mimeType"] = mime.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(mime);
    m["charset"] = charset.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(charset);
    const QByteArray coding = headers.joined("content-encoding");
    m["contentEncoding"] = coding.isEmpty() ? QJsonValue(QJsonValue::Null) : text(coding);
    if (body.streamed)
        return m; // only the size is known
    if (coding.isEmpty() && isUtf8Text(body.content)) {
        QJsonObject b{{"text", text(body.content)}};
        if (!charset.isEmpty())
            b["charset"] = charset;
        m["body"] = b;
    } else {
        m["body"] = QJsonObject{{"encoding", "base64"},
                                {"encoded", QString::fromLatin1(body.content.toBase64())}};
    }
    return m;
}

QString fileError(const QString& path, const QString& message)
{
    return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), message);
}

} // namespace

bool CharlesWriter::canWrite(const HttpFlow& flow)
{
    return flow.kind == FlowKind::Http;
}

QJsonObject CharlesWriter::entry(const HttpFlow& f)
{
    const Request& r = f.request;
    const bool tunnel = r.isConnect();
    const bool h2 = r.httpVersion.startsWith("HTTP/2");
    QJsonObject e;
    e["status"] = f.error      ? QStringLiteral("FAILED")
                  : f.response ? QStringLiteral("COMPLETE")
                               : QStringLiteral("INCOMPLETE");
    e["method"] = text(r.method);
    e["protocolVersion"] = text(r.httpVersion);
    e["scheme"] = text(r.scheme.isEmpty() ? QByteArray("http") : r.scheme);
    e["host"] = text(r.host);
    e["port"] = r.port;
    e["actualPort"] = r.port;
    if (tunnel) {
        e["path"] = QJsonValue::Null;
        e["query"] = QJsonValue::Null;
    } else {
        const qsizetype q = r.path.indexOf('?');
        e["path"] = text(q < 0 ? r.path : r.path.left(q));
        e["query"] = q < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(text(r.path.mid(q + 1)));
    }
    e["tunnel"] = tunnel;
    e["keptAlive"] = false;
    e["webSocket"] = bool(f.websocket);
    const Connection& s = f.server;
    const QByteArray remoteName = s.peer.host.isEmpty() ? r.host : s.peer.host;
    e["remoteAddress"] = s.peername.isValid()   ? text(remoteName + '/' + s.peername.host)
                         : remoteName.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                : QJsonValue(text(remoteName));
    if (!f.client.peer.host.isEmpty()) {
        e["clientAddress"] = text('/' + f.client.peer.host);
        e["clientPort"] = f.client.peer.port;
    }

    const double start = f.client.timestampStart > 0 ? f.client.timestampStart : r.timestampStart;
    const double responseStart = f.response ? f.response->timestampStart : 0;
    const double end = f.response && f.response->timestampEnd > 0 ? f.response->timestampEnd
                       : f.error                                  ? f.error->timestamp
                                                                  : r.timestampEnd;
    e["times"] = QJsonObject{{"start", timeValue(start)},
                             {"requestBegin", timeValue(r.timestampStart)},
                             {"requestComplete", timeValue(r.timestampEnd)},
                             {"responseBegin", timeValue(responseStart)},
                             {"end", timeValue(end)}};
    const qint64 dns = millis(start, s.timestampStart);
    const qint64 connect = millis(s.timestampStart, s.timestampTcpSetup);
    const qint64 ssl = millis(s.timestampTcpSetup, s.timestampTlsSetup);
    const qint64 requestMs = millis(r.timestampStart, r.timestampEnd);
    const qint64 responseMs = f.response ? millis(responseStart, f.response->timestampEnd) : -1;
    const qint64 total = millis(start, end);
    // Only a connection made for this exchange has its set-up in the durations.
    const bool opened = connect >= 0;
    e["durations"] =
        QJsonObject{{"total", total},        {"dns", opened ? dns : -1},
                    {"connect", connect},    {"ssl", opened ? ssl : -1},
                    {"request", requestMs},  {"latency", millis(r.timestampEnd, responseStart)},
                    {"response", responseMs}};
    const qint64 requestBytes = r.body.size;
    const qint64 responseBytes = f.response ? f.response->body.size : 0;
    e["speeds"] = QJsonObject{{"overall", speed(requestBytes + responseBytes, total)},
                              {"request", speed(requestBytes, requestMs)},
                              {"response", speed(responseBytes, responseMs)}};
    if (s.tls && !tunnel)
        e["ssl"] = QJsonObject{{"protocol", text(s.tlsVersion)}, {"cipherSuite", text(s.cipher)}};
    if (!s.alpn.isEmpty())
        e["alpn"] = QJsonObject{{"protocol", text(s.alpn)}};
    if (f.error)
        e["errorMessage"] = f.error->message;
    if (!f.comment.isEmpty())
        e["notes"] = f.comment;

    const QByteArray target = tunnel ? r.host + ':' + QByteArray::number(r.port) : r.path;
    const QByteArray requestLine = r.method + ' ' + target + ' ' + r.httpVersion;
    QJsonObject request = message(requestLine, r.headers, r.body, h2 ? r.authority : QByteArray());
    qint64 totalSize = request["sizes"].toObject()["headers"].toInteger() + requestBytes;
    e["request"] = request;
    if (f.response) {
        const Response& p = *f.response;
        QByteArray statusLine = p.httpVersion + ' ' + QByteArray::number(p.statusCode);
        if (!p.reason.isEmpty())
            statusLine += ' ' + p.reason;
        QJsonObject response = message(statusLine, p.headers, p.body, QByteArray());
        response["status"] = p.statusCode;
        totalSize += response["sizes"].toObject()["headers"].toInteger() + responseBytes;
        e["response"] = response;
    } else {
        e["response"] = QJsonValue::Null;
    }
    e["totalSize"] = totalSize;
    return e;
}

QByteArray CharlesWriter::toJson(const QList<HttpFlow>& flows)
{
    QJsonArray all;
    for (const HttpFlow& f : flows) {
        if (canWrite(f))
            all.append(entry(f));
    }
    return QJsonDocument(all).toJson(QJsonDocument::Indented);
}

QString CharlesWriter::write(const QString& path, qsizetype count, const FlowAt& flowAt)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fileError(path, file.errorString());
    // One entry in memory at a time: the array is written element by element.
    bool first = true;
    file.write("[\n");
    for (qsizetype i = 0; i < count; ++i) {
        const FlowSnapshot f = flowAt(i);
        if (!f || !canWrite(*f))
            continue;
        QByteArray one = QJsonDocument(entry(*f)).toJson(QJsonDocument::Indented);
        one.chop(1); // the document's final newline
        if (!first)
            file.write(",\n");
        first = false;
        if (file.write(one) != one.size()) {
            const QString err = fileError(path, file.errorString());
            file.cancelWriting();
            return err;
        }
    }
    file.write("\n]\n");
    if (!file.commit())
        return fileError(path, file.errorString());
    return {};
}

QString CharlesWriter::write(const QString& path, const QList<HttpFlow>& flows)
{
    return write(path, flows.size(), [&flows](qsizetype i) {
        // Aliasing, not copying: the list outlives the call.
        return FlowSnapshot(FlowSnapshot(), &flows[i]);
    });
}

QString CharlesWriter::write(const QString& path, const QList<FlowSnapshot>& flows)
{
    return write(path, flows.size(), [&flows](qsizetype i) { return flows[i]; });
}

} // namespace spyglass
