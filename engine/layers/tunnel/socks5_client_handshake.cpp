#include "layers/tunnel/socks5_client_handshake.h"

#include <openssl/x509v3.h>

namespace spyglass::layers::tunnel {

namespace {
constexpr char kVersion = 5;
constexpr char kNoAuth = 0;
constexpr char kUserPass = 2;

QByteArray bytes(std::initializer_list<int> list)
{
    QByteArray b;
    for (const int v : list)
        b.append(char(v));
    return b;
}

// RFC 1928 5 address for `host`: ATYP 1 (IPv4), 4 (IPv6) or 3 (domain). Empty when the name is
// too long for one length byte.
QByteArray encodeAddress(const QByteArray& host)
{
    // a2i_IPADDRESS parses both literal forms (OpenSSL, as the certificate code does).
    if (ASN1_OCTET_STRING* ip = a2i_IPADDRESS(host.constData())) {
        const QByteArray raw(reinterpret_cast<const char*>(ASN1_STRING_get0_data(ip)),
                             ASN1_STRING_length(ip));
        ASN1_OCTET_STRING_free(ip);
        if (raw.size() == 4)
            return QByteArray(1, char(1)) + raw;
        if (raw.size() == 16)
            return QByteArray(1, char(4)) + raw;
    }
    if (host.isEmpty() || host.size() > 255)
        return {};
    return QByteArray(1, char(3)) + char(host.size()) + host;
}
} // namespace

Socks5ClientHandshake::Socks5ClientHandshake(Address target, QByteArray auth, Address parent)
    : m_target(std::move(target)), m_auth(std::move(auth)), m_parent(std::move(parent))
{
}

QString Socks5ClientHandshake::who() const
{
    return QStringLiteral("SOCKS5 proxy %1").arg(QString::fromLatin1(m_parent.toString()));
}

QString Socks5ClientHandshake::replyText(int code)
{
    switch (code) {
    case 1:
        return QStringLiteral("general SOCKS server failure");
    case 2:
        return QStringLiteral("connection not allowed by ruleset");
    case 3:
        return QStringLiteral("network unreachable");
    case 4:
        return QStringLiteral("host unreachable");
    case 5:
        return QStringLiteral("connection refused");
    case 6:
        return QStringLiteral("TTL expired");
    case 7:
        return QStringLiteral("command not supported");
    case 8:
        return QStringLiteral("address type not supported");
    default:
        return QStringLiteral("reply code %1").arg(code);
    }
}

HandshakeStep Socks5ClientHandshake::failed(const QString& message)
{
    m_state = State::Finished;
    HandshakeStep step;
    step.error = message;
    return step;
}

QByteArray Socks5ClientHandshake::connectRequest() const
{
    const QByteArray address = encodeAddress(m_target.host);
    return bytes({kVersion, 1, 0}) + address + char(m_target.port >> 8) +
           char(m_target.port & 0xff);
}

HandshakeStep Socks5ClientHandshake::start()
{
    if (encodeAddress(m_target.host).isEmpty())
        return failed(QStringLiteral("cannot ask %1 for '%2': SOCKS5 names are at most 255 bytes")
                          .arg(who(), QString::fromLatin1(m_target.host.left(40) + "...")));
    if (!m_auth.isEmpty()) {
        const qsizetype colon = m_auth.indexOf(':');
        if (colon < 0 || colon > 255 || m_auth.size() - colon - 1 > 255)
            return failed(QStringLiteral("upstream_auth for %1 must be user:pass with each part "
                                         "at most 255 bytes (RFC 1929)")
                              .arg(who()));
    }
    HandshakeStep step;
    step.send =
        m_auth.isEmpty() ? bytes({kVersion, 1, kNoAuth}) : bytes({kVersion, 2, kNoAuth, kUserPass});
    return step;
}

HandshakeStep Socks5ClientHandshake::receive(const QByteArray& data)
{
    HandshakeStep step;
    if (m_state == State::Finished)
        return step;
    m_buffer += data;
    for (;;) {
        const auto byte = [&](qsizetype i) { return quint8(m_buffer.at(i)); };
        switch (m_state) {
        case State::Greeting: {
            if (m_buffer.size() < 2)
                return step;
            if (byte(0) != 5)
                return failed(QStringLiteral("%1 is not a SOCKS5 proxy: it answered with version "
                                             "0x%2")
                                  .arg(who())
                                  .arg(byte(0), 2, 16, QLatin1Char('0')));
            const quint8 method = byte(1);
            m_buffer.remove(0, 2);
            if (method == quint8(kNoAuth)) {
                step.send += connectRequest();
                m_state = State::Connecting;
            } else if (method == quint8(kUserPass) && !m_auth.isEmpty()) {
                const qsizetype colon = m_auth.indexOf(':');
                const QByteArray user = m_auth.left(colon);
                const QByteArray pass = m_auth.mid(colon + 1);
                step.send +=
                    QByteArray(1, char(1)) + char(user.size()) + user + char(pass.size()) + pass;
                m_state = State::Authenticating;
            } else if (method == 0xff || method == quint8(kUserPass)) {
                return failed(m_auth.isEmpty() ? QStringLiteral("%1 requires authentication: set "
                                                                "upstream_auth=user:pass")
                                                     .arg(who())
                                               : QStringLiteral("%1 accepted none of the offered "
                                                                "authentication methods")
                                                     .arg(who()));
            } else {
                return failed(QStringLiteral("%1 chose authentication method 0x%2, which was not "
                                             "offered")
                                  .arg(who())
                                  .arg(method, 2, 16, QLatin1Char('0')));
            }
            break;
        }
        case State::Authenticating:
            if (m_buffer.size() < 2)
                return step;
            if (byte(1) != 0)
                return failed(QStringLiteral("%1 rejected the user name or password "
                                             "(upstream_auth)")
                                  .arg(who()));
            m_buffer.remove(0, 2);
            step.send += connectRequest();
            m_state = State::Connecting;
            break;
        case State::Connecting: {
            if (m_buffer.size() < 2)
                return step;
            if (byte(0) != 5)
                return failed(QStringLiteral("%1 sent an invalid reply (version 0x%2)")
                                  .arg(who())
                                  .arg(byte(0), 2, 16, QLatin1Char('0')));
            if (byte(1) != 0)
                return failed(
                    QStringLiteral("%1 could not connect to %2: %3")
                        .arg(who(), QString::fromLatin1(m_target.toString()), replyText(byte(1))));
            if (m_buffer.size() < 5)
                return step; // ATYP and the first address byte (a domain's length)
            qsizetype length = 0;
            switch (byte(3)) {
            case 1:
                length = 4 + 4 + 2;
                break;
            case 4:
                length = 4 + 16 + 2;
                break;
            case 3:
                length = 4 + 1 + byte(4) + 2;
                break;
            default:
                return failed(QStringLiteral("%1 sent a reply with address type 0x%2")
                                  .arg(who())
                                  .arg(byte(3), 2, 16, QLatin1Char('0')));
            }
            if (m_buffer.size() < length)
                return step;
            m_state = State::Finished;
            step.done = true;
            step.rest = m_buffer.mid(length);
            m_buffer.clear();
            return step;
        }
        case State::Finished:
            return step;
        }
    }
}

QString Socks5ClientHandshake::closedError() const
{
    return QStringLiteral("%1 closed the connection before the tunnel to %2 was open")
        .arg(who(), QString::fromLatin1(m_target.toString()));
}

} // namespace spyglass::layers::tunnel
