#pragma once
// Append-only storage for many small immutable byte strings: FlowStore's encoded flows. Each
// string is written after a 4-byte length into 64 KiB slabs, so it costs its bytes and that
// length, where a heap block of its own would add malloc's header and rounding (~24 bytes)
// and the allocator's time for each of a million strings.
//
// Strings are never freed one by one. release() only counts their bytes as dead; the owner
// decides when enough is dead to copy the living strings into a fresh arena (FlowStore does
// when more is dead than alive) and swaps it in. A pointer from add() stays valid until the
// arena is cleared or destroyed.

#include <QByteArrayView>
#include <initializer_list>
#include <memory>
#include <vector>

namespace spyglass {

class ByteArena
{
public:
    // Copies `bytes` in; returns the handle to pass to view() and release().
    const char* add(QByteArrayView bytes) { return add({bytes}); }
    // Copies the parts in one after the other, as one string.
    const char* add(std::initializer_list<QByteArrayView> parts);
    static QByteArrayView view(const char* handle);
    // The string is no longer referenced: its bytes count as dead from now on.
    void release(const char* handle);
    void clear();

    qsizetype liveBytes() const { return m_liveBytes; }
    qsizetype deadBytes() const { return m_deadBytes; }
    // Bytes obtained from the heap for slabs.
    qsizetype reservedBytes() const { return m_reservedBytes; }

private:
    static constexpr qsizetype SlabSize = 64 * 1024;

    std::vector<std::unique_ptr<char[]>> m_slabs;
    char* m_next = nullptr; // free space in the current (last ordinary) slab
    qsizetype m_left = 0;
    qsizetype m_liveBytes = 0;
    qsizetype m_deadBytes = 0;
    qsizetype m_reservedBytes = 0;
};

} // namespace spyglass
