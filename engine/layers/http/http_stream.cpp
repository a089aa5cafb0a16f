#include "layers/http/http_stream.h"

#include "layers/http/http_layer.h"
#include "layers/http/proxy_auth.h"
#include "layers/websocket/websocket_layer.h"
#include "options/options.h"
#include "options/proxy_mode.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace spyglass::layers {

using namespace proxy;
using namespace http;

namespace {

// Brings the flow's copy of a connection up to date. Most refreshes find nothing changed,
// and comparing costs less than copying: a copy takes and drops a reference (an atomic
// operation) on every string of the connection.
void refresh(Connection& copy, const Connection& live)
{
    if (!(copy == live))
        copy = live;
}

std::optional<qint64> contentLength(const Headers& h)
{
    const QByteArray* field = nullptr; // the first Content-Length, in one pass
    for (const auto& [name, value] : h.fields()) {
        if (equalsIgnoreCase(name, "transfer-encoding"))
            return std::nullopt;
        if (!field && equalsIgnoreCase(name, "content-length"))
            field = &value;
    }
    if (!field)
        return std::nullopt;
    const QByteArray v = field->trimmed();
    // Plain digits (every real Content-Length) are read here; anything else is left to Qt,
    // whose locale-aware reading costs more than the rest of this function.
    bool ok = !v.isEmpty() && v.size() <= 18;
    qint64 n = 0;
    for (const char c : v) {
        if (!ok)
            break;
        if (c < '0' || c > '9')
            ok = false;
        else
            n = n * 10 + (c - '0');
    }
    if (!ok)
        n = v.toLongLong(&ok);
    return ok && n >= 0 ? std::optional<qint64>(n) : std::nullopt;
}

// Is `value` the one and only field `name`? (Then setting it changes nothing.)
bool holdsOnly(const Headers& headers, QByteArrayView name, QByteArrayView value)
{
    qsizetype n = 0;
    bool same = false;
    for (const auto& field : headers.fields()) {
        if (equalsIgnoreCase(field.first, name)) {
            ++n;
            same = field.second == value;
        }
    }
    return n == 1 && same;
}

// QByteArray::number() goes through the locale machinery; a length needs only digits,
// written at the end of `buf`.
QByteArrayView decimalDigits(quint64 n, char (&buf)[24])
{
    char* p = buf + sizeof buf;
    do {
        *--p = char('0' + n % 10);
        n /= 10;
    } while (n);
    return QByteArrayView(p, buf + sizeof buf - p);
}

bool responseHasNoBody(const QByteArray& method, int status)
{
    return method == "HEAD" || (status >= 100 && status < 200) || status == 204 || status == 304;
}

// "host", "host:port", "[v6]:port" -> Address (port 0 when absent)
Address parseAuthority(const QByteArray& authority)
{
    Address a;
    if (authority.startsWith('[')) {
        const qsizetype close = authority.indexOf(']');
        if (close < 0)
            return {};
        a.host = authority.mid(1, close - 1);
        if (authority.size() > close + 2 && authority.at(close + 1) == ':')
            a.port = quint16(authority.mid(close + 2).toUShort());
        return a;
    }
    const qsizetype colon = authority.lastIndexOf(':');
    if (colon < 0) {
        a.host = authority;
        return a;
    }
    bool ok = false;
    const uint port = authority.mid(colon + 1).toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return {};
    a.host = authority.left(colon);
    a.port = quint16(port);
    return a;
}

QByteArray errorPage(int status, const QString& message)
{
    return QStringLiteral("Spyglass: %1 %2\n\n%3\n")
        .arg(status)
        .arg(QString::fromLatin1(defaultReason(status)), message)
        .toUtf8();
}

} // namespace

HttpStream::HttpStream(HttpLayer& layer, int streamId)
    : m_layer(layer), m_streamId(streamId), m_flow(std::make_shared<HttpFlow>())
{
    refresh(m_flow->client, *m_layer.context().client);
}

// --- event plumbing ------------------------------------------------------------------------

void HttpStream::deliver(const HttpEvent& event)
{
    if (m_done)
        return;
    if (m_wait != Wait::Nothing) {
        // A protocol error cannot wait behind a hook: the peer is already gone or lying.
        if (std::holds_alternative<RequestProtocolError>(event) ||
            std::holds_alternative<ResponseProtocolError>(event)) {
            m_queue.clear();
            process(event);
            return;
        }
        m_queue.push_back(event);
        return;
    }
    process(event);
}

