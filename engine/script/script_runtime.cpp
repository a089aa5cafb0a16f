#include "script/script_runtime.h"

#include "options/option_registry.h"
#include "proxy/command.h"
#include "proxy/context.h"
#include "script/js_cache.h"
#include "script/script_api.h"

#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QJSEngine>
#include <QRegularExpression>
#include <QTimer>

namespace spyglass::script {

struct ScriptRuntime::Generation
{
    // Destroyed in reverse: the values, then the engine, then the native object it used.
    std::unique_ptr<ScriptNative> native;
    std::unique_ptr<QJSEngine> engine;
    std::unique_ptr<JsCache> cache; // values hooks see again and again
    QJSValue entry;
    QJSValue invoke;
    QHash<QString, QJSValue> functions; // hook name -> the script's function
    QString source;
    quint64 wanted = 0;
};

ScriptRuntime::ScriptRuntime(QString path, LogFn log,
                             std::function<void(quint64, const QString&)> onLoaded)
    : m_path(QFileInfo(path).absoluteFilePath()), m_log(std::move(log)),
      m_onLoaded(std::move(onLoaded))
{
}

ScriptRuntime::~ScriptRuntime() = default;

void ScriptRuntime::report(const QString& message)
{
    if (m_log)
        m_log(int(proxy::LogLevel::Error), message);
}

QString ScriptRuntime::location(const Generation& g, const QJSValue& error,
                                const QString& hook) const
{
    // The innermost frame in the script itself (an error thrown by the API, a setter
    // refusing a value, points into the prelude otherwise).
    int line = 0;
    const QString stack = error.property(QStringLiteral("stack")).toString();
    for (const QString& frame : stack.split(QLatin1Char('\n'))) {
        const qsizetype colon = frame.lastIndexOf(QLatin1Char(':'));
        if (colon > 0 && frame.left(colon).endsWith(m_path)) {
            line = frame.mid(colon + 1).toInt();
            break;
        }
    }
    if (line == 0 && error.property(QStringLiteral("fileName")).toString().endsWith(m_path))
        line = error.property(QStringLiteral("lineNumber")).toInt();
    if (line == 0 && !hook.isEmpty()) {
        // Where the hook is defined: an interrupted call has no stack.
        const QRegularExpression def(QStringLiteral("function\\s+%1\\s*\\(").arg(hook));
        const QRegularExpressionMatch m = def.match(g.source);
        if (m.hasMatch())
            line = int(g.source.left(m.capturedStart()).count(QLatin1Char('\n'))) + 1;
    }
    return QStringLiteral("%1:%2").arg(m_path).arg(line);
}

QString ScriptRuntime::load()
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        const QString err =
            QStringLiteral("cannot read script %1: %2").arg(m_path, file.errorString());
        if (m_onLoaded)
            m_onLoaded(m_current ? m_current->wanted : 0, err);
        return err;
    }
    auto g = std::make_unique<Generation>();
    g->source = QString::fromUtf8(file.readAll());
    g->native = std::make_unique<ScriptNative>(m_path, [this](int level, const QString& m) {
        if (m_log)
            m_log(level, QFileInfo(m_path).fileName() + QStringLiteral(": ") + m);
    });
    g->native->setHost(m_host);
    // The native object (and its timers) dies with its generation: a reload drops the timers.
    g->native->setOnTimer([this, gen = g.get()](int id) { fireTimer(*gen, id); });
    g->native->setInject(m_inject);
    g->engine = std::make_unique<QJSEngine>();
    g->entry = ScriptApi::installPrelude(*g->engine, g->native->wrap(*g->engine));
    g->cache = std::make_unique<JsCache>(*g->engine, g->entry.property(QStringLiteral("raw")));
    QString err;
    if (g->entry.isError()) {
        err = QStringLiteral("%1: the script API failed to start: %2")
                  .arg(m_path, g->entry.toString());
    } else {
        g->invoke = g->entry.property(QStringLiteral("invoke"));
        m_watchdog.arm(g->engine.get(), m_timeoutMs);
        const QJSValue result = g->engine->evaluate(g->source, m_path, 1);
        const bool interrupted = m_watchdog.disarm();
        g->engine->setInterrupted(false);
        if (interrupted)
            err = QStringLiteral("%1: the script's top level ran longer than %2 ms")
                      .arg(m_path)
                      .arg(m_timeoutMs);
        else if (result.isError())
            err = QStringLiteral("%1:%2: %3")
                      .arg(m_path)
                      .arg(result.property(QStringLiteral("lineNumber")).toInt())
                      .arg(result.toString());
    }
    if (err.isEmpty()) {
        const QJSValue global = g->engine->globalObject();
        for (const ScriptHook& h : ScriptApi::hooks()) {
            const QString name = QString::fromLatin1(h.name);
            const QJSValue fn = global.property(name);
            if (!fn.isCallable())
                continue;
            g->functions.insert(name, fn);
            if (h.kind)
                g->wanted |= proxy::Services::bit(*h.kind);
        }
        if (g->functions.contains(QStringLiteral("load"))) {
            const QJSValue answer =
                invoke(*g, QStringLiteral("load"),
                       g->engine->globalObject().property(QStringLiteral("spyglass")));
            if (!answer.property(QStringLiteral("ok")).toBool())
                err = answer.property(QStringLiteral("report")).toString();
        }
    }
    if (!err.isEmpty()) {
        if (m_onLoaded)
            m_onLoaded(m_current ? m_current->wanted : 0, err);
        return err;
    }

    if (!m_watcher) {
        m_watcher = new QFileSystemWatcher(this);
        m_reloadTimer = new QTimer(this);
        m_reloadTimer->setSingleShot(true);
        m_reloadTimer->setInterval(150); // editors write in several steps
        connect(m_watcher, &QFileSystemWatcher::fileChanged, this,
                [this] { m_reloadTimer->start(); });
        connect(m_reloadTimer, &QTimer::timeout, this, &ScriptRuntime::onFileChanged);
    }
    if (!m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path);

    std::unique_ptr<Generation> old = std::move(m_current);
    if (old && old->functions.contains(QStringLiteral("done")))
        invoke(*old, QStringLiteral("done"), QJSValue());
    old.reset();
    m_current = std::move(g);
    if (!m_options.isEmpty()) {
        // Configured before (a reload): the new version sees the options and `running` too.
        m_current->entry.property(QStringLiteral("setOptions"))
            .callWithInstance(m_current->entry, {optionsObject(*m_current->engine)});
        if (m_current->functions.contains(QStringLiteral("configure"))) {
            QJSValue names = m_current->engine->newArray();
            quint32 i = 0;
            for (auto it = m_options.cbegin(); it != m_options.cend(); ++it)
                names.setProperty(i++, it.key());
            invoke(*m_current, QStringLiteral("configure"), names);
        }
        if (m_running && m_current->functions.contains(QStringLiteral("running")))
            invoke(*m_current, QStringLiteral("running"), QJSValue());
    }
    if (m_onLoaded)
        m_onLoaded(m_current->wanted, QString());
    return {};
}

