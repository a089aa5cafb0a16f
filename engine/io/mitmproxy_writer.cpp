#include "io/mitmproxy_writer.h"

#include "io/tnetstring_writer.h"
#include "tls/x509_util.h"

#include <QDateTime>
#include <QDir>
#include <QSaveFile>

namespace spyglass {

namespace {

using V = TnetValue;

// A timestamp mitmproxy allows to be None.
V optionalTime(double t)
{
    return t > 0 ? V::ofFloat(t) : V::null();
}

V optionalBytes(const QByteArray& b)
{
    return b.isEmpty() ? V::null() : V::ofBytes(b);
}

V optionalText(const QByteArray& utf8)
{
    return utf8.isEmpty() ? V::null() : V::ofText(utf8);
}

V optionalText(const QString& s)
{
    return s.isEmpty() ? V::null() : V::ofText(s);
}

V address(const Address& a)
{
    return V::list().append(V::ofText(a.host)).append(V::ofInteger(a.port));
}

V optionalAddress(const Address& a)
{
    return a.isValid() ? address(a) : V::null();
}

V headers(const Headers& h)
{
    V list = V::list();
    for (const auto& [name, value] : h.fields())
        list.append(V::list().append(V::ofBytes(name)).append(V::ofBytes(value)));
    return list;
}

V optionalHeaders(const Headers& h)
{
    return h.isEmpty() ? V::null() : headers(h);
}

// mitmproxy stores None for a body it did not keep (streamed).
V content(const BodyInfo& b)
{
    return b.streamed ? V::null() : V::ofBytes(b.content);
}

V request(const Request& r)
{
    QByteArray path = r.path;
    QByteArray authority = r.authority;
    if (r.isConnect()) {
        // mitmproxy's CONNECT request: the target in the authority, no path.
        if (authority.isEmpty())
            authority = path;
        path.clear();
    }
    return V::dict()
        .set("host", V::ofText(r.host))
        .set("port", V::ofInteger(r.port))
        .set("method", V::ofBytes(r.method))
        .set("scheme", V::ofBytes(r.scheme))
        .set("authority", V::ofBytes(authority))
        .set("path", V::ofBytes(path))
        .set("http_version", V::ofBytes(r.httpVersion))
        .set("headers", headers(r.headers))
        .set("content", content(r.body))
        .set("trailers", optionalHeaders(r.trailers))
        .set("timestamp_start", V::ofFloat(r.timestampStart))
        .set("timestamp_end", optionalTime(r.timestampEnd));
}

V response(const Response& r)
{
    return V::dict()
        .set("http_version", V::ofBytes(r.httpVersion))
        .set("status_code", V::ofInteger(r.statusCode))
        .set("reason", V::ofBytes(r.reason))
        .set("headers", headers(r.headers))
        .set("content", content(r.body))
        .set("trailers", optionalHeaders(r.trailers))
        .set("timestamp_start", V::ofFloat(r.timestampStart))
        .set("timestamp_end", optionalTime(r.timestampEnd));
}

V webSocket(const WebSocketData& ws)
{
    V messages = V::list();
    for (const WebSocketMessage& m : ws.messages) {
        messages.append(V::list()
                            .append(V::ofInteger(m.isText ? 1 : 2))
                            .append(V::ofBool(m.fromClient))
                            .append(V::ofBytes(m.content))
                            .append(V::ofFloat(m.timestamp))
                            .append(V::ofBool(m.dropped))
                            .append(V::ofBool(m.injected)));
    }
    return V::dict()
        .set("messages", std::move(messages))
        .set("closed_by_client", V::ofBool(ws.closedByClient))
        .set("close_code", ws.closeCode ? V::ofInteger(*ws.closeCode) : V::null())
        .set("close_reason", ws.closeCode ? V::ofText(ws.closeReason) : V::null())
        .set("timestamp_end", optionalTime(ws.timestampEnd));
}

V tcpMessages(const TcpData& tcp)
{
    V messages = V::list();
    for (const TcpMessage& m : tcp.messages) {
        messages.append(V::list()
                            .append(V::ofBool(m.fromClient))
                            .append(V::ofBytes(m.content))
                            .append(V::ofFloat(m.timestamp)));
    }
    return messages;
}

// The peer's chain as PEM; certificates OpenSSL cannot parse are left out (see the header).
V certificates(const Connection& c)
{
    V list = V::list();
    for (const QByteArray& der : c.certificateChainDer) {
        X509Ptr cert = x509FromDer(der);
        if (!cert)
            continue;
        const QByteArray pem = toPem(cert.get());
        if (!pem.isEmpty())
            list.append(V::ofBytes(pem));
    }
    return list;
}

V alpnOffers(const Connection& c)
{
    V list = V::list();
    for (const QByteArray& offer : c.alpnOffers)
        list.append(V::ofBytes(offer));
    return list;
}

double createdAt(const HttpFlow& f)
{
    for (double t : {f.timestampCreated(), f.request.timestampStart, f.client.timestampStart}) {
        if (t > 0)
            return t;
    }
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000;
}

QString fileError(const QString& path, const QString& message)
{
    return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), message);
}

} // namespace

MitmproxyWriter::MitmproxyWriter() : m_namespace(QUuid::createUuid()) {}

QByteArray MitmproxyWriter::connectionId(const Connection& c, bool client) const
{
    const QUuid id = c.id == 0 ? QUuid::createUuid()
                               : QUuid::createUuidV5(m_namespace, (client ? QByteArray("client ")
                                                                          : QByteArray("server ")) +
                                                                      QByteArray::number(c.id));
    return id.toByteArray(QUuid::WithoutBraces);
}

