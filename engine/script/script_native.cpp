#include "script/script_native.h"

#include "flow/flow_marker.h"
#include "options/option_registry.h"
#include "script/flow_to_js.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJSEngine>

namespace spyglass::script {

ScriptNative::ScriptNative(QString scriptPath, LogFn log)
    : m_path(std::move(scriptPath)), m_log(std::move(log))
{
}

QJSValue ScriptNative::wrap(QJSEngine& engine)
{
    m_engine = &engine;
    QJSEngine::setObjectOwnership(this, QJSEngine::CppOwnership);
    return engine.newQObject(this);
}

void ScriptNative::log(int level, const QString& message)
{
    if (m_log)
        m_log(level, message);
}

QString ScriptNative::addOption(const QString& name, const QString& type,
                                const QString& defaultValue, const QString& help)
{
    return OptionRegistry::addScriptOption(name, type, defaultValue, help);
}

QString ScriptNative::resolve(const QString& path) const
{
    if (QFileInfo(path).isAbsolute() || m_path.isEmpty())
        return path;
    return QFileInfo(m_path).absoluteDir().filePath(path);
}

QJSValue ScriptNative::readFile(const QString& path)
{
    QFile f(resolve(path));
    if (!m_engine || !f.open(QIODevice::ReadOnly))
        return QJSValue(QJSValue::NullValue);
    return m_engine->toScriptValue(f.readAll());
}

QString ScriptNative::writeFile(const QString& path, const QByteArray& data, bool append)
{
    QFile f(resolve(path));
    if (!f.open(append ? QIODevice::Append : QIODevice::WriteOnly | QIODevice::Truncate))
        return QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString());
    if (f.write(data) != data.size())
        return QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString());
    return {};
}

QString ScriptNative::decodeUtf8(const QByteArray& bytes) const
{
    return QString::fromUtf8(bytes);
}

QByteArray ScriptNative::encodeUtf8(const QString& text) const
{
    return text.toUtf8();
}

bool ScriptNative::isValidMarker(const QString& marker) const
{
    return FlowMarker::isValid(marker);
}

QJSValue ScriptNative::websocketMessages()
{
    if (!m_engine)
        return {};
    QJSValue out = m_engine->newArray();
    if (!m_flow || !m_flow->websocket)
        return out;
    quint32 i = 0;
    for (const WebSocketMessage& m : m_flow->websocket->messages)
        out.setProperty(i++, FlowToJs::websocketMessage(*m_engine, m));
    return out;
}

QJSValue ScriptNative::tcpMessages()
{
    if (!m_engine)
        return {};
    QJSValue out = m_engine->newArray();
    if (!m_flow || !m_flow->tcp)
        return out;
    quint32 i = 0;
    for (const TcpMessage& m : m_flow->tcp->messages)
        out.setProperty(i++, FlowToJs::tcpMessage(*m_engine, m));
    return out;
}

QString ScriptNative::inject(const QString& flowId, bool toClient, const QByteArray& content,
                             bool isText)
{
    const QUuid id = QUuid::fromString(flowId);
    if (id.isNull())
        return QStringLiteral("'%1' is not a flow id").arg(flowId);
    if (!m_inject)
        return QStringLiteral("no proxy runs this script");
    return m_inject(id, toClient, content, isText);
}

} // namespace spyglass::script