void HttpStream::drain()
{
    while (m_wait == Wait::Nothing && !m_queue.empty() && !m_done) {
        HttpEvent e = std::move(m_queue.front());
        m_queue.pop_front();
        process(e);
    }
    if (!m_serverGoneError.isEmpty() && m_wait == Wait::Nothing && m_queue.empty() && !m_done)
        onServerConnection(nullptr, std::exchange(m_serverGoneError, {}));
}

void HttpStream::process(const HttpEvent& event)
{
    if (m_failed)
        return;
    const bool tunnelBytes =
        std::holds_alternative<RequestData>(event) ||
        std::holds_alternative<RequestTrailers>(event) ||
        std::holds_alternative<RequestEndOfMessage>(event) ||
        (m_responseComplete && (std::holds_alternative<ResponseData>(event) ||
                                std::holds_alternative<ResponseEndOfMessage>(event)));
    if (!m_protocol.isEmpty() && tunnelBytes) {
        onTunnelData(event);
        return;
    }
    std::visit(
        [this](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, RequestHeaders>)
                onRequestHeaders(e);
            else if constexpr (std::is_same_v<T, RequestData>)
                onRequestData(e.data);
            else if constexpr (std::is_same_v<T, RequestTrailers>)
                onRequestTrailers(e.trailers);
            else if constexpr (std::is_same_v<T, RequestEndOfMessage>)
                onRequestEnd();
            else if constexpr (std::is_same_v<T, RequestProtocolError>)
                fail(e.message, 0); // the codec has already answered the client
            else if constexpr (std::is_same_v<T, ResponseHeaders>)
                onResponseHeaders(e);
            else if constexpr (std::is_same_v<T, ResponseData>)
                onResponseData(e.data);
            else if constexpr (std::is_same_v<T, ResponseTrailers>)
                m_flow->response->trailers = e.trailers;
            else if constexpr (std::is_same_v<T, ResponseEndOfMessage>)
                onResponseEnd();
            else if constexpr (std::is_same_v<T, ResponseProtocolError>)
                fail(QStringLiteral("server: %1").arg(e.message), 502);
        },
        event);
}

void HttpStream::runHook(HookKind kind)
{
    if (!wantsHook(kind)) {
        // Nobody listens: carry on as if the answer had come back at once.
        m_wait = Wait::Hook;
        m_pendingHook = kind;
        deliverReply(HookCompleted{});
        return;
    }
    auto hook = std::make_shared<HookData>();
    hook->kind = kind;
    hook->flow = m_flow;
    m_wait = Wait::Hook;
    m_pendingHook = kind;
    m_layer.hook(*this, hook);
}

bool HttpStream::wantsHook(HookKind kind) const
{
    const auto& services = m_layer.context().services;
    return !services || services->wants(kind);
}

void HttpStream::deliverReply(const Event& event)
{
    if (!std::holds_alternative<HookCompleted>(event) || m_wait != Wait::Hook)
        return;
    m_wait = Wait::Nothing;
    switch (m_pendingHook) {
    case HookKind::HttpConnect:
    case HookKind::RequestHeaders:
        afterRequestHeadersHook();
        break;
    case HookKind::Request:
        afterRequestHook();
        break;
    case HookKind::ResponseHeaders:
        afterResponseHeadersHook();
        break;
    case HookKind::Response:
        afterResponseHook();
        break;
    case HookKind::Error:
        afterErrorHook();
        break;
    default:
        break;
    }
    drain();
}

// --- request ---------------------------------------------------------------------------------

