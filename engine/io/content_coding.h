#pragma once
// Content-Encoding for the HAR writer and reader. Flows keep bodies as they travelled (after
// de-chunking, still gzip'd); HAR holds them decoded ("content.text ... decoded from any
// Content-Encoding"), so export decodes and import encodes again. zlib does gzip and deflate,
// the codings that zlib (already linked) can do; anything else (br, zstd) is reported as
// unsupported and the callers keep or strip the coding as their comments say.

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
    // Applies `codings` in order; nullopt if one is unsupported.
    static std::optional<QByteArray> encode(const QList<QByteArray>& codings, QByteArrayView data);
};

} // namespace spyglass
