#include "flow/byte_arena.h"

#include <QtGlobal>
#include <cstring>

namespace spyglass {

namespace {

constexpr qsizetype LengthSize = sizeof(quint32);

} // namespace

const char* ByteArena::add(std::initializer_list<QByteArrayView> parts)
{
    qsizetype size = 0;
    for (QByteArrayView part : parts)
        size += part.size();
    Q_ASSERT(quint64(size) <= 0xffffffffu);
    const qsizetype need = LengthSize + size;
    char* at;
    if (need > SlabSize / 4) {
        // A large string gets a slab of its own: the current slab keeps its free space.
        m_slabs.push_back(std::unique_ptr<char[]>(new char[size_t(need)]));
        m_reservedBytes += need;
        at = m_slabs.back().get();
    } else {
        if (need > m_left) {
            m_slabs.push_back(std::unique_ptr<char[]>(new char[size_t(SlabSize)]));
            m_reservedBytes += SlabSize;
            m_next = m_slabs.back().get();
            m_left = SlabSize;
        }
        at = m_next;
        m_next += need;
        m_left -= need;
    }
    const quint32 n = quint32(size);
    std::memcpy(at, &n, LengthSize);
    char* to = at + LengthSize;
    for (QByteArrayView part : parts) {
        if (!part.isEmpty())
            std::memcpy(to, part.data(), size_t(part.size()));
        to += part.size();
    }
    m_liveBytes += need;
    return at;
}

QByteArrayView ByteArena::view(const char* handle)
{
    quint32 n;
    std::memcpy(&n, handle, LengthSize);
    return QByteArrayView(handle + LengthSize, qsizetype(n));
}

void ByteArena::release(const char* handle)
{
    const qsizetype bytes = LengthSize + view(handle).size();
    m_liveBytes -= bytes;
    m_deadBytes += bytes;
}

void ByteArena::clear()
{
    m_slabs.clear();
    m_next = nullptr;
    m_left = 0;
    m_liveBytes = 0;
    m_deadBytes = 0;
    m_reservedBytes = 0;
}

} // namespace spyglass
