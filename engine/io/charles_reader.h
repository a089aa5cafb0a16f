#pragma once
// Imports Charles Proxy JSON sessions (`.chlsj`, File > Export Session... > JSON Session File):
// a JSON array with one object per request:
//
//   { "status": "COMPLETE", "method": "GET", "protocolVersion": "HTTP/1.1",
//     "scheme": "https", "host": "example.com", "port": 443 (or "actualPort"), "path": "/a",
//     "query": "q=1", "tunnel": false, "remoteAddress": "example.com/93.184.215.14",
//     "clientAddress": "/127.0.0.1", "clientPort": 53321,
//     "times": { "start", "requestBegin", "requestComplete", "responseBegin", "end" }
//              (ISO 8601 with milliseconds and offset),
//     "durations": { "dns", "connect", "ssl", ... } (ms), "ssl": { "protocol", "cipherSuite" },
//     "alpn": { "protocol": "h2" }, "errorMessage": "...",
//     "request":  { "header": { "firstLine", "headers": [ { "name", "value" } ] },
//                   "body": { "text", "charset" } or { "encoding": "base64", "encoded" },
//                   "sizes": { "headers", "body" } },
//     "response": { "status": 200, "header": {...}, "body": {...}, "sizes": {...} } }
//
// Rules, as for HAR (har_reader.h): a body marked `"decoded": true` is the decoded text of a
// message whose Content-Encoding we apply again, so the flow holds the body as it travelled
// (a coding we cannot apply is removed from the headers instead); a body that is absent while
// sizes.body says it had bytes becomes a streamed body of that size. The reason phrase comes
// from the response's firstLine. A tunnel entry (`"tunnel": true`, an un-decrypted CONNECT)
// becomes a CONNECT flow to host:port. An entry with status FAILED/EXCEPTION or an
// errorMessage gets a FlowError. HTTP/2 pseudo-header fields are not kept as headers
// (:authority becomes Request::authority). Charles' WebSocket messages are not imported (the
// handshake is), with a warning. Flows get new ids and are not live.
//
// Errors: a file that is not JSON is an error with QJsonParseError's byte offset; JSON that is
// not an array is an error; an entry without a host is skipped with a warning naming it
// ("entry 3").

#include "flow/flow.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace spyglass {

class CharlesReader
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
