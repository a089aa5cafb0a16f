#include "server/proxy_engine.h"

#include "layers/modes/root_layer.h"
#include "proxy/context.h"
#include "server/hook_runner.h"
#include "server/proxy_server.h"
#include "tls/cert_store.h"
#include "tls/certificate_authority.h"
#include "tls/tls_contexts.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace spyglass {

namespace {

// Publishes flows to the hub at the moments the window and the dump care about: when a
// request starts (so long uploads show up live) and when the exchange ends.
class PublishingHooks : public HookRunner
{
public:
    PublishingHooks(FlowHub& hub, bool live) : m_hub(hub), m_live(live) {}

    bool run(const proxy::HookPtr& hook, std::function<void()> complete) override
    {
        Q_UNUSED(complete);
        if (!hook->flow)
            return true;
        switch (hook->kind) {
        case proxy::HookKind::RequestHeaders:
        case proxy::HookKind::WebsocketStart:
        case proxy::HookKind::WebsocketMessage:
        case proxy::HookKind::TcpStart:
        case proxy::HookKind::TcpMessage:
            if (m_live)
                m_hub.publish(std::make_shared<const HttpFlow>(*hook->flow));
            break;
        case proxy::HookKind::Response:
        case proxy::HookKind::Error:
        case proxy::HookKind::WebsocketEnd:
        case proxy::HookKind::TcpEnd:
        case proxy::HookKind::TcpError:
            m_hub.publish(std::make_shared<const HttpFlow>(*hook->flow));
            break;
        default:
            break;
        }
        return true;
    }

    // The HTTP hooks this runner acts on; every other kind is answered at once anyway.
    quint64 wanted() const
    {
        using proxy::HookKind;
        using proxy::Services;
        quint64 skipped = Services::bit(HookKind::HttpConnect) | Services::bit(HookKind::Request) |
                          Services::bit(HookKind::ResponseHeaders);
        if (!m_live)
            skipped |= Services::bit(HookKind::RequestHeaders);
        return ~skipped;
    }

private:
    FlowHub& m_hub;
    const bool m_live;
};

} // namespace

struct ProxyEngine::Private
{
    std::shared_ptr<const CertificateAuthority> ca;
    std::unique_ptr<CertStore> certs;
    std::shared_ptr<const TlsContexts> tls;
    std::unique_ptr<PublishingHooks> hooks;
    std::unique_ptr<ProxyServer> server;
};

ProxyEngine::ProxyEngine(QObject* parent)
    : QObject(parent), d(std::make_unique<Private>()), m_hub(30)
{
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
    d->hooks = std::make_unique<PublishingHooks>(m_hub, m_liveUpdates);

    auto services = std::make_shared<proxy::Services>();
    services->certs = d->certs.get();
    services->tls = d->tls;
    services->clock = [] { return QDateTime::currentMSecsSinceEpoch() / 1000.0; };
    services->wantedHooks = d->hooks->wanted();
    services->random = [] { return QRandomGenerator::system()->generate(); };

    ServerConfig config;
    config.options = opts;
    config.services = services;
    config.rootLayer = [](proxy::Context ctx) { return layers::makeRootLayer(std::move(ctx)); };
    config.hooks = d->hooks.get();
    config.log = [this](proxy::LogLevel level, const QString& message) {
        // Debug lines (codec repairs, dropped bytes) would cost a queued signal each on a
        // hot path; they are for tests and a future verbose switch.
        if (level >= proxy::LogLevel::Info)
            Q_EMIT logMessage(int(level), message);
    };
    d->server = std::make_unique<ProxyServer>(config);
    if (!d->server->listen(error)) {
        d->server.reset();
        return false;
    }
    return true;
}

void ProxyEngine::stop()
{
    if (d->server) {
        d->server->stop();
        d->server.reset();
    }
    m_hub.flush();
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
