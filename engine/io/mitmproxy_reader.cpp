#include "io/mitmproxy_reader.h"

#include "io/tnetstring.h"

#include <QFile>
#include <QHash>
#include <QUuid>
#include <algorithm>
#include <cmath>

namespace spyglass {

namespace {

using Type = TnetValue::Type;

const TnetValue& nullValue()
{
    static const TnetValue v;
    return v;
}

// Member `key` of a dictionary, or a null value: a missing field reads as null.
const TnetValue& at(const TnetValue& dict, QByteArrayView key)
{
    const TnetValue* v = dict.get(key);
    return v ? *v : nullValue();
}

// The first of `keys` that is present and not null.
const TnetValue& firstOf(const TnetValue& dict, std::initializer_list<QByteArrayView> keys)
{
    for (QByteArrayView k : keys) {
        const TnetValue& v = at(dict, k);
        if (!v.isNull())
            return v;
    }
    return nullValue();
}

double timestamp(const TnetValue& dict, QByteArrayView key)
{
    const double t = at(dict, key).toDouble(0);
    return std::isfinite(t) && t > 0 ? t : 0;
}

quint16 portFrom(const TnetValue& v)
{
    const qint64 p = v.toInteger(0);
    return p > 0 && p <= 65535 ? quint16(p) : 0;
}

// (host, port) or (host, port, flowinfo, scope_id) as mitmproxy stores socket addresses.
Address addressFrom(const TnetValue& v)
{
    Address a;
    if (!v.isList() || v.items.size() < 2)
        return a;
    a.host = v.items[0].toBytes();
    if (a.host.startsWith('[') && a.host.endsWith(']'))
        a.host = a.host.mid(1, a.host.size() - 2);
    a.port = portFrom(v.items[1]);
    return a;
}

Headers headersFrom(const TnetValue& v)
{
    Headers h;
    if (!v.isList())
        return h;
    for (const TnetValue& field : v.items) {
        if (field.isList() && field.items.size() >= 2 && field.items[0].isString())
            h.add(field.items[0].bytes, field.items[1].toBytes());
    }
    return h;
}

// A PEM certificate (mitmproxy's Certificate state) as DER; empty if it is not one.
QByteArray derFromPem(const QByteArray& pem)
{
    const qsizetype begin = pem.indexOf("-----BEGIN");
    if (begin < 0)
        return {};
    const qsizetype bodyStart = pem.indexOf('\n', begin);
    const qsizetype bodyEnd = pem.indexOf("-----END", begin);
    if (bodyStart < 0 || bodyEnd < bodyStart)
        return {};
    QByteArray base64 = pem.mid(bodyStart, bodyEnd - bodyStart);
    base64.removeIf([](char c) { return c == '\n' || c == '\r' || c == ' ' || c == '\t'; });
    auto r = QByteArray::fromBase64Encoding(base64, QByteArray::AbortOnBase64DecodingErrors);
    return r ? std::move(*r) : QByteArray();
}

BodyInfo bodyFrom(const TnetValue& content, const Headers& headers)
{
    BodyInfo b;
    if (content.isNull()) {
        // mitmproxy keeps no content for a streamed body.
        bool ok = false;
        const qint64 length = headers.value("content-length").trimmed().toLongLong(&ok);
        b.streamed = ok && length > 0;
        b.size = b.streamed ? length : 0;
        return b;
    }
    b.content = content.toBytes();
    b.size = b.content.size();
    return b;
}

class Converter
{
public:
    Converter(const QString& name, MitmproxyReader::Result& result) : m_name(name), m_r(result) {}

    // One top-level dictionary at `offset`; false ends the reading with m_r.error set.
    bool take(const TnetValue& d, qint64 offset)
    {
        const TnetValue& version = at(d, "version");
        if (version.type != Type::Integer) {
            return fail(offset, QStringLiteral("a flow without a supported format version "
                                               "(mitmproxy before 5?); this reads versions "
                                               "%1 to %2")
                                    .arg(MitmproxyReader::MinVersion)
                                    .arg(MitmproxyReader::MaxVersion));
        }
        if (version.integer < MitmproxyReader::MinVersion ||
            version.integer > MitmproxyReader::MaxVersion) {
            return fail(offset, QStringLiteral("mitmproxy flow format version %1 is not "
                                               "supported (this reads versions %2 to %3)")
                                    .arg(version.integer)
                                    .arg(MitmproxyReader::MinVersion)
                                    .arg(MitmproxyReader::MaxVersion));
        }
        m_version = int(version.integer);
        const QByteArray type = at(d, "type").toBytes();
        if (type == "http")
            return takeHttp(d, offset);
        if (type == "tcp")
            return takeTcp(d);
        if (type == "websocket")
            return takeOldWebSocket(d, offset);
        warn(offset, QStringLiteral("a %1 flow was skipped (not supported)")
                         .arg(type.isEmpty() ? QStringLiteral("typeless")
                                             : QString::fromUtf8(type).left(40)));
        return true;
    }

private:
    bool fail(qint64 offset, const QString& message)
    {
        m_r.error = QStringLiteral("%1: %2 (at byte %3)").arg(m_name, message).arg(offset);
        return false;
    }