bool HttpStream::resolveDestination(QString& error)
{
    Request& r = m_flow->request;
    if (m_layer.mode() == HttpLayer::Mode::Transparent) {
        const Connection& server = *m_layer.context().server;
        r.scheme = server.tls ? QByteArrayLiteral("https") : QByteArrayLiteral("http");
        r.host = server.sni.isEmpty() ? server.peer.host : server.sni;
        r.port = server.peer.port;
        if (r.authority.isEmpty())
            r.authority = r.headers.value("host");
        const auto& mode = m_layer.context().mode;
        if (mode && mode->kind == ProxyMode::Kind::Reverse &&
            !m_layer.context().opts().keepHostHeader) {
            // Reverse proxy: the server is addressed by its own name (mitmproxy does the same).
            const bool defaultPort = r.port == (server.tls ? 443 : 80) && !mode->host.contains(':');
            const QByteArray hostPort = defaultPort ? Address{mode->host, r.port}.host
                                                    : Address{mode->host, r.port}.toString();
            if (r.headers.contains("host"))
                r.headers.set("Host", hostPort);
            if (!r.authority.isEmpty())
                r.authority = hostPort;
        }
        return true;
    }
    if (r.isConnect()) {
        const Address a = parseAuthority(r.authority.isEmpty() ? r.path : r.authority);
        if (!a.isValid()) {
            error = QStringLiteral("invalid CONNECT target '%1': expected host:port")
                        .arg(QString::fromLatin1(r.authority));
            return false;
        }
        r.host = a.host;
        r.port = a.port;
        return true;
    }
    if (r.host.isEmpty()) {
        // Origin-form sent to the proxy port: mitmproxy 7's Host-header fallback.
        const QByteArray host = r.headers.value("host");
        const Address a = parseAuthority(host);
        if (a.host.isEmpty()) {
            error = QStringLiteral("the request has neither an absolute URL nor a Host header, so "
                                   "there is no way to tell where it should go");
            return false;
        }
        r.scheme = "http";
        r.host = a.host;
        r.port = a.port ? a.port : 80;
        r.authority = host;
    }
    if (r.scheme == "https") {
        error = QStringLiteral("https:// URLs in plain proxy requests are not supported: clients "
                               "should use CONNECT (curl, browsers and most libraries do)");
        return false;
    }
    return true;
}

void HttpStream::onRequestHeaders(const RequestHeaders& e)
{
    if (e.replayFlow)
        m_flow = e.replayFlow; // client replay: its id and is_replay mark are kept
    m_flow->request = e.request;
    m_flow->request.timestampStart = m_layer.now();
    refresh(m_flow->client, *m_layer.context().client);
    m_requestComplete = e.endStream;
    m_isConnect = m_flow->request.isConnect() && m_layer.mode() == HttpLayer::Mode::Regular;
    if (m_isConnect && m_layer.clientIsHttp2()) {
        // A tunnel inside one HTTP/2 stream (RFC 9113 8.5) is not proxied yet.
        fail(QStringLiteral("CONNECT over HTTP/2 to the proxy is not supported; use HTTP/1.1 "
                            "to the proxy for tunnels"),
             501);
        return;
    }

    if (!e.protocol.isEmpty()) {
        m_protocol = e.protocol;
        if (!startExtendedConnect())
            return;
    }

    QString error;
    if (!resolveDestination(error)) {
        fail(error, 400);
        return;
    }
    if (m_requestComplete)
        m_flow->request.timestampEnd = m_flow->request.timestampStart;
    if (!authorize())
        m_isConnect = false; // answered like any request: no tunnel is opened
    m_hookedScheme = m_flow->request.scheme;
    m_hookedHost = m_flow->request.host;
    m_hookedPort = m_flow->request.port;
    runHook(m_isConnect ? HookKind::HttpConnect : HookKind::RequestHeaders);
}

// proxyauth (proxy_auth.h, mitmproxy's proxyauth addon): on an HTTP proxy port every request
// and CONNECT carries Proxy-Authorization (a tunnel's requests were authorised at CONNECT);
// in reverse mode the server's own Authorization/401 pair is used. A refusal is a 407 (401)
// response prepared here and sent like an answer without a server: the connection stays open,
// so the client can retry with credentials on it, as curl and browsers do.
bool HttpStream::authorize()
{
    const Options& o = m_layer.context().opts();
    if (o.proxyauth.isEmpty())
        return true;
    const auto& mode = m_layer.context().mode;
    const bool reverse = mode && mode->kind == ProxyMode::Kind::Reverse;
    if (!reverse && m_layer.mode() != HttpLayer::Mode::Regular)
        return true;
    const QByteArray field = reverse ? "authorization" : "proxy-authorization";
    Request& r = m_flow->request;
    QByteArray user;
    QByteArray pass;
    const QByteArray given = r.headers.value(field);
    if (ProxyAuth::parseBasic(given, &user, &pass) && ProxyAuth::verify(o.proxyauth, user, pass)) {
        r.headers.remove(field);
        return true;
    }
    const int status = reverse ? 401 : 407;
    const QString why = given.isEmpty()
                            ? QStringLiteral("authentication required (proxyauth)")
                            : QStringLiteral("authentication failed for user '%1' (proxyauth)")
                                  .arg(QString::fromUtf8(user));
    m_layer.log(LogLevel::Info, QStringLiteral("%1: %2").arg(QString::fromUtf8(r.url()), why));
    Response answer = Response::make(status, errorPage(status, why));
    answer.httpVersion = r.httpVersion;
    answer.headers.set(reverse ? "WWW-Authenticate" : "Proxy-Authenticate",
                       "Basic realm=\"spyglass\"");
    m_flow->response = std::move(answer);
    return false;
}

