#pragma once
// Reads what one peer says on a WebSocket connection: frames (WebSocketFrameParser) joined
// into messages, permessage-deflate undone, control frames handed out as they come, also
// between the fragments of a message (RFC 6455 5.4). Pure and incremental, like the parser;
// one reader per direction, owned by WebSocketLayer. Counterpart: wsproto `frame_protocol.py`
// FrameProtocol / MessageDecoder.
//
// Refused, as an Error with its close code (then nothing more comes out):
//  - everything the frame parser refuses (1002, 1009);
//  - 1002: a continuation frame with no message to continue, a new text/binary frame while
//    a fragmented message is open, a Close payload of one byte or with a code that must not
//    be sent;
//  - 1007: a text message or a Close reason that is not valid UTF-8, compressed data that
//    does not inflate;
//  - 1009: a message (compressed or decompressed) larger than `maxMessageSize`.
//
// Each message and control frame carries `raw`: its frames exactly as received, so that
// the layer can forward the original bytes (masking included) when nothing changed them.

#include "layers/websocket/websocket_frame_parser.h"

#include <memory>
#include <optional>
#include <variant>

namespace spyglass::layers::websocket {

class WebSocketInflater;

class WebSocketMessageReader
{
public:
    using Sender = WebSocketFrameParser::Sender;
    using Error = WebSocketFrameParser::Error;
    using NeedMore = WebSocketFrameParser::NeedMore;

    struct Message
    {
        bool isText = false;
        bool compressed = false; // RSV1 was set: `content` is inflated
        QByteArray content;
        QByteArray raw;
        qsizetype largestFramePayload = 0; // how the sender cut it (for re-framing)
    };
    // Ping or Pong.
    struct Control
    {
        Opcode opcode = Opcode::Ping;
        QByteArray payload;
        QByteArray raw;
    };
    struct Close
    {
        std::optional<quint16> code; // none: the Close frame had an empty payload
        QString reason;
        QByteArray raw;
    };
    using Event = std::variant<NeedMore, Message, Control, Close, Error>;

    WebSocketMessageReader(Sender sender, qint64 maxMessageSize);
    ~WebSocketMessageReader();

    // permessage-deflate was negotiated: RSV1 marks compressed messages.
    void enableDeflate();

    void feed(const QByteArray& data) { m_parser.feed(data); }
    Event next();
    bool failed() const { return m_error.has_value(); }
    qsizetype buffered() const { return m_parser.buffered(); }

private:
    Event fail(quint16 code, const QString& message);
    Event closeFrom(WebSocketFrameParser::Frame&& f);
    Event finishMessage();

    WebSocketFrameParser m_parser;
    const qint64 m_maxMessageSize;
    std::unique_ptr<WebSocketInflater> m_inflater;
    std::optional<Error> m_error;

    // The message being assembled.
    bool m_inMessage = false;
    bool m_isText = false;
    bool m_compressed = false;
    QByteArray m_payload;
    QByteArray m_raw;
    qsizetype m_largestFrame = 0;
};

} // namespace spyglass::layers::websocket
