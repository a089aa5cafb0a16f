#pragma once
// One WebSocket frame (RFC 6455 5.2) as a value, and how to write one. The parser is
// WebSocketFrameParser; messages (fragments joined, permessage-deflate undone) are
// WebSocketMessageReader's business. Counterpart: wsproto `frame_protocol.py`.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-------+-+-------------+-------------------------------+
//  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
//  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
//  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
//  | |1|2|3|       |K|             |                               |
//  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
//  |     Extended payload length continued, if payload len == 127  |
//  + - - - - - - - - - - - - - - - +-------------------------------+
//  |                               | Masking-key, if MASK set to 1 |
//  +-------------------------------+-------------------------------+
//  | Masking-key (continued)       |          Payload Data         |
//  +-------------------------------- - - - - - - - - - - - - - - - +

#include <QByteArray>
#include <QString>
#include <optional>

namespace spyglass::layers::websocket {

enum class Opcode : quint8
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

bool isControl(Opcode op);
bool isKnownOpcode(quint8 op);

// Close codes the proxy itself uses (RFC 6455 7.4.1).
namespace CloseCode {
constexpr quint16 Normal = 1000;
constexpr quint16 GoingAway = 1001;
constexpr quint16 ProtocolError = 1002;
constexpr quint16 NoStatus = 1005; // never sent: a Close frame without a code
constexpr quint16 Abnormal = 1006; // never sent: the connection ended without a Close
constexpr quint16 InvalidData = 1007;
constexpr quint16 MessageTooBig = 1009;
} // namespace CloseCode

// Whether `code` may appear in a Close frame on the wire (RFC 6455 7.4, IANA registry).
bool isValidCloseCode(quint16 code);

struct WebSocketFrame
{
    bool fin = true;
    bool rsv1 = false; // permessage-deflate: the message is compressed (first frame only)
    bool rsv2 = false;
    bool rsv3 = false;
    Opcode opcode = Opcode::Binary;
    QByteArray payload; // unmasked
};

// The frame on the wire: masked with `maskKey` when given (client -> server frames must be,
// server -> client frames must not be), with the shortest length form.
QByteArray encodeFrame(const WebSocketFrame& frame, std::optional<quint32> maskKey);

// XORs `data` with the 4-byte key in network order, starting at key byte `offset % 4`.
void applyMask(char* data, qsizetype size, quint32 maskKey, qsizetype offset = 0);

// A Close frame's payload: the code in network order, then the reason, cut to fit the
// 125-byte limit of control frames without splitting a UTF-8 sequence.
QByteArray closePayload(quint16 code, const QString& reason);

} // namespace spyglass::layers::websocket