bool HttpStream::startExtendedConnect()
{
    if (!equalsIgnoreCase(m_protocol, "websocket") || !m_layer.context().opts().websocket) {
        fail(QStringLiteral("extended CONNECT for the protocol \"%1\" is not supported (only "
                            "websocket)")
                 .arg(QString::fromLatin1(m_protocol)),
             501);
        return false;
    }
    // The request as the HTTP/1.1 upgrade it stands for (RFC 8441 5: the key and the
    // Upgrade fields are what HTTP/2 leaves out).
    Headers& h = m_flow->request.headers;
    h.set("Upgrade", "websocket");
    h.set("Connection", "Upgrade");
    QByteArray key;
    const auto& services = m_layer.context().services;
    for (int i = 0; i < 4; ++i) {
        const quint32 r = services && services->random ? services->random()
                                                       : QRandomGenerator::global()->generate();
        for (int b = 0; b < 4; ++b)
            key += char((r >> (8 * b)) & 0xff);
    }
    h.set("Sec-WebSocket-Key", key.toBase64());
    if (!h.contains("sec-websocket-version"))
        h.set("Sec-WebSocket-Version", "13");
    // What follows on the stream belongs to the WebSocket, not to the request.
    m_requestComplete = true;
    return true;
}

void HttpStream::onTunnelData(const HttpEvent& event)
{
    // A client that does not wait for the answer: keep its bytes for the WebSocket, within
    // reason (it should send nothing before the 200, RFC 8441 5).
    constexpr qsizetype kMaxEarlyData = 1 << 20;
    if (const auto* d = std::get_if<RequestData>(&event)) {
        m_earlyTunnelData += d->data;
        if (m_earlyTunnelData.size() > kMaxEarlyData)
            fail(QStringLiteral("the client sent more than %1 bytes on its WebSocket stream before "
                                "the handshake was answered")
                     .arg(kMaxEarlyData),
                 400);
    } else if (std::holds_alternative<RequestEndOfMessage>(event)) {
        m_tunnelClientEnded = true;
    } else if (const auto* r = std::get_if<ResponseData>(&event)) {
        // An HTTP/2 server that speaks first, while the hooks on its answer run.
        m_earlyServerData += r->data;
        if (m_earlyServerData.size() > kMaxEarlyData)
            fail(QStringLiteral("the server sent more than %1 bytes on its WebSocket stream "
                                "while its answer was being handled")
                     .arg(kMaxEarlyData),
                 502);
    } else if (std::holds_alternative<ResponseEndOfMessage>(event)) {
        m_tunnelServerEnded = true;
    }
}

void HttpStream::afterRequestHeadersHook()
{
    if (m_flow->error) {
        kill();
        return;
    }
    if (m_isConnect) {
        if (m_flow->response) {
            // An addon answered the CONNECT (mitmproxy's http_connect): a 2xx opens the tunnel
            // without a server, whatever the strategy (server_replay will answer in it); any
            // other status is the answer, and no tunnel is opened (as for a refused proxyauth).
            const int status = m_flow->response->statusCode;
            if (status >= 200 && status < 300) {
                sendConnectEstablished();
                return;
            }
            m_isConnect = false;
            afterRequestHeadersHook();
            return;
        }
        if (m_layer.context().opts().connectionStrategy == QLatin1String("lazy")) {
            sendConnectEstablished();
            return;
        }
        connectToServer();
        return;
    }
    Request& r = m_flow->request;
    const Options& o = m_layer.context().opts();
    const auto cl = contentLength(r.headers);
    if (o.bodySizeLimit && cl && *cl > *o.bodySizeLimit) {
        fail(QStringLiteral("request body of %1 bytes exceeds body_size_limit (%2)")
                 .arg(*cl)
                 .arg(formatSize(o.bodySizeLimit)),
             413);
        return;
    }
    if (r.headers.value("expect").toLower() == "100-continue") {
        // Like mitmproxy: answer the client ourselves, so the body flows to us at once.
        r.headers.remove("expect");
        Response cont;
        cont.httpVersion = r.httpVersion;
        cont.statusCode = 100;
        cont.reason = "Continue";
        m_layer.sendToClient(ResponseHeaders{m_streamId, cont, false});
    }
    if (!m_requestComplete && o.streamLargeBodies && cl && *cl > *o.streamLargeBodies &&
        !m_flow->response) {
        startRequestStreaming();
        return;
    }
    if (m_requestComplete)
        onRequestEnd();
}

