#include "io/session_format.h"

#include <QtEndian>
#include <zlib.h>

namespace spyglass {

quint32 SessionFormat::crc32(QByteArrayView data)
{
    // zlib takes uInt lengths: feed large payloads in pieces.
    uLong crc = ::crc32(0L, Z_NULL, 0);
    const auto* p = reinterpret_cast<const Bytef*>(data.data());
    qsizetype left = data.size();
    while (left > 0) {
        const uInt n = uInt(qMin<qsizetype>(left, 1 << 30));
        crc = ::crc32(crc, p, n);
        p += n;
        left -= n;
    }
    return quint32(crc);
}

QByteArray SessionFormat::fileHeader()
{
    QByteArray out(fileHeaderSize, '\0');
    memcpy(out.data(), magic.data(), magic.size());
    qToLittleEndian<quint16>(majorVersion, out.data() + 16);
    qToLittleEndian<quint16>(minorVersion, out.data() + 18);
    return out;
}

void SessionFormat::appendRecord(QByteArray& out, quint8 type, QByteArrayView payload)
{
    char header[recordHeaderSize];
    header[0] = char(type);
    qToLittleEndian<quint32>(quint32(payload.size()), header + 1);
    qToLittleEndian<quint32>(crc32(payload), header + 5);
    qToLittleEndian<quint32>(crc32(QByteArrayView(header, 9)), header + 9);
    out.append(header, recordHeaderSize);
    out.append(payload);
}

bool SessionFormat::parseRecordHeader(const char* bytes, RecordHeader& out)
{
    if (qFromLittleEndian<quint32>(bytes + 9) != crc32(QByteArrayView(bytes, 9)))
        return false;
    out.type = quint8(bytes[0]);
    out.length = qFromLittleEndian<quint32>(bytes + 1);
    out.payloadCrc = qFromLittleEndian<quint32>(bytes + 5);
    return true;
}

} // namespace spyglass
