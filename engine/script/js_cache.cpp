#include "script/js_cache.h"

#include <QJSEngine>

namespace spyglass::script {

namespace {

// The fields FlowToJs::connection puts in a raw connection.
bool sameForScripts(const Connection& a, const Connection& b)
{
    return a.id == b.id && a.peer == b.peer && a.tls == b.tls && a.sni == b.sni &&
           a.alpn == b.alpn && a.tlsVersion == b.tlsVersion && a.cipher == b.cipher &&
           a.error == b.error && a.timestampStart == b.timestampStart &&
           a.timestampTlsSetup == b.timestampTlsSetup && a.timestampEnd == b.timestampEnd;
}

} // namespace

JsCache::JsCache(QJSEngine& engine, const QJSValue& makers) : m_engine(engine)
{
    m_makers[int(Raw::Flow)] = makers.property(QStringLiteral("flow"));
    m_makers[int(Raw::Request)] = makers.property(QStringLiteral("request"));
    m_makers[int(Raw::Response)] = makers.property(QStringLiteral("response"));
    m_makers[int(Raw::Connection)] = makers.property(QStringLiteral("connection"));
}

QJSValue JsCache::make(Raw raw, const QJSValueList& fields) const
{
    return m_makers[int(raw)].call(fields);
}

QJSValue JsCache::latin1(const QByteArray& bytes)
{
    if (bytes.size() > kMaxLength)
        return m_engine.toScriptValue(QString::fromLatin1(bytes));
    const auto it = m_strings.constFind(bytes);
    if (it != m_strings.cend())
        return *it;
    if (m_strings.size() >= kMaxStrings)
        m_strings.clear();
    // A value that lives in the engine (toScriptValue), so copies share one heap string.
    QJSValue value = m_engine.toScriptValue(QString::fromLatin1(bytes));
    m_strings.insert(bytes, value);
    return value;
}

QJSValue JsCache::text(const QString& text)
{
    if (!text.isEmpty())
        return m_engine.toScriptValue(text);
    if (m_empty.isUndefined())
        m_empty = m_engine.toScriptValue(QString());
    return m_empty;
}

QJSValue JsCache::connection(const Connection& connection) const
{
    const auto it = m_connections.constFind(connection.id);
    if (it == m_connections.cend() || !sameForScripts(it->seen, connection))
        return {};
    return it->raw;
}

void JsCache::keep(const Connection& connection, const QJSValue& raw)
{
    if (m_connections.size() >= kMaxConnections && !m_connections.contains(connection.id))
        m_connections.clear();
    m_connections.insert(connection.id, KeptConnection{connection, raw});
}

} // namespace spyglass::script
