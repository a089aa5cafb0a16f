#include "layers/websocket/websocket_frame.h"

#include <cstring>

#include <QtEndian>

namespace spyglass::layers::websocket {

bool isControl(Opcode op)
{
    return (quint8(op) & 0x8) != 0;
}

bool isKnownOpcode(quint8 op)
{
    return op <= 0x2 || (op >= 0x8 && op <= 0xA);
}

bool isValidCloseCode(quint16 code)
{
    // 1004 is reserved, 1005/1006/1015 are never sent; 1012-1014 are registered by IANA.
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

void applyMask(char* data, qsizetype size, quint32 maskKey, qsizetype offset)
{
    uchar key[4];
    qToBigEndian(maskKey, key);
    qsizetype i = 0;
    // Eight bytes at a time (every message is masked or unmasked once on its way through):
    // the key repeats every four bytes, so one rotated 64-bit key serves every word.
    if (size >= 8) {
        uchar wide[8];
        for (int k = 0; k < 8; ++k)
            wide[k] = key[(k + offset) & 3];
        quint64 word;
        std::memcpy(&word, wide, 8);
        for (; i + 8 <= size; i += 8) {
            quint64 v;
            std::memcpy(&v, data + i, 8);
            v ^= word;
            std::memcpy(data + i, &v, 8);
        }
    }
    for (; i < size; ++i)
        data[i] = char(uchar(data[i]) ^ key[(i + offset) & 3]);
}

QByteArray encodeFrame(const WebSocketFrame& frame, std::optional<quint32> maskKey)
{
    const qsizetype n = frame.payload.size();
    QByteArray out;
    out.reserve(n + 14);
    quint8 b0 = quint8(frame.opcode) & 0x0f;
    if (frame.fin)
        b0 |= 0x80;
    if (frame.rsv1)
        b0 |= 0x40;
    if (frame.rsv2)
        b0 |= 0x20;
    if (frame.rsv3)
        b0 |= 0x10;
    out.append(char(b0));
    const quint8 maskBit = maskKey ? 0x80 : 0;
    if (n < 126) {
        out.append(char(maskBit | quint8(n)));
    } else if (n <= 0xffff) {
        out.append(char(maskBit | 126));
        uchar len[2];
        qToBigEndian(quint16(n), len);
        out.append(reinterpret_cast<const char*>(len), 2);
    } else {
        out.append(char(maskBit | 127));
        uchar len[8];
        qToBigEndian(quint64(n), len);
        out.append(reinterpret_cast<const char*>(len), 8);
    }
    if (maskKey) {
        uchar key[4];
        qToBigEndian(*maskKey, key);
        out.append(reinterpret_cast<const char*>(key), 4);
    }
    const qsizetype start = out.size();
    out.append(frame.payload);
    if (maskKey)
        applyMask(out.data() + start, n, *maskKey);
    return out;
}

QByteArray closePayload(quint16 code, const QString& reason)
{
    QByteArray out(2, '\0');
    qToBigEndian(code, reinterpret_cast<uchar*>(out.data()));
    QByteArray text = reason.toUtf8();
    if (text.size() > 123) {
        qsizetype cut = 123;
        // Back off continuation bytes (10xxxxxx) so that no sequence is split.
        while (cut > 0 && (uchar(text.at(cut)) & 0xC0) == 0x80)
            --cut;
        text.truncate(cut);
    }
    out.append(text);
    return out;
}

} // namespace spyglass::layers::websocket