void ScriptRuntime::onFileChanged()
{
    // An editor that replaces the file drops it from the watch list; watch the new one.
    if (QFileInfo::exists(m_path) && !m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path);
    if (!QFileInfo::exists(m_path))
        return;
    if (const QString err = load(); !err.isEmpty())
        report(err + QStringLiteral(" (reload failed; the previous version keeps running)"));
    else if (m_log)
        m_log(int(proxy::LogLevel::Info), QStringLiteral("reloaded script %1").arg(m_path));
}

QJSValue ScriptRuntime::optionsObject(QJSEngine& engine) const
{
    QJSValue o = engine.newObject();
    for (auto it = m_options.cbegin(); it != m_options.cend(); ++it)
        o.setProperty(it.key(), engine.toScriptValue(it.value()));
    return o;
}

void ScriptRuntime::configure(const Options& options)
{
    m_timeoutMs = options.scriptTimeout;
    std::vector<OptionSpec> specs = OptionRegistry::all();
    for (auto& s : OptionRegistry::scriptOptions())
        specs.push_back(std::move(s));
    QVariantMap next;
    for (const OptionSpec& s : specs) {
        const QString text = s.get(options);
        if (s.type == QLatin1String("bool"))
            next.insert(s.name, text == QLatin1String("true"));
        else if (s.type == QLatin1String("int"))
            next.insert(s.name, text.toLongLong());
        else
            next.insert(s.name, text);
    }
    QStringList changed;
    for (auto it = next.cbegin(); it != next.cend(); ++it)
        if (!m_options.contains(it.key()) || m_options.value(it.key()) != it.value())
            changed.append(it.key());
    m_options = next;
    if (!m_current || changed.isEmpty())
        return;
    m_current->entry.property(QStringLiteral("setOptions"))
        .callWithInstance(m_current->entry, {optionsObject(*m_current->engine)});
    if (m_current->functions.contains(QStringLiteral("configure")))
        invoke(*m_current, QStringLiteral("configure"), m_current->engine->toScriptValue(changed));
}

