#pragma once
// CONNECT through an HTTP parent proxy (RFC 9110 9.3.6; mitmproxy HttpUpstreamProxy): sends
// "CONNECT host:port HTTP/1.1" with a Host header and, when upstream_auth is set, a
// `Proxy-Authorization: Basic` header; then reads the parent's response head. A 2xx opens the
// tunnel; anything else (407, 502, ...) fails with the parent's status and reason. The head is
// limited to 64 KiB; a body after a refusal is not read (the connection is closed anyway).

#include "flow/connection.h"
#include "layers/tunnel/upstream_handshake.h"

namespace spyglass::layers::tunnel {

class HttpConnectHandshake : public UpstreamHandshake
{
public:
    // `auth`: "user:pass" or empty. `parent` only names the parent in messages.
    HttpConnectHandshake(Address target, QByteArray auth, Address parent);

    HandshakeStep start() override;
    HandshakeStep receive(const QByteArray& data) override;
    QString closedError() const override;

    // The header value for "user:pass": "Basic dXNlcjpwYXNz".
    static QByteArray basicAuth(const QByteArray& userPass);

private:
    QString who() const;

    const Address m_target;
    const QByteArray m_auth;
    const Address m_parent;
    QByteArray m_buffer;
    bool m_finished = false;
};

} // namespace spyglass::layers::tunnel
