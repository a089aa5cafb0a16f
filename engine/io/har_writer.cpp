#include "io/har_writer.h"

#include "io/content_coding.h"

#include <QBuffer>
#include <QDateTime>
#include <QDir>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStringDecoder>
#include <cmath>

#ifndef SPYGLASS_VERSION
#define SPYGLASS_VERSION "0.0.0"
#endif

namespace spyglass {

namespace {

// Bodies above this are not decoded for export (a gzip bomb would otherwise fill memory).
constexpr qint64 maxDecodedSize = 512LL * 1024 * 1024;

std::optional<QString> utf8(QByteArrayView b)
{
    QStringDecoder dec(QStringDecoder::Utf8,
                       QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    QString s = dec(b);
    if (dec.hasError())
        return std::nullopt;
    return s;
}

// Header names and values, URLs: UTF-8 when valid, else Latin-1 (every byte kept).
QString text(QByteArrayView b)
{
    if (std::optional<QString> s = utf8(b))
        return *s;
    return QString::fromLatin1(b);
}

// A body as HAR text: valid UTF-8 without NUL, else nothing (the caller writes base64).
std::optional<QString> bodyText(QByteArrayView b)
{
    if (b.contains('\0'))
        return std::nullopt;
    return utf8(b);
}

QString isoTime(double seconds)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(seconds * 1000)), Qt::UTC)
        .toString(Qt::ISODateWithMs);
}

// Milliseconds from a to b with microsecond precision; 0 when either is missing or b < a.
double ms(double a, double b)
{
    if (a <= 0 || b <= 0 || b < a)
        return 0;
    return std::round((b - a) * 1e6) / 1e3;
}

QJsonArray nameValues(const QList<std::pair<QString, QString>>& pairs)
{
    QJsonArray out;
    for (const auto& [n, v] : pairs)
        out.append(QJsonObject{{"name", n}, {"value", v}});
    return out;
}

QJsonArray headersJson(const Headers& h)
{
    QJsonArray out;
    for (const auto& [n, v] : h.fields())
        out.append(QJsonObject{{"name", text(n)}, {"value", text(v)}});
    return out;
}

// "a=1&b=x+y" -> [(a, 1), (b, x y)], percent-decoded.
QList<std::pair<QString, QString>> formPairs(QByteArrayView query)
{
    QList<std::pair<QString, QString>> out;
    for (const QByteArray& part : query.toByteArray().split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        QByteArray n = eq < 0 ? part : part.left(eq);
        QByteArray v = eq < 0 ? QByteArray() : part.mid(eq + 1);
        out.append({text(QByteArray::fromPercentEncoding(n.replace('+', ' '))),
                    text(QByteArray::fromPercentEncoding(v.replace('+', ' ')))});
    }
    return out;
}

qint64 headersSize(const QByteArray& version, const QByteArray& firstLine, const Headers& h)
{
    if (!version.startsWith("HTTP/1"))
        return -1; // HTTP/2 and 3 compress headers: there is no meaningful byte count
    qint64 n = firstLine.size() + 2;
    for (const auto& [name, value] : h.fields())
        n += name.size() + 2 + value.size() + 2;
    return n + 2;
}

