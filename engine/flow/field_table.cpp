#include "flow/field_table.h"

#include <QHashFunctions>

namespace spyglass {

namespace {

size_t hashOf(QByteArrayView name, QByteArrayView value)
{
    return qHash(value, qHash(name, size_t(0x9e3779b97f4a7c15ull)));
}

} // namespace

FieldTable::FieldTable(qsizetype maxBytes) : m_maxBytes(maxBytes) {}
FieldTable::~FieldTable() = default;

quint32 FieldTable::Set::find(QByteArrayView name, QByteArrayView value, size_t hash) const
{
    if (buckets.empty())
        return 0;
    const size_t mask = buckets.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const quint32 n = buckets[i];
        if (n == 0)
            return 0;
        const Entry& e = entries[n - 1];
        if (e.hash == hash && QByteArrayView(e.field.first) == name &&
            QByteArrayView(e.field.second) == value)
            return n;
    }
}

quint32 FieldTable::Set::insert(QByteArray name, QByteArray value, size_t hash)
{
    if ((entries.size() + 1) * 2 > buckets.size()) {
        // Rebuild at twice the size: the entries keep their numbers, only the buckets move.
        std::vector<quint32> grown(std::max<size_t>(64, buckets.size() * 2), 0);
        const size_t mask = grown.size() - 1;
        for (size_t n = 1; n <= entries.size(); ++n) {
            size_t i = entries[n - 1].hash & mask;
            while (grown[i] != 0)
                i = (i + 1) & mask;
            grown[i] = quint32(n);
        }
        buckets.swap(grown);
    }
    entries.push_back(Entry{{std::move(name), std::move(value)}, hash});
    const quint32 n = quint32(entries.size());
    const size_t mask = buckets.size() - 1;
    size_t i = hash & mask;
    while (buckets[i] != 0)
        i = (i + 1) & mask;
    buckets[i] = n;
    return n;
}

void FieldTable::Set::clear()
{
    entries.clear();
    entries.shrink_to_fit();
    buckets.clear();
    buckets.shrink_to_fit();
}

quint32 FieldTable::nameRef(QByteArrayView name)
{
    if (name.size() > MaxNameSize)
        return 0;
    const size_t hash = hashOf(name, {});
    if (const quint32 n = m_names.find(name, {}, hash))
        return n;
    if (nameCount() >= MaxNames || m_bytes + name.size() > m_maxBytes)
        return 0;
    m_bytes += name.size();
    return m_names.insert(name.toByteArray(), QByteArray(), hash);
}

quint32 FieldTable::pairRef(QByteArrayView name, QByteArrayView value)
{
    if (value.size() > MaxValueSize || name.size() > MaxNameSize)
        return 0;
    const size_t hash = hashOf(name, value);
    if (const quint32 n = m_pairs.find(name, value, hash))
        return n;
    if (pairCount() >= MaxPairs || m_bytes + name.size() + value.size() > m_maxBytes)
        return 0;
    if (!m_seen)
        m_seen = std::make_unique<std::array<size_t, SeenSize>>();
    // The low bits pick the slot in m_pairs; these pick the one in m_seen.
    size_t& seen = (*m_seen)[(hash >> 20) % SeenSize];
    if (seen != (hash | 1)) {
        seen = hash | 1; // first sighting (or the slot's former pair is forgotten)
        return 0;
    }
    seen = 0;
    // The name is kept once, shared by its pairs; when the name table is full, the pair keeps
    // its own copy.
    const quint32 nr = nameRef(name);
    QByteArray kept = nr ? *this->name(nr) : name.toByteArray();
    m_bytes += value.size() + (nr ? 0 : name.size());
    return m_pairs.insert(std::move(kept), value.toByteArray(), hash);
}

const Headers::Field* FieldTable::pair(quint64 ref) const
{
    if (ref == 0 || ref > m_pairs.entries.size())
        return nullptr;
    return &m_pairs.entries[size_t(ref - 1)].field;
}

const QByteArray* FieldTable::name(quint64 ref) const
{
    if (ref == 0 || ref > m_names.entries.size())
        return nullptr;
    return &m_names.entries[size_t(ref - 1)].field.first;
}

void FieldTable::clear()
{
    m_pairs.clear();
    m_names.clear();
    m_bytes = 0;
    m_seen.reset();
}

} // namespace spyglass