void HttpStream::onRequestData(const QByteArray& data)
{
    BodyInfo& body = m_flow->request.body;
    body.size += data.size();
    const Options& o = m_layer.context().opts();
    if (o.bodySizeLimit && body.size > *o.bodySizeLimit) {
        fail(QStringLiteral("request body exceeds body_size_limit (%1)")
                 .arg(formatSize(o.bodySizeLimit)),
             413);
        return;
    }
    if (m_requestStreaming) {
        if (m_requestHeadSent)
            m_layer.sendToServer(m_server, RequestData{m_streamId, data});
        else
            m_pendingRequestData += data;
        return;
    }
    body.content += data;
    if (o.streamLargeBodies && body.content.size() > *o.streamLargeBodies)
        startRequestStreaming();
}

void HttpStream::onRequestTrailers(const Headers& trailers)
{
    m_flow->request.trailers = trailers;
    if (m_requestStreaming && m_requestHeadSent)
        m_layer.sendToServer(m_server, RequestTrailers{m_streamId, trailers});
}

void HttpStream::startRequestStreaming()
{
    // The body is too large to hold: record what we have, forward the rest as it comes.
    m_requestStreaming = true;
    m_flow->request.body.streamed = true;
    m_pendingRequestData = std::exchange(m_flow->request.body.content, {});
    runHook(HookKind::Request);
}

void HttpStream::onRequestEnd()
{
    m_requestComplete = true;
    m_flow->request.timestampEnd = m_layer.now();
    if (m_requestStreaming) {
        if (m_requestHeadSent && !m_requestSentComplete) {
            m_requestSentComplete = true;
            m_layer.sendToServer(m_server, RequestEndOfMessage{m_streamId});
        }
        return;
    }
    runHook(HookKind::Request);
}

void HttpStream::afterRequestHook()
{
    m_requestHookDone = true;
    if (m_flow->error) {
        kill(); // by an addon (block_list 444, a script)
        return;
    }
    if (m_flow->response) {
        // Answered without a server (map_local, block_list, a script).
        m_responseComplete = true;
        m_flow->live = false;
        runHook(HookKind::Response);
        return;
    }
    // An addon may have sent the request elsewhere (map_remote, a script): a plain proxy
    // request can go to any http:// server; inside a tunnel the server is the tunnel's.
    const Request& r = m_flow->request;
    const bool moved =
        r.scheme != m_hookedScheme || r.host != m_hookedHost || r.port != m_hookedPort;
    if (moved && (m_layer.mode() == HttpLayer::Mode::Transparent || r.scheme != "http")) {
        fail(QStringLiteral("the request was redirected to %1, but %2")
                 .arg(QString::fromUtf8(r.url()),
                      m_layer.mode() == HttpLayer::Mode::Transparent
                          ? QStringLiteral("inside a tunnel only the path can change")
                          : QStringLiteral("a plain proxy request can only go to http:// URLs")),
             502);
        return;
    }
    connectToServer();
}

void HttpStream::connectToServer()
{
    m_wait = Wait::Connection;
    // Upstream mode with an HTTP parent: plain requests go to the parent (absolute-form),
    // over connections kept for any host; tunnels are opened by UpstreamProxyLayer.
    const auto& mode = m_layer.context().mode;
    if (!m_isConnect && mode && mode->upstreamHttp() && m_layer.mode() == HttpLayer::Mode::Regular)
        m_layer.requestServer(*this, Address{mode->host, mode->port});
    else
        m_layer.requestServer(*this, Address{m_flow->request.host, m_flow->request.port});
}

