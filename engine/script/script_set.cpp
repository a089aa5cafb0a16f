#include "script/script_set.h"

#include "script/script_addon.h"
#include "server/proxy_engine.h"

namespace spyglass::script {

ScriptSet::ScriptSet() = default;
ScriptSet::~ScriptSet() = default;

QString ScriptSet::load(const QStringList& paths, const addons::LogSink& log)
{
    for (const QString& path : paths) {
        auto addon = std::make_unique<ScriptAddon>(path);
        addon->setLogSink(log);
        if (const QString err = addon->load(); !err.isEmpty())
            return err;
        m_scripts.push_back(addon.get());
        m_owned.push_back(std::move(addon));
    }
    return {};
}

void ScriptSet::install(ProxyEngine& engine)
{
    for (auto& addon : m_owned) {
        addon->setHost(ScriptHost::make(engine.interceptAddon(),
                                        [&engine](const HttpFlow& flow, QString* error) {
                                            return engine.replayFlow(flow, error);
                                        }));
        addon->setOnWantedHooksChanged([&engine] { engine.refreshWantedHooks(); });
        engine.addAddon(std::move(addon));
    }
    m_owned.clear();
}

void ScriptSet::running()
{
    for (ScriptAddon* s : m_scripts)
        s->running();
}

} // namespace spyglass::script
