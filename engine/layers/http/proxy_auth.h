#pragma once
// The proxyauth option (mitmproxy `addons/proxyauth.py`): who may use the proxy.
//
//   user:pass   one user and password
//   any         any username and password (credentials are still asked for)
//   @FILE       an htpasswd file: bcrypt ($2a$, $2b$, $2y$), SHA-256/512 crypt ($5$, $6$) and
//               {SHA} (base64 SHA-1) entries, as written by `htpasswd -B` and `htpasswd -s`
//
// HTTP proxy ports answer 407 with `Proxy-Authenticate: Basic` until a request or CONNECT
// carries good `Proxy-Authorization` (reverse mode: 401, `WWW-Authenticate`, `Authorization`);
// the header is removed before the request goes on, and a tunnel authorised at CONNECT needs
// nothing more. SOCKS5 checks the same credentials with RFC 1929.
//
// Thread-safe: an htpasswd file is read once and again when it changes; a slow bcrypt check
// is remembered for the credentials it accepted, so a browser's next requests cost nothing.

#include <QByteArray>
#include <QString>

namespace spyglass::layers {

class ProxyAuth
{
public:
    // Empty when `spec` is usable, else the problem (an unreadable file, a line in a format
    // that is not supported, with its number).
    static QString validate(const QString& spec);
    // Whether `user` with `pass` may use the proxy under `spec` (empty spec: everyone).
    static bool verify(const QString& spec, const QByteArray& user, const QByteArray& pass);
    // "Basic dXNlcjpwYXNz" -> user, pass. False when it is not Basic or not well formed.
    static bool parseBasic(const QByteArray& headerValue, QByteArray* user, QByteArray* pass);
};

} // namespace spyglass::layers
