#include "flow/headers.h"

namespace spyglass {

bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
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

void Headers::add(const QByteArray& name, const QByteArray& value)
{
    m_fields.append({name, value});
}

void Headers::set(const QByteArray& name, const QByteArray& value)
{
    qsizetype first = -1;
    for (qsizetype i = 0; i < m_fields.size();) {
        if (equalsIgnoreCase(m_fields[i].first, name)) {
            if (first < 0) {
                first = i;
                m_fields[i].second = value;
                ++i;
            } else {
                m_fields.removeAt(i);
            }
        } else {
            ++i;
        }
    }
    if (first < 0)
        m_fields.append({name, value});
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
        for (const QByteArray& part : f.second.split(','))
            if (equalsIgnoreCase(part.trimmed(), token))
                return true;
    }
    return false;
}

} // namespace spyglass
