#include "flow/flow.h"

#include <QRandomGenerator>

#include <array>

namespace spyglass {

QUuid newFlowId()
{
    // QUuid::createUuid() draws each of its words from QRandomGenerator::system(), which on
    // x86 executes RDSEED: ~3% of a worker's time at 20,000 flows a second on this project's
    // VM. A flow id must be unique, not secret, so each thread seeds a generator of its own
    // from the system's once (256 bits) and draws 122 random bits per id from it.
    thread_local QRandomGenerator64 generator = [] {
        std::array<quint32, 8> seed;
        QRandomGenerator::system()->fillRange(seed.data(), qsizetype(seed.size()));
        return QRandomGenerator64(seed.data(), qsizetype(seed.size()));
    }();
    const quint64 high = generator.generate();
    const quint64 low = generator.generate();
    // RFC 4122 version 4 (random), variant 10.
    const auto byte = [](quint64 v, int i) { return uchar(v >> (8 * (7 - i))); };
    return QUuid(uint(high >> 32), ushort(high >> 16), ushort((high & 0x0fff) | 0x4000),
                 uchar((byte(low, 0) & 0x3f) | 0x80), byte(low, 1), byte(low, 2), byte(low, 3),
                 byte(low, 4), byte(low, 5), byte(low, 6), byte(low, 7));
}

HttpFlow::HttpFlow() : id(newFlowId()) {}

} // namespace spyglass
