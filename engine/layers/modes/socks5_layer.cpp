#include "layers/modes/socks5_layer.h"

#include "layers/http/proxy_auth.h"
#include "layers/next_layer.h"
#include "options/options.h"

namespace spyglass::layers {

using namespace proxy;

namespace {

constexpr char kVersion = 0x05;
constexpr quint8 kNoAuth = 0x00;
constexpr quint8 kUserPass = 0x02;
constexpr quint8 kNoAcceptable = 0xFF;

QByteArray reply(quint8 code)
{
    // VER REP RSV ATYP=IPv4 BND.ADDR=0.0.0.0 BND.PORT=0
    return QByteArray("\x05", 1) + char(code) + QByteArray("\x00\x01\x00\x00\x00\x00\x00\x00", 8);
}

quint8 byteAt(const QByteArray& b, qsizetype i)
{
    return quint8(b.at(i));
}

} // namespace

Socks5Layer::Socks5Layer(Context context) : Layer(std::move(context)) {}

Socks5Layer::~Socks5Layer() = default;

void Socks5Layer::fail(Commands& out, const QByteArray& answer, const QString& why)
{
    out.push_back(Log{LogLevel::Info, QStringLiteral("SOCKS5: %1").arg(why)});
    if (!answer.isEmpty())
        out.push_back(SendData{m_context.client, answer});
    out.push_back(CloseConnection{m_context.client, false});
    m_state = State::Closed;
}

bool Socks5Layer::onGreeting(Commands& out)
{
    if (m_buffer.size() < 2)
        return false;
    if (m_buffer.at(0) != kVersion) {
        fail(out, {},
             QStringLiteral("invalid SOCKS version: expected 0x05, got 0x%1")
                 .arg(byteAt(m_buffer, 0), 2, 16, QLatin1Char('0')));
        return false;
    }
    const int n = byteAt(m_buffer, 1);
    if (m_buffer.size() < 2 + n)
        return false;
    const QByteArray methods = m_buffer.mid(2, n);
    m_buffer.remove(0, 2 + n);
    const bool needAuth = !m_context.opts().proxyauth.isEmpty();
    const quint8 wanted = needAuth ? kUserPass : kNoAuth;
    if (!methods.contains(char(wanted))) {
        fail(out, QByteArray("\x05", 1) + char(kNoAcceptable),
             needAuth ? QStringLiteral("the client does not offer username/password "
                                       "authentication, which proxyauth requires")
                      : QStringLiteral("the client offers no method without authentication"));
        return false;
    }
    out.push_back(SendData{m_context.client, QByteArray("\x05", 1) + char(wanted)});
    m_state = needAuth ? State::Auth : State::Request;
    return true;
}

bool Socks5Layer::onAuth(Commands& out)
{
    // VER=1 ULEN UNAME PLEN PASSWD (RFC 1929 2)
    if (m_buffer.size() < 2)
        return false;
    if (m_buffer.at(0) != 0x01) {
        fail(out, QByteArray("\x01\x01", 2),
             QStringLiteral("invalid username/password negotiation version 0x%1")
                 .arg(byteAt(m_buffer, 0), 2, 16, QLatin1Char('0')));
        return false;
    }
    const int ulen = byteAt(m_buffer, 1);
    if (m_buffer.size() < 2 + ulen + 1)
        return false;
    const int plen = byteAt(m_buffer, 2 + ulen);
    if (m_buffer.size() < 3 + ulen + plen)
        return false;
    const QByteArray user = m_buffer.mid(2, ulen);
    const QByteArray pass = m_buffer.mid(3 + ulen, plen);
    m_buffer.remove(0, 3 + ulen + plen);
    if (!ProxyAuth::verify(m_context.opts().proxyauth, user, pass)) {
        fail(out, QByteArray("\x01\x01", 2),
             QStringLiteral("authentication failed for user '%1'").arg(QString::fromUtf8(user)));
        return false;
    }
    out.push_back(SendData{m_context.client, QByteArray("\x01\x00", 2)});
    m_state = State::Request;
    return true;
}

bool Socks5Layer::onRequest(Commands& out)
{
    // VER CMD RSV ATYP DST.ADDR DST.PORT
    if (m_buffer.size() < 5)
        return false;
    if (m_buffer.at(0) != kVersion) {
        fail(out, reply(0x01),
             QStringLiteral("invalid SOCKS version in the request: 0x%1")
                 .arg(byteAt(m_buffer, 0), 2, 16, QLatin1Char('0')));
        return false;
    }
    const quint8 atyp = byteAt(m_buffer, 3);
    qsizetype addrLen = 0;
    qsizetype addrStart = 4;
    switch (atyp) {
    case 0x01:
        addrLen = 4;
        break;
    case 0x03:
        addrLen = byteAt(m_buffer, 4);
        addrStart = 5;
        break;
    case 0x04:
        addrLen = 16;
        break;
    default:
        fail(out, reply(0x08),
             QStringLiteral("address type 0x%1 is not supported")
                 .arg(atyp, 2, 16, QLatin1Char('0')));
        return false;
    }
    const qsizetype total = addrStart + addrLen + 2;
    if (m_buffer.size() < total)
        return false;
    const quint8 cmd = byteAt(m_buffer, 1);
    const QByteArray raw = m_buffer.mid(addrStart, addrLen);
    const quint16 port = quint16(byteAt(m_buffer, addrStart + addrLen) << 8 |
                                 byteAt(m_buffer, addrStart + addrLen + 1));
    m_buffer.remove(0, total);
    if (cmd != 0x01) {
        fail(out, reply(0x07),
             QStringLiteral("command 0x%1 is not supported (only CONNECT)")
                 .arg(cmd, 2, 16, QLatin1Char('0')));
        return false;
    }
    QByteArray host;
    if (atyp == 0x01) {
        host = QByteArray::number(byteAt(raw, 0)) + '.' + QByteArray::number(byteAt(raw, 1)) + '.' +
               QByteArray::number(byteAt(raw, 2)) + '.' + QByteArray::number(byteAt(raw, 3));
    } else if (atyp == 0x04) {
        for (int i = 0; i < 16; i += 2) {
            if (i)
                host += ':';
            host += QByteArray::number(byteAt(raw, i) << 8 | byteAt(raw, i + 1), 16);
        }
    } else {
        host = raw.toLower();
    }
    if (host.isEmpty() || port == 0) {
        fail(out, reply(0x01), QStringLiteral("invalid destination in the request"));
        return false;
    }
    m_tunnelContext = m_context.withServer(Address{host, port});
    if (m_context.opts().connectionStrategy == QLatin1String("eager")) {
        const Command open = makeOpenConnection(m_tunnelContext.server);
        m_openId = std::get<OpenConnection>(open).id;
        out.push_back(open);
        m_state = State::Connecting;
        return false;
    }
    startTunnel(out);
    return false;
}

void Socks5Layer::startTunnel(Commands& out)
{
    out.push_back(SendData{m_context.client, reply(0x00)});
    m_state = State::Tunnel;
    m_child = std::make_unique<NextLayer>(m_tunnelContext);
    append(out, m_child->handleEvent(Start{}));
    if (!m_buffer.isEmpty())
        append(out,
               m_child->handleEvent(DataReceived{m_context.client, std::exchange(m_buffer, {})}));
    if (m_clientEof)
        append(out, m_child->handleEvent(ConnectionClosed{m_context.client}));
}

void Socks5Layer::process(Commands& out)
{
    bool more = true;
    while (more) {
        switch (m_state) {
        case State::Greeting:
            more = onGreeting(out);
            break;
        case State::Auth:
            more = onAuth(out);
            break;
        case State::Request:
            more = onRequest(out);
            break;
        default:
            more = false;
            break;
        }
    }
}

Commands Socks5Layer::handleEvent(const Event& event)
{
    if (m_state == State::Tunnel)
        return m_child->handleEvent(event);
    Commands out;
    if (m_state == State::Closed)
        return out;
    if (auto* e = std::get_if<DataReceived>(&event); e && e->connection == m_context.client) {
        m_buffer += e->data;
        process(out);
    } else if (auto* e = std::get_if<ConnectionClosed>(&event);
               e && e->connection == m_context.client) {
        m_clientEof = true;
        if (m_state != State::Connecting) {
            out.push_back(CloseConnection{m_context.client, false});
            m_state = State::Closed;
        }
    } else if (auto* e = std::get_if<OpenConnectionCompleted>(&event);
               e && e->command == m_openId && m_state == State::Connecting) {
        if (!e->error.isEmpty()) {
            fail(out, reply(0x04), e->error);
            return out;
        }
        startTunnel(out);
    }
    return out;
}

} // namespace spyglass::layers
