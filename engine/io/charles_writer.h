#pragma once
// Exports flows as a Charles Proxy JSON session (`.chlsj`, what Charles' File > Export
// Session... > JSON Session File writes and File > Import reads): a JSON array with one object
// per request, in the structure CharlesReader documents (charles_reader.h) and reads back:
//
//   status ("COMPLETE", "FAILED" for a flow with an error, "INCOMPLETE" without a response),
//   method, protocolVersion, scheme, host, port, actualPort, path, query, tunnel, keptAlive,
//   webSocket, remoteAddress ("name/ip"), clientAddress ("/ip"), clientPort,
//   times {start, requestBegin, requestComplete, responseBegin, end} (ISO 8601, UTC, ms),
//   durations {total, dns, connect, ssl, request, latency, response} (ms, -1 unknown),
//   speeds {overall, request, response} (bytes/s), totalSize, ssl {protocol, cipherSuite},
//   alpn {protocol}, errorMessage, notes (the comment),
//   request / response {status, sizes {headers, body}, mimeType, charset, contentEncoding,
//                       header {firstLine, headers [{name, value}]}, body}
//
// Bodies are written as they travelled (a compressed body stays compressed, its
// Content-Encoding header says so; nothing is marked "decoded"), so CharlesReader gets back
// the very bytes: `{"text", "charset"}` when the body is UTF-8 text without NUL bytes and has
// no Content-Encoding, else `{"encoding": "base64", "encoded"}`. A streamed body (only its size
// was kept) has no body object and sizes.body is its size. An HTTP/2 request's authority
// travels as an ":authority" header field, as Charles lists HTTP/2 pseudo-headers.
//
// Not representable in this format, and left out: raw TCP flows (FlowKind::Tcp: skipped, see
// canWrite()), WebSocket messages (the handshake is written, webSocket true), connection ids,
// marks, replay flags, certificates, and time below the millisecond.

#include "flow/flow.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <functional>

namespace spyglass {

class CharlesWriter
{
public:
    // False for flows this format cannot hold (raw TCP).
    static bool canWrite(const HttpFlow& flow);

    // One element of the array (`flow` must be writable).
    static QJsonObject entry(const HttpFlow& flow);
    // A complete session (unwritable flows skipped).
    static QByteArray toJson(const QList<HttpFlow>& flows);

    // Whole files, written atomically (a temporary file renamed over `path` once complete).
    // Return an empty string or an error naming the file.
    static QString write(const QString& path, const QList<HttpFlow>& flows);
    static QString write(const QString& path, const QList<FlowSnapshot>& flows);
    // For a large session (FlowStore::at fits): flow i, 0 <= i < count, is asked for once and
    // dropped after use. A null snapshot is skipped.
    using FlowAt = std::function<FlowSnapshot(qsizetype)>;
    static QString write(const QString& path, qsizetype count, const FlowAt& flowAt);
};

} // namespace spyglass
