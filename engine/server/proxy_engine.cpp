#include "server/proxy_engine.h"

#include "addons/addon_manager.h"
#include "addons/client_gate_layer.h"
#include "addons/intercept.h"
#include "layers/modes/root_layer.h"
#include "options/option_registry.h"
#include "proxy/context.h"
#include "server/hook_runner.h"
#include "server/live_flows.h"
#include "server/proxy_server.h"
#include "server/replay_handler.h"
#include "server/replay_queue.h"
#include "tls/cert_store.h"
#include "tls/certificate_authority.h"
#include "tls/tls_contexts.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <mutex>

namespace spyglass {

namespace {

// The engine's HookRunner: the addons first (addons/addon_manager.h, which may finish later
// when one of them waits), then publishing to the hub at the moments the window and the dump
// care about: when a request starts (so long uploads show up live) and when the exchange ends.
class EngineHooks : public HookRunner
{
public:
    EngineHooks(FlowHub& hub, bool live, addons::AddonManager& addons)
        : m_hub(hub), m_live(live), m_addons(addons)
    {
    }

    bool run(const proxy::HookPtr& hook, std::function<void()> complete) override
    {
        if (!m_addons.run(hook, [this, hook, complete = std::move(complete)] {
                // Answered later, maybe from another thread: publish on the flow's worker.
                hook->onWorker.push_back([this, hook] { publish(*hook); });
                complete();
            }))
            return false;
        publish(*hook);
        return true;
    }

    void publish(const proxy::HookData& hook)
    {
        if (!hook.flow)
            return;
        switch (hook.kind) {
        case proxy::HookKind::RequestHeaders:
        case proxy::HookKind::WebsocketStart:
        case proxy::HookKind::WebsocketMessage:
        case proxy::HookKind::TcpStart:
        case proxy::HookKind::TcpMessage:
            if (m_live)
                m_hub.publish(std::make_shared<const HttpFlow>(*hook.flow));
            break;
        case proxy::HookKind::Response:
        case proxy::HookKind::Error:
        case proxy::HookKind::WebsocketEnd:
        case proxy::HookKind::TcpEnd:
        case proxy::HookKind::TcpError:
            m_hub.publish(std::make_shared<const HttpFlow>(*hook.flow));
            break;
        default:
            break;
        }
    }

