#pragma once
// One `--mode` value as a value type (mitmproxy 7 `proxy/mode_specs.py`): what kind of proxy
// listens, where a reverse or upstream proxy sends everything, and on which port it listens.
//
//   regular[@PORT]                       an explicit HTTP proxy (CONNECT, absolute-form)
//   reverse:SCHEME://HOST[:PORT][@PORT]  every connection goes to HOST; SCHEME is http, https,
//                                        tcp or tls (http/https: 80/443 by default; tcp and tls
//                                        need a port)
//   upstream:SCHEME://HOST[:PORT][@PORT] an explicit HTTP proxy like regular, whose server
//                                        connections all go through the parent proxy at HOST:
//                                        http (port 8080 by default) or https (443, TLS to the
//                                        parent): plain HTTP requests are sent to it in
//                                        absolute-form, everything else through a CONNECT;
//                                        socks5 (port 1080): a SOCKS5 CONNECT for every server
//                                        connection (layers/modes/upstream_proxy_layer.h)
//   socks5[@PORT]                        a SOCKS5 proxy (RFC 1928)
//   transparent[@PORT]                   Linux only: connections redirected to us by the
//                                        firewall (iptables REDIRECT); the destination is the
//                                        socket's original one (docs/transparent.md). Other
//                                        systems refuse it at parse time.
//
// A mode without @PORT listens on listen_port.

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace spyglass {

struct ProxyMode
{
    enum class Kind : quint8
    {
        Regular,
        Reverse,
        Upstream,
        Socks5,
        Transparent
    };

    Kind kind = Kind::Regular;
    QByteArray scheme;                 // reverse: "http", "https", "tcp", "tls";
                                       // upstream: "http", "https", "socks5"
    QByteArray host;                   // reverse/upstream: IDNA form or a literal IP
    quint16 port = 0;                  // reverse/upstream: the target's port
    std::optional<quint16> listenPort; // from "@PORT"
    QString spec;                      // the text it was parsed from

    // Parses one mode; on failure returns nullopt and sets `error` to a message that names
    // the spec and says what is wrong.
    static std::optional<ProxyMode> parse(const QString& spec, QString* error);

    // The port this mode listens on, given the listen_port option.
    int effectivePort(int defaultPort) const;
    // TLS towards the fixed server (reverse https/tls, upstream https).
    bool serverTls() const { return scheme == "https" || scheme == "tls"; }
    // Reverse http/https: HTTP towards the fixed server (tcp/tls relay bytes).
    bool reverseHttp() const { return scheme == "http" || scheme == "https"; }
    // Upstream through an HTTP(S) parent: plain HTTP requests go to it in absolute-form.
    bool upstreamHttp() const
    {
        return kind == Kind::Upstream && (scheme == "http" || scheme == "https");
    }
    QString kindName() const;
    // Whether this build can run transparent mode (it needs SO_ORIGINAL_DST: Linux).
    static bool transparentSupported();
};

// Parses every mode and checks that no two share a port (port 0, "any free port", may repeat).
// Returns an empty string when all is well, else the error for the user.
QString checkModes(const QStringList& specs, int listenPort, std::vector<ProxyMode>* out = nullptr);

} // namespace spyglass
