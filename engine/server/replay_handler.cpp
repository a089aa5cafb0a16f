#include "server/replay_handler.h"

#include "io/har_reader.h"
#include "io/session_reader.h"
#include "layers/http/http_layer.h"
#include "layers/http/replay_client_codec.h"
#include "layers/modes/upstream_proxy_layer.h"
#include "layers/tls/server_tls_layer.h"
#include "server/connection_handler.h"

#include <QDateTime>
#include <QFile>
#include <QHostAddress>

namespace spyglass {

namespace {

bool isIpLiteral(const QByteArray& host)
{
    QHostAddress a;
    return a.setAddress(QString::fromLatin1(host));
}

// The first upstream:URL mode, which replays go through (mitmproxy: the upstream mode).
std::shared_ptr<const ProxyMode> upstreamMode(const Options& options)
{
    for (const QString& spec : options.mode) {
        QString error;
        const auto mode = ProxyMode::parse(spec, &error);
        if (mode && mode->kind == ProxyMode::Kind::Upstream)
            return std::make_shared<const ProxyMode>(*mode);
    }
    return nullptr;
}

double nowSeconds(const ServerConfig& config)
{
    if (config.services && config.services->clock)
        return config.services->clock();
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

} // namespace

QString ReplayHandler::check(const HttpFlow& flow)
{
    if (flow.kind != FlowKind::Http)
        return QStringLiteral("Can only replay HTTP flows.");
    if (flow.websocket)
        return QStringLiteral("Can't replay WebSocket flows.");
    const Request& r = flow.request;
    if (r.method.isEmpty())
        return QStringLiteral("Can't replay flow with missing request.");
    if (r.isConnect())
        return QStringLiteral("Can't replay a CONNECT request.");
    if (r.body.streamed || r.body.content.size() < r.body.size)
        return QStringLiteral("Can't replay flow with missing content (the request body was "
                              "streamed, not recorded).");
    if (r.host.isEmpty() && r.headers.value("host").isEmpty() && r.authority.isEmpty())
        return QStringLiteral("Can't replay a request without a host.");
    if (r.scheme != "http" && r.scheme != "https")
        return QStringLiteral("Can't replay a request with the scheme '%1'.")
            .arg(QString::fromLatin1(r.scheme));
    return {};
}

HttpFlowPtr ReplayHandler::prepare(const HttpFlow& flow)
{
    auto f = std::make_shared<HttpFlow>(); // a new id
    f->kind = FlowKind::Http;
    f->client = flow.client;
    f->request = flow.request;
    f->isReplay = true;
    f->live = true;
    Request& r = f->request;
    r.timestampStart = r.timestampEnd = 0;
    r.body.size = r.body.content.size();
    if (r.host.isEmpty()) {
        // Where a request without a recorded destination was going: its Host (or authority).
        const QByteArray hostPort =
            r.headers.value("host").isEmpty() ? r.authority : r.headers.value("host");
        const qsizetype colon = hostPort.lastIndexOf(':');
        const bool hasPort = colon > 0 && !hostPort.endsWith(']');
        r.host = hasPort ? hostPort.left(colon) : hostPort;
        if (r.host.startsWith('[') && r.host.endsWith(']'))
            r.host = r.host.mid(1, r.host.size() - 2);
        r.port = hasPort ? quint16(hostPort.mid(colon + 1).toUInt()) : 0;
    }
    if (r.port == 0)
        r.port = r.scheme == "https" ? 443 : 80;
    if (!r.httpVersion.startsWith("HTTP/1.")) {
        // mitmproxy issue 2197: the replay speaks HTTP/1.1, with the authority as Host.
        r.httpVersion = "HTTP/1.1";
        if (!r.headers.contains("host")) {
            const QByteArray host =
                !r.authority.isEmpty() ? r.authority : Address{r.host, r.port}.toString();
            Headers h;
            h.add("Host", host);
            for (const Headers::Field& field : r.headers.fields())
                h.add(field.first, field.second);
            r.headers = h;
        }
    }
    return f;
}

void ReplayHandler::run(const HttpFlowPtr& flow, const ServerConfig& config,
                        const std::shared_ptr<ServerStats>& stats, QObject* home, Done done)
{
    const Options defaults;
    const Options& options = config.options ? *config.options : defaults;
    const Request& r = flow->request;

    ConnectionPtr client = makeConnection(Connection::Role::Client);
    client->peer = flow->client.peer;
    client->sockname = flow->client.sockname;
    client->state = ConnectionState::Open;
    client->timestampStart = nowSeconds(config);

    ConnectionPtr server = makeConnection(Connection::Role::Server);
    server->peer = Address{r.host, r.port};
    server->tls = r.scheme == "https";
    if (server->tls) {
        if (!isIpLiteral(r.host))
            server->sni = r.host;
        server->alpnOffers = {QByteArrayLiteral("http/1.1")};
    }

    proxy::Context context{client, server, config.options, config.services, upstreamMode(options)};
    std::unique_ptr<proxy::Layer> layer = std::make_unique<layers::HttpLayer>(
        context, layers::HttpLayer::Mode::Transparent,
        std::make_unique<layers::http::ReplayClientCodec>(flow));
    if (server->tls)
        layer = std::make_unique<layers::tls::ServerTlsLayer>(context, std::move(layer));
    if (context.mode)
        layer = std::make_unique<layers::UpstreamProxyLayer>(context, std::move(layer));

    auto* handler = new ConnectionHandler(-1, config, stats, home);
    QObject::connect(handler, &QObject::destroyed, [flow, done = std::move(done)] {
        const bool unfinished = !flow->response && !flow->error;
        if (unfinished)
            flow->error = FlowError{QStringLiteral("replay ended before an answer"),
                                    double(QDateTime::currentMSecsSinceEpoch()) / 1000.0};
        flow->live = false;
        if (done)
            done(flow, unfinished);
    });
    handler->startVirtual(std::move(context), std::move(layer));
}

bool ReplayHandler::readFile(const QString& path, QList<HttpFlow>* flows, QStringList* warnings,
                             QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    char first = 0;
    while (file.getChar(&first) && QChar::isSpace(uchar(first))) {
    }
    file.close();
    if (first == '{') {
        HarReader::Result r = HarReader::read(path);
        *warnings += r.warnings;
        if (!r.ok()) {
            *error = r.error;
            return false;
        }
        *flows += r.flows;
        return true;
    }
    SessionReader::Result r = SessionReader::readAll(path);
    *warnings += r.warnings;
    if (!r.ok()) {
        *error = r.errors.join(QStringLiteral("; "));
        return false;
    }
    *flows += r.flows;
    return true;
}

} // namespace spyglass