void HttpStream::onServerConnection(const ConnectionPtr& conn, const QString& error)
{
    if (m_done)
        return;
    if (!conn) {
        if (m_wait == Wait::Hook || !m_queue.empty()) {
            // Events the server sent before it closed are still queued behind a hook (a
            // complete "Connection: close" response, say): judge after they are processed.
            m_serverGoneError = error;
            return;
        }
        if (m_wait == Wait::Connection)
            m_wait = Wait::Nothing;
        if (m_responseComplete)
            return;
        // The shell's and the TLS layer's messages already name the address.
        const QString message = error;
        if (m_server)
            refresh(m_flow->server, *m_server);
        m_server.reset();
        fail(message, 502);
        return;
    }
    m_wait = Wait::Nothing;
    m_server = conn;
    refresh(m_flow->server, *conn);
    const bool http1Upgrade =
        m_protocol.isEmpty() && !m_layer.clientIsHttp2() && m_layer.context().opts().websocket &&
        m_flow->request.method == "GET" && m_flow->request.headers.hasToken("upgrade", "websocket");
    if ((http1Upgrade || !m_protocol.isEmpty()) && m_layer.serverIsHttp2(conn) &&
        !m_layer.serverSettingsKnown(conn)) {
        // Whether it takes RFC 8441 is in its SETTINGS, its first frame: wait for them.
        m_wait = Wait::Connection;
        m_layer.awaitServerSettings(*this, conn);
        return;
    }
    if (http1Upgrade && m_layer.serverIsHttp2(conn) &&
        m_layer.serverSupportsExtendedConnect(conn)) {
        // The reverse translation: an HTTP/1.1 client's upgrade to an HTTP/2 server that
        // takes RFC 8441 goes as extended CONNECT; its 200 comes back as the 101.
        m_protocol = "websocket";
        m_reverseUpgrade = true;
    }
    if ((!m_protocol.isEmpty() || http1Upgrade) && m_layer.serverIsHttp2(conn) &&
        !m_layer.serverSupportsExtendedConnect(conn)) {
        // No RFC 8441 there (its SETTINGS said so): the WebSocket goes over an HTTP/1.1
        // connection of its own, as a browser would do without the proxy. That holds for an
        // HTTP/1.1 client's upgrade too: as a plain HTTP/2 GET it would lose its Upgrade.
        m_server.reset();
        m_wait = Wait::Connection;
        m_layer.requestHttp1Server(*this, conn);
        return;
    }
    if (m_isConnect) {
        sendConnectEstablished();
        return;
    }
    sendRequestHead();
    drain();
}

void HttpStream::sendRequestHead()
{
    Request head = m_flow->request;
    head.body = {};
    head.trailers = {};
    head.headers.remove("proxy-connection");
    if (m_server->via.isValid() && m_server->peer == m_server->via) {
        // To an HTTP parent proxy (upstream mode): absolute-form, and its credentials.
        head.path = m_flow->request.url();
        const QString& auth = m_layer.context().opts().upstreamAuth;
        if (!auth.isEmpty())
            head.headers.set("Proxy-Authorization", "Basic " + auth.toUtf8().toBase64());
    }
    if (!m_requestStreaming) {
        // The body may have been changed by an addon: make the framing match it.
        if (!m_flow->request.headers.contains("transfer-encoding")) {
            const qint64 n = m_flow->request.body.content.size();
            if (n > 0 || m_flow->request.headers.contains("content-length"))
                head.headers.set("Content-Length", QByteArray::number(n));
        }
    }
    const bool noBody = !m_requestStreaming && m_flow->request.body.content.isEmpty() &&
                        m_flow->request.trailers.isEmpty() &&
                        !head.headers.hasToken("transfer-encoding", "chunked");
    m_layer.sendToServer(m_server, RequestHeaders{m_streamId, head, noBody, m_protocol});
    m_requestHeadSent = true;
    if (noBody) {
        m_requestSentComplete = true;
        return;
    }
    if (m_requestStreaming) {
        if (!m_pendingRequestData.isEmpty())
            m_layer.sendToServer(m_server, RequestData{m_streamId, m_pendingRequestData});
        m_pendingRequestData.clear();
        if (m_requestComplete) {
            if (!m_flow->request.trailers.isEmpty())
                m_layer.sendToServer(m_server,
                                     RequestTrailers{m_streamId, m_flow->request.trailers});
            m_requestSentComplete = true;
            m_layer.sendToServer(m_server, RequestEndOfMessage{m_streamId});
        }
        return;
    }
    sendBufferedRequest();
}

void HttpStream::sendBufferedRequest()
{
    if (!m_flow->request.body.content.isEmpty())
        m_layer.sendToServer(m_server, RequestData{m_streamId, m_flow->request.body.content});
    if (!m_flow->request.trailers.isEmpty())
        m_layer.sendToServer(m_server, RequestTrailers{m_streamId, m_flow->request.trailers});
    m_requestSentComplete = true;
    m_layer.sendToServer(m_server, RequestEndOfMessage{m_streamId});
}

void HttpStream::sendConnectEstablished()
{
    Response ok;
    ok.httpVersion = "HTTP/1.1";
    ok.statusCode = 200;
    ok.reason = "Connection established";
    m_flow->request.timestampEnd = m_layer.now();
    m_layer.sendToClient(ResponseHeaders{m_streamId, ok, true});
    ConnectionPtr server = m_server;
    if (!server) {
        server = makeConnection(Connection::Role::Server);
        server->peer = Address{m_flow->request.host, m_flow->request.port};
    }
    m_done = true;
    m_layer.startTunnel(server);
}

