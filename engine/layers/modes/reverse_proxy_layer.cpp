#include "layers/modes/reverse_proxy_layer.h"

#include "layers/http/http_layer.h"
#include "layers/tcp/tcp_layer.h"
#include "layers/tls/client_tls_layer.h"
#include "layers/tls/server_tls_layer.h"
#include "options/proxy_mode.h"
#include "tls/client_hello.h"

namespace spyglass::layers {

using namespace proxy;

namespace {
constexpr char kHttp2Preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// SNI carries names only (RFC 6066 3): no SNI for an IPv4 or IPv6 literal.
bool isIpLiteral(const QByteArray& host)
{
    if (host.contains(':'))
        return true;
    for (const char c : host)
        if (!(c >= '0' && c <= '9') && c != '.')
            return false;
    return !host.isEmpty();
}
} // namespace

ReverseProxyLayer::ReverseProxyLayer(Context context, bool insideClientTls)
    : Layer(std::move(context)), m_insideClientTls(insideClientTls)
{
}

ReverseProxyLayer::~ReverseProxyLayer() = default;

Context ReverseProxyLayer::targetContext(Context context)
{
    const ProxyMode& mode = *context.mode;
    context.server = makeConnection(Connection::Role::Server);
    context.server->peer = Address{mode.host, mode.port};
    context.server->tls = mode.serverTls();
    if (mode.serverTls() && !isIpLiteral(mode.host))
        context.server->sni = mode.host;
    return context;
}

std::unique_ptr<Layer> ReverseProxyLayer::protocolLayer(bool clientTls, bool http2Preface) const
{
    const ProxyMode& mode = *m_context.mode;
    if (clientTls)
        return std::make_unique<tls::ClientTlsLayer>(
            m_context, std::make_unique<ReverseProxyLayer>(m_context, true));
    std::unique_ptr<Layer> proto;
    if (mode.reverseHttp())
        proto = std::make_unique<HttpLayer>(m_context, HttpLayer::Mode::Transparent,
                                            http2Preface ? HttpLayer::ClientProtocol::Http2
                                                         : HttpLayer::ClientProtocol::FromAlpn);
    else
        proto = std::make_unique<TcpLayer>(m_context);
    if (mode.serverTls())
        proto = std::make_unique<tls::ServerTlsLayer>(m_context, std::move(proto));
    return proto;
}

std::unique_ptr<Layer> ReverseProxyLayer::decide(Commands& out)
{
    if (m_clientData.isEmpty())
        return m_clientEof ? protocolLayer(false, false) : nullptr;
    const ClientHelloResult hello =
        m_insideClientTls ? ClientHelloResult{} : parseClientHello(m_clientData);
    switch (m_insideClientTls ? ClientHelloResult::Status::NotTls : hello.status) {
    case ClientHelloResult::Status::NeedMore:
        if (!m_clientEof)
            return nullptr;
        out.push_back(
            Log{LogLevel::Info, QStringLiteral("client closed during its TLS ClientHello")});
        out.push_back(CloseConnection{m_context.client, false});
        return nullptr;
    case ClientHelloResult::Status::Ok:
        return protocolLayer(true, false);
    case ClientHelloResult::Status::Invalid:
    case ClientHelloResult::Status::NotTls:
        break;
    }
    const QByteArrayView preface(kHttp2Preface, sizeof(kHttp2Preface) - 1);
    const qsizetype n = std::min(m_clientData.size(), preface.size());
    const bool prefixMatches = QByteArrayView(m_clientData).first(n) == preface.first(n);
    if (prefixMatches && n < preface.size() && !m_clientEof)
        return nullptr; // could still be the HTTP/2 preface
    return protocolLayer(false, prefixMatches && n == preface.size());
}

Commands ReverseProxyLayer::handleEvent(const Event& event)
{
    if (m_child)
        return m_child->handleEvent(event);

    Commands out;
    if (auto* e = std::get_if<DataReceived>(&event); e && e->connection == m_context.client) {
        m_clientData += e->data;
    } else if (auto* e = std::get_if<ConnectionClosed>(&event);
               e && e->connection == m_context.client) {
        m_clientEof = true;
        if (m_clientData.isEmpty()) {
            out.push_back(CloseConnection{m_context.client, false}); // nothing was ever said
            return out;
        }
    } else if (!std::holds_alternative<Start>(event)) {
        m_pending.push_back(event);
    }
    if (std::holds_alternative<Start>(event))
        return out; // wait for the client's first bytes

    m_child = decide(out);
    if (!m_child)
        return out;
    // The chosen stack sees Start, then the client's bytes as one piece, then the rest.
    append(out, m_child->handleEvent(Start{}));
    if (!m_clientData.isEmpty())
        append(out, m_child->handleEvent(DataReceived{m_context.client, m_clientData}));
    m_clientData.clear();
    std::vector<Event> pending;
    pending.swap(m_pending);
    for (const Event& e : pending)
        append(out, m_child->handleEvent(e));
    if (m_clientEof)
        append(out, m_child->handleEvent(ConnectionClosed{m_context.client}));
    return out;
}

} // namespace spyglass::layers
