#include "layers/next_layer.h"

#include "layers/http/http_layer.h"
#include "layers/tcp/tcp_layer.h"
#include "layers/tls/client_tls_layer.h"
#include "layers/tls/server_tls_layer.h"
#include "options/options.h"
#include "tls/client_hello.h"

#include <QRegularExpression>

namespace spyglass::layers {

using namespace proxy;

namespace {

// An HTTP/1 request line starts with a method token and a space (RFC 9112 3).
bool looksLikeHttp1(const QByteArray& data, bool& needMore)
{
    needMore = false;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const char c = data.at(i);
        if (c == ' ')
            return i > 0;
        if (!(c >= 'A' && c <= 'Z') && c != '-' && c != '_')
            return false;
        if (i > 20)
            return false;
    }
    needMore = true;
    return false;
}

// The HTTP/2 connection preface (RFC 9113 3.4): prior-knowledge HTTP/2 (h2c, gRPC without
// TLS) starts with it. Returns true when `data` starts with it; `needMore` when `data` is a
// proper prefix of it.
constexpr char kHttp2Preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

bool startsWithHttp2Preface(const QByteArray& data, bool& needMore)
{
    const QByteArrayView preface(kHttp2Preface, sizeof(kHttp2Preface) - 1);
    const qsizetype n = std::min(data.size(), preface.size());
    needMore = false;
    if (QByteArrayView(data).first(n) != preface.first(n))
        return false;
    needMore = n < preface.size();
    return !needMore;
}

bool matchesAny(const QStringList& patterns, const QString& subject)
{
    for (const QString& p : patterns) {
        const QRegularExpression re(p, QRegularExpression::CaseInsensitiveOption);
        if (re.match(subject).hasMatch())
            return true;
    }
    return false;
}

} // namespace

NextLayer::NextLayer(Context context, Position position)
    : Layer(std::move(context)), m_position(position)
{
}

NextLayer::~NextLayer() = default;

QStringList NextLayer::hostSubjects(const QByteArray& sni) const
{
    QStringList subjects;
    const Address& a = m_context.server->peer;
    subjects << QString::fromLatin1(a.host + ':' + QByteArray::number(a.port));
    if (!sni.isEmpty())
        subjects << QString::fromLatin1(sni + ':' + QByteArray::number(a.port));
    return subjects;
}

bool NextLayer::isIgnored(const QByteArray& sni) const
{
    const Options& o = m_context.opts();
    if (o.ignoreHosts.isEmpty() && o.allowHosts.isEmpty())
        return false;
    const QStringList subjects = hostSubjects(sni);
    for (const QString& s : subjects) {
        if (!o.ignoreHosts.isEmpty() && matchesAny(o.ignoreHosts, s))
            return true;
    }
    if (!o.allowHosts.isEmpty()) {
        for (const QString& s : subjects)
            if (matchesAny(o.allowHosts, s))
                return false;
        return true;
    }
    return false;
}

bool NextLayer::isTcpHost() const
{
    const Options& o = m_context.opts();
    if (o.tcpHosts.isEmpty())
        return false;
    // Inside an intercepted TLS connection the server connection carries the client's SNI.
    for (const QString& s : hostSubjects(m_context.server->sni))
        if (matchesAny(o.tcpHosts, s))
            return true;
    return false;
}

std::unique_ptr<Layer> NextLayer::rawTcp(Commands& out)
{
    if (m_context.opts().rawtcp || isTcpHost())
        return std::make_unique<TcpLayer>(m_context, TcpLayer::Mode::Record);
    const Address& a = m_context.server->peer;
    out.push_back(
        Log{LogLevel::Info, QStringLiteral("%1: neither TLS nor HTTP and rawtcp is off: closing")
                                .arg(QString::fromLatin1(a.toString()))});
    out.push_back(CloseConnection{m_context.client, false});
    if (m_context.server->connected())
        out.push_back(CloseConnection{m_context.server, false});
    m_refused = true;
    return nullptr;
}

std::unique_ptr<Layer> NextLayer::decideOnProxyPort(Commands& out)
{
    // The proxy port itself: clients speak HTTP to a regular proxy, perhaps inside TLS to the
    // proxy. Anything else, garbage included (a broken ClientHello too), goes to the HTTP
    // layer, which answers 400 and records it.
    const ClientHelloResult hello = parseClientHello(m_clientData);
    if (hello.status == ClientHelloResult::Status::NeedMore && !m_clientEof)
        return nullptr;
    bool needMore = false;
    if (startsWithHttp2Preface(m_clientData, needMore))
        return std::make_unique<HttpLayer>(m_context, HttpLayer::Mode::Regular,
                                           HttpLayer::ClientProtocol::Http2);
    if (needMore && !m_clientEof)
        return nullptr;
    if (hello.status == ClientHelloResult::Status::Ok) {
        if (m_position == Position::InsideProxyTls) {
            out.push_back(Log{LogLevel::Warn,
                              QStringLiteral("a client spoke TLS inside its TLS connection to the "
                                             "proxy port; only one TLS layer to the proxy itself "
                                             "is supported (use CONNECT for TLS to a server)")});
            out.push_back(CloseConnection{m_context.client, false});
            return nullptr;
        }
        // A "secure web proxy" client (mitmproxy's NextLayer does the same): TLS with a
        // certificate for the proxy's own name, then HTTP to the proxy inside it. There is no
        // server yet, so the ClientTlsLayer answers the client without asking one first.
        auto inner = std::make_unique<NextLayer>(m_context, Position::InsideProxyTls);
        return std::make_unique<tls::ClientTlsLayer>(m_context, std::move(inner));
    }
    return std::make_unique<HttpLayer>(m_context, HttpLayer::Mode::Regular);
}

