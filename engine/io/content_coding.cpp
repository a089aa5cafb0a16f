#include "io/content_coding.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

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

constexpr int brotliQuality = 5;     // of 0..11: 11 is many times slower for a few percent
constexpr int zstdLevel = 3;         // the library's default
constexpr int zstdWindowLogMax = 23; // 8 MiB, RFC 9659 3

std::optional<QByteArray> brotliDecode(QByteArrayView in, qint64 maxSize)
{
    BrotliDecoderState* s = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
    if (!s)
        return std::nullopt;
    QByteArray out;
    uint8_t buf[64 * 1024];
    size_t availIn = size_t(in.size());
    const auto* nextIn = reinterpret_cast<const uint8_t*>(in.data());
    std::optional<QByteArray> result;
    for (;;) {
        size_t availOut = sizeof buf;
        uint8_t* nextOut = buf;
        const BrotliDecoderResult r =
            BrotliDecoderDecompressStream(s, &availIn, &nextIn, &availOut, &nextOut, nullptr);
        const qsizetype produced = qsizetype(sizeof buf - availOut);
        if (out.size() + produced > maxSize)
            break;
        out.append(reinterpret_cast<const char*>(buf), produced);
        if (r == BROTLI_DECODER_RESULT_SUCCESS) {
            // br has no magic number: bytes after the end of the stream are the one sign that
            // this was not br at all (random bytes often read as an empty stream).
            if (availIn == 0)
                result = std::move(out);
            break;
        }
        if (r != BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT)
            break; // damaged, or truncated (it wants more input than there is)
    }
    BrotliDecoderDestroyInstance(s);
    return result;
}

std::optional<QByteArray> brotliEncode(QByteArrayView in)
{
    size_t size = BrotliEncoderMaxCompressedSize(size_t(in.size()));
    if (size == 0)
        return std::nullopt; // too large for one call
    QByteArray out(qsizetype(size), Qt::Uninitialized);
    if (!BrotliEncoderCompress(brotliQuality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC,
                               size_t(in.size()), reinterpret_cast<const uint8_t*>(in.data()),
                               &size, reinterpret_cast<uint8_t*>(out.data())))
        return std::nullopt;
    out.truncate(qsizetype(size));
    return out;
}

// Several frames one after the other decode as their concatenation (RFC 8878 3.1).
std::optional<QByteArray> zstdDecode(QByteArrayView in, qint64 maxSize)
{
    ZSTD_DCtx* ctx = ZSTD_createDCtx();
    if (!ctx)
        return std::nullopt;
    std::optional<QByteArray> result;
    if (!ZSTD_isError(ZSTD_DCtx_setParameter(ctx, ZSTD_d_windowLogMax, zstdWindowLogMax))) {
        QByteArray out;
        char buf[64 * 1024];
        ZSTD_inBuffer input{in.data(), size_t(in.size()), 0};
        for (;;) {
            ZSTD_outBuffer output{buf, sizeof buf, 0};
            const size_t ret = ZSTD_decompressStream(ctx, &output, &input);
            if (ZSTD_isError(ret) || out.size() + qsizetype(output.pos) > maxSize)
                break;
            out.append(buf, qsizetype(output.pos));
            // 0: a frame ended and is flushed whole; with no input left, that was the last.
            if (ret == 0 && input.pos == input.size) {
                result = std::move(out);
                break;
            }
            // Input used up and nothing more to flush, but inside a frame (or before any).
            if (input.pos == input.size && output.pos < output.size)
                break;
        }
    }
    ZSTD_freeDCtx(ctx);
    return result;
}

std::optional<QByteArray> zstdEncode(QByteArrayView in)
{
    QByteArray out(qsizetype(ZSTD_compressBound(size_t(in.size()))), Qt::Uninitialized);
    const size_t n =
        ZSTD_compress(out.data(), size_t(out.size()), in.data(), size_t(in.size()), zstdLevel);
    if (ZSTD_isError(n))
        return std::nullopt;
    out.truncate(qsizetype(n));
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
    return coding == "gzip" || coding == "x-gzip" || coding == "deflate" || coding == "br" ||
           coding == "zstd";
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
        } else if (codings[i] == "br") {
            next = brotliDecode(cur, maxSize);
        } else if (codings[i] == "zstd") {
            next = zstdDecode(cur, maxSize);
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
        std::optional<QByteArray> next;
        if (c == "br")
            next = brotliEncode(cur);
        else if (c == "zstd")
            next = zstdEncode(cur);
        else
            next = deflateData(cur, c == "deflate" ? 15 : 15 + 16);
        if (!next)
            return std::nullopt;
        cur = std::move(*next);
    }
    return cur;
}

} // namespace spyglass