    void warn(qint64 offset, const QString& message)
    {
        m_r.warnings.append(QStringLiteral("%1: byte %2: %3").arg(m_name).arg(offset).arg(message));
    }

    quint64 connectionId(const TnetValue& conn)
    {
        const QByteArray key = at(conn, "id").toBytes();
        if (key.isEmpty())
            return ++m_lastConnectionId;
        auto it = m_connectionIds.constFind(key);
        if (it != m_connectionIds.constEnd())
            return *it;
        const quint64 id = ++m_lastConnectionId;
        m_connectionIds.insert(key, id);
        return id;
    }

    Connection connectionFrom(const TnetValue& c, Connection::Role role)
    {
        Connection conn(role);
        if (!c.isDict())
            return conn;
        conn.id = connectionId(c);
        if (role == Connection::Role::Client) {
            conn.peer = addressFrom(firstOf(c, {"peername", "address"}));
            conn.sockname = addressFrom(at(c, "sockname"));
        } else {
            // peername (19+) / ip_address: the IP the socket connected to; address: where
            // the flow went (the name that was dialled).
            conn.peername = addressFrom(firstOf(c, {"peername", "ip_address"}));
            conn.peer = conn.peername;
            if (!conn.peer.isValid())
                conn.peer = addressFrom(at(c, "address"));
            conn.sockname = addressFrom(firstOf(c, {"sockname", "source_address"}));
            const TnetValue& via = firstOf(c, {"via2", "via"});
            if (via.isList() && via.items.size() >= 2)
                conn.via = addressFrom(via.items[1]);
        }
        conn.error = QString::fromUtf8(at(c, "error").toBytes());
        conn.tlsEstablished = at(c, "tls_established").toBool();
        conn.tls = at(c, "tls").toBool(conn.tlsEstablished);
        conn.sni = at(c, "sni").toBytes();
        conn.alpn = firstOf(c, {"alpn", "alpn_proto_negotiated"}).toBytes();
        for (const TnetValue& offer : at(c, "alpn_offers").items)
            conn.alpnOffers.append(offer.toBytes());
        conn.tlsVersion = at(c, "tls_version").toBytes();
        conn.cipher = firstOf(c, {"cipher", "cipher_name"}).toBytes();
        for (const TnetValue& cert : at(c, "certificate_list").items) {
            const QByteArray der = derFromPem(cert.toBytes());
            if (!der.isEmpty())
                conn.certificateChainDer.append(der);
        }
        conn.timestampStart = timestamp(c, "timestamp_start");
        conn.timestampTcpSetup = timestamp(c, "timestamp_tcp_setup");
        conn.timestampTlsSetup = timestamp(c, "timestamp_tls_setup");
        conn.timestampEnd = timestamp(c, "timestamp_end");
        return conn;
    }

    void common(const TnetValue& d, HttpFlow& f)
    {
        const QUuid id = QUuid::fromString(QString::fromUtf8(at(d, "id").toBytes()));
        f.id = id.isNull() ? newFlowId() : id;
        f.client = connectionFrom(at(d, "client_conn"), Connection::Role::Client);
        f.server = connectionFrom(at(d, "server_conn"), Connection::Role::Server);
        const TnetValue& error = at(d, "error");
        if (error.isDict()) {
            f.error = FlowError{QString::fromUtf8(at(error, "msg").toBytes()),
                                timestamp(error, "timestamp")};
        }
        const TnetValue& marked = at(d, "marked");
        if (marked.type == Type::Boolean)
            f.marked = marked.boolean ? QStringLiteral(":default:") : QString();
        else
            f.marked = QString::fromUtf8(marked.toBytes());
        f.comment = QString::fromUtf8(at(d, "comment").toBytes());
        const QByteArray replay = at(d, "is_replay").toBytes();
        f.isReplay = replay == "request";
        f.isServerReplay = replay == "response";
        f.live = false;
        f.intercepted = false;
    }

