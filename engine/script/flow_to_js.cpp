#include "script/flow_to_js.h"

#include "script/js_cache.h"

#include <QDateTime>
#include <QJSEngine>

#include <optional>

namespace spyglass::script {

namespace {

// Flat, [name0, value0, name1, value1, ...]: one array per message instead of one per field;
// the prelude's Headers makes its pairs from it only when a script reads the headers.
QJSValue headersToJs(JsCache& js, const Headers& headers)
{
    QJSValue out = js.engine().newArray(quint32(2 * headers.size()));
    quint32 i = 0;
    for (const auto& [name, value] : headers.fields()) {
        out.setProperty(i++, js.latin1(name));
        out.setProperty(i++, js.latin1(value));
    }
    return out;
}

Headers headersFromJs(const QJSValue& array)
{
    Headers out;
    const quint32 n = array.property(QStringLiteral("length")).toUInt();
    for (quint32 i = 0; i < n; ++i) {
        const QJSValue pair = array.property(i);
        out.add(pair.property(0).toString().toLatin1(), pair.property(1).toString().toLatin1());
    }
    return out;
}

QJSValue requestToJs(JsCache& js, const Request& r)
{
    return js.make(JsCache::Raw::Request,
                   {js.latin1(r.method), js.latin1(r.scheme), js.latin1(r.authority),
                    js.latin1(r.host), int(r.port), js.latin1(r.path), js.latin1(r.httpVersion),
                    headersToJs(js, r.headers), js.engine().toScriptValue(r.body.content),
                    r.body.streamed, r.timestampStart, r.timestampEnd});
}

QJSValue responseToJs(JsCache& js, const Response& r)
{
    return js.make(JsCache::Raw::Response,
                   {js.latin1(r.httpVersion), r.statusCode, js.latin1(r.reason),
                    headersToJs(js, r.headers), js.engine().toScriptValue(r.body.content),
                    r.body.streamed, r.timestampStart, r.timestampEnd});
}

template <class T> void update(T& live, const T& before, const T& after)
{
    if (!(after == before))
        live = after;
}

// A property of a raw object, or nothing when the raw leaves it out (undefined).
std::optional<QByteArray> bytesOf(const QJSValue& raw, const QString& name)
{
    const QJSValue v = raw.property(name);
    if (v.isUndefined())
        return std::nullopt;
    return v.toString().toLatin1();
}

template <class T> void updateIf(T& live, const T& before, const std::optional<T>& after)
{
    if (after)
        update(live, before, *after);
}

// The request the hook left, applied field by field where it differs from what it saw; a
// field the raw leaves out was not touched.
void applyRequest(Request& live, const Request& before, const QJSValue& raw)
{
    updateIf(live.method, before.method, bytesOf(raw, QStringLiteral("method")));
    updateIf(live.scheme, before.scheme, bytesOf(raw, QStringLiteral("scheme")));
    updateIf(live.authority, before.authority, bytesOf(raw, QStringLiteral("authority")));
    updateIf(live.host, before.host, bytesOf(raw, QStringLiteral("host")));
    if (const QJSValue port = raw.property(QStringLiteral("port")); !port.isUndefined())
        update(live.port, before.port, quint16(port.toUInt()));
    updateIf(live.path, before.path, bytesOf(raw, QStringLiteral("path")));
    updateIf(live.httpVersion, before.httpVersion, bytesOf(raw, QStringLiteral("httpVersion")));
    if (const QJSValue h = raw.property(QStringLiteral("headers")); !h.isUndefined())
        update(live.headers, before.headers, headersFromJs(h));
    if (raw.property(QStringLiteral("contentChanged")).toBool()) {
        live.body.content = raw.property(QStringLiteral("content")).toVariant().toByteArray();
        live.body.size = live.body.content.size();
        live.body.streamed = false;
    }
}

Response responseFromJs(const QJSValue& raw, double now)
{
    Response r;
    r.httpVersion = raw.property(QStringLiteral("httpVersion")).toString().toLatin1();
    r.statusCode = raw.property(QStringLiteral("status")).toInt();
    r.reason = raw.property(QStringLiteral("reason")).toString().toLatin1();
    if (r.reason.isEmpty())
        r.reason = defaultReason(r.statusCode);
    r.headers = headersFromJs(raw.property(QStringLiteral("headers")));
    r.body.content = raw.property(QStringLiteral("content")).toVariant().toByteArray();
    r.body.size = r.body.content.size();
    r.timestampStart = r.timestampEnd = now;
    return r;
}

void applyResponse(Response& live, const Response& before, const QJSValue& raw)
{
    updateIf(live.httpVersion, before.httpVersion, bytesOf(raw, QStringLiteral("httpVersion")));
    if (const QJSValue status = raw.property(QStringLiteral("status")); !status.isUndefined())
        update(live.statusCode, before.statusCode, status.toInt());
    updateIf(live.reason, before.reason, bytesOf(raw, QStringLiteral("reason")));
    if (const QJSValue h = raw.property(QStringLiteral("headers")); !h.isUndefined())
        update(live.headers, before.headers, headersFromJs(h));
    if (raw.property(QStringLiteral("contentChanged")).toBool()) {
        live.body.content = raw.property(QStringLiteral("content")).toVariant().toByteArray();
        live.body.size = live.body.content.size();
        live.body.streamed = false;
    }
}

} // namespace

QJSValue FlowToJs::connection(JsCache& js, const Connection& c)
{
    // A connection mostly looks the same in every hook of its flows: one raw object for all.
    if (QJSValue kept = js.connection(c); !kept.isUndefined())
        return kept;
    QJSValue o = js.make(JsCache::Raw::Connection,
                         {double(c.id), js.latin1(c.peer.host), int(c.peer.port),
                          js.latin1(c.peer.toString()), c.tls, js.latin1(c.sni), js.latin1(c.alpn),
                          js.latin1(c.tlsVersion), js.latin1(c.cipher), js.text(c.error),
                          c.timestampStart, c.timestampTlsSetup, c.timestampEnd});
    js.keep(c, o);
    return o;
}

QJSValue FlowToJs::clientHello(JsCache& js, const proxy::ClientHelloData& hello,
                               const Connection* client)
{
    QJSEngine& engine = js.engine();
    QJSValue o = engine.newObject();
    o.setProperty(QStringLiteral("sni"), js.latin1(hello.sni));
    QJSValue alpn = engine.newArray(quint32(hello.alpnProtocols.size()));
    quint32 i = 0;
    for (const QByteArray& p : hello.alpnProtocols)
        alpn.setProperty(i++, js.latin1(p));
    o.setProperty(QStringLiteral("alpnProtocols"), alpn);
    o.setProperty(QStringLiteral("ignoreConnection"), hello.ignoreConnection);
    o.setProperty(QStringLiteral("client"),
                  client ? connection(js, *client) : QJSValue(QJSValue::NullValue));
    return o;
}

QJSValue FlowToJs::websocketMessage(QJSEngine& engine, const WebSocketMessage& m)
{
    QJSValue o = engine.newObject();
    o.setProperty(QStringLiteral("fromClient"), m.fromClient);
    o.setProperty(QStringLiteral("isText"), m.isText);
    o.setProperty(QStringLiteral("content"), engine.toScriptValue(m.content));
    o.setProperty(QStringLiteral("timestamp"), m.timestamp);
    o.setProperty(QStringLiteral("injected"), m.injected);
    o.setProperty(QStringLiteral("dropped"), m.dropped);
    return o;
}

QJSValue FlowToJs::tcpMessage(QJSEngine& engine, const TcpMessage& m)
{
    QJSValue o = engine.newObject();
    o.setProperty(QStringLiteral("fromClient"), m.fromClient);
    o.setProperty(QStringLiteral("content"), engine.toScriptValue(m.content));
    o.setProperty(QStringLiteral("timestamp"), m.timestamp);
    o.setProperty(QStringLiteral("injected"), m.injected);
    o.setProperty(QStringLiteral("dropped"), m.dropped);
    return o;
}

QJSValue FlowToJs::flow(JsCache& js, const HttpFlow& f)
{
    QJSEngine& engine = js.engine();
    const QJSValue null(QJSValue::NullValue);
    QJSValue error = null;
    if (f.error) {
        error = engine.newObject();
        error.setProperty(QStringLiteral("message"), f.error->message);
        error.setProperty(QStringLiteral("timestamp"), f.error->timestamp);
    }
    QJSValue websocket = null;
    if (f.websocket) {
        const WebSocketData& ws = *f.websocket;
        websocket = engine.newObject();
        websocket.setProperty(QStringLiteral("last"),
                              ws.messages.empty() ? null
                                                  : websocketMessage(engine, ws.messages.back()));
        websocket.setProperty(QStringLiteral("closeCode"),
                              ws.closeCode ? QJSValue(*ws.closeCode) : null);
        websocket.setProperty(QStringLiteral("closeReason"), ws.closeReason);
        websocket.setProperty(QStringLiteral("closedByClient"), ws.closedByClient);
        websocket.setProperty(QStringLiteral("timestampEnd"), ws.timestampEnd);
    }
    QJSValue tcp = null;
    if (f.tcp) {
        tcp = engine.newObject();
        tcp.setProperty(QStringLiteral("last"), f.tcp->messages.empty()
                                                    ? null
                                                    : tcpMessage(engine, f.tcp->messages.back()));
        tcp.setProperty(QStringLiteral("closedByClient"), f.tcp->closedByClient);
        tcp.setProperty(QStringLiteral("timestampEnd"), f.tcp->timestampEnd);
    }
    // mitmproxy's flow.is_replay: "request" (client replay), "response" (server replay), null.
    const QJSValue isReplay = f.isReplay         ? js.latin1(QByteArrayLiteral("request"))
                              : f.isServerReplay ? js.latin1(QByteArrayLiteral("response"))
                                                 : null;
    return js.make(
        JsCache::Raw::Flow,
        {f.id.toString(QUuid::WithoutBraces),
         js.latin1(f.kind == FlowKind::Tcp ? QByteArrayLiteral("tcp") : QByteArrayLiteral("http")),
         f.live, isReplay, js.text(f.marked), js.text(f.comment),
         f.kind == FlowKind::Tcp ? null : requestToJs(js, f.request),
         f.response ? responseToJs(js, *f.response) : null, error, connection(js, f.client),
         connection(js, f.server), websocket, tcp});
}

Request FlowToJs::requestFromJs(const QJSValue& raw, const Request& before)
{
    Request r = before;
    applyRequest(r, before, raw);
    return r;
}

FlowChange FlowToJs::flowChange(const QJSValue& result, const HttpFlow& before,
                                proxy::HookKind kind)
{
    using proxy::HookKind;
    // TCP hooks change no request or response: tcp_message may change its message (content,
    // dropped: kill drops it), the others only the flow's mark and comment.
    const bool tcp = kind == HookKind::TcpStart || kind == HookKind::TcpMessage ||
                     kind == HookKind::TcpEnd || kind == HookKind::TcpError;
    const bool killed = result.property(QStringLiteral("killed")).toBool() && !tcp;
    const QString marked = result.property(QStringLiteral("marked")).toString();
    const QString comment = result.property(QStringLiteral("comment")).toString();
    const QJSValue request = result.property(QStringLiteral("request"));
    const QJSValue response = result.property(QStringLiteral("response"));
    const bool replaced = result.property(QStringLiteral("responseReplaced")).toBool();
    const QJSValue wsLast = result.property(QStringLiteral("websocketLast"));
    const QJSValue tcpLast =
        kind == HookKind::TcpMessage ? result.property(QStringLiteral("tcpLast")) : QJSValue();

    // Everything is read here, on the script thread; the change only holds values.
    std::optional<Request> newRequest;
    if (!tcp && request.isObject()) {
        Request r = before.request;
        applyRequest(r, before.request, request);
        newRequest = std::move(r);
    }
    std::optional<Response> newResponse;
    if (!tcp && response.isObject()) {
        if (replaced || !before.response) {
            newResponse = responseFromJs(response, QDateTime::currentMSecsSinceEpoch() / 1000.0);
        } else {
            Response r = *before.response;
            applyResponse(r, *before.response, response);
            newResponse = std::move(r);
        }
    }
    std::optional<WebSocketMessage> newLast;
    if (wsLast.isObject() && before.websocket && !before.websocket->messages.empty()) {
        WebSocketMessage m = before.websocket->messages.back();
        m.content = wsLast.property(QStringLiteral("content")).toVariant().toByteArray();
        m.isText = wsLast.property(QStringLiteral("isText")).toBool();
        m.dropped = wsLast.property(QStringLiteral("dropped")).toBool();
        if (!(m == before.websocket->messages.back()))
            newLast = std::move(m);
    }

    std::optional<TcpMessage> newTcpLast;
    if (tcpLast.isObject() && before.tcp && !before.tcp->messages.empty()) {
        TcpMessage m = before.tcp->messages.back();
        m.content = tcpLast.property(QStringLiteral("content")).toVariant().toByteArray();
        m.dropped = tcpLast.property(QStringLiteral("dropped")).toBool();
        if (!(m == before.tcp->messages.back()))
            newTcpLast = std::move(m);
    }

    const bool requestChanged =
        newRequest &&
        !(newRequest->method == before.request.method &&
          newRequest->scheme == before.request.scheme &&
          newRequest->authority == before.request.authority &&
          newRequest->host == before.request.host && newRequest->port == before.request.port &&
          newRequest->path == before.request.path &&
          newRequest->httpVersion == before.request.httpVersion &&
          newRequest->headers == before.request.headers &&
          newRequest->body.content == before.request.body.content &&
          newRequest->body.streamed == before.request.body.streamed);
    const bool responseChanged =
        newResponse && (replaced || !before.response ||
                        !(newResponse->httpVersion == before.response->httpVersion &&
                          newResponse->statusCode == before.response->statusCode &&
                          newResponse->reason == before.response->reason &&
                          newResponse->headers == before.response->headers &&
                          newResponse->body.content == before.response->body.content &&
                          newResponse->body.streamed == before.response->body.streamed));
    const bool markChanged = marked != before.marked;
    const bool commentChanged = comment != before.comment;
    if (!killed && !requestChanged && !responseChanged && !newLast && !newTcpLast && !markChanged &&
        !commentChanged)
        return {};

    return [=, req = requestChanged ? newRequest : std::nullopt,
            resp = responseChanged ? newResponse : std::nullopt](proxy::HookData& hook) {
        if (!hook.flow)
            return;
        HttpFlow& flow = *hook.flow;
        if (markChanged)
            flow.marked = marked;
        if (commentChanged)
            flow.comment = comment;
        if (req)
            flow.request = *req;
        if (resp)
            flow.response = *resp;
        if (newLast && flow.websocket && !flow.websocket->messages.empty()) {
            auto copy = std::make_shared<WebSocketData>(*flow.websocket);
            WebSocketMessage& last = copy->messages.lastForWriting();
            last.content = newLast->content;
            last.isText = newLast->isText;
            last.dropped = newLast->dropped;
            flow.websocket = std::move(copy);
        }
        if (newTcpLast && flow.tcp && !flow.tcp->messages.empty()) {
            auto copy = std::make_shared<TcpData>(*flow.tcp);
            TcpMessage& last = copy->messages.lastForWriting();
            last.content = newTcpLast->content;
            last.dropped = newTcpLast->dropped;
            flow.tcp = std::move(copy);
        }
        if (killed && kind != proxy::HookKind::WebsocketMessage)
            flow.error = FlowError{QStringLiteral("Connection killed."),
                                   QDateTime::currentMSecsSinceEpoch() / 1000.0};
    };
}

} // namespace spyglass::script
