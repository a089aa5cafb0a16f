#include "layers/http/http1_wire.h"

#include "flow/connection.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

namespace spyglass::layers::http {

namespace {

// tchar (RFC 9110 5.6.2) as a table: heads are written for every message.
constexpr std::array<bool, 256> kTchar = [] {
    std::array<bool, 256> t{};
    for (int c = 'a'; c <= 'z'; ++c)
        t[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c)
        t[c] = true;
    for (int c = '0'; c <= '9'; ++c)
        t[c] = true;
    for (const char c : std::string_view("!#$%&'*+-.^_`|~"))
        t[static_cast<unsigned char>(c)] = true;
    return t;
}();

// A request-target is visible ASCII without spaces (RFC 9112 3.2).
bool targetByteAllowed(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
}

QByteArray percentEncodedTarget(QByteArrayView target)
{
    QByteArray out;
    out.reserve(target.size() * 3);
    for (const char c : target) {
        if (targetByteAllowed(c)) {
            out += c;
        } else {
            const auto u = static_cast<unsigned char>(c);
            out += '%';
            out += "0123456789ABCDEF"[u >> 4];
            out += "0123456789ABCDEF"[u & 0xf];
        }
    }
    return out;
}

// Whether any of the eight bytes of `word` is CR, LF or NUL (a byte is zero exactly when
// subtracting 1 borrows into its top bit while its own top bit was clear).
bool hasCrLfNul(quint64 word)
{
    constexpr quint64 ones = 0x0101010101010101u;
    constexpr quint64 highs = 0x8080808080808080u;
    const auto hasZero = [](quint64 w) { return ((w - ones) & ~w & highs) != 0; };
    return hasZero(word) || hasZero(word ^ (ones * '\r')) || hasZero(word ^ (ones * '\n'));
}

// Writes a head into the end of `wire`, sized once to at least what it takes (fields that
// are dropped only make it shorter): Qt's QByteArray::append goes through insert() and costs
// more than the copy for pieces this short. finish() cuts `wire` to what was written.
class HeadWriter
{
public:
    HeadWriter(QByteArray& wire, qsizetype atMost) : m_wire(wire)
    {
        const qsizetype start = wire.size();
        wire.resize(start + atMost);
        m_p = wire.data() + start;
    }
    void put(QByteArrayView s)
    {
        if (!s.isEmpty())
            std::memcpy(m_p, s.data(), size_t(s.size()));
        m_p += s.size();
    }
    void put(char c) { *m_p++ = c; }
    // CR, LF and NUL would end the line early or confuse the peer: they become spaces.
    bool putNeutralised(QByteArrayView s)
    {
        char* c = m_p;
        put(s);
        // Eight bytes at a time: a value almost never holds one of the three.
        for (; m_p - c >= 8; c += 8) {
            quint64 word;
            std::memcpy(&word, c, 8);
            if (hasCrLfNul(word))
                break;
        }
        bool changed = false;
        for (; c != m_p; ++c) {
            if (*c == '\r' || *c == '\n' || *c == '\0') {
                *c = ' ';
                changed = true;
            }
        }
        return changed;
    }
    void putCrlf()
    {
        put('\r');
        put('\n');
    }
    void finish() { m_wire.truncate(m_p - m_wire.constData()); }

private:
    QByteArray& m_wire;
    char* m_p = nullptr;
};

// RFC 9112 6.2: a message with Transfer-Encoding carries no Content-Length (the pair is
// what request smuggling is made of), so the Content-Length fields are left out.
bool leaveOutContentLength(const Headers& headers, QStringList& debug)
{
    if (headers.contains("transfer-encoding") && headers.contains("content-length")) {
        debug << QStringLiteral("left out Content-Length: the message has Transfer-Encoding");
        return true;
    }
    return false;
}

// At most the bytes the fields take as "name: value\r\n".
qsizetype fieldsSize(const Headers& headers)
{
    qsizetype n = 0;
    for (const auto& [name, value] : headers.fields())
        n += name.size() + value.size() + 4;
    return n;
}

void writeFields(HeadWriter& out, const Headers& headers, bool skipContentLength,
                 QStringList& debug)
{
    for (const auto& f : headers.fields()) {
        const auto& [name, value] = f;
        if (!http1IsToken(name)) {
            debug << QStringLiteral("dropped header field with invalid name \"%1\"")
                         .arg(QString::fromLatin1(name.toPercentEncoding()));
            continue;
        }
        if (skipContentLength && equalsIgnoreCase(name, "content-length"))
            continue;
        out.put(name);
        out.put(": ");
        if (out.putNeutralised(value))
            debug << QStringLiteral("replaced CR/LF/NUL in the value of header field \"%1\"")
                         .arg(QString::fromLatin1(name));
        out.putCrlf();
    }
}

} // namespace

bool http1IsToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    // Eight bytes per branch: every field name of every head passes through here twice.
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* const end = p + s.size();
    for (; end - p >= 8; p += 8)
        if (!(kTchar[p[0]] & kTchar[p[1]] & kTchar[p[2]] & kTchar[p[3]] & kTchar[p[4]] &
              kTchar[p[5]] & kTchar[p[6]] & kTchar[p[7]]))
            return false;
    for (; p != end; ++p)
        if (!kTchar[*p])
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
    HeadWriter out(wire, fieldsSize(headers));
    writeFields(out, headers, false, debug);
    out.finish();
}