    bool takeHttp(const TnetValue& d, qint64 offset)
    {
        const TnetValue& req = at(d, "request");
        if (!req.isDict()) {
            warn(offset, QStringLiteral("an HTTP flow without a request was skipped"));
            return true;
        }
        HttpFlow f;
        common(d, f);
        Request& r = f.request;
        r.method = at(req, "method").toBytes();
        r.scheme = at(req, "scheme").toBytes();
        r.host = at(req, "host").toBytes();
        r.port = portFrom(at(req, "port"));
        r.authority = at(req, "authority").toBytes();
        r.path = at(req, "path").toBytes();
        r.httpVersion = at(req, "http_version").toBytes();
        if (r.isConnect() && r.path.isEmpty()) {
            // mitmproxy keeps a CONNECT target in the authority; ours is the path.
            r.path =
                !r.authority.isEmpty() ? r.authority : r.host + ':' + QByteArray::number(r.port);
        }
        r.headers = headersFrom(at(req, "headers"));
        r.trailers = headersFrom(at(req, "trailers"));
        r.body = bodyFrom(at(req, "content"), r.headers);
        r.timestampStart = timestamp(req, "timestamp_start");
        r.timestampEnd = timestamp(req, "timestamp_end");

        const TnetValue& resp = at(d, "response");
        if (resp.isDict()) {
            Response s;
            s.statusCode = int(std::clamp<qint64>(at(resp, "status_code").toInteger(0), 0, 999));
            s.reason = at(resp, "reason").toBytes();
            s.httpVersion = at(resp, "http_version").toBytes();
            s.headers = headersFrom(at(resp, "headers"));
            s.trailers = headersFrom(at(resp, "trailers"));
            s.body = bodyFrom(at(resp, "content"), s.headers);
            s.timestampStart = timestamp(resp, "timestamp_start");
            s.timestampEnd = timestamp(resp, "timestamp_end");
            f.response = std::move(s);
        }

        const TnetValue& ws = at(d, "websocket");
        if (ws.isDict()) {
            auto data = std::make_shared<WebSocketData>();
            appendMessages(*data, at(ws, "messages"), offset);
            const TnetValue& code = at(ws, "close_code");
            if (code.isNumber())
                data->closeCode = int(std::clamp<qint64>(code.toInteger(), 0, 65535));
            data->closeReason = QString::fromUtf8(at(ws, "close_reason").toBytes());
            data->closedByClient = at(ws, "closed_by_client").toBool();
            data->timestampEnd = timestamp(ws, "timestamp_end");
            f.websocket = std::move(data);
        }
        if (at(at(d, "metadata"), "websocket").toBool() ||
            (m_version < 12 && f.response && f.response->statusCode == 101)) {
            m_handshakes.insert(at(d, "id").toBytes(), m_r.flows.size());
        }
        m_r.flows.append(std::move(f));
        return true;
    }

    // (type, from_client, content, timestamp[, dropped[, injected]]); mitmproxy before 7
    // wrote (type, content, from_client, timestamp, ...): told apart by the types.
    void appendMessages(WebSocketData& data, const TnetValue& messages, qint64 offset)
    {
        int skipped = 0;
        for (const TnetValue& m : messages.items) {
            if (!m.isList() || m.items.size() < 4) {
                ++skipped;
                continue;
            }
            const TnetValue* fromClient = &m.items[1];
            const TnetValue* content = &m.items[2];
            if (fromClient->isString() && content->type == Type::Boolean)
                std::swap(fromClient, content);
            const qint64 opcode = m.items[0].toInteger(-1);
            if ((opcode != 1 && opcode != 2) || !content->isString()) {
                ++skipped;
                continue;
            }
            WebSocketMessage msg;
            msg.isText = opcode == 1;
            msg.fromClient = fromClient->toBool();
            msg.content = content->bytes;
            msg.timestamp = std::max(0.0, m.items[3].toDouble(0));
            if (m.items.size() > 4)
                msg.dropped = m.items[4].toBool();
            if (m.items.size() > 5)
                msg.injected = m.items[5].toBool();
            data.messages.push_back(std::move(msg));
        }
        if (skipped)
            warn(offset, QStringLiteral("%1 WebSocket message(s) that are neither text nor binary "
                                        "were skipped")
                             .arg(skipped));
    }