// RFC 6265 5.1.1: the lenient cookie date parser browsers use. Seconds since the epoch.
std::optional<double> parseCookieDate(QByteArrayView value)
{
    static const char* months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                   "jul", "aug", "sep", "oct", "nov", "dec"};
    auto isDelimiter = [](char c) {
        const uchar u = uchar(c);
        return u == 0x09 || (u >= 0x20 && u <= 0x2F) || (u >= 0x3B && u <= 0x40) ||
               (u >= 0x5B && u <= 0x60) || (u >= 0x7B && u <= 0x7E);
    };
    int hour = -1, minute = -1, second = -1, day = -1, month = -1, year = -1;
    qsizetype i = 0;
    while (i < value.size()) {
        while (i < value.size() && isDelimiter(value[i]))
            ++i;
        const qsizetype start = i;
        while (i < value.size() && !isDelimiter(value[i]))
            ++i;
        const QByteArray tok = value.sliced(start, i - start).toByteArray();
        if (tok.isEmpty())
            continue;
        const bool digits =
            std::all_of(tok.begin(), tok.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (hour < 0 && tok.count(':') == 2) {
            const QList<QByteArray> p = tok.split(':');
            bool a, b, c;
            const int h = p[0].toInt(&a), m = p[1].toInt(&b), s = p[2].left(2).toInt(&c);
            if (a && b && c) {
                hour = h, minute = m, second = s;
                continue;
            }
        }
        if (day < 0 && digits && tok.size() <= 2) {
            day = tok.toInt();
        } else if (month < 0 && tok.size() >= 3) {
            const QByteArray m = tok.left(3).toLower();
            for (int k = 0; k < 12; ++k)
                if (m == months[k])
                    month = k + 1;
            if (month < 0 && year < 0 && digits && tok.size() <= 4)
                year = tok.toInt();
        } else if (year < 0 && digits && tok.size() <= 4) {
            year = tok.toInt();
        }
    }
    if (year >= 70 && year <= 99)
        year += 1900;
    else if (year >= 0 && year <= 69)
        year += 2000;
    if (hour < 0 || day < 1 || month < 0 || year < 1601 || hour > 23 || minute > 59 || second > 59)
        return std::nullopt;
    const QDateTime dt(QDate(year, month, day), QTime(hour, minute, second), Qt::UTC);
    if (!dt.isValid())
        return std::nullopt;
    return double(dt.toSecsSinceEpoch());
}

QJsonArray requestCookies(const Headers& h)
{
    QJsonArray out;
    for (const QByteArray& header : h.values("cookie")) {
        for (const QByteArray& part : header.split(';')) {
            const QByteArray c = part.trimmed();
            if (c.isEmpty())
                continue;
            const qsizetype eq = c.indexOf('=');
            out.append(QJsonObject{{"name", text(eq < 0 ? QByteArray() : c.left(eq).trimmed())},
                                   {"value", text(eq < 0 ? c : c.mid(eq + 1).trimmed())}});
        }
    }
    return out;
}

// Set-Cookie fields as HAR cookie objects. `now` turns Max-Age into an expiry time.
QJsonArray responseCookies(const Headers& h, double now)
{
    QJsonArray out;
    for (const QByteArray& header : h.values("set-cookie")) {
        const QList<QByteArray> parts = header.split(';');
        const QByteArray pair = parts.first().trimmed();
        const qsizetype eq = pair.indexOf('=');
        QJsonObject c{{"name", text(eq < 0 ? QByteArray() : pair.left(eq).trimmed())},
                      {"value", text(eq < 0 ? pair : pair.mid(eq + 1).trimmed())},
                      {"httpOnly", false},
                      {"secure", false}};
        std::optional<double> expires, maxAge;
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const QByteArray attr = parts[i].trimmed();
            const qsizetype e = attr.indexOf('=');
            const QByteArray key = (e < 0 ? attr : attr.left(e)).trimmed().toLower();
            const QByteArray val = e < 0 ? QByteArray() : attr.mid(e + 1).trimmed();
            if (key == "path")
                c["path"] = text(val);
            else if (key == "domain")
                c["domain"] = text(val);
            else if (key == "httponly")
                c["httpOnly"] = true;
            else if (key == "secure")
                c["secure"] = true;
            else if (key == "samesite")
                c["sameSite"] = text(val);
            else if (key == "expires")
                expires = parseCookieDate(val);
            else if (key == "max-age") {
                bool ok = false;
                const qint64 s = val.toLongLong(&ok);
                if (ok)
                    maxAge = now + double(s);
            }
        }
        if (maxAge) // Max-Age wins over Expires (RFC 6265 5.3 step 3)
            c["expires"] = isoTime(*maxAge);
        else if (expires)
            c["expires"] = isoTime(*expires);
        out.append(c);
    }
    return out;
}

// Sets text (or base64 text with `encodingKey`) for a body.
void putBody(QJsonObject& o, QByteArrayView data, const char* encodingKey)
{
    if (std::optional<QString> t = bodyText(data)) {
        o["text"] = *t;
    } else {
        o["text"] = QString::fromLatin1(data.toByteArray().toBase64());
        o[QLatin1String(encodingKey)] = "base64";
    }
}

