#include "io/tnetstring.h"

#include <cmath>

namespace spyglass {

const TnetValue* TnetValue::get(QByteArrayView key) const
{
    if (type != Type::Dict)
        return nullptr;
    for (qsizetype i = keys.size() - 1; i >= 0; --i) {
        if (keys[i] == key)
            return &items[size_t(i)];
    }
    return nullptr;
}

double TnetValue::toDouble(double fallback) const
{
    if (type == Type::Float)
        return number;
    if (type == Type::Integer)
        return double(integer);
    return fallback;
}

qint64 TnetValue::toInteger(qint64 fallback) const
{
    if (type == Type::Integer)
        return integer;
    if (type == Type::Float && std::isfinite(number) && std::fabs(number) < 9.0e18)
        return qint64(number);
    return fallback;
}

bool TnetValue::toBool(bool fallback) const
{
    if (type == Type::Boolean)
        return boolean;
    if (type == Type::Integer)
        return integer != 0;
    return fallback;
}

TnetValue TnetValue::ofBytes(const QByteArray& b)
{
    TnetValue v;
    v.type = Type::Bytes;
    v.bytes = b;
    return v;
}

TnetValue TnetValue::ofText(const QByteArray& utf8)
{
    TnetValue v;
    v.type = Type::Text;
    v.bytes = utf8;
    return v;
}

TnetValue TnetValue::ofInteger(qint64 i)
{
    TnetValue v;
    v.type = Type::Integer;
    v.integer = i;
    v.number = double(i);
    return v;
}

TnetValue TnetValue::ofFloat(double d)
{
    TnetValue v;
    if (!std::isfinite(d))
        return v;
    v.type = Type::Float;
    v.number = d;
    return v;
}

TnetValue TnetValue::ofBool(bool b)
{
    TnetValue v;
    v.type = Type::Boolean;
    v.boolean = b;
    return v;
}

TnetValue TnetValue::list()
{
    TnetValue v;
    v.type = Type::List;
    return v;
}

TnetValue TnetValue::dict()
{
    TnetValue v;
    v.type = Type::Dict;
    return v;
}

TnetValue& TnetValue::append(TnetValue v)
{
    items.push_back(std::move(v));
    return *this;
}

TnetValue& TnetValue::set(const QByteArray& key, TnetValue v)
{
    const qsizetype i = keys.indexOf(key);
    if (i >= 0) {
        items[size_t(i)] = std::move(v);
    } else {
        keys.append(key);
        items.push_back(std::move(v));
    }
    return *this;
}

namespace {

constexpr int MaxLengthDigits = 12;

class Parser
{
public:
    Parser(QByteArrayView data, int maxDepth) : m_data(data), m_maxDepth(maxDepth) {}

