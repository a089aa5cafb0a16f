#include "script/script_set.h"

#include "options/option_registry.h"
#include "options/options.h"
#include "script/script_addon.h"
#include "server/proxy_engine.h"

#include <algorithm>
#include <cstdio>
#include <mutex>

namespace spyglass::script {

// What the scripts' threads share with the set: the scripts whose status changed since the
// last delivery, and the set itself (null once it is gone).
struct ScriptSet::Relay
{
    std::mutex mutex;
    ScriptSet* set = nullptr;
    std::vector<const ScriptAddon*> pending;
};

ScriptSet::ScriptSet(QObject* parent) : QObject(parent), m_relay(std::make_shared<Relay>())
{
    m_relay->set = this;
}

ScriptSet::~ScriptSet()
{
    std::lock_guard lock(m_relay->mutex);
    m_relay->set = nullptr;
}

void ScriptSet::watch(ScriptAddon* script)
{
    script->setOnStatusChanged([relay = m_relay, script] {
        std::lock_guard lock(relay->mutex);
        if (!relay->set ||
            std::find(relay->pending.begin(), relay->pending.end(), script) != relay->pending.end())
            return;
        relay->pending.push_back(script);
        if (relay->pending.size() == 1) // the first since the last delivery: wake the set
            QMetaObject::invokeMethod(relay->set, &ScriptSet::deliver, Qt::QueuedConnection);
    });
}

void ScriptSet::deliver()
{
    std::vector<const ScriptAddon*> changed;
    {
        std::lock_guard lock(m_relay->mutex);
        changed.swap(m_relay->pending);
    }
    for (const ScriptAddon* s : changed)
        if (const int i = indexOf(s); i >= 0)
            Q_EMIT scriptChanged(i);
}

int ScriptSet::indexOf(const ScriptAddon* script) const
{
    const auto it = std::find(m_scripts.begin(), m_scripts.end(), script);
    return it == m_scripts.end() ? -1 : int(it - m_scripts.begin());
}

QString ScriptSet::load(const QStringList& paths, const addons::LogSink& log)
{
    m_log = log;
    for (const QString& path : paths) {
        auto addon = std::make_unique<ScriptAddon>(path);
        addon->setLogSink(log);
        if (const QString err = addon->load(); !err.isEmpty())
            return err;
        watch(addon.get());
        m_scripts.push_back(addon.get());
        m_owned.push_back(std::move(addon));
    }
    return {};
}

QString ScriptSet::loadForStartup(const QStringList& paths, const QStringList& deferredSets,
                                  Options& options)
{
    if (const QString err = load(paths,
                                 [](proxy::LogLevel level, const QString& message) {
                                     if (level >= proxy::LogLevel::Warn)
                                         std::fprintf(stderr, "%s\n", qPrintable(message));
                                 });
        !err.isEmpty())
        return err;
    for (const QString& s : deferredSets)
        if (const QString err = OptionRegistry::apply(options, s); !err.isEmpty())
            return err;
    return {};
}

// What a script needs from the engine (flow.intercept(), spyglass.replay(), hooks it starts or
// stops wanting), then the engine takes it.
static void giveToEngine(std::unique_ptr<ScriptAddon> addon, ProxyEngine& engine)
{
    addon->setHost(
        ScriptHost::make(engine.interceptAddon(), [&engine](const HttpFlow& flow, QString* error) {
            return engine.replayFlow(flow, error);
        }));
    addon->setOnWantedHooksChanged([&engine] { engine.refreshWantedHooks(); });
    engine.addAddon(std::move(addon));
}

void ScriptSet::install(ProxyEngine& engine)
{
    m_engine = &engine;
    for (auto& addon : m_owned)
        giveToEngine(std::move(addon), engine);
    m_owned.clear();
}

void ScriptSet::running()
{
    m_running = true;
    for (ScriptAddon* s : m_scripts)
        s->running();
}

QString ScriptSet::add(const QString& path)
{
    auto addon = create(path);
    if (const QString err = addon->load(); !err.isEmpty())
        return err;
    adopt(std::move(addon));
    return {};
}

std::unique_ptr<ScriptAddon> ScriptSet::create(const QString& path) const
{
    auto addon = std::make_unique<ScriptAddon>(path);
    addon->setLogSink(m_log);
    return addon;
}

void ScriptSet::adopt(std::unique_ptr<ScriptAddon> addon)
{
    ScriptAddon* script = addon.get();
    watch(script);
    m_scripts.push_back(script);
    if (m_engine) {
        giveToEngine(std::move(addon), *m_engine);
    } else {
        m_owned.push_back(std::move(addon));
    }
    if (m_running)
        script->running();
    Q_EMIT scriptAdded(int(m_scripts.size()) - 1);
}

} // namespace spyglass::script
