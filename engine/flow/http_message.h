#pragma once
// HTTP request and response as version-neutral values (mitmproxy `http.Request`/`Response`).
// The HTTP/1 and HTTP/2 codecs translate between these and the wire; everything above them
// (HttpStream, addons, the window, session files) sees only these.

#include "flow/headers.h"

#include <QByteArray>
#include <QString>

namespace spyglass {

struct BodyInfo
{
    // The body as recorded. When `streamed` is true the body went through as it arrived
    // (it exceeded stream_large_bodies): `content` is empty and `size` says how much passed.
    QByteArray content;
    qint64 size = 0;
    bool streamed = false;
};

struct Request
{
    QByteArray method;      // "GET"
    QByteArray scheme;      // "http" / "https"
    QByteArray authority;   // as sent in absolute-form / :authority, may be empty
    QByteArray host;        // destination host (IDNA form)
    quint16 port = 0;       // destination port
    QByteArray path;        // origin-form target, "*" or "host:port" for CONNECT
    QByteArray httpVersion; // "HTTP/1.1", "HTTP/2.0"
    Headers headers;
    BodyInfo body;
    Headers trailers;
    double timestampStart = 0; // first byte of the head
    double timestampEnd = 0;   // last byte of the body

    // "scheme://host[:port]/path" (default ports omitted), or "host:port" for CONNECT.
    QByteArray url() const;
    // The Host header if present, else the authority.
    QByteArray hostHeader() const;
    // Sets scheme, host, port and path from an absolute URL; false if it is not one.
    bool setUrl(const QByteArray& url);
    bool isConnect() const { return method == "CONNECT"; }
};

struct Response
{
    QByteArray httpVersion;
    int statusCode = 0;
    QByteArray reason;
    Headers headers;
    BodyInfo body;
    Headers trailers;
    double timestampStart = 0;
    double timestampEnd = 0;

    // A response made by the proxy itself (errors, block_list, map_local, ...).
    static Response make(int status, const QByteArray& body,
                         const QByteArray& contentType = "text/plain; charset=utf-8");
};

QByteArray defaultReason(int statusCode);
quint16 defaultPort(QByteArrayView scheme);

} // namespace spyglass
