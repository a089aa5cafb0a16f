#pragma once
// The scripts a program runs (-s FILE, --set scripts=FILE, and those the window's Scripts
// panel adds), wired into the engine: spyglass-dump and the window both load them before
// anything else (a script may add options, which --set and --options must know) with
// loadForStartup(), hand them to the ProxyEngine before it starts, and tell them `running`
// once it listens. While the program runs, add() loads one more into the running engine.
//
// Threads: every method from the thread that made the set (the main thread). A script's
// status changes on its own thread (ScriptAddon's status callback); the set gathers them and
// emits scriptChanged on its own thread, once per batch (CONVENTIONS 9), so a hook that
// throws on every flow costs the window one queued call per event-loop turn, not one per flow.
// The set never owns a script once installed: the engine does, and must outlive the set's use.

#include "addons/addon.h"

#include <QObject>
#include <QStringList>
#include <memory>
#include <vector>

namespace spyglass {
class ProxyEngine;
struct Options;
} // namespace spyglass

namespace spyglass::script {

class ScriptAddon;

class ScriptSet : public QObject
{
    Q_OBJECT
public:
    explicit ScriptSet(QObject* parent = nullptr);
    ~ScriptSet() override;

    // Loads each file in order, logging to `log` until install(); the first error, as
    // "FILE:LINE: message", or "".
    QString load(const QStringList& paths, const addons::LogSink& log);
    // The start of both programs: load(paths) with warnings and errors on stderr, then the
    // --set assignments of options the scripts define (`deferredSets`) applied to `options`.
    // The first error (a script, or an unknown option name), or "".
    QString loadForStartup(const QStringList& paths, const QStringList& deferredSets,
                           Options& options);
    // Gives the scripts to `engine` (call before ProxyEngine::start); they stay reachable
    // through scripts() for as long as the engine lives.
    void install(ProxyEngine& engine);
    // The `running` hook of every script.
    void running();
    // Loads one more script while the program runs (the window's "Add script…"): into the
    // engine once install() was called (running or not), and told `running` when running()
    // was. "" and scriptAdded, or "FILE:LINE: message" and nothing added.
    QString add(const QString& path);
    // add() in two halves, for a caller that must not wait for the load (the window's Scripts
    // panel): create() makes the script with the set's log sink, not loaded; the caller runs
    // its load() on a thread of its own and, when that returned "", hands it to adopt() on the
    // set's thread, which does the rest of add() (into the engine, `running`, scriptAdded).
    std::unique_ptr<ScriptAddon> create(const QString& path) const;
    void adopt(std::unique_ptr<ScriptAddon> loaded);

    const std::vector<ScriptAddon*>& scripts() const { return m_scripts; }
    // The index of `script` in scripts(), or -1.
    int indexOf(const ScriptAddon* script) const;

Q_SIGNALS:
    void scriptAdded(int index);
    // The state, last error or hooks of scripts()[index] changed.
    void scriptChanged(int index);

private:
    struct Relay;
    void watch(ScriptAddon* script);
    void deliver();

    std::shared_ptr<Relay> m_relay; // shared with the scripts' status callbacks
    addons::LogSink m_log;
    ProxyEngine* m_engine = nullptr;
    bool m_running = false;
    std::vector<std::unique_ptr<ScriptAddon>> m_owned; // until install()
    std::vector<ScriptAddon*> m_scripts;
};

} // namespace spyglass::script