    // Before format 12 a WebSocket connection was a flow of its own after its handshake.
    bool takeOldWebSocket(const TnetValue& d, qint64 offset)
    {
        const QByteArray handshake = at(at(d, "metadata"), "websocket_handshake").toBytes();
        const auto it = m_handshakes.constFind(handshake);
        if (it == m_handshakes.constEnd()) {
            warn(offset, QStringLiteral("a WebSocket flow whose handshake is not in the file "
                                        "was skipped"));
            return true;
        }
        HttpFlow& f = m_r.flows[*it];
        auto data = f.websocket ? std::make_shared<WebSocketData>(*f.websocket)
                                : std::make_shared<WebSocketData>();
        appendMessages(*data, at(d, "messages"), offset);
        const TnetValue& code = at(d, "close_code");
        if (code.isNumber())
            data->closeCode = int(std::clamp<qint64>(code.toInteger(), 0, 65535));
        data->closeReason = QString::fromUtf8(at(d, "close_reason").toBytes());
        data->closedByClient = at(d, "close_sender").toBytes() == "client";
        data->timestampEnd = timestamp(at(d, "server_conn"), "timestamp_end");
        f.websocket = std::move(data);
        return true;
    }

    bool takeTcp(const TnetValue& d)
    {
        HttpFlow f;
        f.kind = FlowKind::Tcp;
        common(d, f);
        auto data = std::make_shared<TcpData>();
        for (const TnetValue& m : at(d, "messages").items) {
            if (!m.isList() || m.items.size() < 3 || !m.items[1].isString())
                continue;
            TcpMessage msg;
            msg.fromClient = m.items[0].toBool();
            msg.content = m.items[1].bytes;
            msg.timestamp = std::max(0.0, m.items[2].toDouble(0));
            data->messages.push_back(std::move(msg));
        }
        data->timestampEnd = std::max(f.client.timestampEnd, f.server.timestampEnd);
        if (f.client.timestampEnd > 0 && f.server.timestampEnd > 0)
            data->closedByClient = f.client.timestampEnd <= f.server.timestampEnd;
        f.tcp = std::move(data);
        // What the window and the filter show for a TCP flow: where it went.
        f.request.host = f.server.peer.host;
        f.request.port = f.server.peer.port;
        const Address target = addressFrom(at(at(d, "server_conn"), "address"));
        if (target.isValid()) {
            f.request.host = target.host;
            f.request.port = target.port;
        }
        m_r.flows.append(std::move(f));
        return true;
    }

    QString m_name;
    MitmproxyReader::Result& m_r;
    int m_version = 0;
    QHash<QByteArray, quint64> m_connectionIds;
    quint64 m_lastConnectionId = 0;
    QHash<QByteArray, qsizetype> m_handshakes; // old-format handshake flow id -> index
};

} // namespace

MitmproxyReader::Result MitmproxyReader::read(const QString& path)
{
    Result r;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        r.error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return r;
    }
    if (file.size() == 0)
        return parse(QByteArrayView(), path);
    // Mapped, not read: a flow file of gigabytes costs no copy; only the values are copied out.
    if (uchar* mapped = file.map(0, file.size())) {
        r = parse(QByteArrayView(reinterpret_cast<const char*>(mapped), file.size()), path);
        file.unmap(mapped);
        return r;
    }
    const QByteArray all = file.readAll();
    return parse(all, path);
}

MitmproxyReader::Result MitmproxyReader::parse(QByteArrayView data, const QString& name)
{
    Result r;
    Converter converter(name, r);
    qint64 offset = 0;
    while (offset < data.size()) {
        // mitmproxy writes nothing between flows, but a trailing newline or padding is harmless.
        const char c = data[offset];
        if (c == '\n' || c == '\r' || c == ' ' || c == '\t' || c == '\0') {
            ++offset;
            continue;
        }
        const TnetstringReader::Result v = TnetstringReader::parse(data, offset);
        if (!v.ok()) {
            if (v.truncated && !r.flows.isEmpty()) {
                r.warnings.append(QStringLiteral("%1: the file ends inside the flow at byte %2 "
                                                 "(cut short while written?); %3 flow(s) read")
                                      .arg(name)
                                      .arg(offset)
                                      .arg(r.flows.size()));
                return r;
            }
            if (offset == 0)
                r.error = QStringLiteral("%1: not a mitmproxy flow file: %2 at byte %3")
                              .arg(name, v.error)
                              .arg(v.errorAt);
            else
                r.error = QStringLiteral("%1: corrupt flow at byte %2: %3 at byte %4")
                              .arg(name)
                              .arg(offset)
                              .arg(v.error)
                              .arg(v.errorAt);
            return r;
        }
        if (!v.value.isDict()) {
            r.error =
                QStringLiteral("%1: %2 at byte %3 is not a flow (a dictionary)")
                    .arg(name, offset == 0 ? QStringLiteral("not a mitmproxy flow file: the value")
                                           : QStringLiteral("the value"))
                    .arg(offset);
            return r;
        }
        if (!converter.take(v.value, offset))
            return r;
        offset = v.end;
    }
    if (data.isEmpty())
        r.warnings.append(QStringLiteral("%1: the file is empty").arg(name));
    return r;
}

} // namespace spyglass
