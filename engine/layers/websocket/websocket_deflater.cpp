#include "layers/websocket/websocket_deflater.h"

#include <zlib.h>

namespace spyglass::layers::websocket {

struct WebSocketDeflater::Stream
{
    z_stream z{};
    bool ok = false;
};

WebSocketDeflater::WebSocketDeflater(int windowBits, bool noContextTakeover)
    : m_stream(std::make_unique<Stream>()), m_noContextTakeover(noContextTakeover)
{
    const int bits = qBound(9, windowBits, 15);
    m_stream->ok = deflateInit2(&m_stream->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -bits, 8,
                                Z_DEFAULT_STRATEGY) == Z_OK;
}

WebSocketDeflater::~WebSocketDeflater()
{
    if (m_stream->ok)
        deflateEnd(&m_stream->z);
}

bool WebSocketDeflater::isValid() const
{
    return m_stream->ok;
}

void WebSocketDeflater::setDictionary(QByteArrayView history)
{
    if (!m_stream->ok || history.isEmpty())
        return;
    // zlib keeps only the last window's worth of a longer dictionary.
    deflateSetDictionary(&m_stream->z, reinterpret_cast<const Bytef*>(history.data()),
                         uInt(history.size()));
}

QByteArray WebSocketDeflater::deflateMessage(QByteArrayView data)
{
    if (!m_stream->ok)
        return {};
    z_stream& z = m_stream->z;
    z.next_in = const_cast<Bytef*>(reinterpret_cast<const Bytef*>(data.data()));
    z.avail_in = uInt(data.size());
    QByteArray out;
    qsizetype produced = 0;
    qsizetype capacity = qMax<qsizetype>(64, data.size() / 2 + 64);
    out.resize(capacity);
    for (;;) {
        z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
        z.avail_out = uInt(capacity - produced);
        const int ret = deflate(&z, Z_SYNC_FLUSH);
        produced = capacity - qsizetype(z.avail_out);
        if (ret != Z_OK && ret != Z_BUF_ERROR)
            return {};
        if (z.avail_in == 0 && z.avail_out != 0)
            break; // everything consumed and flushed
        capacity *= 2;
        out.resize(capacity);
    }
    out.truncate(produced);
    if (out.endsWith(QByteArrayView("\x00\x00\xff\xff", 4)))
        out.chop(4);
    if (m_noContextTakeover)
        deflateReset(&z);
    z.next_in = nullptr;
    return out;
}

} // namespace spyglass::layers::websocket
