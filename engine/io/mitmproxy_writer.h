#pragma once
// Exports flows as a mitmproxy flow file, the format `mitmdump -w FILE` writes and
// `mitmproxy -r` / `mitmweb -r` / `mitmdump -r` open: one tnetstring dictionary per flow
// (tnetstring_writer.h), each the flow's `get_state()`.
//
// Version: flow format 17, exactly what mitmproxy 8.1 writes (the same keys, the same value
// types: bytes where mitmproxy keeps bytes, text where it keeps str, null where it keeps
// None), so mitmproxy 8.1 reads it as its own and every later release upgrades it through
// its io/compat.py like any 8.1 file. MitmproxyReader reads it back.
//
// What goes where:
//  - HTTP flows: "request", "response" (or null), "error" {msg, timestamp} (or null),
//    "websocket" {messages [(opcode, from_client, content, timestamp, dropped, injected)],
//    closed_by_client, close_code, close_reason, timestamp_end} for a WebSocket connection.
//    A streamed body (only its size was kept) is content null, as mitmproxy stores one.
//    A CONNECT request is written as mitmproxy records one: path empty, authority host:port.
//  - TCP flows (FlowKind::Tcp) become mitmproxy "tcp" flows: messages (from_client, content,
//    timestamp); which side closed first is not a mitmproxy field (its reader guesses it back
//    from the connections' end times).
//  - client_conn / server_conn: address (the client's address; the server name that was
//    dialled), ip_address (Connection::peername), sockname / source_address, sni, alpn,
//    alpn_offers, tls_version, cipher_name, tls / tls_established, state, error, the
//    timestamps, via2 (an upstream proxy, as ("http", (host, port))), and certificate_list as
//    PEM. A certificate that OpenSSL cannot parse is left out: mitmproxy loads each one and
//    would refuse the whole file. Connection ids become UUIDs (one per connection within a
//    file, so flows that shared a connection still do).
//  - marked (the marker string), comment, is_replay ("request" for client replay,
//    "response" for server replay), intercepted false, metadata {} (HttpFlow keeps none).
//  - timestamps: seconds as floats; a timestamp we do not have (0) is null where mitmproxy
//    allows None, else 0.0.

#include "flow/flow.h"
#include "io/tnetstring.h"

#include <QList>
#include <QString>
#include <QUuid>
#include <functional>

namespace spyglass {

class MitmproxyWriter
{
public:
    static constexpr int FormatVersion = 17; // mitmproxy 8.1's version.FLOW_FORMAT_VERSION

    MitmproxyWriter();

    // One flow's state dictionary, and its encoding as the file holds it.
    TnetValue state(const HttpFlow& flow) const;
    QByteArray encode(const HttpFlow& flow) const;

    // Whole files, written atomically (a temporary file renamed over `path` once complete).
    // Return an empty string or an error naming the file.
    static QString write(const QString& path, const QList<HttpFlow>& flows);
    static QString write(const QString& path, const QList<FlowSnapshot>& flows);
    // For a large session (FlowStore::at fits): flow i, 0 <= i < count, is asked for once and
    // dropped after use. A null snapshot is skipped.
    using FlowAt = std::function<FlowSnapshot(qsizetype)>;
    static QString write(const QString& path, qsizetype count, const FlowAt& flowAt);

private:
    // `client`: which side (Connection::role is not always set on flows built by hand).
    TnetValue connection(const Connection& c, bool client, const HttpFlow& flow) const;
    QByteArray connectionId(const Connection& c, bool client) const;

    QUuid m_namespace; // connection ids: UUIDv5 of (role, Connection::id) in this namespace
};

} // namespace spyglass
