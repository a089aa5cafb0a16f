#pragma once
// What a script may ask of the engine it runs in beyond the flow its hook was given (issue 8):
// hold a flow it intercepted (flow.intercept()), resume or kill a held flow (flow.resume(),
// flow.kill() on a flow whose hook has returned), and replay a flow (spyglass.replay). The
// ScriptSet fills one from the ProxyEngine when it installs the scripts: holding goes to the
// engine's addons::Intercept, so a flow a script holds is listed, resumed, killed and edited
// exactly like one the `intercept` filter matched. A ScriptAddon without a host (a unit test
// running one alone) answers those calls with a clear error.
//
// Threads: every function is called on a script's thread and must be thread-safe.

#include "proxy/hook.h"

#include <QString>
#include <QUuid>
#include <functional>

namespace spyglass::addons {
class Intercept;
}

namespace spyglass::script {

struct ScriptHost
{
    // Holds `hook` (a request, response or websocket_message hook) until it is resumed,
    // killed or replaced; `complete` then continues the hook. `shown` is the flow as the
    // script left it, published with intercepted set. False when nothing was held.
    std::function<bool(const proxy::HookPtr& hook, std::function<void()> complete,
                       const HttpFlow& shown)>
        hold;
    std::function<bool(const QUuid& id)> resume; // false: not held (any more)
    std::function<bool(const QUuid& id)> kill;
    std::function<bool(const QUuid& id)> isHeld;
    // Client replay of a copy of `flow`: the new flow's id, or a null id and the reason.
    std::function<QUuid(const HttpFlow& flow, QString* error)> replay;

    // Holding, resuming and killing through `intercept` (which must outlive the host's
    // users), replaying through `replay` (may be empty: then replay is refused).
    static ScriptHost make(addons::Intercept* intercept,
                           std::function<QUuid(const HttpFlow&, QString*)> replay);
};

} // namespace spyglass::script
