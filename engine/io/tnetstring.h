#pragma once
// A tnetstring reader: the serialisation mitmproxy writes its flow files in
// (mitmproxy/io/tnetstring.py). Each value is `LENGTH:DATA<type>`, LENGTH in ASCII decimal
// (at most 12 digits), DATA exactly LENGTH bytes, then one type byte:
//
//   ,  bytes         ;  text (UTF-8)     #  integer        ^  float
//   !  "true"/"false"                    ~  null (LENGTH 0)
//   }  dictionary: key, value, key, value, ... (keys are bytes or text)
//   ]  list of values
//
// Why our own: it is forty lines of grammar, and a flow file is untrusted input. The reader
// is bounded: nesting deeper than `maxDepth` is an error (a depth bomb cannot overflow the
// stack), every length is checked against what is left of the input before anything is
// allocated, and containers cannot hold more values than their bytes could encode. Errors are
// values carrying the byte offset at which the input went wrong.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <vector>

namespace spyglass {

struct TnetValue
{
    enum class Type : quint8
    {
        Null,
        Bytes,
        Text,
        Integer,
        Float,
        Boolean,
        Dict,
        List,
    };

    Type type = Type::Null;
    QByteArray bytes;             // Bytes and Text (UTF-8): the data
    qint64 integer = 0;           // Integer
    double number = 0;            // Float (and Integer, converted)
    bool boolean = false;         // Boolean
    QList<QByteArray> keys;       // Dict: keys, parallel to `items`
    std::vector<TnetValue> items; // Dict: values; List: elements
    qint64 offset = 0;            // where the value starts in the input

    bool isNull() const { return type == Type::Null; }
    bool isString() const { return type == Type::Bytes || type == Type::Text; }
    bool isNumber() const { return type == Type::Integer || type == Type::Float; }
    bool isDict() const { return type == Type::Dict; }
    bool isList() const { return type == Type::List; }

    // Dict member `key` (the last one if a key repeats), or nullptr.
    const TnetValue* get(QByteArrayView key) const;
    // Conveniences that tolerate a missing or differently typed value.
    QByteArray toBytes() const { return isString() ? bytes : QByteArray(); }
    double toDouble(double fallback = 0) const;
    qint64 toInteger(qint64 fallback = 0) const;
    bool toBool(bool fallback = false) const;

    // Building values to write (TnetstringWriter).
    static TnetValue null() { return {}; }
    static TnetValue ofBytes(const QByteArray& b);
    static TnetValue ofText(const QByteArray& utf8);
    static TnetValue ofText(const QString& s) { return ofText(s.toUtf8()); }
    static TnetValue ofInteger(qint64 i);
    static TnetValue ofFloat(double d); // a non-finite number becomes null
    static TnetValue ofBool(bool b);
    static TnetValue list();
    static TnetValue dict();
    // Appends to a list; returns *this for chaining.
    TnetValue& append(TnetValue v);
    // Adds (or replaces) a dict member; returns *this for chaining.
    TnetValue& set(const QByteArray& key, TnetValue v);
};

class TnetstringReader
{
public:
    static constexpr int DefaultMaxDepth = 64;

    struct Result
    {
        TnetValue value;
        qint64 end = 0;         // offset just after the value
        QString error;          // empty when a value was read
        qint64 errorAt = 0;     // byte offset of the problem
        bool truncated = false; // the input ended inside the value (more data would help)

        bool ok() const { return error.isEmpty(); }
    };

    // Reads one value starting at `offset` of `data`. Offsets in the result (and in values)
    // are offsets into `data`.
    static Result parse(QByteArrayView data, qint64 offset = 0, int maxDepth = DefaultMaxDepth);
};

} // namespace spyglass