QString http1WriteRequestHead(const Request& request, QByteArray& wire, QStringList& debug)
{
    if (!http1IsToken(request.method))
        return QStringLiteral("cannot send a request with the method \"%1\"")
            .arg(QString::fromLatin1(request.method.toPercentEncoding()));
    const bool http1 = request.httpVersion.startsWith("HTTP/1.");
    const QByteArrayView version = request.httpVersion == "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1";
    const auto hostPort = [&request] {
        const Address destination{request.host, request.port};
        return destination.isValid() ? destination.toString() : QByteArray();
    };

    QByteArray target;
    if (request.isConnect()) {
        target = request.authority.isEmpty() ? hostPort() : request.authority;
        if (target.isEmpty())
            return QStringLiteral("cannot send CONNECT without a destination");
    } else {
        target = request.path.isEmpty() ? QByteArray("/") : request.path;
    }
    if (!std::all_of(target.cbegin(), target.cend(), targetByteAllowed)) {
        target = percentEncodedTarget(target);
        debug << QStringLiteral("percent-encoded characters not allowed in a request target");
    }

    QByteArray host;
    if (!http1 && !request.headers.contains("host"))
        host = request.authority.isEmpty() ? hostPort() : request.authority;
    const bool skipLength = leaveOutContentLength(request.headers, debug);

    qsizetype size = request.method.size() + 1 + target.size() + 1 + version.size() + 2;
    if (!host.isEmpty())
        size += 6 + host.size() + 2;
    size += fieldsSize(request.headers) + 2;

    HeadWriter out(wire, size);
    out.put(request.method);
    out.put(' ');
    out.put(target);
    out.put(' ');
    out.put(version);
    out.putCrlf();
    if (!host.isEmpty()) {
        out.put("Host: ");
        out.putNeutralised(host);
        out.putCrlf();
    }
    writeFields(out, request.headers, skipLength, debug);
    out.putCrlf();
    out.finish();
    return {};
}

QString http1WriteResponseHead(const Response& response, QByteArray& wire, QStringList& debug)
{
    if (response.statusCode < 100 || response.statusCode > 999)
        return QStringLiteral("cannot send a response with the status code %1")
            .arg(response.statusCode);
    const QByteArrayView version = response.httpVersion == "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1";
    const QByteArray standardReason =
        response.reason.isEmpty() ? http1ReasonPhrase(response.statusCode) : QByteArray();
    const QByteArrayView reason = response.reason.isEmpty() ? QByteArrayView(standardReason)
                                                            : QByteArrayView(response.reason);
    const char status[3] = {char('0' + response.statusCode / 100),
                            char('0' + response.statusCode / 10 % 10),
                            char('0' + response.statusCode % 10)};
    const bool reasonNeutralised = std::any_of(
        reason.begin(), reason.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
    if (reasonNeutralised)
        debug << QStringLiteral("replaced CR/LF/NUL in the reason phrase");
    const bool skipLength = leaveOutContentLength(response.headers, debug);
    const qsizetype size =
        version.size() + 1 + 3 + 1 + reason.size() + 2 + fieldsSize(response.headers) + 2;

    HeadWriter out(wire, size);
    out.put(version);
    out.put(' ');
    out.put(QByteArrayView(status, 3));
    out.put(' ');
    out.putNeutralised(reason);
    out.putCrlf();
    writeFields(out, response.headers, skipLength, debug);
    out.putCrlf();
    out.finish();
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