TnetValue MitmproxyWriter::connection(const Connection& c, bool client, const HttpFlow& flow) const
{
    const V error = optionalText(c.error);
    if (client) {
        // mitmproxy's Client always has a peer and a start time.
        return V::dict()
            .set("address", address(c.peer))
            .set("alpn", optionalBytes(c.alpn))
            .set("cipher_name", optionalText(c.cipher))
            .set("id", V::ofText(connectionId(c, true)))
            .set("mitmcert", V::null())
            .set("sni", optionalText(c.sni))
            .set("timestamp_end", optionalTime(c.timestampEnd))
            .set("timestamp_start",
                 V::ofFloat(c.timestampStart > 0 ? c.timestampStart : createdAt(flow)))
            .set("timestamp_tls_setup", optionalTime(c.timestampTlsSetup))
            .set("tls_established", V::ofBool(c.tlsEstablished))
            .set("tls_extensions", V::list())
            .set("tls_version", optionalText(c.tlsVersion))
            .set("state", V::ofInteger(int(c.state)))
            .set("sockname", address(c.sockname))
            .set("error", error)
            .set("tls", V::ofBool(c.tls))
            .set("certificate_list", certificates(c))
            .set("alpn_offers", alpnOffers(c))
            .set("cipher_list", V::list());
    }
    // The server's address is where the flow went: the name that was dialled, else the
    // request's destination (a flow that never connected).
    Address destination = c.peer;
    if (!destination.isValid() && !flow.request.host.isEmpty())
        destination = {flow.request.host, flow.request.port};
    return V::dict()
        .set("address", optionalAddress(destination))
        .set("alpn", optionalBytes(c.alpn))
        .set("id", V::ofText(connectionId(c, false)))
        .set("ip_address", optionalAddress(c.peername))
        .set("sni", optionalText(c.sni))
        .set("source_address", optionalAddress(c.sockname))
        .set("timestamp_end", optionalTime(c.timestampEnd))
        .set("timestamp_start", optionalTime(c.timestampStart))
        .set("timestamp_tcp_setup", optionalTime(c.timestampTcpSetup))
        .set("timestamp_tls_setup", optionalTime(c.timestampTlsSetup))
        .set("tls_established", V::ofBool(c.tlsEstablished))
        .set("tls_version", optionalText(c.tlsVersion))
        .set("via", V::null())
        .set("state", V::ofInteger(int(c.state)))
        .set("error", error)
        .set("tls", V::ofBool(c.tls))
        .set("certificate_list", certificates(c))
        .set("alpn_offers", alpnOffers(c))
        .set("cipher_name", optionalText(c.cipher))
        .set("cipher_list", V::list())
        .set("via2", c.via.isValid()
                         ? V::list().append(V::ofText(QByteArray("http"))).append(address(c.via))
                         : V::null());
}

TnetValue MitmproxyWriter::state(const HttpFlow& f) const
{
    const bool tcp = f.kind == FlowKind::Tcp;
    const QUuid id = f.id.isNull() ? newFlowId() : f.id;
    V d = V::dict();
    d.set("id", V::ofText(id.toByteArray(QUuid::WithoutBraces)))
        .set("error", f.error ? V::dict()
                                    .set("msg", V::ofText(f.error->message))
                                    .set("timestamp", V::ofFloat(f.error->timestamp))
                              : V::null())
        .set("client_conn", connection(f.client, true, f))
        .set("server_conn", connection(f.server, false, f))
        .set("intercepted", V::ofBool(false))
        .set("is_replay", f.isReplay         ? V::ofText(QByteArray("request"))
                          : f.isServerReplay ? V::ofText(QByteArray("response"))
                                             : V::null())
        .set("marked", V::ofText(f.marked))
        .set("metadata", V::dict())
        .set("comment", V::ofText(f.comment))
        .set("timestamp_created", V::ofFloat(createdAt(f)));
    if (tcp) {
        d.set("messages", f.tcp ? tcpMessages(*f.tcp) : V::list());
    } else {
        d.set("request", request(f.request))
            .set("response", f.response ? response(*f.response) : V::null())
            .set("websocket", f.websocket ? webSocket(*f.websocket) : V::null());
    }
    d.set("version", V::ofInteger(FormatVersion))
        .set("type", V::ofText(tcp ? QByteArray("tcp") : QByteArray("http")));
    return d;
}

QByteArray MitmproxyWriter::encode(const HttpFlow& flow) const
{
    return TnetstringWriter::dump(state(flow));
}

QString MitmproxyWriter::write(const QString& path, qsizetype count, const FlowAt& flowAt)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fileError(path, file.errorString());
    const MitmproxyWriter writer;
    for (qsizetype i = 0; i < count; ++i) {
        const FlowSnapshot f = flowAt(i);
        if (!f)
            continue;
        const QByteArray bytes = writer.encode(*f);
        if (file.write(bytes) != bytes.size()) {
            const QString err = fileError(path, file.errorString());
            file.cancelWriting();
            return err;
        }
    }
    if (!file.commit())
        return fileError(path, file.errorString());
    return {};
}

QString MitmproxyWriter::write(const QString& path, const QList<HttpFlow>& flows)
{
    return write(path, flows.size(), [&flows](qsizetype i) {
        // Aliasing, not copying: the list outlives the call.
        return FlowSnapshot(FlowSnapshot(), &flows[i]);
    });
}

QString MitmproxyWriter::write(const QString& path, const QList<FlowSnapshot>& flows)
{
    return write(path, flows.size(), [&flows](qsizetype i) { return flows[i]; });
}

} // namespace spyglass