    // The hooks publishing needs, and those the enabled addons act on; every other kind is
    // not even emitted.
    quint64 wanted() const
    {
        using proxy::HookKind;
        using proxy::Services;
        quint64 skipped =
            Services::bit(HookKind::HttpConnect) | Services::bit(HookKind::Request) |
            Services::bit(HookKind::ResponseHeaders) | Services::bit(HookKind::ClientConnected) |
            Services::bit(HookKind::ClientDisconnected) | Services::bit(HookKind::ServerConnect) |
            Services::bit(HookKind::ServerConnected) | Services::bit(HookKind::ServerDisconnected);
        if (!m_live) // only the end of a flow is published
            skipped |= Services::bit(HookKind::RequestHeaders) |
                       Services::bit(HookKind::WebsocketStart) |
                       Services::bit(HookKind::WebsocketMessage) |
                       Services::bit(HookKind::TcpStart) | Services::bit(HookKind::TcpMessage);
        return ~skipped | m_addons.wantedHooks();
    }

private:
    FlowHub& m_hub;
    const bool m_live;
    addons::AddonManager& m_addons;
};

} // namespace

struct ProxyEngine::Private
{
    std::shared_ptr<const CertificateAuthority> ca;
    std::unique_ptr<CertStore> certs;
    std::shared_ptr<const TlsContexts> tls;
    std::unique_ptr<addons::AddonManager> addons;
    std::unique_ptr<EngineHooks> hooks;
    std::shared_ptr<proxy::Services> services;
    std::unique_ptr<ProxyServer> server;
    ReplayQueue replays; // open while the server runs
    // Live WebSocket and TCP flows, for injectMessage (handlers list and unlist them).
    std::shared_ptr<LiveFlows> liveFlows = std::make_shared<LiveFlows>();
    // Guards `options` and the order of addon reconfigurations (setOption from any thread).
    mutable std::mutex optionsMutex;
    Options options;
};

ProxyEngine::ProxyEngine(QObject* parent)
    : QObject(parent), d(std::make_unique<Private>()), m_hub(30)
{
    // Addons log from worker threads; the signal is queued to receivers elsewhere.
    d->addons = std::make_unique<addons::AddonManager>(
        [this](proxy::LogLevel level, const QString& message) {
            if (level >= proxy::LogLevel::Info)
                Q_EMIT logMessage(int(level), message);
        });
    // A held flow is shown at once, whether or not the engine publishes live.
    if (auto* i = interceptAddon())
        i->setOnHold([this](const HttpFlow& flow) {
            m_hub.publish(std::make_shared<const HttpFlow>(flow));
        });
}

addons::Intercept* ProxyEngine::interceptAddon() const
{
    for (addons::Addon* a : d->addons->addons())
        if (auto* i = dynamic_cast<addons::Intercept*>(a))
            return i;
    return nullptr;
}

QList<QUuid> ProxyEngine::interceptedFlows() const
{
    auto* i = interceptAddon();
    return i ? i->held() : QList<QUuid>{};
}

bool ProxyEngine::resumeFlow(const QUuid& id)
{
    auto* i = interceptAddon();
    return i && i->resume(id);
}

int ProxyEngine::resumeAllFlows()
{
    auto* i = interceptAddon();
    return i ? i->resumeAll() : 0;
}

bool ProxyEngine::killFlow(const QUuid& id)
{
    auto* i = interceptAddon();
    return i && i->kill(id);
}

bool ProxyEngine::replaceFlow(const QUuid& id, const HttpFlow& edited)
{
    auto* i = interceptAddon();
    return i && i->replace(id, edited);
}

bool ProxyEngine::injectMessage(const QUuid& flowId, bool toClient, const QByteArray& content,
                                bool isText, QString* error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    const QString id = flowId.toString(QUuid::WithoutBraces);
    switch (d->liveFlows->post(flowId, proxy::MessageInjected{flowId, toClient, content, isText})) {
    case LiveFlows::Result::Posted:
        return true;
    case LiveFlows::Result::Ended:
        *error = QStringLiteral("flow %1 is not live any more").arg(id);
        return false;
    case LiveFlows::Result::Unknown:
        break;
    }
    *error = QStringLiteral("no live WebSocket or TCP flow %1").arg(id);
    return false;
}

ProxyEngine::~ProxyEngine()
{
    stop();
}

bool ProxyEngine::start(const Options& options, QString* error)
{
    stop();
    auto opts = std::make_shared<Options>(options);
    opts->confdir = expandHome(opts->confdir);

    d->ca = CertificateAuthority::loadOrCreate(opts->confdir, error);
    if (!d->ca)
        return false;
    d->tls = TlsContexts::create(*opts, error);
    if (!d->tls)
        return false;
    d->certs = std::make_unique<CertStore>(d->ca);
    {
        std::lock_guard lock(d->optionsMutex);
        if (const QString err = d->addons->configure(*opts); !err.isEmpty()) {
            *error = err;
            return false;
        }
        d->options = *opts;
    }
    d->hooks = std::make_unique<EngineHooks>(m_hub, m_liveUpdates, *d->addons);

    auto services = std::make_shared<proxy::Services>();
    services->certs = d->certs.get();
    services->tls = d->tls;
    services->clock = [] { return QDateTime::currentMSecsSinceEpoch() / 1000.0; };
    services->wantedHooks = d->hooks->wanted();
    services->random = [] { return QRandomGenerator::system()->generate(); };

    ServerConfig config;
    config.options = opts;
    config.services = services;
    config.rootLayer = [](proxy::Context ctx) -> std::unique_ptr<proxy::Layer> {
        // client_connected runs first, when an addon wants it (block_global).
        if (ctx.services && ctx.services->wants(proxy::HookKind::ClientConnected))
            return std::make_unique<addons::ClientGateLayer>(std::move(ctx),
                                                             &layers::makeRootLayer);
        return layers::makeRootLayer(std::move(ctx));
    };
    config.hooks = d->hooks.get();
    config.liveFlows = d->liveFlows;
    config.log = [this](proxy::LogLevel level, const QString& message) {
        // Debug lines (codec repairs, dropped bytes) would cost a queued signal each on a
        // hot path; they are for tests and a future verbose switch.
        if (level >= proxy::LogLevel::Info)
            Q_EMIT logMessage(int(level), message);
    };
    {
        std::lock_guard lock(d->optionsMutex); // refreshWantedHooks reads it from any thread
        d->services = services;
    }
    d->server = std::make_unique<ProxyServer>(config);
    if (!m_listening) {
        d->server->startWorkers();
    } else if (!d->server->listen(error)) {
        d->server.reset();
        return false;
    }
    openReplays(*opts);
    // client_replay: every flow of the files, in order (mitmproxy loads them at start).
    for (const QString& path : opts->clientReplay) {
        QList<HttpFlow> flows;
        QStringList warnings;
        QString err;
        const bool ok = ReplayHandler::readFile(expandHome(path), &flows, &warnings, &err);
        for (const QString& w : warnings)
            Q_EMIT logMessage(int(proxy::LogLevel::Warn), w);
        if (!ok) {
            stop();
            *error = QStringLiteral("client_replay: %1").arg(err);
            return false;
        }
        QStringList problems;
        replayFlows(flows, &problems);
        for (const QString& p : problems)
            Q_EMIT logMessage(int(proxy::LogLevel::Warn),
                              QStringLiteral("client_replay: %1").arg(p));
    }
    return true;
}

void ProxyEngine::openReplays(const Options& options)
{
    ProxyServer* server = d->server.get();
    auto runner = [this, server](const HttpFlowPtr& flow, std::function<void()> done) {
        return server->runOnWorker([this, flow, done](const ServerConfig& config,
                                                      const std::shared_ptr<ServerStats>& stats,
                                                      QObject* home) {
            ReplayHandler::run(flow, config, stats, home,
                               [this, done](const HttpFlowPtr& f, bool unfinished) {
                                   // A finished flow was published by its response or error
                                   // hook; one stopped before that is published here.
                                   if (unfinished)
                                       m_hub.publish(std::make_shared<const HttpFlow>(*f));
                                   done();
                               });
        });
    };
    d->replays.open(std::move(runner), options.clientReplayConcurrency,
                    [this] { Q_EMIT replaysFinished(); });
}

QUuid ProxyEngine::replayFlow(const HttpFlow& flow, QString* error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (QString why = ReplayHandler::check(flow); !why.isEmpty()) {
        *error = why;
        return {};
    }
    HttpFlowPtr replay = ReplayHandler::prepare(flow);
    const QUuid id = replay->id;
    if (!d->replays.add(replay)) {
        *error = QStringLiteral("the proxy is not running");
        return {};
    }
    return id;
}

int ProxyEngine::replayFlows(const QList<HttpFlow>& flows, QStringList* errors)
{
    std::vector<HttpFlowPtr> replays;
    for (const HttpFlow& f : flows) {
        if (QString why = ReplayHandler::check(f); !why.isEmpty()) {
            if (errors)
                errors->append(
                    QStringLiteral("%1: %2").arg(QString::fromUtf8(f.request.url()), why));
            continue;
        }
        replays.push_back(ReplayHandler::prepare(f));
    }
    if (replays.empty())
        return 0;
    if (!d->replays.add(replays)) {
        if (errors)
            errors->append(QStringLiteral("the proxy is not running"));
        return 0;
    }
    return int(replays.size());
}

int ProxyEngine::pendingReplays() const
{
    return d->replays.pending();
}

void ProxyEngine::stop()
{
    d->replays.close(); // before the workers go: nothing new is posted to them
    if (d->server) {
        d->server->stop();
        d->server.reset();
    }
    // Whatever intercept still holds belonged to connections that are closed now: releasing
    // it reaches no handler (their mailboxes are gone), and nothing stays listed as held.
    if (addons::Intercept* intercept = interceptAddon())
        intercept->resumeAll();
    {
        std::lock_guard lock(d->optionsMutex);
        d->services.reset();
    }
    m_hub.flush();
}

bool ProxyEngine::setOption(const QString& name, const QString& value, QString* error)
{
    if (!addons::AddonManager::optionNames().contains(name)) {
        *error = OptionRegistry::find(name)
                     ? QStringLiteral("%1 cannot be changed while the proxy runs").arg(name)
                     : QStringLiteral("unknown option '%1'").arg(name);
        return false;
    }
    std::lock_guard lock(d->optionsMutex);
    Options next = d->options;
    if (const QString err = OptionRegistry::apply(next, name + QLatin1Char('=') + value);
        !err.isEmpty()) {
        *error = err;
        return false;
    }
    if (const QString err = d->addons->configure(next); !err.isEmpty()) {
        // Put back what was in force (it configured fine before).
        d->addons->configure(d->options);
        *error = err;
        return false;
    }
    d->options = std::move(next);
    if (d->services && d->hooks)
        d->services->wantedHooks.store(d->hooks->wanted(), std::memory_order_relaxed);
    return true;
}

void ProxyEngine::addAddon(std::unique_ptr<addons::Addon> addon)
{
    addon->setInjector(
        [this](const QUuid& id, bool toClient, const QByteArray& content, bool isText,
               QString* error) { return injectMessage(id, toClient, content, isText, error); });
    std::lock_guard lock(d->optionsMutex);
    if (d->services) {
        // Running: configured with the options in force before it sees a hook.
        if (const QString err = addon->configure(d->options); !err.isEmpty())
            Q_EMIT logMessage(int(proxy::LogLevel::Warn), err);
    }
    d->addons->add(std::move(addon));
    if (d->services && d->hooks)
        d->services->wantedHooks.store(d->hooks->wanted(), std::memory_order_relaxed);
}

void ProxyEngine::refreshWantedHooks()
{
    std::lock_guard lock(d->optionsMutex);
    if (d->services && d->hooks)
        d->services->wantedHooks.store(d->hooks->wanted(), std::memory_order_relaxed);
}

Options ProxyEngine::options() const
{
    std::lock_guard lock(d->optionsMutex);
    return d->options;
}

bool ProxyEngine::isRunning() const
{
    return d->server != nullptr;
}

quint16 ProxyEngine::listenPort() const
{
    return d->server ? d->server->serverPort() : 0;
}

std::vector<quint16> ProxyEngine::listenPorts() const
{
    return d->server ? d->server->serverPorts() : std::vector<quint16>{};
}

const CertificateAuthority* ProxyEngine::certificateAuthority() const
{
    return d->ca.get();
}

} // namespace spyglass
