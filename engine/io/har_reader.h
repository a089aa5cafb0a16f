#pragma once
// HAR 1.1/1.2 import: our own exports (HarWriter) and what Chrome, Firefox and other tools
// write. The counterpart of HarWriter; its rules are mirrored here.
//
//  - Bodies: content.text (base64 when "encoding" is "base64") is the decoded body; if the
//    response says Content-Encoding gzip/deflate/br/zstd it is encoded again, so the flow holds the
//    body as it travelled, and a Content-Length field is updated to match. A coding we cannot
//    apply (compress, ...) is removed from the headers instead, with the decoded body kept. Our
//    own `_contentEncoding` marks text that is still encoded: it is kept as is.
//  - A body that was not captured (size > 0, no text), or that our export marked
//    `_truncated`, becomes a streamed body: BodyInfo::streamed with the full size.
//  - Timings become timestamps, laid out as HarWriter writes them: the request from
//    startedDateTime for `send`; then, if `connect` is given, the server connection's
//    set-up (`ssl` at its end): after blocked + dns, with `wait` counted from its end, or,
//    when blocked and dns are both -1, ending at startedDateTime (opened before the request);
//    then `wait` and `receive` for the response. Durations survive a round trip, and so does
//    our own export; blocked/dns without a connect are folded into wait.
//  - status 0 (Chrome's failed request) is a flow without a response, with `_error` (or "no
//    response") as its error. HTTP/2 pseudo-header fields (":authority", ...) are not kept as
//    headers; :authority becomes Request::authority.
//  - `_webSocketMessages` (or `"_resourceType": "websocket"`) makes flow.websocket: opcode 1
//    data is the text, opcode 2 data is base64 (other opcodes are skipped with a warning);
//    our `_webSocketClose` gives the close code, reason, side and time.
//  - Flows get new ids and are not live. The client connection is unknown (HAR has none);
//    the server connection gets `connection` as its id and serverIPAddress as its peer.
//
// Errors: a file that is not JSON is an error with the byte offset QJsonParseError gives; a
// JSON file without log.entries is an error; an entry that cannot be used (no URL) is
// skipped with a warning naming it (entries[3]).

#include "flow/flow.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace spyglass {

class HarReader
{
public:
    struct Result
    {
        QList<HttpFlow> flows;
        QStringList warnings;
        QString error; // nothing could be read

        bool ok() const { return error.isEmpty(); }
    };

    static Result read(const QString& path);
    // `name` is used in messages.
    static Result parse(const QByteArray& json, const QString& name);
};

} // namespace spyglass
