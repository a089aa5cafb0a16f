#include "form_codec.h"

#include <QRandomGenerator>

namespace spyglass {

namespace {

QByteArray formDecode(QByteArrayView piece)
{
    QByteArray s = piece.toByteArray();
    s.replace('+', ' ');
    return QByteArray::fromPercentEncoding(s);
}

QByteArray formEncode(const QByteArray& s)
{
    // application/x-www-form-urlencoded (WHATWG URL): *-._ kept, '~' encoded, space as '+'.
    QByteArray out = s.toPercentEncoding(QByteArray("* "), QByteArray("~"));
    out.replace(' ', '+');
    return out;
}

// The value of `name` in a header value's parameters ("form-data; name=\"a\"; filename=b"),
// quotes and backslash escapes undone; nullopt when absent.
std::optional<QByteArray> headerParameter(QByteArrayView value, QByteArrayView name)
{
    qsizetype i = value.indexOf(';');
    while (i >= 0 && i < value.size()) {
        ++i; // past ';'
        while (i < value.size() && (value[i] == ' ' || value[i] == '\t'))
            ++i;
        const qsizetype eq = value.indexOf('=', i);
        const qsizetype semi = value.indexOf(';', i);
        if (eq < 0 || (semi >= 0 && semi < eq)) {
            i = semi;
            continue;
        }
        const QByteArray key = value.sliced(i, eq - i).trimmed().toByteArray().toLower();
        qsizetype j = eq + 1;
        QByteArray v;
        if (j < value.size() && value[j] == '"') {
            for (++j; j < value.size() && value[j] != '"'; ++j) {
                if (value[j] == '\\' && j + 1 < value.size())
                    ++j;
                v += value[j];
            }
            ++j; // past the closing quote
            const qsizetype next = value.indexOf(';', j);
            j = next < 0 ? value.size() : next;
        } else {
            const qsizetype next = value.indexOf(';', j);
            const qsizetype end = next < 0 ? value.size() : next;
            v = value.sliced(j, end - j).trimmed().toByteArray();
            j = end;
        }
        if (key == QByteArray(name.data(), name.size()).toLower())
            return v;
        i = j < value.size() ? j : -1;
    }
    return std::nullopt;
}

// A form-data parameter as browsers write it (HTML's "multipart/form-data encoding
// algorithm"): quoted, with '"', CR and LF percent-encoded.
QByteArray quoted(QByteArray s)
{
    s.replace('"', "%22");
    s.replace('\r', "%0D");
    s.replace('\n', "%0A");
    return '"' + s + '"';
}

} // namespace

QList<FormCodec::Field> FormCodec::parseUrlEncoded(QByteArrayView body)
{
    QList<Field> fields;
    qsizetype start = 0;
    while (start <= body.size()) {
        qsizetype end = body.indexOf('&', start);
        if (end < 0)
            end = body.size();
        const QByteArrayView piece = body.sliced(start, end - start);
        if (!piece.isEmpty()) {
            const qsizetype eq = piece.indexOf('=');
            if (eq < 0)
                fields.append({formDecode(piece), {}});
            else
                fields.append({formDecode(piece.first(eq)), formDecode(piece.sliced(eq + 1))});
        }
        start = end + 1;
    }
    return fields;
}

QByteArray FormCodec::encodeUrlEncoded(const QList<Field>& fields)
{
    QByteArray out;
    for (const Field& f : fields) {
        if (!out.isEmpty())
            out += '&';
        out += formEncode(f.name) + '=' + formEncode(f.value);
    }
    return out;
}

std::optional<QList<FormCodec::Part>> FormCodec::parseMultipart(QByteArrayView body,
                                                                const QByteArray& boundary)
{
    if (boundary.isEmpty())
        return std::nullopt;
    const QByteArray delimiter = "--" + boundary;
    // The first delimiter starts the body or follows a CRLF (after a preamble).
    qsizetype pos = body.startsWith(delimiter) ? 0 : body.indexOf("\r\n" + delimiter);
    if (pos < 0)
        return std::nullopt;
    if (pos > 0)
        pos += 2;
    QList<Part> parts;
    for (;;) {
        qsizetype at = pos + delimiter.size();
        if (body.sliced(at).startsWith("--"))
            return parts; // the closing delimiter; the epilogue is ignored
        const qsizetype lineEnd = body.indexOf("\r\n", at);
        if (lineEnd < 0)
            return std::nullopt;
        at = lineEnd + 2;
        const qsizetype headEnd =
            body.sliced(at).startsWith("\r\n") ? at : body.indexOf("\r\n\r\n", at);
        if (headEnd < 0)
            return std::nullopt;
        Part part;
        if (headEnd > at) {
            for (const QByteArray& line : body.sliced(at, headEnd - at).toByteArray().split('\n')) {
                const QByteArray l = line.endsWith('\r') ? line.chopped(1) : line;
                const qsizetype colon = l.indexOf(':');
                if (colon <= 0)
                    return std::nullopt;
                const QByteArray name = l.left(colon).trimmed();
                const QByteArray value = l.mid(colon + 1).trimmed();
                if (equalsIgnoreCase(name, "content-disposition")) {
                    part.name = headerParameter(value, "name").value_or(QByteArray());
                    part.filename = headerParameter(value, "filename").value_or(QByteArray());
                } else if (equalsIgnoreCase(name, "content-type")) {
                    part.contentType = value;
                } else {
                    part.otherHeaders.add(name, value);
                }
            }
        }
        const qsizetype valueStart = (headEnd == at ? at : headEnd + 2) + 2;
        const qsizetype next = body.indexOf("\r\n" + delimiter, valueStart);
        if (next < 0)
            return std::nullopt;
        part.value = body.sliced(valueStart, next - valueStart).toByteArray();
        parts.append(part);
        pos = next + 2;
    }
}

QByteArray FormCodec::encodeMultipart(const QList<Part>& parts, const QByteArray& boundary)
{
    QByteArray out;
    for (const Part& p : parts) {
        out += "--" + boundary + "\r\n";
        out += "Content-Disposition: form-data; name=" + quoted(p.name);
        if (!p.filename.isEmpty())
            out += "; filename=" + quoted(p.filename);
        out += "\r\n";
        if (!p.contentType.isEmpty())
            out += "Content-Type: " + p.contentType + "\r\n";
        for (const Headers::Field& h : p.otherHeaders.fields())
            out += h.first + ": " + h.second + "\r\n";
        out += "\r\n" + p.value + "\r\n";
    }
    out += "--" + boundary + "--\r\n";
    return out;
}

QByteArray FormCodec::newBoundary()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QByteArray b("----spyglass");
    for (int i = 0; i < 24; ++i)
        b += alphabet[QRandomGenerator::global()->bounded(int(sizeof alphabet - 1))];
    return b;
}

} // namespace spyglass
