#include "script/script_native.h"

#include "flow/flow_marker.h"
#include "options/option_registry.h"
#include "script/flow_to_js.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJSEngine>
#include <QTimer>

#include <algorithm>

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

namespace {

QUuid flowId(const QString& id)
{
    return QUuid::fromString(id);
}

} // namespace

int ScriptNative::addTimer(int ms)
{
    const int id = m_nextTimer++;
    auto* timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, id] {
        if (QTimer* t = m_timers.take(id))
            t->deleteLater();
        if (m_onTimer)
            m_onTimer(id);
    });
    m_timers.insert(id, timer);
    timer->start(std::max(0, ms));
    return id;
}

void ScriptNative::cancelTimer(int id)
{
    if (QTimer* t = m_timers.take(id))
        delete t;
}

bool ScriptNative::resumeFlow(const QString& id)
{
    return m_host && m_host->resume && m_host->resume(flowId(id));
}

bool ScriptNative::killFlow(const QString& id)
{
    return m_host && m_host->kill && m_host->kill(flowId(id));
}

bool ScriptNative::isHeld(const QString& id) const
{
    return m_host && m_host->isHeld && m_host->isHeld(flowId(id));
}

QJSValue ScriptNative::replay(const QJSValue& request, const QString& id)
{
    if (!m_engine)
        return {};
    QJSValue out = m_engine->newObject();
    if (!m_host || !m_host->replay) {
        out.setProperty(QStringLiteral("error"),
                        QStringLiteral("spyglass.replay needs a running proxy"));
        return out;
    }
    HttpFlow flow;
    const bool current = m_flow && m_flow->id == flowId(id);
    if (current) {
        flow.client = m_flow->client;
        flow.request = FlowToJs::requestFromJs(request, m_flow->request);
    } else {
        // A flow whose hook has returned: only what the script object still holds.
        flow.request = FlowToJs::requestFromJs(request, Request{});
        flow.request.body.content =
            request.property(QStringLiteral("fullContent")).toVariant().toByteArray();
        flow.request.body.size = flow.request.body.content.size();
        flow.request.body.streamed = false;
    }
    QString error;
    const QUuid replayId = m_host->replay(flow, &error);
    if (replayId.isNull())
        out.setProperty(QStringLiteral("error"),
                        error.isEmpty() ? QStringLiteral("the replay was refused") : error);
    else
        out.setProperty(QStringLiteral("id"), replayId.toString(QUuid::WithoutBraces));
    return out;
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
