#pragma once
// The scripts a program was started with (-s FILE, --set scripts=FILE), wired into the
// engine: spyglass-dump and the window both load them before anything else (a script may
// add options, which --set and --options must know), hand them to the ProxyEngine before it
// starts, and tell them `running` once it listens.

#include "addons/addon.h"

#include <QStringList>
#include <memory>
#include <vector>

namespace spyglass {
class ProxyEngine;
}

namespace spyglass::script {

class ScriptAddon;

class ScriptSet
{
public:
    ScriptSet();
    ~ScriptSet();

    // Loads each file in order, logging to `log` until install(); the first error, as
    // "FILE:LINE: message", or "".
    QString load(const QStringList& paths, const addons::LogSink& log);
    // Gives the scripts to `engine` (call before ProxyEngine::start); they stay reachable
    // through scripts() for as long as the engine lives.
    void install(ProxyEngine& engine);
    // The `running` hook of every script.
    void running();
    const std::vector<ScriptAddon*>& scripts() const { return m_scripts; }

private:
    std::vector<std::unique_ptr<ScriptAddon>> m_owned; // until install()
    std::vector<ScriptAddon*> m_scripts;
};

} // namespace spyglass::script
