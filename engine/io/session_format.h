#pragma once
// The framing of a session file, shared by SessionWriter and SessionReader: the file header,
// the record header and their checksums. docs/session-format.md describes it byte by byte;
// the payload of a record (a flow, a certificate chain) is FlowCodec's business.
//
//   file   = header record*
//   header = "SPYGLASS-SESSION" (16 bytes) | major u16 LE | minor u16 LE
//   record = type u8 | length u32 LE | payload CRC-32 u32 LE | header CRC-32 u32 LE | payload
//
// The header CRC covers the 9 bytes before it, so a reader can trust `length` before it reads
// the payload: a torn tail (the writer was killed mid-record) and a corrupted length field are
// told apart, the first being a warning and the second an error.

#include <QByteArray>
#include <QByteArrayView>

namespace spyglass {

class SessionFormat
{
public:
    static constexpr QByteArrayView magic{"SPYGLASS-SESSION"};
    static constexpr quint16 majorVersion = 1; // a reader refuses a greater major version
    // additive changes only; readers accept any. 1: WebSocket messages (flow flag bit 5).
    // 4: TCP messages' injected and dropped flags (docs/session-format.md "Versioning").
    static constexpr quint16 minorVersion = 5;
    static constexpr qsizetype fileHeaderSize = 20;
    static constexpr qsizetype recordHeaderSize = 13;
    static constexpr quint32 maxPayloadSize = 0xFFFFFFFFu;

    enum class RecordType : quint8
    {
        Flow = 0x01,             // one HttpFlow (FlowCodec::encodeFlow)
        CertificateChain = 0x02, // a chain that later flow records refer to by number
    };
    // Unknown types below this are an error (the file needs a newer reader); unknown types
    // from here on may be skipped by readers that do not know them.
    static constexpr quint8 firstSkippableType = 0x80;

    struct RecordHeader
    {
        quint8 type = 0;
        quint32 length = 0;
        quint32 payloadCrc = 0;
    };

    static QByteArray fileHeader();
    // Appends a record (header and payload) to `out`.
    static void appendRecord(QByteArray& out, quint8 type, QByteArrayView payload);
    // Parses the recordHeaderSize bytes at `bytes`; false if the header checksum is wrong.
    static bool parseRecordHeader(const char* bytes, RecordHeader& out);
    // CRC-32 (ISO-HDLC, as zlib and PNG compute it).
    static quint32 crc32(QByteArrayView data);
};

} // namespace spyglass
