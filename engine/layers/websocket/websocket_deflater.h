#pragma once
// Compresses messages for one direction under permessage-deflate (RFC 7692 7.2.1): raw
// DEFLATE, sync-flushed, with the trailing 0x00 0x00 0xff 0xff removed. The proxy needs it
// only when it cannot forward what it received: a hook changed or dropped a compressed
// message (WebSocketLayer explains when the whole direction must be re-compressed from then
// on). Counterpart of WebSocketInflater.
//
// windowBits is the direction's negotiated *_max_window_bits, 9..15: zlib cannot write a
// 256-byte window (it turns 8 into 9), so the layer sends uncompressed messages instead when
// 8 was agreed. setDictionary() primes the window with what the receiver decompressed last
// (its inflater holds the same bytes), so a message can refer back into them.

#include <QByteArray>
#include <QByteArrayView>
#include <memory>

namespace spyglass::layers::websocket {

class WebSocketDeflater
{
public:
    WebSocketDeflater(int windowBits, bool noContextTakeover);
    ~WebSocketDeflater();
    WebSocketDeflater(const WebSocketDeflater&) = delete;
    WebSocketDeflater& operator=(const WebSocketDeflater&) = delete;

    bool isValid() const;
    // Only before the first message.
    void setDictionary(QByteArrayView history);
    // One message's payload, ready for frames with RSV1 set on the first.
    QByteArray deflateMessage(QByteArrayView data);

private:
    struct Stream;
    std::unique_ptr<Stream> m_stream;
    const bool m_noContextTakeover;
};

} // namespace spyglass::layers::websocket
