#pragma once
// Helpers for the WebSocket tests: frames written by hand, and zlib used directly (not the
// code under test) to play a permessage-deflate peer. Test-only, hence the inline bodies.

#include "layers/websocket/websocket_frame.h"

#include <QByteArray>
#include <zlib.h>

namespace spyglass::test {

using layers::websocket::Opcode;
using layers::websocket::WebSocketFrame;

inline QByteArray frame(Opcode op, const QByteArray& payload, bool fin = true, bool rsv1 = false,
                        std::optional<quint32> mask = std::nullopt)
{
    WebSocketFrame f;
    f.opcode = op;
    f.payload = payload;
    f.fin = fin;
    f.rsv1 = rsv1;
    return layers::websocket::encodeFrame(f, mask);
}

// A frame as a client sends it (masked with a fixed key).
inline QByteArray clientFrame(Opcode op, const QByteArray& payload, bool fin = true,
                              bool rsv1 = false)
{
    return frame(op, payload, fin, rsv1, 0x37fa213du);
}

inline QByteArray serverFrame(Opcode op, const QByteArray& payload, bool fin = true,
                              bool rsv1 = false)
{
    return frame(op, payload, fin, rsv1, std::nullopt);
}

inline QByteArray closeBody(quint16 code, const QByteArray& reason)
{
    QByteArray b;
    b.append(char(code >> 8));
    b.append(char(code & 0xff));
    return b + reason;
}

// A permessage-deflate sender (RFC 7692 7.2.1) made with zlib directly.
class ZlibSender
{
public:
    explicit ZlibSender(bool contextTakeover, int windowBits = 15) : m_takeover(contextTakeover)
    {
        deflateInit2(&m_z, Z_BEST_COMPRESSION, Z_DEFLATED, -windowBits, 8, Z_DEFAULT_STRATEGY);
    }
    ~ZlibSender() { deflateEnd(&m_z); }
    ZlibSender(const ZlibSender&) = delete;
    ZlibSender& operator=(const ZlibSender&) = delete;

    QByteArray compress(const QByteArray& message)
    {
        QByteArray out(int(message.size()) + 1024, '\0');
        m_z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(message.constData()));
        m_z.avail_in = uInt(message.size());
        m_z.next_out = reinterpret_cast<Bytef*>(out.data());
        m_z.avail_out = uInt(out.size());
        deflate(&m_z, Z_SYNC_FLUSH);
        out.truncate(out.size() - qsizetype(m_z.avail_out));
        Q_ASSERT(out.endsWith(QByteArray("\x00\x00\xff\xff", 4)));
        out.chop(4);
        if (!m_takeover)
            deflateReset(&m_z);
        return out;
    }

private:
    z_stream m_z{};
    bool m_takeover;
};

// A permessage-deflate receiver made with zlib directly: a window of `windowBits`, kept from
// message to message (it reads senders with and without context takeover).
class ZlibReceiver
{
public:
    explicit ZlibReceiver(int windowBits = 15) { inflateInit2(&m_z, -windowBits); }
    ~ZlibReceiver() { inflateEnd(&m_z); }
    ZlibReceiver(const ZlibReceiver&) = delete;
    ZlibReceiver& operator=(const ZlibReceiver&) = delete;

    void setDictionary(const QByteArray& d)
    {
        inflateSetDictionary(&m_z, reinterpret_cast<const Bytef*>(d.constData()), uInt(d.size()));
    }

    // Empty optional on a zlib error (e.g. "invalid distance too far back").
    std::optional<QByteArray> decompress(const QByteArray& payload)
    {
        QByteArray in = payload + QByteArray("\x00\x00\xff\xff", 4);
        QByteArray out;
        m_z.next_in = reinterpret_cast<Bytef*>(in.data());
        m_z.avail_in = uInt(in.size());
        char buf[16384];
        for (;;) {
            m_z.next_out = reinterpret_cast<Bytef*>(buf);
            m_z.avail_out = sizeof buf;
            const int r = inflate(&m_z, Z_SYNC_FLUSH);
            out.append(buf, qsizetype(sizeof buf - m_z.avail_out));
            if (r != Z_OK && r != Z_BUF_ERROR)
                return std::nullopt;
            if (m_z.avail_in == 0 && m_z.avail_out != 0)
                break;
            if (r == Z_BUF_ERROR && m_z.avail_out != 0)
                return std::nullopt;
        }
        return out;
    }

private:
    z_stream m_z{};
};

// Text that compresses well and refers back to itself.
inline QByteArray chatter(int n, const char* word = "spyglass")
{
    QByteArray out;
    for (int i = 0; i < n; ++i)
        out += QByteArray(word) + ' ' + QByteArray::number(i % 7) + ' ';
    return out;
}

} // namespace spyglass::test
