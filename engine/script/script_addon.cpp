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
        [this](quint64 wanted, const QString& error) { onLoaded(wanted, error); });
    m_runtime->moveToThread(m_thread);
    m_thread->start();
}

ScriptAddon::~ScriptAddon()
{
    // The engine that the callback refreshes is going away too.
    setOnWantedHooksChanged({});
    setOnStatusChanged({});
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
    {
        std::lock_guard lock(m_mutex);
        m_lastError = error;
        m_state = State::Error;
    }
    statusChanged();
}

void ScriptAddon::onLoaded(quint64 wanted, const QString& error)
{
    if (!error.isEmpty()) {
        setError(error);
    } else {
        // The runtime calls this on its own thread, where hookNames() may be asked.
        const QStringList hooks = m_runtime->hookNames();
        {
            std::lock_guard lock(m_mutex);
            m_lastError.clear();
            m_state = State::Running;
            m_hooks = hooks;
        }
        statusChanged();
    }
    setWanted(wanted);
}

void ScriptAddon::setWanted(quint64 wanted)
{
    if (m_wanted.exchange(wanted) == wanted)
        return;
    std::function<void()> callback;
    {
        std::lock_guard lock(m_mutex);
        callback = m_onWantedChanged;
    }
    if (callback)
        callback();
}

void ScriptAddon::statusChanged()
{
    std::function<void()> callback;
    {
        std::lock_guard lock(m_mutex);
        callback = m_onStatusChanged;
    }
    if (callback)
        callback();
}

QString ScriptAddon::lastError() const
{
    std::lock_guard lock(m_mutex);
    return m_lastError;
}

ScriptAddon::State ScriptAddon::state() const
{
    std::lock_guard lock(m_mutex);
    return m_state;
}

QStringList ScriptAddon::hooks() const
{
    std::lock_guard lock(m_mutex);
    return m_hooks;
}

void ScriptAddon::setOnStatusChanged(std::function<void()> callback)
{
    std::lock_guard lock(m_mutex);
    m_onStatusChanged = std::move(callback);
}

void ScriptAddon::reload()
{
    // The destructor's blocking call comes after this, so `this` outlives the lambda.
    QMetaObject::invokeMethod(
        m_runtime,
        [this] {
            if (const QString err = m_runtime->load(); !err.isEmpty())
                log(proxy::LogLevel::Error, err);
            else
                log(proxy::LogLevel::Info, QStringLiteral("reloaded script %1").arg(m_path));
        },
        Qt::QueuedConnection);
}

void ScriptAddon::unload()
{
    QMetaObject::invokeMethod(
        m_runtime,
        [this] {
            // No new hook is posted from here on; one already queued finds no script.
            setWanted(0);
            m_runtime->shutdown();
            {
                std::lock_guard lock(m_mutex);
                m_state = State::Unloaded;
                m_hooks.clear();
            }
            statusChanged();
            log(proxy::LogLevel::Info, QStringLiteral("unloaded script %1").arg(m_path));
        },
        Qt::QueuedConnection);
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
