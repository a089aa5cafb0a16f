#include "layers/http/http1_wire.h"

#include "flow/connection.h"

namespace spyglass::layers::http {

namespace {

bool isTchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

// CR, LF and NUL would end the line early or confuse the peer: they become spaces.
QByteArray neutralised(const QByteArray& value, bool* changed)
{
    QByteArray out = value;
    for (char& c : out) {
        if (c == '\r' || c == '\n' || c == '\0') {
            c = ' ';
            *changed = true;
        }
    }
    return out;
}

// A request-target is visible ASCII without spaces (RFC 9112 3.2).
QByteArray safeTarget(const QByteArray& target, bool* changed)
{
    QByteArray out;
    out.reserve(target.size());
    for (const char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f) {
            out += '%' + QByteArray::number(u, 16).toUpper().rightJustified(2, '0');
            *changed = true;
        } else {
            out += c;
        }
    }
    return out;
}

// RFC 9112 6.2: a message with Transfer-Encoding carries no Content-Length (the pair is
// what request smuggling is made of), so the Content-Length fields are left out.
Headers withoutConflictingLength(const Headers& headers, QStringList& debug)
{
    Headers out = headers;
    if (out.contains("transfer-encoding") && out.remove("content-length") > 0)
        debug << QStringLiteral("left out Content-Length: the message has Transfer-Encoding");
    return out;
}

} // namespace

bool http1IsToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (const char c : s)
        if (!isTchar(c))
            return false;
    return true;
}

bool http1EndsInChunked(const Headers& headers)
{
    const QList<QByteArray> codings = headers.joined("transfer-encoding").split(',');
    for (auto it = codings.crbegin(); it != codings.crend(); ++it) {
        const QByteArray c = it->trimmed();
        if (!c.isEmpty())
            return equalsIgnoreCase(c, "chunked");
    }
    return false;
}

void http1AppendFields(QByteArray& wire, const Headers& headers, QStringList& debug)
{
    for (const auto& [name, value] : headers.fields()) {
        if (!http1IsToken(name)) {
            debug << QStringLiteral("dropped header field with invalid name \"%1\"")
                         .arg(QString::fromLatin1(name.toPercentEncoding()));
            continue;
        }
        bool changed = false;
        const QByteArray v = neutralised(value, &changed);
        if (changed)
            debug << QStringLiteral("replaced CR/LF/NUL in the value of header field \"%1\"")
                         .arg(QString::fromLatin1(name));
        wire += name + ": " + v + "\r\n";
    }
}

QString http1WriteRequestHead(const Request& request, QByteArray& wire, QStringList& debug)
{
    if (!http1IsToken(request.method))
        return QStringLiteral("cannot send a request with the method \"%1\"")
            .arg(QString::fromLatin1(request.method.toPercentEncoding()));
    const bool http1 = request.httpVersion.startsWith("HTTP/1.");
    const QByteArray version = request.httpVersion == "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1";
    const Address destination{request.host, request.port};
    const QByteArray hostPort = destination.isValid() ? destination.toString() : QByteArray();

    QByteArray target;
    if (request.isConnect()) {
        target = request.authority.isEmpty() ? hostPort : request.authority;
        if (target.isEmpty())
            return QStringLiteral("cannot send CONNECT without a destination");
    } else {
        target = request.path.isEmpty() ? QByteArray("/") : request.path;
    }
    bool changed = false;
    target = safeTarget(target, &changed);
    if (changed)
        debug << QStringLiteral("percent-encoded characters not allowed in a request target");

    QByteArray head = request.method + ' ' + target + ' ' + version + "\r\n";
    if (!http1 && !request.headers.contains("host")) {
        const QByteArray host = request.authority.isEmpty() ? hostPort : request.authority;
        if (!host.isEmpty()) {
            bool hostChanged = false;
            head += "Host: " + neutralised(host, &hostChanged) + "\r\n";
        }
    }
    http1AppendFields(head, withoutConflictingLength(request.headers, debug), debug);
    head += "\r\n";
    wire += head;
    return {};
}

QString http1WriteResponseHead(const Response& response, QByteArray& wire, QStringList& debug)
{
    if (response.statusCode < 100 || response.statusCode > 999)
        return QStringLiteral("cannot send a response with the status code %1")
            .arg(response.statusCode);
    const QByteArray version = response.httpVersion == "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1";
    bool changed = false;
    QByteArray reason = response.reason.isEmpty() ? http1ReasonPhrase(response.statusCode)
                                                  : neutralised(response.reason, &changed);
    if (changed)
        debug << QStringLiteral("replaced CR/LF/NUL in the reason phrase");
    QByteArray head =
        version + ' ' + QByteArray::number(response.statusCode) + ' ' + reason + "\r\n";
    http1AppendFields(head, withoutConflictingLength(response.headers, debug), debug);
    head += "\r\n";
    wire += head;
    return {};
}

QByteArray http1ReasonPhrase(int status)
{
    const QByteArray standard = defaultReason(status);
    if (!standard.isEmpty())
        return standard;
    switch (status) {
    case 102:
        return "Processing";
    case 103:
        return "Early Hints";
    case 411:
        return "Length Required";
    case 426:
        return "Upgrade Required";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return {};
    }
}

QByteArray http1ErrorResponse(int status, const QString& message)
{
    const QByteArray body = message.toUtf8();
    QByteArray out =
        "HTTP/1.1 " + QByteArray::number(status) + ' ' + http1ReasonPhrase(status) + "\r\n";
    out += "Content-Type: text/plain\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n";
    out += body;
    return out;
}

bool http1ParseAuthority(QByteArrayView authority, QByteArray* host, quint16* port)
{
    const qsizetype colon = authority.lastIndexOf(':');
    if (colon <= 0 || colon == authority.size() - 1)
        return false;
    QByteArrayView h = authority.first(colon);
    const QByteArrayView p = authority.sliced(colon + 1);
    if (h.startsWith('[')) {
        if (!h.endsWith(']') || h.size() < 3)
            return false;
        h = h.sliced(1, h.size() - 2);
    } else if (h.contains(':') || h.contains('[') || h.contains(']')) {
        return false;
    }
    for (const char c : h)
        if (c == '@' || c == '/' || c == '?' || c == '#' || c == ' ')
            return false;
    if (p.size() > 5)
        return false;
    for (const char c : p)
        if (c < '0' || c > '9')
            return false;
    const int n = p.toByteArray().toInt();
    if (n < 1 || n > 65535)
        return false;
    *host = h.toByteArray().toLower();
    *port = quint16(n);
    return true;
}

void http1BufferInput(QByteArray& buffer, const QByteArray& data)
{
    if (buffer.isEmpty())
        buffer = data;
    else
        buffer.append(data);
}

void http1ConsumeInput(QByteArray& buffer, qsizetype used)
{
    if (used >= buffer.size())
        buffer.clear();
    else
        buffer.remove(0, used);
}

} // namespace spyglass::layers::http