void ScriptRuntime::running()
{
    m_running = true;
    if (m_current && m_current->functions.contains(QStringLiteral("running")))
        invoke(*m_current, QStringLiteral("running"), QJSValue());
}

void ScriptRuntime::shutdown()
{
    if (m_current && m_current->functions.contains(QStringLiteral("done")))
        invoke(*m_current, QStringLiteral("done"), QJSValue());
    m_current.reset();
    delete m_watcher;
    m_watcher = nullptr;
    delete m_reloadTimer;
    m_reloadTimer = nullptr;
}

QJSValue ScriptRuntime::invoke(Generation& g, const QString& hook, const QJSValue& argument)
{
    return invokeFunction(g, g.functions.value(hook), hook, argument);
}

void ScriptRuntime::fireTimer(Generation& g, int id)
{
    const QJSValue fn = g.entry.property(QStringLiteral("timer")).callWithInstance(g.entry, {id});
    if (fn.isCallable()) // not cleared meanwhile
        invokeFunction(g, fn, QStringLiteral("setTimeout callback"), QJSValue());
}

QJSValue ScriptRuntime::invokeFunction(Generation& g, const QJSValue& fn, const QString& hook,
                                       const QJSValue& argument)
{
    m_watchdog.arm(g.engine.get(), m_timeoutMs);
    // The hook's name as a string the engine keeps, not a new one per call.
    QJSValue answer = g.invoke.call({fn, g.cache->latin1(hook.toLatin1()), argument});
    const bool interrupted = m_watchdog.disarm();
    g.engine->setInterrupted(false);
    QString problem;
    if (interrupted) {
        problem = QStringLiteral("%1: %2 ran longer than %3 ms and was interrupted; the flow "
                                 "continues unmodified")
                      .arg(location(g, QJSValue(), hook), hook)
                      .arg(m_timeoutMs);
    } else if (answer.isError()) {
        problem =
            QStringLiteral("%1: %2: %3").arg(location(g, answer, hook), hook, answer.toString());
    } else if (!answer.property(QStringLiteral("ok")).toBool()) {
        QJSValue fake = g.engine->newObject();
        fake.setProperty(QStringLiteral("stack"), answer.property(QStringLiteral("stack")));
        QString where = location(g, fake, QString());
        if (where.endsWith(QStringLiteral(":0")) &&
            answer.property(QStringLiteral("line")).toInt() > 0)
            where = QStringLiteral("%1:%2").arg(m_path).arg(
                answer.property(QStringLiteral("line")).toInt());
        if (where.endsWith(QStringLiteral(":0")))
            where = location(g, QJSValue(), hook);
        problem = QStringLiteral("%1: %2: %3")
                      .arg(where, hook, answer.property(QStringLiteral("message")).toString());
    } else {
        return answer;
    }
    report(problem);
    QJSValue failed = g.engine->newObject();
    failed.setProperty(QStringLiteral("ok"), false);
    failed.setProperty(QStringLiteral("report"), problem);
    return failed;
}

