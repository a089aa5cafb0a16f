#include "layers/websocket/websocket_message_reader.h"

#include "layers/websocket/websocket_inflater.h"

#include <QtEndian>

namespace spyglass::layers::websocket {

namespace {

void appendShared(QByteArray& to, const QByteArray& data)
{
    if (to.isEmpty())
        to = data; // the common single-frame message: no copy
    else
        to.append(data);
}

} // namespace

WebSocketMessageReader::WebSocketMessageReader(Sender sender, qint64 maxMessageSize)
    : m_parser(sender, maxMessageSize), m_maxMessageSize(maxMessageSize)
{
}

WebSocketMessageReader::~WebSocketMessageReader() = default;

void WebSocketMessageReader::enableDeflate()
{
    m_parser.setRsv1Allowed(true);
    if (!m_inflater)
        m_inflater = std::make_unique<WebSocketInflater>();
}

WebSocketMessageReader::Event WebSocketMessageReader::fail(quint16 code, const QString& message)
{
    m_error = Error{code, message};
    m_payload.clear();
    m_raw.clear();
    return *m_error;
}

WebSocketMessageReader::Event WebSocketMessageReader::next()
{
    if (m_error)
        return *m_error;
    for (;;) {
        WebSocketFrameParser::Result r = m_parser.next();
        if (std::holds_alternative<NeedMore>(r))
            return NeedMore{};
        if (auto* e = std::get_if<Error>(&r))
            return fail(e->code, e->message);
        auto& f = std::get<WebSocketFrameParser::Frame>(r);
        const Opcode op = f.frame.opcode;
        if (op == Opcode::Close)
            return closeFrom(std::move(f));
        if (op == Opcode::Ping || op == Opcode::Pong)
            return Control{op, std::move(f.frame.payload), std::move(f.raw)};

        if (op == Opcode::Continuation) {
            if (!m_inMessage)
                return fail(CloseCode::ProtocolError,
                            QStringLiteral("WebSocket continuation frame without a message to "
                                           "continue"));
        } else {
            if (m_inMessage)
                return fail(CloseCode::ProtocolError,
                            QStringLiteral("new WebSocket message while a fragmented one is "
                                           "still open"));
            m_inMessage = true;
            m_isText = op == Opcode::Text;
            m_compressed = f.frame.rsv1;
            m_largestFrame = 0;
        }
        if (m_payload.size() + f.frame.payload.size() > m_maxMessageSize)
            return fail(CloseCode::MessageTooBig,
                        QStringLiteral("WebSocket message exceeds the limit of %1 bytes")
                            .arg(m_maxMessageSize));
        m_largestFrame = qMax(m_largestFrame, f.frame.payload.size());
        appendShared(m_payload, f.frame.payload);
        appendShared(m_raw, f.raw);
        if (f.frame.fin)
            return finishMessage();
    }
}

WebSocketMessageReader::Event WebSocketMessageReader::finishMessage()
{
    Message m;
    m.isText = m_isText;
    m.compressed = m_compressed;
    m.raw = std::exchange(m_raw, {});
    m.largestFramePayload = m_largestFrame;
    m_inMessage = false;
    QByteArray payload = std::exchange(m_payload, {});
    if (m_compressed) {
        WebSocketInflater::Result r = m_inflater->inflateMessage(payload, m_maxMessageSize);
        if (r.tooBig)
            return fail(CloseCode::MessageTooBig, r.error);
        if (!r.error.isEmpty())
            return fail(CloseCode::InvalidData, r.error);
        m.content = std::move(r.data);
    } else {
        m.content = std::move(payload);
    }
    if (m.isText && !QByteArrayView(m.content).isValidUtf8())
        return fail(CloseCode::InvalidData,
                    QStringLiteral("WebSocket text message is not valid UTF-8"));
    return m;
}

WebSocketMessageReader::Event WebSocketMessageReader::closeFrom(WebSocketFrameParser::Frame&& f)
{
    Close c;
    c.raw = std::move(f.raw);
    const QByteArray& p = f.frame.payload;
    if (p.isEmpty())
        return c;
    if (p.size() == 1)
        return fail(CloseCode::ProtocolError,
                    QStringLiteral("WebSocket Close frame with a one-byte payload"));
    const quint16 code = qFromBigEndian<quint16>(p.constData());
    if (!isValidCloseCode(code))
        return fail(CloseCode::ProtocolError,
                    QStringLiteral("WebSocket Close frame with invalid code %1").arg(code));
    const QByteArrayView reason = QByteArrayView(p).sliced(2);
    if (!reason.isValidUtf8())
        return fail(CloseCode::InvalidData,
                    QStringLiteral("WebSocket Close reason is not valid UTF-8"));
    c.code = code;
    c.reason = QString::fromUtf8(reason);
    return c;
}

} // namespace spyglass::layers::websocket
