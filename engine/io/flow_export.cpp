#include "io/flow_export.h"

#include "io/content_coding.h"

#include <QRegularExpression>
#include <QStringDecoder>
#include <algorithm>
#include <cctype>
#include <optional>

namespace spyglass {

namespace {

// Bodies are decoded for export up to this size; a larger decoded body stays as recorded.
constexpr qint64 maxDecodedSize = qint64(1) << 30;

// The message fields that export needs, decoded as mitmproxy's `decode(strict=False)`.
struct Message
{
    Headers headers;
    Headers trailers;
    std::optional<QByteArray> content; // nullopt: not recorded (streamed)
};

bool isPseudo(const QByteArray& name)
{
    return name.startsWith(':');
}

Headers withoutPseudo(const Headers& in)
{
    Headers out;
    for (const Headers::Field& f : in.fields())
        if (!isPseudo(f.first))
            out.add(f.first, f.second);
    return out;
}

// mitmproxy Headers.__setitem__: replace in place keeping the name's case, else append.
void setHeader(Headers& h, const QByteArray& lowerName, const QByteArray& value)
{
    for (const Headers::Field& f : h.fields())
        if (equalsIgnoreCase(f.first, lowerName)) {
            h.set(f.first, value);
            return;
        }
    h.add(lowerName, value);
}

Message decoded(const Headers& headers, const Headers& trailers, const BodyInfo& body)
{
    Message m{withoutPseudo(headers), trailers, std::nullopt};
    if (body.streamed)
        return m;
    m.content = body.content;
    if (body.content.isEmpty()) // mitmproxy leaves a missing or empty body alone
        return m;
    const QByteArray ce = m.headers.joined("content-encoding");
    if (!ce.isEmpty()) {
        if (auto d = ContentCoding::decode(ContentCoding::parse(ce), body.content, maxDecodedSize))
            m.content = *d;
    }
    m.headers.remove("content-encoding");
    if (!m.headers.contains("transfer-encoding"))
        setHeader(m.headers, "content-length", QByteArray::number(m.content->size()));
    return m;
}

// A literal IPv4 or IPv6 address (what mitmproxy's peername always is).
bool isIpLiteral(const QByteArray& host)
{
    if (host.contains(':'))
        return std::all_of(host.cbegin(), host.cend(), [](char c) {
            return isxdigit(uchar(c)) || c == ':' || c == '.' || c == '%';
        });
    const QList<QByteArray> parts = host.split('.');
    if (parts.size() != 4)
        return false;
    for (const QByteArray& p : parts) {
        bool ok = false;
        if (p.isEmpty() || p.size() > 3 || p.toUInt(&ok) > 255 || !ok)
            return false;
    }
    return true;
}

bool isHttp2(const QByteArray& version)
{
    return version == "HTTP/2.0" || version == "HTTP/3";
}

// mitmproxy Request.host_header.
QByteArray hostHeader(const Request& r)
{
    if (isHttp2(r.httpVersion) && !r.authority.isEmpty())
        return r.authority;
    return r.headers.joined("host");
}

// mitmproxy url.parse_authority(check=False): host and port (0 if none); on malformed input
// the whole authority as host.
std::pair<QByteArray, quint16> parseAuthority(const QByteArray& authority)
{
    static const QRegularExpression re(QStringLiteral("^([^:]+|\\[.+\\])(?::(\\d+))?$"));
    const QRegularExpressionMatch m = re.match(QString::fromLatin1(authority));
    if (!m.hasMatch())
        return {authority, 0};
    QByteArray host = m.captured(1).toLatin1();
    if (host.startsWith('[') && host.endsWith(']'))
        host = host.mid(1, host.size() - 2);
    if (m.hasCaptured(2)) {
        bool ok = false;
        const uint port = m.captured(2).toUInt(&ok);
        if (!ok || port == 0 || port > 65535)
            return {authority, 0};
        return {host, quint16(port)};
    }
    return {host, 0};
}

QByteArray prettyHost(const Request& r)
{
    const QByteArray h = hostHeader(r);
    return h.isEmpty() ? r.host : parseAuthority(h).first;
}

// mitmproxy url.unparse: scheme://host[:port]path, the port left out when it is the default.
QByteArray unparse(const QByteArray& scheme, const QByteArray& host, quint16 port,
                   const QByteArray& path)
{
    QByteArray out = scheme + "://" + host;
    if (port != defaultPort(scheme) || (scheme != "http" && scheme != "https"))
        out += ':' + QByteArray::number(port);
    if (path != "*")
        out += path;
    return out;
}

QByteArray prettyUrl(const Request& r)
{
    if (r.isConnect())
        return r.authority.isEmpty() ? r.path : r.authority;
    const QByteArray h = hostHeader(r);
    if (h.isEmpty())
        return unparse(r.scheme, r.host, r.port, r.path);
    auto [host, port] = parseAuthority(h);
    if (port == 0)
        port = (r.scheme == "http" || r.scheme == "https") ? defaultPort(r.scheme) : 443;
    return unparse(r.scheme, host, port, r.path);
}

// mitmproxy's parse_content_type(...)[2].get("charset"): case-sensitive key, value unquoted.
QByteArray charsetOf(const QByteArray& contentType)
{
    const qsizetype semi = contentType.indexOf(';');
    const QByteArray type = semi < 0 ? contentType : contentType.left(semi);
    if (!type.contains('/') || semi < 0)
        return {};
    QByteArray charset;
    for (const QByteArray& clause : contentType.mid(semi + 1).split(';')) {
        const qsizetype eq = clause.indexOf('=');
        if (eq >= 0 && clause.left(eq).trimmed() == "charset")
            charset = clause.mid(eq + 1).trimmed(); // the last one wins, as in a dict
    }
    return charset;
}

// mitmproxy http.infer_content_encoding.
QByteArray inferEncoding(const QByteArray& contentType, const QByteArray& content)
{
    QByteArray enc;
    if (content.startsWith(QByteArrayView("\x00\x00\xfe\xff", 4)))
        enc = "utf-32be";
    else if (content.startsWith(QByteArrayView("\xff\xfe\x00\x00", 4)))
        enc = "utf-32le";
    else if (content.startsWith("\xfe\xff"))
        enc = "utf-16be";
    else if (content.startsWith("\xff\xfe"))
        enc = "utf-16le";
    else if (content.startsWith("\xef\xbb\xbf"))
        enc = "utf-8-sig";
    else
        enc = charsetOf(contentType);
    auto search = [&](const char* pattern) -> QByteArray {
        const QRegularExpression re(QString::fromLatin1(pattern),
                                    QRegularExpression::CaseInsensitiveOption);
        const QRegularExpressionMatch m = re.match(QString::fromLatin1(content));
        return m.hasMatch() ? m.captured(1).toLatin1() : QByteArray();
    };
    if (enc.isEmpty() && contentType.contains("json"))
        enc = "utf8";
    if (enc.isEmpty() && contentType.contains("html")) {
        enc = search(R"(<meta[^>]+charset=['"]?([^'">]+))");
        if (enc.isEmpty())
            enc = "utf8";
    }
    if (enc.isEmpty() && contentType.contains("xml")) {
        enc = search(R"(<\?xml[^\?>]+encoding=['"]([^'"\?>]+))");
        if (enc.isEmpty())
            enc = "utf8";
    }
    if (enc.isEmpty() && (contentType.contains("javascript") || contentType.contains("ecmascript")))
        enc = "utf8";
    if (enc.isEmpty() && contentType.contains("text/css")) {
        enc = search(R"re(^@charset "([^"]+)";)re");
        if (enc.isEmpty())
            enc = "utf8";
    }
    if (enc.isEmpty())
        enc = "latin-1";
    if (enc.toLower() == "gb2312" || enc.toLower() == "gbk")
        enc = "gb18030";
    return enc;
}

// Python's strict codecs.decode for the encodings that matter; nullopt when the bytes are not
// valid in that encoding or the encoding is unknown.
std::optional<QString> decodeText(const QByteArray& content, QByteArray encoding)
{
    encoding = encoding.toLower().replace('_', '-');
    if (encoding == "latin-1" || encoding == "latin1" || encoding == "iso-8859-1" ||
        encoding == "iso8859-1" || encoding == "l1" || encoding == "cp819")
        return QString::fromLatin1(content);
    if (encoding == "ascii" || encoding == "us-ascii") {
        for (char c : content)
            if (uchar(c) >= 0x80)
                return std::nullopt;
        return QString::fromLatin1(content);
    }
    QStringDecoder dec;
    using Flag = QStringConverter::Flag;
    if (encoding == "utf-8-sig")
        dec = QStringDecoder(QStringConverter::Utf8, Flag::Stateless);
    else if (encoding == "utf-8" || encoding == "utf8" || encoding == "u8")
        dec = QStringDecoder(QStringConverter::Utf8, Flag::Stateless | Flag::ConvertInitialBom);
    else if (encoding == "utf-16le")
        dec = QStringDecoder(QStringConverter::Utf16LE, Flag::Stateless | Flag::ConvertInitialBom);
    else if (encoding == "utf-16be")
        dec = QStringDecoder(QStringConverter::Utf16BE, Flag::Stateless | Flag::ConvertInitialBom);
    else if (encoding == "utf-32le")
        dec = QStringDecoder(QStringConverter::Utf32LE, Flag::Stateless | Flag::ConvertInitialBom);
    else if (encoding == "utf-32be")
        dec = QStringDecoder(QStringConverter::Utf32BE, Flag::Stateless | Flag::ConvertInitialBom);
    else
        dec = QStringDecoder(encoding.constData(), Flag::Stateless);
    if (!dec.isValid())
        return std::nullopt;
    QString text = dec.decode(content);
    if (dec.hasError())
        return std::nullopt;
    return text;
}

const QString notUnicode = QStringLiteral("Request content must be valid unicode");

// mitmproxy request_content_for_console, already quoted for the shell; nullopt (and `*error`)
// if the body is not text in its charset.
std::optional<QByteArray> contentForConsole(const Message& m, QString* error)
{
    std::optional<QString> text =
        decodeText(*m.content, inferEncoding(m.headers.joined("content-type"), *m.content));
    if (!text || text->isEmpty()) {
        *error = notUnicode;
        return std::nullopt;
    }
    const bool anyControl =
        std::any_of(text->cbegin(), text->cend(), [](QChar c) { return c.unicode() < 32; });
    if (!anyControl)
        return FlowExport::shellQuote(text->toUtf8());
    // printf reads its argument as a format: keep '%' and '\' of the body as they are (a
    // deviation from mitmproxy, which lets printf change them).
    QString format;
    for (qsizetype i = 0; i < text->size(); ++i) {
        const QChar c = text->at(i);
        if (c.unicode() < 32)
            format += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else if (c == QLatin1Char('%'))
            format += QStringLiteral("%%");
        else if (c == QLatin1Char('\\'))
            format += QStringLiteral("\\\\");
        else
            format += c;
    }
    return "\"$(printf " + FlowExport::shellQuote(format.toUtf8()) + ")\"";
}

QByteArray joinQuoted(const QList<QByteArray>& args)
{
    QByteArray out;
    for (const QByteArray& a : args) {
        if (!out.isEmpty())
            out += ' ';
        out += FlowExport::shellQuote(a);
    }
    return out;
}

// cleanup_request + pop_headers.
bool commandRequest(const HttpFlow& flow, Request* r, Message* m, QString* error)
{
    if (flow.kind != FlowKind::Http || flow.request.method.isEmpty()) {
        *error = QStringLiteral("Can't export flow with no request.");
        return false;
    }
    *r = flow.request;
    *m = decoded(r->headers, r->trailers, r->body);
    m->headers.remove("content-length");
    if (m->headers.contains("host") && m->headers.joined("host") == r->host)
        m->headers.remove("host");
    r->headers = m->headers; // for hostHeader() and prettyUrl()
    return true;
}

QByteArray headerBlock(const Headers& h)
{
    QByteArray out;
    for (const Headers::Field& f : h.fields())
        out += f.first + ": " + f.second + "\r\n";
    return out;
}

// mitmproxy assemble_body.
bool appendBody(QByteArray& out, const Message& m, QString* error)
{
    if (m.headers.joined("transfer-encoding").toLower().contains("chunked")) {
        if (!m.content->isEmpty())
            out += QByteArray::number(m.content->size(), 16) + "\r\n" + *m.content + "\r\n";
        if (!m.trailers.isEmpty())
            out += "0\r\n" + headerBlock(m.trailers) + "\r\n";
        else
            out += "0\r\n\r\n";
        return true;
    }
    if (!m.trailers.isEmpty()) {
        *error =
            QStringLiteral("Sending HTTP/1.1 trailer headers requires transfer-encoding: chunked");
        return false;
    }
    out += *m.content;
    return true;
}

} // namespace

QStringList FlowExport::formats()
{
    return {QStringLiteral("curl"), QStringLiteral("httpie"), QStringLiteral("raw"),
            QStringLiteral("raw_request"), QStringLiteral("raw_response")};
}

bool FlowExport::isFormat(const QString& format)
{
    return formats().contains(format);
}

QByteArray FlowExport::exportFlow(const QString& format, const HttpFlow& flow,
                                  const Options& options, QString* error)
{
    QString err;
    QByteArray out;
    if (format == QLatin1String("curl"))
        out = curl(flow, options, &err);
    else if (format == QLatin1String("httpie"))
        out = httpie(flow, &err);
    else if (format == QLatin1String("raw"))
        out = raw(flow, &err);
    else if (format == QLatin1String("raw_request"))
        out = rawRequest(flow, &err);
    else if (format == QLatin1String("raw_response"))
        out = rawResponse(flow, &err);
    else
        err = QStringLiteral("No such export format: %1").arg(format);
    if (!err.isEmpty()) {
        if (error)
            *error = err;
        return {};
    }
    return out;
}

QByteArray FlowExport::shellQuote(const QByteArray& word)
{
    if (word.isEmpty())
        return "''";
    bool safe = true;
    for (char c : word) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || QByteArrayView("_@%+=:,./-").contains(c);
        if (!ok) {
            safe = false;
            break;
        }
    }
    if (safe)
        return word;
    QByteArray out = word;
    out.replace('\'', "'\"'\"'");
    return '\'' + out + '\'';
}

QByteArray FlowExport::curl(const HttpFlow& flow, const Options& options, QString* error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    Request r;
    Message m;
    if (!commandRequest(flow, &r, &m, error))
        return {};
    QList<QByteArray> args{"curl"};
    // mitmproxy uses the server's peer IP: the address the socket connected to (peername);
    // flows recorded without one fall back to the address dialled, when that is an IP.
    const QByteArray serverAddr =
        flow.server.peername.isValid() ? flow.server.peername.host : flow.server.peer.host;
    const QByteArray host = prettyHost(r);
    if (options.exportPreserveOriginalIp && !serverAddr.isEmpty() && isIpLiteral(serverAddr) &&
        host != serverAddr) {
        args << "--resolve" << host + ':' + QByteArray::number(r.port) + ":[" + serverAddr + ']';
    }
    for (const Headers::Field& f : m.headers.fields()) {
        if (equalsIgnoreCase(f.first, "accept-encoding"))
            args << "--compressed";
        else
            args << "-H" << f.first + ": " + f.second;
    }
    const QByteArray method = r.method.toUpper();
    const bool hasContent = m.content && !m.content->isEmpty();
    if (method != "GET") {
        if (!hasContent)
            args << "-H"
                 << "content-length: 0";
        args << "-X" << method;
    }
    args << prettyUrl(r);
    QByteArray command = joinQuoted(args);
    if (hasContent) {
        const std::optional<QByteArray> data = contentForConsole(m, error);
        if (!data)
            return {};
        command += m.content->startsWith('@') ? " --data-raw " : " -d ";
        command += *data;
    }
    return command;
}

QByteArray FlowExport::httpie(const HttpFlow& flow, QString* error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    Request r;
    Message m;
    if (!commandRequest(flow, &r, &m, error))
        return {};
    QList<QByteArray> args{"http", r.method.toUpper(), prettyUrl(r)};
    for (const Headers::Field& f : m.headers.fields())
        args << f.first + ": " + f.second;
    QByteArray command = joinQuoted(args);
    if (m.content && !m.content->isEmpty()) {
        const std::optional<QByteArray> data = contentForConsole(m, error);
        if (!data)
            return {};
        command += " <<< " + *data;
    }
    return command;
}

QByteArray FlowExport::rawRequest(const HttpFlow& flow, QString* error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (flow.kind != FlowKind::Http || flow.request.method.isEmpty()) {
        *error = QStringLiteral("Can't export flow with no request.");
        return {};
    }
    const Request& r = flow.request;
    const Message m = decoded(r.headers, r.trailers, r.body);
    if (!m.content) {
        *error = QStringLiteral("Request content missing.");
        return {};
    }
    // mitmproxy keeps the authority (and so writes the absolute form) only for HTTP/2: in
    // regular mode it turns an HTTP/1 request to the proxy into origin form before recording
    // it. Spyglass records the authority the client sent; the export writes what mitmproxy
    // would have recorded.
    QByteArray out;
    if (r.isConnect())
        out = r.method + ' ' + (r.authority.isEmpty() ? r.path : r.authority) + ' ' + r.httpVersion;
    else if (!r.authority.isEmpty() && isHttp2(r.httpVersion))
        out = r.method + ' ' + r.scheme + "://" + r.authority + r.path + ' ' + r.httpVersion;
    else
        out = r.method + ' ' + r.path + ' ' + r.httpVersion;
    out += "\r\n" + headerBlock(m.headers) + "\r\n";
    if (!appendBody(out, m, error))
        return {};
    return out;
}

QByteArray FlowExport::rawResponse(const HttpFlow& flow, QString* error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (flow.kind != FlowKind::Http || !flow.response) {
        *error = QStringLiteral("Can't export flow with no response.");
        return {};
    }
    const Response& r = *flow.response;
    const Message m = decoded(r.headers, r.trailers, r.body);
    if (!m.content) {
        *error = QStringLiteral("Response content missing.");
        return {};
    }
    // HTTP/2 has no reason phrase: mitmproxy records none and writes "HTTP/2.0 200 ".
    const QByteArray reason = isHttp2(r.httpVersion) ? QByteArray() : r.reason;
    QByteArray out = r.httpVersion + ' ' + QByteArray::number(r.statusCode) + ' ' + reason;
    out += "\r\n" + headerBlock(m.headers) + "\r\n";
    if (!appendBody(out, m, error))
        return {};
    return out;
}

QByteArray FlowExport::raw(const HttpFlow& flow, QString* error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    const bool http = flow.kind == FlowKind::Http;
    const bool requestPresent =
        http && !flow.request.method.isEmpty() && !flow.request.body.streamed;
    const bool responsePresent = http && flow.response && !flow.response->body.streamed;
    if (requestPresent && responsePresent) {
        QByteArray out = rawRequest(flow, error);
        if (out.isEmpty())
            return {};
        const QByteArray response = rawResponse(flow, error);
        if (response.isEmpty())
            return {};
        out += "\r\n\r\n" + response;
        if (flow.websocket) {
            out += "\r\n\r\n";
            bool first = true;
            for (const WebSocketMessage& msg : flow.websocket->messages) {
                if (!first)
                    out += '\n';
                first = false;
                out += (msg.fromClient ? "[OUTGOING] " : "[INCOMING] ") + msg.content;
            }
        }
        return out;
    }
    if (requestPresent)
        return rawRequest(flow, error);
    if (responsePresent)
        return rawResponse(flow, error);
    *error = QStringLiteral("Can't export flow with no request or response.");
    return {};
}

} // namespace spyglass
