#pragma once
// intercept (mitmproxy `addons/intercept.py`): while `intercept_active` is on, a flow matching
// the `intercept` filter is held in its `request` hook, again in its `response` hook, and at
// each WebSocket message, until someone resumes, edits or kills it. Only the held flow waits:
// its layer waits for the hook, the connection's other streams and every other connection go on
// (DESIGN.md "Hook commands"). The window calls the engine facade (ProxyEngine::resumeFlow
// and friends), which lands here, from its own thread.
//
// Threads: run() holds on a worker; resume/kill/replace come from any thread. They never touch
// the held flow themselves: the change travels in HookData::onWorker and is made on the flow's
// worker before its layer continues.
//
// Kill: a request or response is closed without an answer (mitmproxy's flow.kill()); a held
// WebSocket or TCP message is dropped, not forwarded (it stays recorded, marked `dropped`).
// Replace: the request (held at request), the response (held at response) or the message
// content (held at a WebSocket or TCP message: the edited copy's last message) is taken from
// the edited copy, then the flow goes on.

#include "addons/addon.h"
#include "addons/config_slot.h"
#include "filter/filter.h"

#include <QHash>
#include <QUuid>
#include <mutex>

namespace spyglass::addons {

class Intercept : public Addon
{
public:
    QString name() const override { return QStringLiteral("intercept"); }
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override;
    bool run(const proxy::HookPtr& hook, const std::function<void()>& complete) override;
    bool mayWait() const override { return true; }

    // Called on the worker each time a flow is held, with the flow (intercepted set), so the
    // engine can publish it.
    void setOnHold(std::function<void(const HttpFlow&)> onHold) { m_onHold = std::move(onHold); }

    // Holds a hook that another addon answers through this one: a script whose hook called
    // flow.intercept() (engine/script/script_host.h) hands its hook over instead of
    // completing it. From then on the flow is held exactly as if the `intercept` filter had
    // matched: listed by held(), released by resume/kill/replace (which call `complete`, so
    // the addons after that script run after the release). `shown` is the flow as that addon
    // left it (its own changes wait in hook->onWorker); it is published with intercepted set.
    // Thread-safe, from any thread (the script's). False, holding nothing, for a hook other
    // than request, response or websocket_message, or a flow held already.
    bool hold(const proxy::HookPtr& hook, std::function<void()> complete, const HttpFlow& shown);

    // Thread-safe. Ids of the flows held now.
    QList<QUuid> held() const;
    bool isHeld(const QUuid& id) const;
    // False when the flow is not held (any more).
    bool resume(const QUuid& id);
    int resumeAll();
    bool kill(const QUuid& id);
    bool replace(const QUuid& id, const HttpFlow& edited);

private:
    struct Config
    {
        bool active = false;
        filter::Filter filter;
    };
    struct Held
    {
        proxy::HookPtr hook;
        std::function<void()> complete;
    };

    bool take(const QUuid& id, Held* out);
    static void release(Held& held, std::function<void(HttpFlow&)> change);

    ConfigSlot<Config> m_config;
    std::function<void(const HttpFlow&)> m_onHold;
    mutable std::mutex m_mutex;
    QHash<QUuid, Held> m_held;
};

} // namespace spyglass::addons
