#include "io/content_coding.h"

#include <zlib.h>

namespace spyglass {

namespace {

constexpr qsizetype zlibChunk = 1 << 30; // zlib counts in uInt

// windowBits: 15 + 32 = zlib or gzip header (auto), 15 = zlib, -15 = raw deflate.
std::optional<QByteArray> inflateData(QByteArrayView in, int windowBits, qint64 maxSize)
{
    z_stream zs{};
    if (inflateInit2(&zs, windowBits) != Z_OK)
        return std::nullopt;
    QByteArray out;
    char buf[64 * 1024];
    const auto* next = reinterpret_cast<const Bytef*>(in.data());
    qsizetype left = in.size();
    bool done = false;
    int members = 0;
    while (!done) {
        if (zs.avail_in == 0 && left > 0) {
            const qsizetype n = qMin(left, zlibChunk);
            zs.next_in = const_cast<Bytef*>(next);
            zs.avail_in = uInt(n);
            next += n;
            left -= n;
        }
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        const int ret = inflate(&zs, Z_NO_FLUSH);
        const qsizetype produced = qsizetype(sizeof buf - zs.avail_out);
        if (out.size() + produced > maxSize) {
            inflateEnd(&zs);
            return std::nullopt;
        }
        out.append(buf, produced);
        if (ret == Z_STREAM_END) {
            ++members;
            // gzip allows several members one after the other (RFC 1952 2.2).
            if ((zs.avail_in > 0 || left > 0) && windowBits > 15) {
                if (inflateReset(&zs) != Z_OK)
                    break;
                continue;
            }
            done = true;
        } else if (ret != Z_OK) {
            break; // damaged, or truncated (no more input and no end of stream)
        }
    }
    inflateEnd(&zs);
    // After a complete gzip member, what follows may be padding: browsers ignore it too.
    if (!done && members == 0)
        return std::nullopt;
    return out;
}

std::optional<QByteArray> deflateData(QByteArrayView in, int windowBits)
{
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        return std::nullopt;
    QByteArray out;
    char buf[64 * 1024];
    const auto* next = reinterpret_cast<const Bytef*>(in.data());
    qsizetype left = in.size();
    int ret = Z_OK;
    while (ret != Z_STREAM_END) {
        if (zs.avail_in == 0 && left > 0) {
            const qsizetype n = qMin(left, zlibChunk);
            zs.next_in = const_cast<Bytef*>(next);
            zs.avail_in = uInt(n);
            next += n;
            left -= n;
        }
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        ret = deflate(&zs, left == 0 ? Z_FINISH : Z_NO_FLUSH);
        if (ret == Z_STREAM_ERROR) {
            deflateEnd(&zs);
            return std::nullopt;
        }
        out.append(buf, qsizetype(sizeof buf - zs.avail_out));
    }
    deflateEnd(&zs);
    return out;
}

} // namespace

QList<QByteArray> ContentCoding::parse(const QByteArray& headerValue)
{
    QList<QByteArray> out;
    for (const QByteArray& part : headerValue.split(',')) {
        const QByteArray c = part.trimmed().toLower();
        if (!c.isEmpty() && c != "identity")
            out.append(c);
    }
    return out;
}

bool ContentCoding::isSupported(const QByteArray& coding)
{
    return coding == "gzip" || coding == "x-gzip" || coding == "deflate";
}

std::optional<QByteArray> ContentCoding::decode(const QList<QByteArray>& codings,
                                                QByteArrayView data, qint64 maxSize)
{
    for (const QByteArray& c : codings)
        if (!isSupported(c))
            return std::nullopt;
    QByteArray cur = data.toByteArray();
    for (qsizetype i = codings.size() - 1; i >= 0; --i) {
        std::optional<QByteArray> next;
        if (codings[i] == "deflate") {
            // The RFC says zlib-wrapped; some servers send raw deflate, as browsers accept.
            next = inflateData(cur, 15, maxSize);
            if (!next)
                next = inflateData(cur, -15, maxSize);
        } else {
            next = inflateData(cur, 15 + 32, maxSize);
        }
        if (!next)
            return std::nullopt;
        cur = std::move(*next);
    }
    return cur;
}

std::optional<QByteArray> ContentCoding::encode(const QList<QByteArray>& codings,
                                                QByteArrayView data)
{
    for (const QByteArray& c : codings)
        if (!isSupported(c))
            return std::nullopt;
    QByteArray cur = data.toByteArray();
    for (const QByteArray& c : codings) {
        std::optional<QByteArray> next = deflateData(cur, c == "deflate" ? 15 : 15 + 16);
        if (!next)
            return std::nullopt;
        cur = std::move(*next);
    }
    return cur;
}

} // namespace spyglass