// --- response --------------------------------------------------------------------------------

void HttpStream::onResponseHeaders(const ResponseHeaders& e)
{
    m_flow->response = e.response;
    m_flow->response->timestampStart = m_layer.now();
    refresh(m_flow->server, *m_server);
    m_responseComplete = e.endStream;
    if (m_reverseUpgrade && e.response.statusCode == 101) {
        // What the HTTP/1.1 client needs of a 101 that HTTP/2 does not carry (RFC 6455 4.2.2).
        Headers& h = m_flow->response->headers;
        h.set("Upgrade", "websocket");
        h.set("Connection", "Upgrade");
        const QByteArray key = m_flow->request.headers.value("sec-websocket-key").trimmed();
        h.set("Sec-WebSocket-Accept",
              QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                       QCryptographicHash::Sha1)
                  .toBase64());
    }
    runHook(HookKind::ResponseHeaders);
}

void HttpStream::afterResponseHeadersHook()
{
    Response& r = *m_flow->response;
    const Options& o = m_layer.context().opts();
    const bool noBody = responseHasNoBody(m_flow->request.method, r.statusCode);
    const auto cl = noBody ? std::optional<qint64>(0) : contentLength(r.headers);
    if (o.bodySizeLimit && cl && *cl > *o.bodySizeLimit) {
        fail(QStringLiteral("response body of %1 bytes exceeds body_size_limit (%2)")
                 .arg(*cl)
                 .arg(formatSize(o.bodySizeLimit)),
             502);
        return;
    }
    if (!m_responseComplete && o.streamLargeBodies && cl && *cl > *o.streamLargeBodies) {
        startResponseStreaming();
        return;
    }
    if (m_responseComplete)
        onResponseEnd();
}

void HttpStream::startResponseStreaming()
{
    m_responseStreaming = true;
    Response& r = *m_flow->response;
    r.body.streamed = true;
    Response head = r;
    head.body = {};
    m_layer.sendToClient(ResponseHeaders{m_streamId, head, false});
    m_responseHeadSent = true;
    // Like mitmproxy, a streamed body is not kept: only its size is recorded.
    if (!r.body.content.isEmpty())
        m_layer.sendToClient(ResponseData{m_streamId, std::exchange(r.body.content, {})});
}

void HttpStream::onResponseData(const QByteArray& data)
{
    BodyInfo& body = m_flow->response->body;
    body.size += data.size();
    const Options& o = m_layer.context().opts();
    if (o.bodySizeLimit && body.size > *o.bodySizeLimit) {
        fail(QStringLiteral("response body exceeds body_size_limit (%1)")
                 .arg(formatSize(o.bodySizeLimit)),
             502);
        return;
    }
    if (m_responseStreaming) {
        m_layer.sendToClient(ResponseData{m_streamId, data});
        return;
    }
    body.content += data;
    if (o.streamLargeBodies && body.content.size() > *o.streamLargeBodies)
        startResponseStreaming();
}

void HttpStream::onResponseEnd()
{
    m_responseComplete = true;
    m_flow->response->timestampEnd = m_layer.now();
    // After a 101 the connection carries another protocol: the layer hands it to a tunnel
    // once the answer has reached the client, so it is neither reused nor closed here.
    if (m_server && m_flow->response->statusCode != 101) {
        refresh(m_flow->server, *m_server);
        m_layer.releaseServer(m_server, m_streamId, m_requestSentComplete);
        m_server.reset();
    }
    if (m_responseStreaming) {
        if (!m_flow->response->trailers.isEmpty())
            m_layer.sendToClient(ResponseTrailers{m_streamId, m_flow->response->trailers});
        m_layer.sendToClient(ResponseEndOfMessage{m_streamId});
        m_flow->live = false;
        runHook(HookKind::Response);
        return;
    }
    // A WebSocket handshake stays live: the WebSocketLayer records the messages into it.
    if (WebSocketLayer::takesOver(*m_flow, m_layer.context().opts()))
        m_flow->websocket = std::make_shared<const WebSocketData>();
    m_flow->live = m_flow->websocket != nullptr;
    runHook(HookKind::Response);
}

