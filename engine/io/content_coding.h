#pragma once
// Content-Encoding: undo and redo the codings a body travelled with. Flows keep bodies as they
// travelled (after de-chunking, still compressed). The HAR writer decodes them (HAR holds
// "content.text ... decoded from any Content-Encoding") and the reader encodes them again; the
// filter language (~b, ~bq, ~bs) matches decoded bodies. Four codings, each by its reference
// library: gzip/x-gzip and deflate (zlib), br (libbrotli), zstd (libzstd). Anything else is
// reported as unsupported and the callers keep or strip the coding as their comments say.
// Decoding is bounded by the caller's `maxSize` (a zip bomb must not take the process down) and,
// for zstd, by an 8 MiB window (RFC 9659 3: what HTTP encoders may use and browsers accept).

#include <QByteArray>
#include <QList>
#include <optional>

namespace spyglass {

class ContentCoding
{
public:
    // The codings of a Content-Encoding value in the order they were applied, lower-case,
    // without "identity".
    static QList<QByteArray> parse(const QByteArray& headerValue);
    static bool isSupported(const QByteArray& coding);

    // Undoes `codings` (the last one applied first). nullopt if a coding is unsupported, the
    // data is damaged or truncated, or the result would be larger than `maxSize` (a zip bomb
    // must not take the process down).
    static std::optional<QByteArray> decode(const QList<QByteArray>& codings, QByteArrayView data,
                                            qint64 maxSize);
    // Applies `codings` in order; nullopt if one is unsupported. br is written at quality 5 and
    // zstd at level 3: the bodies come back smaller, not necessarily byte for byte as they
    // travelled.
    static std::optional<QByteArray> encode(const QList<QByteArray>& codings, QByteArrayView data);
};

} // namespace spyglass
