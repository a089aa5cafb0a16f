#include "io/session_reader.h"

#include "io/flow_codec.h"
#include "io/session_format.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QtEndian>

namespace spyglass {

namespace {

// Reads up to `n` bytes. The buffer grows in steps as data actually arrives, so a length
// field larger than the data (a pipe has no size to check against) cannot allocate much.
QByteArray readUpTo(QIODevice& device, qint64 n)
{
    constexpr qint64 step = 16 * 1024 * 1024;
    QByteArray out;
    qint64 got = 0;
    while (got < n) {
        const qint64 want = qMin(n - got, step);
        out.resize(got + want);
        const qint64 k = device.read(out.data() + got, want);
        if (k <= 0)
            break;
        got += k;
    }
    out.resize(got);
    return out;
}

bool allZero(QByteArrayView b)
{
    for (char c : b)
        if (c != 0)
            return false;
    return true;
}

// True if everything left in the device is zero bytes (reads it all, in small pieces).
bool restIsZero(QIODevice& device)
{
    char buf[64 * 1024];
    for (;;) {
        const qint64 k = device.read(buf, sizeof buf);
        if (k <= 0)
            return k == 0;
        if (!allZero(QByteArrayView(buf, k)))
            return false;
    }
}

} // namespace

SessionReader::Result SessionReader::stream(const QString& path, const FlowCallback& onFlow)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Result r;
        r.errors << QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path),
                                                 file.errorString());
        return r;
    }
    return stream(file, path, onFlow);
}

SessionReader::Result SessionReader::stream(QIODevice& device, const QString& name,
                                            const FlowCallback& onFlow)
{
    Result r;
    const QString file = QDir::toNativeSeparators(name);
    auto corrupt = [&](qint64 offset, const QString& what) {
        r.errors << QStringLiteral("%1: corrupt record at offset %2 (%3)")
                        .arg(file)
                        .arg(offset)
                        .arg(what);
    };
    auto tornTail = [&](qint64 offset, qint64 have, qint64 want) {
        r.warnings << QStringLiteral("%1: incomplete final record at offset %2 (%3 of %4 bytes) "
                                     "dropped: the writer stopped in the middle of it")
                          .arg(file)
                          .arg(offset)
                          .arg(have)
                          .arg(want);
    };
    auto zeroTail = [&](qint64 offset) {
        r.warnings << QStringLiteral("%1: zero-filled tail from offset %2 dropped: the system "
                                     "stopped before the file was complete")
                          .arg(file)
                          .arg(offset);
    };

    // The file header.
    const QByteArray header = readUpTo(device, SessionFormat::fileHeaderSize);
    if (header.isEmpty()) {
        r.errors << QStringLiteral("%1: empty file, not a Spyglass session").arg(file);
        return r;
    }
    const qsizetype magicPart = qMin(header.size(), SessionFormat::magic.size());
    if (QByteArrayView(header).first(magicPart) != SessionFormat::magic.first(magicPart)) {
        r.errors << QStringLiteral("%1: not a Spyglass session (bad magic at offset 0)").arg(file);
        return r;
    }
    if (header.size() < SessionFormat::fileHeaderSize) {
        r.errors << QStringLiteral("%1: truncated file header (%2 of %3 bytes)")
                        .arg(file)
                        .arg(header.size())
                        .arg(SessionFormat::fileHeaderSize);
        return r;
    }
    const quint16 major = qFromLittleEndian<quint16>(header.constData() + 16);
    const quint16 minor = qFromLittleEndian<quint16>(header.constData() + 18);
    if (major != SessionFormat::majorVersion) {
        r.errors << QStringLiteral("%1: unsupported session format version %2.%3 at offset 16 "
                                   "(this build reads version %4.x%5)")
                        .arg(file)
                        .arg(major)
                        .arg(minor)
                        .arg(SessionFormat::majorVersion)
                        .arg(major > SessionFormat::majorVersion
                                 ? QStringLiteral("; the file is from a newer Spyglass")
                                 : QString());
        return r;
    }

    // Bytes left after the header, when the device can tell (a file can; a pipe cannot).
    const qint64 total = device.isSequential() ? -1 : device.size() - device.pos();
    qint64 offset = SessionFormat::fileHeaderSize;
    qint64 consumed = 0; // bytes read after the file header
    QList<FlowCodec::CertificateChain> chains;

    for (;;) {
        const QByteArray rh = readUpTo(device, SessionFormat::recordHeaderSize);
        if (rh.isEmpty())
            break; // a clean end
        if (rh.size() < SessionFormat::recordHeaderSize) {
            if (allZero(rh))
                zeroTail(offset);
            else
                tornTail(offset, rh.size(), SessionFormat::recordHeaderSize);
            break;
        }
        SessionFormat::RecordHeader h;
        if (!SessionFormat::parseRecordHeader(rh.constData(), h)) {
            if (allZero(rh) && restIsZero(device))
                zeroTail(offset);
            else
                corrupt(offset, QStringLiteral("header checksum mismatch"));
            break; // the length cannot be trusted: nothing after this can be found
        }
        consumed += rh.size();
        const qint64 want = qint64(SessionFormat::recordHeaderSize) + h.length;
        if (total >= 0 && qint64(h.length) > total - consumed) {
            tornTail(offset, SessionFormat::recordHeaderSize + (total - consumed), want);
            break;
        }
        const QByteArray payload = readUpTo(device, h.length);
        consumed += payload.size();
        if (payload.size() < qint64(h.length)) {
            tornTail(offset, SessionFormat::recordHeaderSize + payload.size(), want);
            break;
        }
        const qint64 recordOffset = offset;
        offset += want;

        const bool isChain = h.type == quint8(SessionFormat::RecordType::CertificateChain);
        if (SessionFormat::crc32(payload) != h.payloadCrc) {
            corrupt(recordOffset, QStringLiteral("checksum mismatch"));
            if (isChain)
                chains.append(FlowCodec::CertificateChain()); // keep later numbers right
            continue;
        }
        if (h.type == quint8(SessionFormat::RecordType::Flow)) {
            HttpFlow flow;
            const QString err = FlowCodec::decodeFlow(payload, chains, flow);
            if (!err.isEmpty()) {
                corrupt(recordOffset, QStringLiteral("bad flow: %1").arg(err));
                continue;
            }
            ++r.records;
            if (!onFlow(std::move(flow)))
                break;
        } else if (isChain) {
            FlowCodec::CertificateChain chain;
            const QString err = FlowCodec::decodeCertificateChain(payload, chain);
            if (!err.isEmpty()) {
                corrupt(recordOffset, QStringLiteral("bad certificate chain: %1").arg(err));
                chain.clear();
            }
            chains.append(chain);
        } else if (h.type < SessionFormat::firstSkippableType) {
            corrupt(recordOffset, QStringLiteral("unknown record type 0x%1; a newer Spyglass "
                                                 "may read it")
                                      .arg(h.type, 2, 16, QLatin1Char('0')));
        }
        // Unknown types from firstSkippableType on are optional: skipped silently.
    }
    return r;
}

SessionReader::Result SessionReader::readAll(const QString& path)
{
    QList<HttpFlow> flows;
    QHash<QUuid, qsizetype> index;
    Result r = stream(path, [&](HttpFlow&& flow) {
        const auto it = index.constFind(flow.id);
        if (it != index.constEnd()) {
            flows[it.value()] = std::move(flow);
        } else {
            index.insert(flow.id, flows.size());
            flows.append(std::move(flow));
        }
        return true;
    });
    r.flows = std::move(flows);
    return r;
}

} // namespace spyglass
