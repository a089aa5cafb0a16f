#pragma once
// The client side of SOCKS5 (RFC 1928), as a SOCKS5 parent proxy expects it: a greeting that
// offers "no authentication" and, when upstream_auth is set, username/password (RFC 1929);
// the sub-negotiation if the parent picks it; then CONNECT to the target (IPv4, IPv6 or a
// domain name of at most 255 bytes) and the parent's reply, whose bound address is read and
// skipped. The server half of the same protocol is layers/modes/socks5_layer.h.
//
//   Greeting --method 0--> Connecting --reply 0--> done
//       \--method 2--> Authenticating --status 0--/
//   anything else (no acceptable method, bad credentials, a failure reply code) -> error

#include "flow/connection.h"
#include "layers/tunnel/upstream_handshake.h"

namespace spyglass::layers::tunnel {

class Socks5ClientHandshake : public UpstreamHandshake
{
public:
    // `auth`: "user:pass" or empty. `parent` only names the parent in messages.
    Socks5ClientHandshake(Address target, QByteArray auth, Address parent);

    HandshakeStep start() override;
    HandshakeStep receive(const QByteArray& data) override;
    QString closedError() const override;

    // RFC 1928 6: the text for a reply code.
    static QString replyText(int code);

private:
    enum class State : quint8
    {
        Greeting,
        Authenticating,
        Connecting,
        Finished
    };

    QByteArray connectRequest() const;
    HandshakeStep failed(const QString& message);
    QString who() const;

    const Address m_target;
    const QByteArray m_auth;
    const Address m_parent;
    State m_state = State::Greeting;
    QByteArray m_buffer;
};

} // namespace spyglass::layers::tunnel
