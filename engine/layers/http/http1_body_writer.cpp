#include "layers/http/http1_body_writer.h"

#include "layers/http/http1_wire.h"

namespace spyglass::layers::http {

namespace {

// RFC 9112 6.3: several Content-Length fields (or a list) are acceptable only when every
// value is the same non-negative integer. Read in place: this runs for every message head.
bool parseContentLength(const Headers& headers, qint64* out)
{
    qint64 result = -1;
    for (const Headers::Field& field : headers.fields()) {
        if (!equalsIgnoreCase(field.first, "content-length"))
            continue;
        QByteArrayView rest(field.second);
        while (true) {
            const qsizetype comma = rest.indexOf(',');
            const QByteArrayView v = (comma < 0 ? rest : rest.first(comma)).trimmed();
            if (v.isEmpty() || v.size() > 18)
                return false;
            qint64 n = 0;
            for (const char c : v) {
                if (c < '0' || c > '9')
                    return false;
                n = n * 10 + (c - '0');
            }
            if (result >= 0 && n != result)
                return false;
            result = n;
            if (comma < 0)
                break;
            rest = rest.sliced(comma + 1);
        }
    }
    if (result < 0)
        return false;
    *out = result;
    return true;
}

} // namespace

Http1BodyWriter::Framing Http1BodyWriter::framingFor(const Headers& headers, bool isResponse,
                                                     qint64* contentLength)
{
    *contentLength = 0;
    if (headers.contains("transfer-encoding")) {
        if (http1EndsInChunked(headers))
            return Framing::Chunked;
        return isResponse ? Framing::UntilClose : Framing::None;
    }
    qint64 length = 0;
    if (parseContentLength(headers, &length)) {
        *contentLength = length;
        return Framing::Length;
    }
    return isResponse ? Framing::UntilClose : Framing::None;
}

Http1BodyWriter::Http1BodyWriter(Framing framing, qint64 contentLength)
    : m_framing(framing), m_contentLength(framing == Framing::Length ? contentLength : 0)
{
}

qint64 Http1BodyWriter::writeData(const QByteArray& data, QByteArray& wire)
{
    const bool unframed =
        m_framing == Framing::UntilClose ||
        (m_framing == Framing::Length && m_contentLength - m_written >= data.size());
    if (wire.isEmpty() && unframed && !data.isEmpty()) {
        wire = data;
        m_written += data.size();
        return 0;
    }
    if (data.isEmpty())
        return 0;
    switch (m_framing) {
    case Framing::None:
        return data.size();
    case Framing::Length: {
        const qint64 room = m_contentLength - m_written;
        const qint64 n = std::min<qint64>(room, data.size());
        wire.append(data.first(n));
        m_written += n;
        return data.size() - n;
    }
    case Framing::Chunked: {
        if (m_lastChunkWritten)
            return data.size();
        // One exactly sized allocation for the chunk: size line, data, CRLF.
        const QByteArray size = QByteArray::number(data.size(), 16);
        wire.reserve(wire.size() + size.size() + data.size() + 4);
        wire.append(size).append("\r\n", 2).append(QByteArrayView(data)).append("\r\n", 2);
        m_written += data.size();
        return 0;
    }
    case Framing::UntilClose:
        wire.append(data);
        m_written += data.size();
        return 0;
    }
    return data.size();
}

bool Http1BodyWriter::writeTrailers(const Headers& trailers, QByteArray& wire, QStringList& debug)
{
    if (m_framing != Framing::Chunked || m_lastChunkWritten)
        return false;
    wire += "0\r\n";
    http1AppendFields(wire, trailers, debug);
    wire += "\r\n";
    m_lastChunkWritten = true;
    return true;
}

bool Http1BodyWriter::finish(QByteArray& wire)
{
    if (m_framing == Framing::Chunked && !m_lastChunkWritten) {
        wire += "0\r\n\r\n";
        m_lastChunkWritten = true;
    }
    return m_framing != Framing::Length || m_written == m_contentLength;
}

} // namespace spyglass::layers::http
