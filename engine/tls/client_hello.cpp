#include "tls/client_hello.h"

#include <QSet>

namespace spyglass {

namespace {

using Status = ClientHelloResult::Status;

constexpr quint8 kHandshakeRecord = 0x16;
constexpr quint8 kClientHelloType = 0x01;
constexpr qsizetype kRecordHeader = 5;
constexpr qsizetype kMaxRecordBody = 16384 + 2048; // TLSCiphertext limit, RFC 8446 5.2
constexpr quint16 kExtServerName = 0;
constexpr quint16 kExtAlpn = 16;
constexpr quint16 kExtSupportedVersions = 43;

// A bounds-checked big-endian reader: after the first overrun every read returns 0 / empty
// and ok() stays false, so the parser checks once per structure instead of per byte.
class Reader
{
public:
    explicit Reader(QByteArrayView data) : m_data(data) {}

    bool ok() const { return m_ok; }
    qsizetype remaining() const { return m_data.size() - m_pos; }
    bool atEnd() const { return m_pos == m_data.size(); }

    quint32 read(int n)
    {
        if (!m_ok || remaining() < n) {
            m_ok = false;
            return 0;
        }
        quint32 v = 0;
        for (int i = 0; i < n; ++i)
            v = (v << 8) | quint8(m_data[m_pos++]);
        return v;
    }
    QByteArrayView bytes(qsizetype n)
    {
        if (!m_ok || n < 0 || remaining() < n) {
            m_ok = false;
            return {};
        }
        QByteArrayView v = m_data.sliced(m_pos, n);
        m_pos += n;
        return v;
    }

private:
    QByteArrayView m_data;
    qsizetype m_pos = 0;
    bool m_ok = true;
};

ClientHelloResult invalid(const QString& reason)
{
    ClientHelloResult r;
    r.status = Status::Invalid;
    r.reason = reason;
    return r;
}

bool parseServerName(QByteArrayView data, ClientHello& hello, QString& reason)
{
    Reader r(data);
    Reader list(r.bytes(r.read(2)));
    if (!r.ok() || !r.atEnd()) {
        reason = QStringLiteral("malformed server_name extension");
        return false;
    }
    while (!list.atEnd()) {
        const quint32 type = list.read(1);
        const QByteArrayView name = list.bytes(list.read(2));
        if (!list.ok() || name.isEmpty()) {
            reason = QStringLiteral("malformed server_name entry");
            return false;
        }
        if (type == 0 && hello.sni.isEmpty())
            hello.sni = name.toByteArray();
    }
    return true;
}

bool parseAlpn(QByteArrayView data, ClientHello& hello, QString& reason)
{
    Reader r(data);
    Reader list(r.bytes(r.read(2)));
    if (!r.ok() || !r.atEnd()) {
        reason = QStringLiteral("malformed ALPN extension");
        return false;
    }
    while (!list.atEnd()) {
        const QByteArrayView proto = list.bytes(list.read(1));
        if (!list.ok() || proto.isEmpty()) {
            reason = QStringLiteral("malformed ALPN protocol name");
            return false;
        }
        hello.alpnProtocols.append(proto.toByteArray());
    }
    return true;
}

bool parseSupportedVersions(QByteArrayView data, ClientHello& hello, QString& reason)
{
    Reader r(data);
    Reader list(r.bytes(r.read(1)));
    if (!r.ok() || !r.atEnd() || list.remaining() % 2 != 0) {
        reason = QStringLiteral("malformed supported_versions extension");
        return false;
    }
    while (!list.atEnd())
        hello.supportedVersions.append(quint16(list.read(2)));
    return true;
}

// The ClientHello body (after the 4-byte handshake header), RFC 8446 4.1.2.
ClientHelloResult parseBody(QByteArrayView body)
{
    ClientHelloResult result;
    ClientHello& hello = result.hello;
    Reader r(body);
    hello.legacyVersion = quint16(r.read(2));
    r.bytes(32); // random
    const QByteArrayView sessionId = r.bytes(r.read(1));
    const QByteArrayView suites = r.bytes(r.read(2));
    const QByteArrayView compression = r.bytes(r.read(1));
    if (!r.ok())
        return invalid(QStringLiteral("truncated ClientHello"));
    if (sessionId.size() > 32)
        return invalid(QStringLiteral("session id longer than 32 bytes"));
    if (suites.size() < 2 || suites.size() % 2 != 0)
        return invalid(QStringLiteral("malformed cipher suite list"));
    if (compression.isEmpty())
        return invalid(QStringLiteral("no compression methods"));
    for (qsizetype i = 0; i < suites.size(); i += 2)
        hello.cipherSuites.append(quint16((quint8(suites[i]) << 8) | quint8(suites[i + 1])));

    if (!r.atEnd()) { // extensions are optional for (very) old clients
        Reader exts(r.bytes(r.read(2)));
        if (!r.ok() || !r.atEnd())
            return invalid(QStringLiteral("extension block length does not match the message"));
        QSet<quint16> seen;
        while (!exts.atEnd()) {
            const quint16 type = quint16(exts.read(2));
            const QByteArrayView data = exts.bytes(exts.read(2));
            if (!exts.ok())
                return invalid(QStringLiteral("truncated extension"));
            if (seen.contains(type))
                return invalid(QStringLiteral("extension %1 appears twice").arg(type));
            seen.insert(type);
            hello.extensions.append(type);
            QString reason;
            bool ok = true;
            if (type == kExtServerName)
                ok = parseServerName(data, hello, reason);
            else if (type == kExtAlpn)
                ok = parseAlpn(data, hello, reason);
            else if (type == kExtSupportedVersions)
                ok = parseSupportedVersions(data, hello, reason);
            if (!ok)
                return invalid(reason);
        }
    }
    result.status = Status::Ok;
    return result;
}

} // namespace

ClientHelloResult parseClientHello(QByteArrayView bytes)
{
    ClientHelloResult needMore;
    ClientHelloResult notTls;
    notTls.status = Status::NotTls;

    // The first record header decides "TLS or not": content type 22 (handshake) and a legacy
    // record version 3.x (SSL 3.0 .. TLS 1.3; RFC 8446 fixes it at 3.1 or 3.3).
    if (bytes.isEmpty())
        return needMore;
    if (quint8(bytes[0]) != kHandshakeRecord)
        return notTls;
    if (bytes.size() >= 2 && quint8(bytes[1]) != 0x03)
        return notTls;
    if (bytes.size() >= 3 && quint8(bytes[2]) > 0x04)
        return notTls;

    // Gather handshake bytes from as many records as are (partly) here.
    QByteArray handshake;
    qsizetype offset = 0;
    while (offset < bytes.size()) {
        const QByteArrayView header =
            bytes.sliced(offset).first(std::min<qsizetype>(kRecordHeader, bytes.size() - offset));
        if (quint8(header[0]) != kHandshakeRecord)
            return invalid(QStringLiteral("a record of type %1 interrupts the ClientHello")
                               .arg(quint8(header[0])));
        if (header.size() >= 2 && quint8(header[1]) != 0x03)
            return invalid(QStringLiteral("record version %1.%2 is not TLS")
                               .arg(quint8(header[1]))
                               .arg(header.size() >= 3 ? quint8(header[2]) : 0));
        if (header.size() < kRecordHeader)
            return needMore;
        const qsizetype length = (quint8(header[3]) << 8) | quint8(header[4]);
        if (length == 0)
            return invalid(QStringLiteral("empty handshake record"));
        if (length > kMaxRecordBody)
            return invalid(QStringLiteral("record of %1 bytes exceeds the TLS limit").arg(length));
        const qsizetype available = std::min(length, bytes.size() - offset - kRecordHeader);
        handshake += bytes.sliced(offset + kRecordHeader, available);
        offset += kRecordHeader + available;

        if (handshake.isEmpty())
            return needMore; // a record header without its body yet
        // Check the handshake header as soon as it is here, so garbage fails early.
        if (quint8(handshake[0]) != kClientHelloType)
            return invalid(QStringLiteral("handshake message type %1 is not a ClientHello")
                               .arg(quint8(handshake[0])));
        if (handshake.size() >= 4) {
            const qsizetype messageLength = (qsizetype(quint8(handshake[1])) << 16) |
                                            (quint8(handshake[2]) << 8) | quint8(handshake[3]);
            if (messageLength + 4 > kMaxClientHelloSize)
                return invalid(QStringLiteral("ClientHello of %1 bytes is larger than the "
                                              "%2-byte limit")
                                   .arg(messageLength)
                                   .arg(kMaxClientHelloSize));
            if (handshake.size() >= messageLength + 4) {
                ClientHelloResult r = parseBody(QByteArrayView(handshake).sliced(4, messageLength));
                r.hello.length = offset;
                return r;
            }
        }
        if (available < length)
            return needMore; // the rest of this record has not arrived yet
    }
    return needMore;
}

} // namespace spyglass
