#include "flow/http_message.h"
#include "flow/connection.h"

#include <QUrl>

namespace spyglass {

namespace {

bool isAsciiDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isAsciiLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// A dotted quad as QUrl writes it back unchanged: four decimal numbers 0-255, no leading zeros.
bool isCanonicalIpv4(QByteArrayView host)
{
    int parts = 0;
    qsizetype from = 0;
    while (from <= host.size()) {
        qsizetype dot = host.indexOf('.', from);
        if (dot < 0)
            dot = host.size();
        const QByteArrayView part = host.sliced(from, dot - from);
        if (part.isEmpty() || part.size() > 3 || (part.size() > 1 && part[0] == '0'))
            return false;
        int value = 0;
        for (const char c : part) {
            if (!isAsciiDigit(c))
                return false;
            value = value * 10 + (c - '0');
        }
        if (value > 255 || ++parts > 4)
            return false;
        from = dot + 1;
    }
    return parts == 4;
}

// A host name QUrl keeps as it is apart from lower case, and QUrl::toAce leaves alone:
// letters, digits and inner hyphens in labels of 1-63 bytes, starting with a letter, none
// of them an A-label ("xn--").
bool isPlainHostName(QByteArrayView host)
{
    if (host.isEmpty() || host.size() > 253 || !isAsciiLetter(host[0]))
        return false;
    qsizetype from = 0;
    while (from <= host.size()) {
        qsizetype dot = host.indexOf('.', from);
        if (dot < 0)
            dot = host.size();
        const QByteArrayView label = host.sliced(from, dot - from);
        if (label.isEmpty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        if (label.size() >= 4 && label.first(4).compare("xn--", Qt::CaseInsensitive) == 0)
            return false;
        for (const char c : label)
            if (!isAsciiLetter(c) && !isAsciiDigit(c) && c != '-')
                return false;
        from = dot + 1;
    }
    return true;
}

// Bytes that QUrl's strict mode takes in a path or query as they are (RFC 3986 unreserved,
// sub-delims, ':', '@', '/', '?'); '%' is left to QUrl, which checks the escapes.
bool isPlainPathByte(char c)
{
    if (isAsciiLetter(c) || isAsciiDigit(c))
        return true;
    switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
    case '/':
    case '?':
        return true;
    default:
        return false;
    }
}

// Reads the common absolute-form URL "scheme://host[:port][/path][?query]" (a plain host
// name or a dotted quad, nothing QUrl would rewrite or refuse) without QUrl, whose parse
// costs more than the rest of a request's head. Returns false, having changed nothing, for
// anything else: QUrl decides those.
bool readPlainUrl(QByteArrayView url, QByteArray* scheme, QByteArray* host, int* port)
{
    const qsizetype sep = url.indexOf("://");
    if (sep < 2 || sep > 5)
        return false;
    QByteArray s = url.first(sep).toByteArray().toLower();
    if (s != "http" && s != "https" && s != "ws" && s != "wss")
        return false;
    const qsizetype authStart = sep + 3;
    qsizetype authEnd = authStart;
    while (authEnd < url.size() && url[authEnd] != '/' && url[authEnd] != '?')
        ++authEnd;
    for (qsizetype i = authEnd; i < url.size(); ++i)
        if (!isPlainPathByte(url[i]))
            return false;
    QByteArrayView hostPart = url.sliced(authStart, authEnd - authStart);
    int p = -1;
    const qsizetype colon = hostPart.indexOf(':');
    if (colon >= 0) {
        const QByteArrayView digits = hostPart.sliced(colon + 1);
        if (digits.isEmpty() || digits.size() > 5)
            return false;
        p = 0;
        for (const char c : digits) {
            if (!isAsciiDigit(c))
                return false;
            p = p * 10 + (c - '0');
        }
        if (p > 65535)
            return false;
        hostPart = hostPart.first(colon);
    }
    if (!isCanonicalIpv4(hostPart) && !isPlainHostName(hostPart))
        return false;
    *scheme = std::move(s);
    *host = hostPart.toByteArray().toLower();
    *port = p;
    return true;
}

} // namespace

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
    QByteArray plainScheme;
    QByteArray plainHost;
    int plainPort = -1;
    if (readPlainUrl(url, &plainScheme, &plainHost, &plainPort)) {
        scheme = std::move(plainScheme);
        host = std::move(plainHost);
        port = quint16(plainPort < 0 ? defaultPort(scheme) : plainPort);
    } else {
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
    }
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