void HttpStream::afterResponseHook()
{
    if (!m_responseStreaming) {
        if (m_flow->error) {
            kill();
            return;
        }
        const int status = m_flow->response->statusCode;
        if (!m_protocol.isEmpty() && !m_flow->websocket && status >= 200 && status < 300) {
            // A 2xx on the HTTP/2 stream would tell the client its WebSocket is open.
            fail(QStringLiteral("the server answered %1 instead of switching to WebSocket")
                     .arg(status),
                 502);
            return;
        }
        sendResponseToClient();
    }
    finish();
    if (!m_protocol.isEmpty() && m_flow->websocket && m_server) {
        // The stream is a WebSocket from now on: the layer relays and records it. What
        // either side sent while the hooks ran is still queued: it goes first.
        for (; !m_queue.empty(); m_queue.pop_front())
            onTunnelData(m_queue.front());
        HttpLayer::TunnelStart start{std::exchange(m_earlyTunnelData, {}), m_tunnelClientEnded,
                                     std::exchange(m_earlyServerData, {}), m_tunnelServerEnded};
        m_layer.startStreamWebSocket(m_streamId, std::exchange(m_server, {}), m_flow,
                                     std::move(start));
    }
}

void HttpStream::sendResponseToClient()
{
    Response head = *m_flow->response;
    head.body = {};
    head.trailers = {};
    const QByteArray& body = m_flow->response->body.content;
    const bool noBody = responseHasNoBody(m_flow->request.method, head.statusCode);
    char digits[24];
    const QByteArrayView length = decimalDigits(quint64(body.size()), digits);
    if (!noBody && !head.headers.hasToken("transfer-encoding", "chunked") &&
        !holdsOnly(head.headers, "content-length", length))
        head.headers.set("Content-Length", length.toByteArray());
    const bool endStream = noBody || (body.isEmpty() && m_flow->response->trailers.isEmpty() &&
                                      !head.headers.hasToken("transfer-encoding", "chunked"));
    m_layer.sendToClient(ResponseHeaders{m_streamId, head, endStream});
    m_responseHeadSent = true;
    if (endStream)
        return;
    if (!body.isEmpty())
        m_layer.sendToClient(ResponseData{m_streamId, body});
    if (!m_flow->response->trailers.isEmpty())
        m_layer.sendToClient(ResponseTrailers{m_streamId, m_flow->response->trailers});
    m_layer.sendToClient(ResponseEndOfMessage{m_streamId});
}

// --- errors and the end ----------------------------------------------------------------------

void HttpStream::fail(const QString& message, int status)
{
    if (m_failed || m_done)
        return;
    m_failed = true;
    m_queue.clear();
    m_flow->error = FlowError{message, m_layer.now()};
    m_flow->live = false;
    m_layer.log(LogLevel::Info, message);
    if (m_server) {
        refresh(m_flow->server, *m_server);
        m_layer.abortServer(m_server, m_streamId);
        m_server.reset();
    }
    if (status && !m_responseHeadSent) {
        Response r = Response::make(status, errorPage(status, message));
        r.headers.add("Connection", "close");
        m_layer.sendToClient(ResponseHeaders{m_streamId, r, false});
        m_layer.sendToClient(ResponseData{m_streamId, r.body.content});
        m_layer.sendToClient(ResponseEndOfMessage{m_streamId});
    } else if (m_responseHeadSent && !m_responseComplete) {
        // Half a response went out: closing is the only way to tell the client.
        m_layer.abortClient(m_streamId);
    }
    runHook(HookKind::Error);
}

void HttpStream::kill()
{
    // mitmproxy's flow.kill(): no answer at all. HTTP/1 closes the client connection, HTTP/2
    // resets the stream; the flow keeps the error ("Connection killed.").
    const QString message = m_flow->error->message;
    m_flow->error.reset();
    fail(message, 0);
    m_layer.abortClient(m_streamId);
}

void HttpStream::afterErrorHook()
{
    finish();
}

void HttpStream::onClientGone(const QString& why)
{
    if (m_done)
        return;
    if (m_server) {
        m_layer.abortServer(m_server, m_streamId);
        m_server.reset();
    }
    const bool started = !m_flow->request.method.isEmpty();
    const bool finalHookRan =
        m_failed || (m_wait == Wait::Hook && m_pendingHook == HookKind::Response && !m_flow->live);
    m_done = true;
    if (started && !finalHookRan) {
        // Record the abandoned exchange; nobody waits for the hook's reply.
        m_flow->error = FlowError{why, m_layer.now()};
        m_flow->live = false;
        if (wantsHook(HookKind::Error)) {
            auto hook = std::make_shared<HookData>();
            hook->kind = HookKind::Error;
            hook->flow = m_flow;
            m_layer.hook(*this, hook);
        }
    }
}

void HttpStream::finish()
{
    m_done = true;
}

} // namespace spyglass::layers
