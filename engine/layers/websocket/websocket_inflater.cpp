#include "layers/websocket/websocket_inflater.h"

#include <zlib.h>

namespace spyglass::layers::websocket {

struct WebSocketInflater::Stream
{
    z_stream z{};
    bool ok = false;
};

WebSocketInflater::WebSocketInflater() : m_stream(std::make_unique<Stream>())
{
    m_stream->ok = inflateInit2(&m_stream->z, -MAX_WBITS) == Z_OK;
}

WebSocketInflater::~WebSocketInflater()
{
    if (m_stream->ok)
        inflateEnd(&m_stream->z);
}

WebSocketInflater::Result WebSocketInflater::inflateMessage(const QByteArray& compressed,
                                                            qint64 maxSize)
{
    Result r;
    if (!m_stream->ok) {
        r.error = QStringLiteral("permessage-deflate: zlib could not be initialised");
        return r;
    }
    static const char tail[4] = {'\x00', '\x00', '\xff', '\xff'};
    QByteArray input = compressed;
    input.append(tail, 4);

    z_stream& z = m_stream->z;
    z.next_in = reinterpret_cast<Bytef*>(input.data());
    z.avail_in = uInt(input.size());
    qsizetype produced = 0;
    const qsizetype limit = qsizetype(qMax<qint64>(maxSize, 0)) + 1; // one byte more: "too big"
    qsizetype capacity = qMin(qMax<qsizetype>(4096, input.size() * 4), limit);
    r.data.resize(capacity);
    for (;;) {
        if (produced == capacity) {
            if (capacity == limit) {
                r.tooBig = true;
                r.error = QStringLiteral("decompressed WebSocket message exceeds the limit of "
                                         "%1 bytes")
                              .arg(maxSize);
                r.data.clear();
                // The stream stopped inside a message; the connection is failed anyway.
                return r;
            }
            capacity = qMin(capacity * 2, limit);
            r.data.resize(capacity);
        }
        z.next_out = reinterpret_cast<Bytef*>(r.data.data() + produced);
        z.avail_out = uInt(capacity - produced);
        const int ret = inflate(&z, Z_SYNC_FLUSH);
        produced = capacity - qsizetype(z.avail_out);
        if (ret == Z_STREAM_END) {
            // The sender ended the DEFLATE stream (BFINAL): the next message starts afresh.
            inflateReset(&z);
            break;
        }
        if (ret != Z_OK && ret != Z_BUF_ERROR) {
            r.error = QStringLiteral("invalid permessage-deflate data: %1")
                          .arg(QString::fromLatin1(z.msg ? z.msg : "zlib error"));
            r.data.clear();
            return r;
        }
        if (z.avail_out == 0)
            continue; // more output may be pending
        if (z.avail_in == 0)
            break;
        if (ret == Z_BUF_ERROR) {
            r.error = QStringLiteral("invalid permessage-deflate data: no progress");
            r.data.clear();
            return r;
        }
    }
    r.data.truncate(produced);
    z.next_in = nullptr;
    z.avail_in = 0;
    return r;
}

} // namespace spyglass::layers::websocket
