#pragma once
// Decompresses the messages one peer sends under permessage-deflate (RFC 7692 7.2.2): raw
// DEFLATE, each message's payload followed by the 0x00 0x00 0xff 0xff that the sender took
// off. One inflater per direction, kept from message to message, because a sender with
// context takeover refers back to earlier messages. It always uses a 32 KiB window, which
// reads every smaller *_max_window_bits, and works whether or not the sender takes over
// context. WebSocketDeflater is its counterpart.

#include <QByteArray>
#include <QString>
#include <memory>

namespace spyglass::layers::websocket {

class WebSocketInflater
{
public:
    WebSocketInflater();
    ~WebSocketInflater();
    WebSocketInflater(const WebSocketInflater&) = delete;
    WebSocketInflater& operator=(const WebSocketInflater&) = delete;

    struct Result
    {
        QByteArray data;
        QString error;       // empty on success
        bool tooBig = false; // the output would exceed maxSize (error says so too)
    };
    // One message's compressed payload (its frames' payloads joined). Output beyond `maxSize`
    // bytes stops decompression (a small message can inflate to gigabytes).
    Result inflateMessage(const QByteArray& compressed, qint64 maxSize);

private:
    struct Stream;
    std::unique_ptr<Stream> m_stream;
};

} // namespace spyglass::layers::websocket
