#pragma once
// What a script's hooks see over and over, made into JavaScript values once per engine
// instead of once per hook: short strings (header names and values, methods, schemes, hosts,
// "HTTP/1.1") and the raw objects of connections that have not changed since the last hook.
// Every value a hook's flow object carries is otherwise a fresh allocation on the engine's
// heap, and those allocations made the engine collect garbage every few dozen hooks (see
// also the heap ballast in prelude.js).
// JavaScript strings are immutable, so a script cannot tell a shared one from a fresh one; a
// connection's raw object is only read (prelude.js: Connection keeps an error a script sets
// on the wrapper, not on the raw).
//
// Bounded: strings longer than kMaxLength are never kept, and a table that reaches its limit
// starts over. One per QJSEngine, used on that engine's thread only.

#include "flow/connection.h"

#include <QByteArray>
#include <QHash>
#include <QJSValue>

class QJSEngine;

namespace spyglass::script {

class JsCache
{
public:
    static constexpr qsizetype kMaxLength = 256;
    static constexpr qsizetype kMaxStrings = 4096;
    static constexpr qsizetype kMaxConnections = 512;

    // The prelude's raw-object makers (prelude.js, "raw"): one object literal each, so the
    // engine makes a raw object in one piece instead of growing it property by property.
    enum class Raw
    {
        Flow,
        Request,
        Response,
        Connection,
        Count
    };

    // `makers`: the prelude's entry object's `raw` (functions named after Raw's values).
    JsCache(QJSEngine& engine, const QJSValue& makers);

    QJSEngine& engine() const { return m_engine; }
    // `bytes` as a JavaScript string, one character per byte (Latin-1).
    QJSValue latin1(const QByteArray& bytes);
    // `text` as a JavaScript string; kept only when empty (marks, comments, errors mostly are).
    QJSValue text(const QString& text);
    // The raw object last made for `connection` (keep()), if every field a script can read
    // is still the same; undefined otherwise.
    QJSValue connection(const Connection& connection) const;
    void keep(const Connection& connection, const QJSValue& raw);
    // A raw object from its fields, in the order the maker takes them.
    QJSValue make(Raw raw, const QJSValueList& fields) const;
    qsizetype strings() const { return m_strings.size(); }

private:
    struct KeptConnection
    {
        Connection seen;
        QJSValue raw;
    };

    QJSEngine& m_engine;
    QJSValue m_makers[int(Raw::Count)];
    QHash<QByteArray, QJSValue> m_strings;
    QJSValue m_empty;
    QHash<quint64, KeptConnection> m_connections;
};

} // namespace spyglass::script
