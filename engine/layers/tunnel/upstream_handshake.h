#pragma once
// The client side of the handshake that opens a tunnel through a parent proxy (mitmproxy
// `layers/http/_upstream_proxy.py` HttpUpstreamProxy and its TunnelLayer): a pure state
// machine over bytes. UpstreamProxyLayer (layers/modes/upstream_proxy_layer.h) sends what
// start() and receive() return to the parent, and once a step says `done` the connection is a
// tunnel to the real server and `rest` is the server's first bytes. Two dialects:
// HttpConnectHandshake (an HTTP parent, CONNECT) and Socks5ClientHandshake (RFC 1928/1929).

#include <QByteArray>
#include <QString>

namespace spyglass::layers::tunnel {

struct HandshakeStep
{
    QByteArray send;   // bytes for the parent proxy, possibly empty
    bool done = false; // the tunnel is open
    QByteArray rest;   // when done: bytes after the handshake, the tunnel's first data
    QString error;     // non-empty: the handshake failed; the connection is useless
};

class UpstreamHandshake
{
public:
    virtual ~UpstreamHandshake() = default;
    // The opening bytes, sent as soon as the TCP connection to the parent stands.
    virtual HandshakeStep start() = 0;
    // Bytes from the parent, in any split.
    virtual HandshakeStep receive(const QByteArray& data) = 0;
    // The message for the parent closing the connection before the tunnel was open.
    virtual QString closedError() const = 0;
};

} // namespace spyglass::layers::tunnel
