#include "flow/http_message.h"
#include "flow/connection.h"

#include <QUrl>

namespace spyglass {

quint16 defaultPort(QByteArrayView scheme)
{
    if (scheme == "https" || scheme == "wss")
        return 443;
    return 80;
}

QByteArray Request::url() const
{
    if (isConnect())
        return Address{host, port}.toString();
    QByteArray out = scheme + "://";
    out += host.contains(':') ? '[' + host + ']' : host;
    if (port != defaultPort(scheme))
        out += ':' + QByteArray::number(port);
    out += path.startsWith('/') || path.isEmpty() ? path : '/' + path;
    return out;
}

QByteArray Request::hostHeader() const
{
    const QByteArray h = headers.value("host");
    return h.isEmpty() ? authority : h;
}

bool Request::setUrl(const QByteArray& url)
{
    const QUrl u = QUrl::fromEncoded(url, QUrl::StrictMode);
    if (!u.isValid() || u.host().isEmpty())
        return false;
    const QByteArray s = u.scheme().toLatin1().toLower();
    if (s != "http" && s != "https" && s != "ws" && s != "wss")
        return false;
    scheme = s;
    host = QUrl::toAce(u.host());
    if (host.isEmpty())
        host = u.host().toLatin1();
    port = quint16(u.port(defaultPort(scheme)));
    // The path travels exactly as the client wrote it: find it after the authority.
    const qsizetype authStart = url.indexOf("//") + 2;
    const qsizetype pathStart = url.indexOf('/', authStart);
    const qsizetype queryStart = url.indexOf('?', authStart);
    qsizetype start = pathStart;
    if (queryStart >= 0 && (pathStart < 0 || queryStart < pathStart))
        start = queryStart;
    path = start < 0 ? QByteArray("/") : url.mid(start);
    if (path.startsWith('?'))
        path.prepend('/');
    return true;
}

Response Response::make(int status, const QByteArray& body, const QByteArray& contentType)
{
    Response r;
    r.httpVersion = "HTTP/1.1";
    r.statusCode = status;
    r.reason = defaultReason(status);
    if (!contentType.isEmpty())
        r.headers.add("Content-Type", contentType);
    r.headers.add("Content-Length", QByteArray::number(body.size()));
    r.body.content = body;
    r.body.size = body.size();
    return r;
}

QByteArray defaultReason(int code)
{
    switch (code) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 407:
        return "Proxy Authentication Required";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "";
    }
}

} // namespace spyglass