QString truncatedComment(const BodyInfo& b)
{
    return QStringLiteral("truncated: %1 of %2 bytes were recorded (the body was streamed)")
        .arg(b.content.size())
        .arg(b.size);
}

QJsonObject requestJson(const Request& r)
{
    QJsonObject o;
    o["method"] = text(r.method);
    o["url"] = text(r.url());
    o["httpVersion"] = text(r.httpVersion);
    o["cookies"] = requestCookies(r.headers);
    o["headers"] = headersJson(r.headers);
    const qsizetype q = r.path.indexOf('?');
    o["queryString"] = nameValues(q < 0 ? QList<std::pair<QString, QString>>()
                                        : formPairs(QByteArrayView(r.path).sliced(q + 1)));
    const QByteArray target = r.isConnect() ? Address{r.host, r.port}.toString() : r.path;
    o["headersSize"] =
        headersSize(r.httpVersion, r.method + ' ' + target + ' ' + r.httpVersion, r.headers);
    o["bodySize"] = r.body.size;
    if (!r.body.content.isEmpty() || r.body.size > 0) {
        const QByteArray type = r.headers.value("content-type");
        QJsonObject post{{"mimeType", text(type)}};
        putBody(post, r.body.content, "_encoding");
        if (type.trimmed().toLower().startsWith("application/x-www-form-urlencoded"))
            post["params"] = nameValues(formPairs(r.body.content));
        if (r.body.streamed) {
            post["_truncated"] = true;
            post["comment"] = truncatedComment(r.body);
        }
        o["postData"] = post;
    }
    return o;
}

QJsonObject contentJson(const Response& r)
{
    const BodyInfo& b = r.body;
    const QByteArray type = r.headers.value("content-type");
    QJsonObject c{{"mimeType", type.isEmpty() ? QStringLiteral("x-unknown") : text(type)}};
    const QByteArray codingHeader = r.headers.joined("content-encoding");
    const QList<QByteArray> codings = ContentCoding::parse(codingHeader);

    QByteArray data = b.content;
    qint64 size = b.streamed ? b.size : b.content.size();
    bool stillEncoded = false;
    if (!codings.isEmpty() && !b.content.isEmpty()) {
        std::optional<QByteArray> decoded;
        if (!b.streamed)
            decoded = ContentCoding::decode(codings, b.content, maxDecodedSize);
        if (decoded) {
            data = std::move(*decoded);
            size = data.size();
            c["compression"] = size - b.size;
        } else {
            stillEncoded = true;
            c["_contentEncoding"] = text(codingHeader);
        }
    }
    c["size"] = size;
    if (!data.isEmpty())
        putBody(c, data, "encoding");

    QStringList comments;
    if (b.streamed) {
        c["_truncated"] = true;
        comments << truncatedComment(b);
    }
    if (stillEncoded)
        comments << QStringLiteral("text is still %1-encoded: it could not be decoded")
                        .arg(text(codingHeader));
    if (!comments.isEmpty())
        c["comment"] = comments.join(QStringLiteral("; "));
    return c;
}

QJsonObject responseJson(const HttpFlow& f)
{
    QJsonObject o;
    if (!f.response) {
        // Chrome's shape for a request that got no response.
        o["status"] = 0;
        o["statusText"] = "";
        o["httpVersion"] = "";
        o["cookies"] = QJsonArray();
        o["headers"] = QJsonArray();
        o["content"] = QJsonObject{{"size", 0}, {"mimeType", "x-unknown"}};
        o["redirectURL"] = "";
        o["headersSize"] = -1;
        o["bodySize"] = -1;
    } else {
        const Response& r = *f.response;
        o["status"] = r.statusCode;
        o["statusText"] = text(r.reason);
        o["httpVersion"] = text(r.httpVersion);
        o["cookies"] = responseCookies(r.headers, r.timestampStart > 0 ? r.timestampStart
                                                                       : f.request.timestampStart);
        o["headers"] = headersJson(r.headers);
        o["content"] = contentJson(r);
        o["redirectURL"] = text(r.headers.value("location"));
        o["headersSize"] = headersSize(
            r.httpVersion, r.httpVersion + ' ' + QByteArray::number(r.statusCode) + ' ' + r.reason,
            r.headers);
        o["bodySize"] = r.body.size;
    }
    if (f.error)
        o["_error"] = f.error->message;
    return o;
}

