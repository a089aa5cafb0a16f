#include "script/script_host.h"

#include "addons/intercept.h"

namespace spyglass::script {

ScriptHost ScriptHost::make(addons::Intercept* intercept,
                            std::function<QUuid(const HttpFlow&, QString*)> replay)
{
    ScriptHost host;
    if (intercept) {
        host.hold = [intercept](const proxy::HookPtr& hook, std::function<void()> complete,
                                const HttpFlow& shown) {
            return intercept->hold(hook, std::move(complete), shown);
        };
        host.resume = [intercept](const QUuid& id) { return intercept->resume(id); };
        host.kill = [intercept](const QUuid& id) { return intercept->kill(id); };
        host.isHeld = [intercept](const QUuid& id) { return intercept->isHeld(id); };
    }
    host.replay = std::move(replay);
    return host;
}

} // namespace spyglass::script
