#pragma once
// An ordered, case-insensitive multimap of header fields, as they travel on the wire.
// Order and duplicates are kept (Set-Cookie, Via); lookup ignores ASCII case (RFC 9110 5.1).
// The HTTP/1 codec fills it in wire order; HTTP/2 (a later layer) lower-cases names.

#include <QByteArray>
#include <QList>
#include <utility>

namespace spyglass {

class Headers
{
public:
    using Field = std::pair<QByteArray, QByteArray>;

    Headers() = default;
    Headers(std::initializer_list<Field> fields);

    const QList<Field>& fields() const { return m_fields; }
    qsizetype size() const { return m_fields.size(); }
    bool isEmpty() const { return m_fields.isEmpty(); }

    bool contains(QByteArrayView name) const;
    // The first value of `name`, or an empty array.
    QByteArray value(QByteArrayView name) const;
    // Every value of `name`, in order.
    QList<QByteArray> values(QByteArrayView name) const;
    // All values of `name` joined with ", " (RFC 9110 5.3), as a single field would read.
    QByteArray joined(QByteArrayView name) const;

    void add(const QByteArray& name, const QByteArray& value);
    void add(QByteArray&& name, QByteArray&& value); // the parsers' case: no reference counting
    // Replaces every field called `name` by one field at the position of the first.
    void set(const QByteArray& name, const QByteArray& value);
    // Removes every field called `name`; returns how many were removed.
    qsizetype remove(QByteArrayView name);
    void clear() { m_fields.clear(); }

    // Case-insensitive: does any comma-separated element of `name` equal `token`?
    bool hasToken(QByteArrayView name, QByteArrayView token) const;

    bool operator==(const Headers& other) const = default;

private:
    QList<Field> m_fields;
};

// Bytes of equal length, ASCII letters compared without case (Latin-1 above 0x7f).
bool equalsIgnoreCaseSameSize(QByteArrayView a, QByteArrayView b);

// Field names are compared many times per message, most of them against a name of another
// length: that case is settled inline, without a call.
inline bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && equalsIgnoreCaseSameSize(a, b);
}

} // namespace spyglass
