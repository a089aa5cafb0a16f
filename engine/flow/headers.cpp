#include "flow/headers.h"

namespace spyglass {

bool equalsIgnoreCaseSameSize(QByteArrayView a, QByteArrayView b)
{
    // ASCII letters are settled here; only bytes above 0x7f take Qt's Latin-1 comparison.
    const char* x = a.data();
    const char* y = b.data();
    for (qsizetype i = 0, n = a.size(); i < n; ++i) {
        const auto c = static_cast<unsigned char>(x[i]);
        const auto d = static_cast<unsigned char>(y[i]);
        if (c == d)
            continue;
        if ((c | d) & 0x80)
            return a.sliced(i).compare(b.sliced(i), Qt::CaseInsensitive) == 0;
        const auto lc = (c >= 'A' && c <= 'Z') ? c | 0x20 : c;
        const auto ld = (d >= 'A' && d <= 'Z') ? d | 0x20 : d;
        if (lc != ld)
            return false;
    }
    return true;
}

Headers::Headers(std::initializer_list<Field> fields) : m_fields(fields) {}

bool Headers::contains(QByteArrayView name) const
{
    for (const auto& f : m_fields)
        if (equalsIgnoreCase(f.first, name))
            return true;
    return false;
}

QByteArray Headers::value(QByteArrayView name) const
{
    for (const auto& f : m_fields)
        if (equalsIgnoreCase(f.first, name))
            return f.second;
    return {};
}

QList<QByteArray> Headers::values(QByteArrayView name) const
{
    QList<QByteArray> out;
    for (const auto& f : m_fields)
        if (equalsIgnoreCase(f.first, name))
            out.append(f.second);
    return out;
}

QByteArray Headers::joined(QByteArrayView name) const
{
    QByteArray out;
    for (const auto& f : m_fields) {
        if (!equalsIgnoreCase(f.first, name))
            continue;
        if (!out.isEmpty())
            out += ", ";
        out += f.second;
    }
    return out;
}

// A head has a handful of fields: room for eight at the first one spares the list its
// growth steps (1, 2, 4, 8: a reallocation and a move of every field each time).
constexpr qsizetype kFirstCapacity = 8;

void Headers::add(const QByteArray& name, const QByteArray& value)
{
    if (m_fields.capacity() == 0)
        m_fields.reserve(kFirstCapacity);
    m_fields.append({name, value});
}

void Headers::add(QByteArray&& name, QByteArray&& value)
{
    if (m_fields.capacity() == 0)
        m_fields.reserve(kFirstCapacity);
    m_fields.emplace_back(std::move(name), std::move(value));
}

void Headers::set(const QByteArray& name, const QByteArray& value)
{
    // Read through a const view first: a non-const access detaches (copies) a shared list,
    // and the common set (the one field already holds the value) then changes nothing.
    const QList<Field>& fields = std::as_const(m_fields);
    qsizetype first = -1;
    qsizetype count = 0;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (equalsIgnoreCase(fields[i].first, name)) {
            if (first < 0)
                first = i;
            ++count;
        }
    }
    if (first < 0) {
        m_fields.append({name, value});
        return;
    }
    if (count == 1 && fields[first].second == value)
        return;
    m_fields[first].second = value;
    for (qsizetype i = first + 1; count > 1 && i < m_fields.size();) {
        if (equalsIgnoreCase(m_fields[i].first, name)) {
            m_fields.removeAt(i);
            --count;
        } else {
            ++i;
        }
    }
}

qsizetype Headers::remove(QByteArrayView name)
{
    return m_fields.removeIf([&](const Field& f) { return equalsIgnoreCase(f.first, name); });
}

bool Headers::hasToken(QByteArrayView name, QByteArrayView token) const
{
    for (const auto& f : m_fields) {
        if (!equalsIgnoreCase(f.first, name))
            continue;
        const QByteArrayView value = f.second;
        qsizetype from = 0;
        while (from <= value.size()) {
            qsizetype comma = value.indexOf(',', from);
            if (comma < 0)
                comma = value.size();
            if (equalsIgnoreCase(value.sliced(from, comma - from).trimmed(), token))
                return true;
            from = comma + 1;
        }
    }
    return false;
}

} // namespace spyglass
