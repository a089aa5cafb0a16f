#include "script/script_addon.h"

#include "script/script_runtime.h"
#include "script/worker_return.h"

#include <QFileInfo>
#include <QThread>

#include <utility>

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

void ScriptAddon::setHost(ScriptHost host)
{
    auto shared = std::make_shared<const ScriptHost>(std::move(host));
    {
        std::lock_guard lock(m_mutex);
        m_host = shared;
    }
    QMetaObject::invokeMethod(
        m_runtime, [rt = m_runtime, shared] { rt->setHost(shared); }, Qt::BlockingQueuedConnection);
}

bool ScriptAddon::hold(const proxy::HookPtr& hook, const std::function<void()>& complete,
                       const HttpFlow& seen, const FlowChange& change)
{
    std::shared_ptr<const ScriptHost> host;
    {
        std::lock_guard lock(m_mutex);
        host = m_host;
    }
    if (!host || !host->hold) {
        log(proxy::LogLevel::Warn,
            QStringLiteral("%1: flow.intercept(): this proxy cannot hold flows; the flow goes on")
                .arg(m_path));
        return false;
    }
    // What the window shows while the flow is held: the flow with this script's changes.
    proxy::HookData shown;
    shown.kind = hook->kind;
    shown.flow = std::make_shared<HttpFlow>(seen);
    if (change)
        change(shown);
    if (host->hold(hook, complete, *shown.flow))
        return true;
    log(proxy::LogLevel::Warn,
        QStringLiteral("%1: flow.intercept() in %2: the flow could not be held; it goes on")
            .arg(m_path, QString::fromLatin1(proxy::hookName(hook->kind))));
    return false;
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
    HookInput input{hook->kind, nullptr, std::nullopt, std::nullopt, std::nullopt};
    if (hook->flow)
        input.flow = std::make_shared<const HttpFlow>(*hook->flow);
    if (hook->connection)
        input.connection = *hook->connection;
    if (hook->client)
        input.client = *hook->client;
    if (hook->clientHello)
        input.clientHello = *hook->clientHello;
    // The rest of the hook goes back to this worker: the changes queued in onWorker are made
    // there, then the addons after this one run there, on the changed flow (worker_return.h).
    std::function<void()> finish = [back = WorkerReturn::current(), hook, complete] {
        back->post([hook, complete] {
            for (const auto& work : std::exchange(hook->onWorker, {}))
                work();
            complete();
        });
    };
    QMetaObject::invokeMethod(
        m_runtime,
        [this, rt = m_runtime, hook, finish = std::move(finish), input = std::move(input)] {
            const HookOutcome outcome = rt->runHook(input);
            if (outcome.change)
                hook->onWorker.push_back([hook, change = outcome.change] { change(*hook); });
            // Held: whoever resumes (the window, a later hook, a timer) calls finish.
            if (outcome.intercept && input.flow && hold(hook, finish, *input.flow, outcome.change))
                return;
            finish();
        },
        Qt::QueuedConnection);
    return false;
}

} // namespace spyglass::script
