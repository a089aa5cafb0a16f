#pragma once
// Export of one flow as a command line or as raw HTTP/1 bytes: mitmproxy's `export` addon
// (mitmproxy/addons/export.py), format for format, so that users get what they are used to.
// `spyglass-dump -n -r FILE --export FORMAT` prints them; the window copies them.
//
// What every format sees is a copy of the message decoded as mitmproxy's `decode(strict=False)`
// does: a non-empty body loses its Content-Encoding (gzip, deflate, br, zstd undone; a coding
// that cannot be undone leaves the bytes as they are) and its Content-Length is set to the
// decoded size unless Transfer-Encoding is present. HTTP/2 pseudo headers (":authority", ...),
// which a HAR import may have put among the headers, are never exported.
//
//  - curl:   `curl [--resolve HOST:PORT:[IP]] [-H 'k: v' | --compressed]... [-H 'content-length:
//  0']
//            [-X METHOD] URL [-d BODY]`, every word quoted as Python's shlex.quote does.
//            Content-Length is dropped, Host too when it equals the request's host; an
//            Accept-Encoding header becomes --compressed; a non-GET request without a body gets
//            an explicit `content-length: 0`; --resolve only with export_preserve_original_ip and
//            only when the server address is an IP that differs from the URL's host.
//  - httpie: `http METHOD URL 'k: v'... [<<< BODY]`, same header clean-up, no --resolve (httpie
//            cannot pin an address, mitmproxy neither).
//  - BODY:   the body as text (charset from Content-Type, BOM, JSON/HTML/XML/JS/CSS fall back to
//            UTF-8, anything else Latin-1, as mitmproxy infers it), written as UTF-8. A body that
//            is not valid in its charset is an error ("Request content must be valid unicode").
//            Control characters (< 0x20) become \xNN inside "$(printf '...')"; unlike mitmproxy,
//            '%' and '\' are doubled there so printf gives them back unchanged. As in mitmproxy,
//            printf's \xNN needs bash or zsh (not dash), and command substitution drops
//            trailing newlines. A body that starts with '@' is given with --data-raw instead of
//            -d (curl would read the file named after the '@'; mitmproxy does not guard this).
//  - raw_request / raw_response: HTTP/1 bytes as mitmproxy's assemble_request/_response
//            write them for the flow mitmproxy would have recorded: the request line in
//            absolute form for HTTP/2 ("GET https://host/path HTTP/2.0"), in origin form for
//            HTTP/1 (mitmproxy rewrites an absolute-form request to the proxy into origin form
//            before it records it), "CONNECT authority"; headers in
//            order; a chunked body re-chunked as one chunk with trailers; an HTTP/2 status line
//            without reason ("HTTP/2.0 200 "). A streamed (not recorded) body is an error.
//  - raw:    request and response joined by "\r\n\r\n" (either alone if the other is missing),
//            then, for a WebSocket flow, its messages as "[OUTGOING] ..." / "[INCOMING] ..."
//            lines joined by "\n".
//
// Errors (no request, no response, missing body, undecodable text) are values: an empty
// result and `*error` set to mitmproxy's message.

#include "flow/flow.h"
#include "options/options.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace spyglass {

class FlowExport
{
public:
    // mitmproxy's export formats, sorted: curl, httpie, raw, raw_request, raw_response.
    static QStringList formats();
    static bool isFormat(const QString& format);

    // The flow in `format`. On failure: an empty array and `*error` set (never empty then).
    // `error` may be null in every function here.
    static QByteArray exportFlow(const QString& format, const HttpFlow& flow,
                                 const Options& options, QString* error);

    static QByteArray curl(const HttpFlow& flow, const Options& options, QString* error);
    static QByteArray httpie(const HttpFlow& flow, QString* error);
    static QByteArray raw(const HttpFlow& flow, QString* error);
    static QByteArray rawRequest(const HttpFlow& flow, QString* error);
    static QByteArray rawResponse(const HttpFlow& flow, QString* error);

    // Python's shlex.quote over bytes: unchanged if every byte is one of [A-Za-z0-9_@%+=:,./-],
    // '' for an empty word, else single-quoted with each ' written as '"'"'.
    static QByteArray shellQuote(const QByteArray& word);
};

} // namespace spyglass
