#include "layers/websocket/websocket_frame_parser.h"

#include <QtEndian>

namespace spyglass::layers::websocket {

WebSocketFrameParser::WebSocketFrameParser(Sender sender, qint64 maxPayload)
    : m_sender(sender), m_maxPayload(maxPayload)
{
}

void WebSocketFrameParser::feed(const QByteArray& data)
{
    if (m_error || data.isEmpty())
        return;
    if (m_pos > 0 && m_pos == m_buffer.size()) {
        m_buffer.clear();
        m_pos = 0;
    }
    if (m_buffer.isEmpty()) {
        m_buffer = data; // shared, no copy
        return;
    }
    if (m_pos > 64 * 1024 && m_pos > m_buffer.size() / 2) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    m_buffer.append(data);
}

WebSocketFrameParser::Result WebSocketFrameParser::fail(quint16 code, const QString& message)
{
    m_error = Error{code, message};
    m_buffer.clear();
    m_pos = 0;
    return *m_error;
}

WebSocketFrameParser::Result WebSocketFrameParser::next()
{
    if (m_error)
        return *m_error;
    const qsizetype avail = m_buffer.size() - m_pos;
    if (avail < 2)
        return NeedMore{};
    const auto* p = reinterpret_cast<const uchar*>(m_buffer.constData() + m_pos);
    const bool fin = p[0] & 0x80;
    const bool rsv1 = p[0] & 0x40;
    const bool rsv2 = p[0] & 0x20;
    const bool rsv3 = p[0] & 0x10;
    const quint8 op = p[0] & 0x0f;
    const bool masked = p[1] & 0x80;
    const quint8 len7 = p[1] & 0x7f;

    // Everything the first two bytes tell is checked before waiting for more.
    if (!isKnownOpcode(op))
        return fail(CloseCode::ProtocolError,
                    QStringLiteral("unknown WebSocket opcode 0x%1").arg(op, 0, 16));
    const auto opcode = Opcode(op);
    if (rsv2 || rsv3)
        return fail(CloseCode::ProtocolError,
                    QStringLiteral("WebSocket frame with reserved bit RSV%1 set (no extension "
                                   "that uses it was negotiated)")
                        .arg(rsv2 ? 2 : 3));
    if (rsv1 && !m_rsv1Allowed)
        return fail(CloseCode::ProtocolError,
                    QStringLiteral("WebSocket frame with reserved bit RSV1 set, but "
                                   "permessage-deflate was not negotiated"));
    if (rsv1 && (isControl(opcode) || opcode == Opcode::Continuation))
        return fail(CloseCode::ProtocolError,
                    QStringLiteral("WebSocket %1 frame with RSV1 set (only the first frame of a "
                                   "data message may be compressed)")
                        .arg(isControl(opcode) ? "control" : "continuation"));
    if (isControl(opcode) && !fin)
        return fail(CloseCode::ProtocolError, QStringLiteral("fragmented WebSocket control frame"));
    if (isControl(opcode) && len7 > 125)
        return fail(CloseCode::ProtocolError,
                    QStringLiteral("WebSocket control frame longer than 125 bytes"));
    if (m_sender == Sender::Client && !masked)
        return fail(CloseCode::ProtocolError,
                    QStringLiteral("unmasked WebSocket frame from the client"));
    if (m_sender == Sender::Server && masked)
        return fail(CloseCode::ProtocolError,
                    QStringLiteral("masked WebSocket frame from the server"));

    qsizetype header = 2;
    quint64 length = len7;
    if (len7 == 126) {
        header += 2;
        if (avail < header)
            return NeedMore{};
        length = qFromBigEndian<quint16>(p + 2);
    } else if (len7 == 127) {
        header += 8;
        if (avail < header)
            return NeedMore{};
        length = qFromBigEndian<quint64>(p + 2);
        if (length >> 63)
            return fail(CloseCode::ProtocolError,
                        QStringLiteral("WebSocket frame length with the most significant bit "
                                       "set"));
    }
    if (length > quint64(m_maxPayload))
        return fail(CloseCode::MessageTooBig,
                    QStringLiteral("WebSocket frame of %1 bytes exceeds the limit of %2 bytes")
                        .arg(length)
                        .arg(m_maxPayload));
    const qsizetype maskOffset = header;
    if (masked)
        header += 4;
    const qsizetype total = header + qsizetype(length);
    if (avail < total)
        return NeedMore{};

    Frame f;
    f.frame.fin = fin;
    f.frame.rsv1 = rsv1;
    f.frame.opcode = opcode;
    f.raw = m_buffer.mid(m_pos, total);
    f.frame.payload = f.raw.mid(header);
    if (masked)
        applyMask(f.frame.payload.data(), f.frame.payload.size(),
                  qFromBigEndian<quint32>(p + maskOffset));
    m_pos += total;
    if (m_pos == m_buffer.size()) {
        m_buffer.clear();
        m_pos = 0;
    }
    return f;
}

} // namespace spyglass::layers::websocket