std::unique_ptr<Layer> NextLayer::decide(Commands& out)
{
    if (!m_context.server)
        return decideOnProxyPort(out);

    if (m_serverSpokeFirst)
        return isIgnored({}) ? std::make_unique<TcpLayer>(m_context) : rawTcp(out);
    if (m_clientData.isEmpty()) {
        if (isIgnored({}))
            return std::make_unique<TcpLayer>(m_context);
        if (m_clientEof) // nothing said: relay the close, record nothing
            return std::make_unique<TcpLayer>(m_context);
        return nullptr;
    }

    const ClientHelloResult hello = parseClientHello(m_clientData);
    switch (hello.status) {
    case ClientHelloResult::Status::NeedMore:
        if (m_clientEof) {
            out.push_back(
                Log{LogLevel::Info, QStringLiteral("client closed during its TLS ClientHello")});
            out.push_back(CloseConnection{m_context.client, false});
        }
        return nullptr;
    case ClientHelloResult::Status::Invalid:
        out.push_back(
            Log{LogLevel::Info, QStringLiteral("invalid TLS ClientHello: %1").arg(hello.reason)});
        out.push_back(CloseConnection{m_context.client, false});
        return nullptr;
    case ClientHelloResult::Status::Ok: {
        if (isIgnored(hello.hello.sni))
            return std::make_unique<TcpLayer>(m_context);
        auto inner = std::make_unique<NextLayer>(m_context);
        auto client = std::make_unique<tls::ClientTlsLayer>(m_context, std::move(inner));
        return std::make_unique<tls::ServerTlsLayer>(m_context, std::move(client));
    }
    case ClientHelloResult::Status::NotTls:
        break;
    }
    if (isIgnored({}))
        return std::make_unique<TcpLayer>(m_context);
    if (isTcpHost())
        return std::make_unique<TcpLayer>(m_context, TcpLayer::Mode::Record);
    bool needMore = false;
    if (startsWithHttp2Preface(m_clientData, needMore))
        return std::make_unique<HttpLayer>(m_context, HttpLayer::Mode::Transparent,
                                           HttpLayer::ClientProtocol::Http2);
    if (needMore && !m_clientEof)
        return nullptr;
    if (looksLikeHttp1(m_clientData, needMore))
        return std::make_unique<HttpLayer>(m_context, HttpLayer::Mode::Transparent);
    if (needMore && !m_clientEof)
        return nullptr;
    return rawTcp(out);
}

Commands NextLayer::handleEvent(const Event& event)
{
    if (m_child)
        return m_child->handleEvent(event);
    if (m_refused)
        return {};

    Commands out;
    bool closedForGood = false;
    if (auto* e = std::get_if<DataReceived>(&event)) {
        if (e->connection == m_context.client)
            m_clientData += e->data;
        else if (m_context.server && e->connection == m_context.server && m_clientData.isEmpty() &&
                 m_context.server->alpn != "h2")
            m_serverSpokeFirst = true; // an HTTP/2 server's SETTINGS do not count: it is HTTP
    } else if (auto* e = std::get_if<ConnectionClosed>(&event)) {
        if (e->connection == m_context.client) {
            m_clientEof = true;
            if (m_clientData.isEmpty() && (!m_context.server || !m_context.server->connected())) {
                // Nothing was ever said: just close.
                out.push_back(CloseConnection{m_context.client, false});
                closedForGood = true;
            }
        }
    }
    if (closedForGood)
        return out;
    m_pending.push_back(event);
    if (std::holds_alternative<Start>(event) && m_context.server == nullptr)
        return out; // wait for the client's first bytes

    std::unique_ptr<Layer> child = decide(out);
    if (!child)
        return out;
    append(out, replayTo(std::move(child)));
    return out;
}

Commands NextLayer::replayTo(std::unique_ptr<Layer> child)
{
    m_child = std::move(child);
    Commands out;
    // The chosen layer sees Start first, then the client's bytes as one piece, then the rest.
    append(out, m_child->handleEvent(Start{}));
    if (!m_clientData.isEmpty())
        append(out, m_child->handleEvent(DataReceived{m_context.client, m_clientData}));
    m_clientData.clear();
    for (const Event& e : m_pending) {
        if (std::holds_alternative<Start>(e))
            continue;
        if (auto* d = std::get_if<DataReceived>(&e); d && d->connection == m_context.client)
            continue;
        append(out, m_child->handleEvent(e));
    }
    m_pending.clear();
    return out;
}

} // namespace spyglass::layers
