#include "io/tnetstring_writer.h"

#include <QLocale>
#include <cmath>

namespace spyglass {

namespace {

void put(QByteArray& out, QByteArrayView data, char type)
{
    out += QByteArray::number(data.size());
    out += ':';
    out += data;
    out += type;
}

} // namespace

QByteArray TnetstringWriter::floatText(double d)
{
    if (!std::isfinite(d))
        return "0.0"; // not reached through TnetValue::ofFloat
    QByteArray text = QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
    if (!text.contains('.') && !text.contains('e'))
        text += ".0";
    return text;
}

QByteArray TnetstringWriter::dump(const TnetValue& value)
{
    QByteArray out;
    dump(value, out);
    return out;
}

void TnetstringWriter::dump(const TnetValue& value, QByteArray& out)
{
    using Type = TnetValue::Type;
    switch (value.type) {
    case Type::Null:
        out += "0:~";
        return;
    case Type::Bytes:
        put(out, value.bytes, ',');
        return;
    case Type::Text:
        put(out, value.bytes, ';');
        return;
    case Type::Integer:
        put(out, QByteArray::number(value.integer), '#');
        return;
    case Type::Float:
        put(out, floatText(value.number), '^');
        return;
    case Type::Boolean:
        out += value.boolean ? "4:true!" : "5:false!";
        return;
    case Type::List: {
        QByteArray inner;
        for (const TnetValue& item : value.items)
            dump(item, inner);
        put(out, inner, ']');
        return;
    }
    case Type::Dict: {
        // Last member first, as tnetstring.py's dump() (it builds the output back to front).
        QByteArray inner;
        for (qsizetype i = value.keys.size() - 1; i >= 0; --i) {
            put(inner, value.keys[i], ';');
            dump(value.items[size_t(i)], inner);
        }
        put(out, inner, '}');
        return;
    }
    }
}

} // namespace spyglass
