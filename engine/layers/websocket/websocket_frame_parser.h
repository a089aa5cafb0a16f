#pragma once
// Cuts the bytes of one direction of a WebSocket connection into frames (RFC 6455 5.2),
// incrementally: bytes arrive in any pieces, a frame comes out once it is whole. Pure: no
// clock, no I/O. WebSocketMessageReader sits on top and joins fragments into messages.
//
// What it refuses, each a close code and a message (then it stops; nothing more comes out):
//  - 1002: an opcode RFC 6455 does not define; RSV2/RSV3 set, or RSV1 set without
//    permessage-deflate or on a control frame or a continuation; a control frame that is
//    fragmented or longer than 125 bytes; a frame from a client that is not masked, or from a
//    server that is (5.1); a 64-bit length with its most significant bit set.
//  - 1009: a frame whose payload is larger than the limit (the message limit: a frame can
//    never be larger than its message), refused from its header, before it is buffered.
// Lengths in a longer form than needed are accepted (the RFC says MUST use the shortest, but
// a relay gains nothing by refusing them).
//
// Each frame comes with `raw`, its exact bytes on the wire, so that the proxy can forward
// what it received untouched.

#include "layers/websocket/websocket_frame.h"

#include <variant>

namespace spyglass::layers::websocket {

class WebSocketFrameParser
{
public:
    // Who sends the frames this parser reads: a client masks every frame, a server none.
    enum class Sender : quint8
    {
        Client,
        Server
    };

    struct Frame
    {
        WebSocketFrame frame;
        QByteArray raw;
    };
    struct Error
    {
        quint16 code = CloseCode::ProtocolError;
        QString message;
    };
    struct NeedMore
    {
    };
    using Result = std::variant<NeedMore, Frame, Error>;

    WebSocketFrameParser(Sender sender, qint64 maxPayload);

    // permessage-deflate was negotiated: RSV1 may be set on the first frame of a message.
    void setRsv1Allowed(bool allowed) { m_rsv1Allowed = allowed; }

    void feed(const QByteArray& data);
    // The next whole frame, or NeedMore, or an Error (and from then on the same Error).
    Result next();

    // Bytes received and not yet returned as frames.
    qsizetype buffered() const { return m_buffer.size() - m_pos; }
    bool failed() const { return m_error.has_value(); }

private:
    Result fail(quint16 code, const QString& message);

    const Sender m_sender;
    const qint64 m_maxPayload;
    bool m_rsv1Allowed = false;
    QByteArray m_buffer;
    qsizetype m_pos = 0; // start of the first unparsed frame in m_buffer
    std::optional<Error> m_error;
};

} // namespace spyglass::layers::websocket
