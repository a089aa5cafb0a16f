#pragma once
// FlowStore's dictionary of header fields and request-line strings: what one flow's head
// says, the next ones mostly say again (Host, User-Agent, Accept, cookies, Server,
// Content-Type, the same path polled again). Stored flows refer to a field the table holds by
// number, a varint, instead of carrying its name and value; like HPACK's dynamic table, but it
// only grows (references never move), and it lives as long as the store's flows.
//
// A pair (name, value) is taken in on its second sighting while it is still recent: a value
// seen once (a request id, a unique cookie) stays literal in its flow, where it costs its bytes
// and not a table entry besides. A recent sighting is a hash remembered in a small direct-mapped
// array. Field names are few and taken at once. Both stop growing at a limit (entries, and
// bytes of values: then fields are written literally), and very long values are never taken.
// Every value in the table stood in at least two flows, so it never holds more than those
// flows would have; but it is not pruned when flows are removed, only cleared with them all.
//
// Not thread-safe: used on the store's thread. What pair() and name() return is valid until the
// table next grows; copy it (the QByteArrays are then shared, not copied).

#include "flow/headers.h"

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <memory>
#include <vector>

namespace spyglass {

class FieldTable
{
public:
    static constexpr qsizetype DefaultMaxBytes = qsizetype(64) << 20;

    explicit FieldTable(qsizetype maxBytes = DefaultMaxBytes);
    ~FieldTable();
    FieldTable(const FieldTable&) = delete;
    FieldTable& operator=(const FieldTable&) = delete;

    // The reference (>= 1) of (name, value) if the table holds it or takes it now, else 0:
    // the caller writes the field literally.
    quint32 pairRef(QByteArrayView name, QByteArrayView value);
    // The reference (>= 1) of a field name, else 0 (too long, or the table is full).
    quint32 nameRef(QByteArrayView name);

    // Null for a reference the table does not have.
    const Headers::Field* pair(quint64 ref) const;
    const QByteArray* name(quint64 ref) const;

    qsizetype pairCount() const { return qsizetype(m_pairs.entries.size()); }
    qsizetype nameCount() const { return qsizetype(m_names.entries.size()); }
    // Bytes of names and values held (not counting the table's own structure).
    qsizetype bytes() const { return m_bytes; }
    void clear();

    static constexpr qsizetype MaxValueSize = 8192;
    static constexpr qsizetype MaxNameSize = 256;
    static constexpr qsizetype MaxPairs = 1 << 20;
    static constexpr qsizetype MaxNames = 1 << 16;

private:
    // Open addressing over entry numbers (0: empty slot, n: entries[n - 1]); at most half full.
    struct Set
    {
        struct Entry
        {
            Headers::Field field; // a name alone has an empty value
            size_t hash;
        };
        std::vector<Entry> entries;
        std::vector<quint32> buckets;

        // The entry's reference, or 0.
        quint32 find(QByteArrayView name, QByteArrayView value, size_t hash) const;
        quint32 insert(QByteArray name, QByteArray value, size_t hash);
        void clear();
    };

    static constexpr size_t SeenSize = 4096;

    const qsizetype m_maxBytes;
    qsizetype m_bytes = 0;
    Set m_pairs;
    Set m_names;
    // Hashes of pairs seen once lately, each in the slot some of its bits pick (allocated on
    // first use).
    std::unique_ptr<std::array<size_t, SeenSize>> m_seen;
};

} // namespace spyglass