QJsonObject timingsJson(const HttpFlow& f, bool opensConnection, double* total)
{
    double blocked = -1, connect = -1, ssl = -1;
    const Request& rq = f.request;
    const Connection& s = f.server;
    const double send = ms(rq.timestampStart, rq.timestampEnd);
    double waitFrom = rq.timestampEnd;
    double waitUntil = 0;
    if (f.response)
        waitUntil = f.response->timestampStart;
    else if (f.error)
        waitUntil = f.error->timestamp;
    if (opensConnection && s.timestampStart > 0 && s.timestampTcpSetup > 0) {
        const bool tls = s.timestampTlsSetup > 0;
        const double ready = tls ? s.timestampTlsSetup : s.timestampTcpSetup;
        connect = ms(s.timestampStart, ready);
        if (tls)
            ssl = ms(s.timestampTcpSetup, s.timestampTlsSetup);
        // Opened after the request was in (connection_strategy=lazy) and ready before the
        // answer: the connect is its own phase after `blocked`, and waiting for the server
        // begins when the connection is ready. Otherwise (opened before the request, eager)
        // blocked stays -1 and wait counts from the request's end; HarReader tells the two
        // apart by that -1.
        if (rq.timestampEnd > 0 && s.timestampStart >= rq.timestampEnd &&
            (waitUntil <= 0 || ready <= waitUntil)) {
            blocked = ms(rq.timestampEnd, s.timestampStart);
            waitFrom = ready;
        }
    }
    const double wait = ms(waitFrom, waitUntil);
    const double receive =
        f.response ? ms(f.response->timestampStart, f.response->timestampEnd) : 0;
    *total = 0;
    for (double v : {blocked, connect, send, wait, receive})
        if (v > 0)
            *total += v;
    *total = std::round(*total * 1e3) / 1e3;
    return QJsonObject{{"blocked", blocked}, {"dns", -1},    {"connect", connect}, {"ssl", ssl},
                       {"send", send},       {"wait", wait}, {"receive", receive}};
}