QStringList ScriptRuntime::hookNames() const
{
    QStringList names;
    if (!m_current)
        return names;
    for (const ScriptHook& h : ScriptApi::hooks()) {
        const QString name = QString::fromLatin1(h.name);
        if (m_current->functions.contains(name))
            names.append(name);
    }
    return names;
}

bool ScriptRuntime::callHook(const QString& name, const QJSValue& argument)
{
    if (!m_current || !m_current->functions.contains(name))
        return false;
    return invoke(*m_current, name, argument).property(QStringLiteral("ok")).toBool();
}

void ScriptRuntime::setHost(std::shared_ptr<const ScriptHost> host)
{
    m_host = std::move(host);
    if (m_current)
        m_current->native->setHost(m_host);
}

HookOutcome ScriptRuntime::runHook(const HookInput& in)
{
    if (!m_current)
        return {};
    const char* name = ScriptApi::hookName(in.kind);
    if (!name || !m_current->functions.contains(QString::fromLatin1(name)))
        return {};
    Generation& g = *m_current;
    QJSEngine& engine = *g.engine;
    JsCache& js = *g.cache;
    QJSValue argument;
    using proxy::HookKind;
    switch (in.kind) {
    case HookKind::ClientConnected:
    case HookKind::ClientDisconnected:
        if (!in.connection)
            return {};
        argument = FlowToJs::connection(js, *in.connection);
        break;
    case HookKind::ServerConnect:
    case HookKind::ServerConnected:
    case HookKind::ServerDisconnected:
        argument = engine.newObject();
        if (in.connection)
            argument.setProperty(QStringLiteral("server"),
                                 FlowToJs::connection(js, *in.connection));
        if (in.client)
            argument.setProperty(QStringLiteral("client"), FlowToJs::connection(js, *in.client));
        else if (in.flow)
            argument.setProperty(QStringLiteral("client"),
                                 FlowToJs::connection(js, in.flow->client));
        break;
    case HookKind::TlsClientHello:
        if (!in.clientHello)
            return {};
        argument =
            FlowToJs::clientHello(js, *in.clientHello, in.connection ? &*in.connection : nullptr);
        break;
    default:
        if (!in.flow)
            return {};
        argument = FlowToJs::flow(js, *in.flow);
        break;
    }
    g.native->setCurrentFlow(in.flow);
    const QJSValue answer = invoke(g, QString::fromLatin1(name), argument);
    g.native->setCurrentFlow(nullptr);
    if (!answer.property(QStringLiteral("ok")).toBool())
        return {};
    if (in.kind == HookKind::ClientConnected || in.kind == HookKind::ServerConnect) {
        // A non-empty `error` set on the connection refuses it (mitmproxy's client.error /
        // server.error); in the other connection hooks the connection is read-only.
        const QJSValue error = answer.property(QStringLiteral("error"));
        if (!error.isString() || !in.connection || error.toString() == in.connection->error)
            return {};
        return {[message = error.toString()](proxy::HookData& hook) {
                    if (hook.connection)
                        hook.connection->error = message;
                },
                false};
    }
    if (in.kind == HookKind::TlsClientHello) {
        const bool ignore = answer.property(QStringLiteral("ignoreConnection")).toBool();
        if (ignore == in.clientHello->ignoreConnection)
            return {};
        return {[ignore](proxy::HookData& hook) {
                    if (hook.clientHello)
                        hook.clientHello->ignoreConnection = ignore;
                },
                false};
    }
    if (!in.flow)
        return {};
    return {FlowToJs::flowChange(answer, *in.flow, in.kind),
            answer.property(QStringLiteral("intercept")).toBool()};
}

} // namespace spyglass::script