    // Reads the value at `pos`, which must end at or before `limit`.
    bool value(qint64 pos, qint64 limit, int depth, TnetValue& out, qint64& end)
    {
        out.offset = pos;
        if (depth > m_maxDepth)
            return fail(pos, QStringLiteral("nested deeper than %1 levels").arg(m_maxDepth));
        qint64 p = pos;
        qint64 length = 0;
        int digits = 0;
        while (p < limit && m_data[p] >= '0' && m_data[p] <= '9') {
            if (++digits > MaxLengthDigits)
                return fail(
                    pos,
                    QStringLiteral("length prefix longer than %1 digits").arg(MaxLengthDigits));
            length = length * 10 + (m_data[p] - '0');
            ++p;
        }
        if (p >= limit)
            return failEnd(p, limit, QStringLiteral("input ends inside a length prefix"));
        if (digits == 0)
            return fail(
                p, QStringLiteral("expected a length (digits), found %1").arg(describe(m_data[p])));
        if (m_data[p] != ':')
            return fail(
                p,
                QStringLiteral("expected ':' after the length, found %1").arg(describe(m_data[p])));
        const qint64 start = p + 1;
        // The data and the type byte must fit before `limit`.
        if (length >= limit - start)
            return failEnd(start, limit,
                           QStringLiteral("a value of %1 bytes does not fit in the %2 bytes left")
                               .arg(length)
                               .arg(qMax<qint64>(0, limit - start - 1)));
        const qint64 typeAt = start + length;
        const QByteArrayView data = m_data.sliced(start, length);
        end = typeAt + 1;
        switch (m_data[typeAt]) {
        case ',':
            out.type = TnetValue::Type::Bytes;
            out.bytes = data.toByteArray();
            return true;
        case ';':
            out.type = TnetValue::Type::Text;
            out.bytes = data.toByteArray();
            return true;
        case '#': {
            bool ok = false;
            out.integer = data.toByteArray().toLongLong(&ok);
            if (!ok)
                return fail(start, QStringLiteral("bad integer"));
            out.type = TnetValue::Type::Integer;
            out.number = double(out.integer);
            return true;
        }
        case '^': {
            bool ok = false;
            out.number = data.toByteArray().toDouble(&ok);
            if (!ok)
                return fail(start, QStringLiteral("bad float"));
            out.type = TnetValue::Type::Float;
            return true;
        }
        case '!':
            if (data == "true")
                out.boolean = true;
            else if (data == "false")
                out.boolean = false;
            else
                return fail(start, QStringLiteral("bad boolean (neither true nor false)"));
            out.type = TnetValue::Type::Boolean;
            return true;
        case '~':
            if (length != 0)
                return fail(start, QStringLiteral("null with a non-empty payload"));
            out.type = TnetValue::Type::Null;
            return true;
        case ']':
            out.type = TnetValue::Type::List;
            return children(start, typeAt, depth, out, false);
        case '}':
            out.type = TnetValue::Type::Dict;
            return children(start, typeAt, depth, out, true);
        default:
            return fail(typeAt,
                        QStringLiteral("unknown type byte %1").arg(describe(m_data[typeAt])));
        }
    }

    QString error;
    qint64 errorAt = 0;
    bool truncated = false;

private:
    bool children(qint64 p, qint64 limit, int depth, TnetValue& out, bool dict)
    {
        while (p < limit) {
            if (dict) {
                TnetValue key;
                qint64 keyEnd = 0;
                if (!value(p, limit, depth + 1, key, keyEnd))
                    return false;
                if (!key.isString())
                    return fail(p, QStringLiteral("a dictionary key that is not a string"));
                if (keyEnd >= limit)
                    return fail(keyEnd, QStringLiteral("a dictionary key without a value"));
                out.keys.append(std::move(key.bytes));
                p = keyEnd;
            }
            out.items.emplace_back();
            qint64 childEnd = 0;
            if (!value(p, limit, depth + 1, out.items.back(), childEnd))
                return false;
            p = childEnd;
        }
        return true;
    }

    bool fail(qint64 at, const QString& message)
    {
        if (error.isEmpty()) {
            error = message;
            errorAt = at;
        }
        return false;
    }

    // Running out of bytes: truncation when the limit is the end of the input itself (a
    // container's own end is a corrupt length instead).
    bool failEnd(qint64 at, qint64 limit, const QString& message)
    {
        if (error.isEmpty() && limit == m_data.size())
            truncated = true;
        return fail(at, message);
    }

    static QString describe(char c)
    {
        const auto u = uchar(c);
        if (u >= 0x20 && u < 0x7f)
            return QStringLiteral("'%1'").arg(QChar(u));
        return QStringLiteral("byte 0x%1").arg(u, 2, 16, QLatin1Char('0'));
    }

    QByteArrayView m_data;
    int m_maxDepth;
};

} // namespace

TnetstringReader::Result TnetstringReader::parse(QByteArrayView data, qint64 offset, int maxDepth)
{
    Result r;
    if (offset < 0 || offset > data.size()) {
        r.error = QStringLiteral("offset outside the input");
        r.errorAt = offset;
        return r;
    }
    Parser p(data, maxDepth);
    if (!p.value(offset, data.size(), 0, r.value, r.end)) {
        r.value = TnetValue{};
        r.error = p.error;
        r.errorAt = p.errorAt;
        r.truncated = p.truncated;
        r.end = 0;
    }
    return r;
}

} // namespace spyglass