bool isIpLiteral(const QByteArray& host)
{
    if (host.contains(':'))
        return true;
    if (host.count('.') != 3)
        return false;
    return std::all_of(host.begin(), host.end(),
                       [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
}

QList<const HttpFlow*> pointers(const QList<HttpFlow>& flows)
{
    QList<const HttpFlow*> out;
    out.reserve(flows.size());
    for (const HttpFlow& f : flows)
        out.append(&f);
    return out;
}

QList<const HttpFlow*> pointers(const QList<FlowSnapshot>& flows)
{
    QList<const HttpFlow*> out;
    out.reserve(flows.size());
    for (const FlowSnapshot& f : flows)
        if (f)
            out.append(f.get());
    return out;
}

// Chrome's `_webSocketMessages`: text as text, binary as base64; `time` in seconds.
QJsonArray webSocketMessagesJson(const WebSocketData& ws)
{
    QJsonArray out;
    for (const WebSocketMessage& m : ws.messages) {
        QJsonObject o{
            {"type", m.fromClient ? "send" : "receive"},
            {"time", m.timestamp},
            {"opcode", m.isText ? 1 : 2},
            {"data", m.isText ? text(m.content) : QString::fromLatin1(m.content.toBase64())}};
        if (m.injected)
            o["_injected"] = true;
        if (m.dropped)
            o["_dropped"] = true;
        out.append(o);
    }
    return out;
}

QJsonObject webSocketCloseJson(const WebSocketData& ws)
{
    QJsonObject o{{"closedByClient", ws.closedByClient}, {"reason", ws.closeReason}};
    if (ws.closeCode)
        o["code"] = *ws.closeCode;
    if (ws.timestampEnd > 0)
        o["time"] = ws.timestampEnd;
    return o;
}

} // namespace

QJsonObject HarWriter::entry(const HttpFlow& f, bool opensConnection)
{
    QJsonObject e;
    double total = 0;
    e["timings"] = timingsJson(f, opensConnection, &total);
    e["startedDateTime"] = isoTime(f.request.timestampStart);
    e["time"] = total;
    e["request"] = requestJson(f.request);
    e["response"] = responseJson(f);
    e["cache"] = QJsonObject();
    if (f.server.peername.isValid())
        e["serverIPAddress"] = QString::fromLatin1(f.server.peername.host);
    else if (isIpLiteral(f.server.peer.host))
        e["serverIPAddress"] = QString::fromLatin1(f.server.peer.host);
    if (f.server.id != 0)
        e["connection"] = QString::number(f.server.id);
    if (!f.comment.isEmpty())
        e["comment"] = f.comment;
    if (!f.marked.isEmpty())
        e["_marked"] = f.marked;
    if (f.websocket) {
        e["_resourceType"] = "websocket";
        e["_webSocketMessages"] = webSocketMessagesJson(*f.websocket);
        if (f.websocket->closeCode || f.websocket->timestampEnd > 0)
            e["_webSocketClose"] = webSocketCloseJson(*f.websocket);
    }
    return e;
}

void HarWriter::writeTo(QIODevice& out, const QList<const HttpFlow*>& flows)
{
    // Non-owning snapshots of flows that outlive the call.
    writeTo(out, flows.size(),
            [&flows](qsizetype i) { return FlowSnapshot(FlowSnapshot(), flows[i]); });
}

void HarWriter::writeTo(QIODevice& out, qsizetype count, const FlowAt& flowAt)
{
    // The first flow of each server connection (by start time) is the one that opened it.
    struct Opener
    {
        qsizetype index;
        double start;
    };
    QHash<quint64, Opener> opener;
    for (qsizetype i = 0; i < count; ++i) {
        const FlowSnapshot f = flowAt(i);
        if (f->kind == FlowKind::Tcp)
            continue;
        const quint64 id = f->server.id;
        if (id == 0)
            continue;
        const auto it = opener.find(id);
        if (it == opener.end())
            opener.insert(id, {i, f->request.timestampStart});
        else if (f->request.timestampStart < it->start)
            *it = {i, f->request.timestampStart};
    }

    // Written piece by piece (one entry in memory at a time), indented as a whole document.
    auto indented = [](const QJsonObject& o, int depth) {
        QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Indented);
        json.chop(1); // the trailing newline
        return json.replace("\n", "\n" + QByteArray(depth * 4, ' '));
    };
    const QJsonObject creator{{"name", "Spyglass"}, {"version", SPYGLASS_VERSION}};
    out.write("{\n    \"log\": {\n        \"version\": \"1.2\",\n        \"creator\": ");
    out.write(indented(creator, 2));
    out.write(",\n        \"pages\": [\n        ],\n        \"entries\": [");
    bool first = true;
    for (qsizetype i = 0; i < count; ++i) {
        const FlowSnapshot f = flowAt(i);
        // HAR describes HTTP exchanges only: raw TCP flows have no place in it and are left
        // out (a session file keeps them).
        if (f->kind == FlowKind::Tcp)
            continue;
        const bool opens = f->server.id != 0 && opener.value(f->server.id).index == i;
        out.write(first ? "\n            " : ",\n            ");
        first = false;
        out.write(indented(entry(*f, opens), 3));
    }
    out.write("\n        ]\n    }\n}\n");
}

QByteArray HarWriter::toHar(const QList<HttpFlow>& flows)
{
    QBuffer buf;
    buf.open(QIODevice::WriteOnly);
    writeTo(buf, pointers(flows));
    return buf.data();
}

QByteArray HarWriter::toHar(const QList<FlowSnapshot>& flows)
{
    QBuffer buf;
    buf.open(QIODevice::WriteOnly);
    writeTo(buf, pointers(flows));
    return buf.data();
}

QString HarWriter::writeFile(const QString& path, const QList<const HttpFlow*>& flows)
{
    return write(path, flows.size(),
                 [&flows](qsizetype i) { return FlowSnapshot(FlowSnapshot(), flows[i]); });
}

QString HarWriter::write(const QString& path, qsizetype count, const FlowAt& flowAt)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    writeTo(file, count, flowAt);
    if (!file.commit())
        return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    return {};
}

QString HarWriter::write(const QString& path, const QList<HttpFlow>& flows)
{
    return writeFile(path, pointers(flows));
}

QString HarWriter::write(const QString& path, const QList<FlowSnapshot>& flows)
{
    return writeFile(path, pointers(flows));
}

} // namespace spyglass
