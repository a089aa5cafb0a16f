#include "script/script_addon.h"

#include "script/script_runtime.h"

#include <QFileInfo>
#include <QThread>

namespace spyglass::script {

ScriptAddon::ScriptAddon(const QString& path) : m_path(path)
{
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("script ") + QFileInfo(path).fileName());
    m_runtime = new ScriptRuntime(
        path,
        [this](int level, const QString& message) {
            if (level >= int(proxy::LogLevel::Error))
                setError(message);
            log(proxy::LogLevel(level), message);
        },
        [this](quint64 wanted, const QString& error) {
            if (!error.isEmpty())
                setError(error);
            if (m_wanted.exchange(wanted) != wanted) {
                std::function<void()> callback;
                {
                    std::lock_guard lock(m_mutex);
                    callback = m_onWantedChanged;
                }
                if (callback)
                    callback();
            }
        });
    // The engine sets the injector when it takes the addon (ProxyEngine::addAddon), before
    // the script runs a hook.
    m_runtime->setInject(
        [this](const QUuid& id, bool toClient, const QByteArray& content, bool isText) -> QString {
            if (!injector())
                return QStringLiteral("no proxy runs this script");
            QString error;
            return injector()(id, toClient, content, isText, &error) ? QString() : error;
        });
    m_runtime->moveToThread(m_thread);
    m_thread->start();
}

ScriptAddon::~ScriptAddon()
{
    // The engine that the callback refreshes is going away too.
    setOnWantedHooksChanged({});
    QMetaObject::invokeMethod(
        m_runtime,
        [rt = m_runtime] {
            rt->shutdown();
            delete rt;
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

QString ScriptAddon::name() const
{
    return QStringLiteral("script ") + QFileInfo(m_path).fileName();
}

void ScriptAddon::setError(const QString& error)
{
    std::lock_guard lock(m_mutex);
    m_lastError = error;
}

QString ScriptAddon::lastError() const
{
    std::lock_guard lock(m_mutex);
    return m_lastError;
}

void ScriptAddon::setOnWantedHooksChanged(std::function<void()> callback)
{
    std::lock_guard lock(m_mutex);
    m_onWantedChanged = std::move(callback);
}

QString ScriptAddon::load()
{
    QString error;
    QMetaObject::invokeMethod(
        m_runtime, [&error, rt = m_runtime] { error = rt->load(); }, Qt::BlockingQueuedConnection);
    return error;
}

void ScriptAddon::running()
{
    QMetaObject::invokeMethod(
        m_runtime, [rt = m_runtime] { rt->running(); }, Qt::QueuedConnection);
}

void ScriptAddon::sync()
{
    QMetaObject::invokeMethod(
        m_runtime, [] {}, Qt::BlockingQueuedConnection);
}

QString ScriptAddon::configure(const Options& options)
{
    QMetaObject::invokeMethod(
        m_runtime, [options, rt = m_runtime] { rt->configure(options); }, Qt::QueuedConnection);
    return {};
}

bool ScriptAddon::run(const proxy::HookPtr& hook, const std::function<void()>& complete)
{
    if (!(wantedHooks() & (quint64(1) << int(hook->kind))))
        return true;
    HookInput input{hook->kind, nullptr, std::nullopt, std::nullopt};
    if (hook->flow)
        input.flow = std::make_shared<const HttpFlow>(*hook->flow);
    if (hook->connection)
        input.connection = *hook->connection;
    if (hook->clientHello)
        input.clientHello = *hook->clientHello;
    QMetaObject::invokeMethod(
        m_runtime,
        [rt = m_runtime, hook, complete, input = std::move(input)] {
            if (FlowChange change = rt->runHook(input))
                hook->onWorker.push_back([hook, change = std::move(change)] { change(*hook); });
            complete();
        },
        Qt::QueuedConnection);
    return false;
}

} // namespace spyglass::script
