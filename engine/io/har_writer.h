#pragma once
// HAR 1.2 export (http://www.softwareishard.com/blog/har-12-spec/), shaped like the HAR files
// Chrome and Firefox write, so every HAR viewer opens ours: `--har FILE` of spyglass-dump and
// "Export as HAR" in the window. HarReader reads it back.
//
// What goes where:
//  - startedDateTime: request.timestampStart, UTC, with milliseconds ("...T10:00:00.123Z").
//  - timings, in ms with microsecond precision: send = the request's own duration; wait =
//    from the request's end to the response's start; receive = the response's duration.
//    connect and ssl (ssl included in connect, as the spec says) only on the flow that opened
//    its server connection: the earliest one of the list on that connection. If that
//    connection was opened after the request was in and was ready before the response
//    (connection_strategy=lazy), blocked = the gap from the request's end to the connect
//    (>= 0) and wait counts from the end of the handshake; otherwise blocked is -1. dns is
//    never measured apart: -1. time = the sum of the timings that are not -1 (ssl excluded).
//  - bodies: content.text is decoded from gzip/deflate/br/zstd (content.size = decoded size,
//    bodySize = size on the wire); a body that is not valid UTF-8 (or holds NUL) is base64
//    with "encoding": "base64". A body that cannot be decoded (damaged, other coding) stays
//    as it was on the wire, with `"_contentEncoding": "<coding>"` and a comment saying so. A
//    streamed body (only its start was recorded): content.size / bodySize = the full size, text =
//    what was recorded, `"_truncated": true` and a comment. Request bodies are not decoded.
//  - a flow that failed without a response: status 0, statusText "", and `_error` (as Chrome
//    writes failed requests); a flow with a response and an error has both.
//  - custom fields (HAR allows `_name`): `_error`, `_marked`, `_contentEncoding`,
//    `_truncated`, and `_encoding: "base64"` for a binary request body.
//  - a WebSocket connection (flow.websocket) as Chrome writes it: `"_resourceType":
//    "websocket"` and `_webSocketMessages`, one object per message: type "send" (from the
//    client) or "receive", time (seconds since the epoch), opcode 1 (text, data is the text)
//    or 2 (binary, data is base64), plus `_injected` / `_dropped` when true. How it closed goes
//    to our own `_webSocketClose`: {code, reason, closedByClient, time} (code absent while
//    open).
//  - header bytes become text as UTF-8 if valid, else Latin-1.

#include "flow/flow.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <functional>

class QIODevice;

namespace spyglass {

class HarWriter
{
public:
    // One entry of log.entries. `opensConnection`: report connect/ssl for this flow.
    static QJsonObject entry(const HttpFlow& flow, bool opensConnection);

    // A complete HAR document.
    static QByteArray toHar(const QList<HttpFlow>& flows);
    static QByteArray toHar(const QList<FlowSnapshot>& flows);

    // Writes a HAR file atomically (a temporary file renamed over `path` once complete).
    // Returns an empty string or an error naming the file.
    static QString write(const QString& path, const QList<HttpFlow>& flows);
    static QString write(const QString& path, const QList<FlowSnapshot>& flows);
    // The same for a large session that is not held decoded (FlowStore::at fits): flow i,
    // 0 <= i < count, is asked for twice (a first pass finds the flow that opened each server
    // connection, the second writes it) and dropped after use, so only one is alive at a time.
    using FlowAt = std::function<FlowSnapshot(qsizetype)>;
    static QString write(const QString& path, qsizetype count, const FlowAt& flowAt);

private:
    static void writeTo(QIODevice& out, const QList<const HttpFlow*>& flows);
    static void writeTo(QIODevice& out, qsizetype count, const FlowAt& flowAt);
    static QString writeFile(const QString& path, const QList<const HttpFlow*>& flows);
};

} // namespace spyglass
