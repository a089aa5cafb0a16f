#pragma once
// Imports mitmproxy flow files (`mitmdump -w FILE`, "Save" in mitmproxy and mitmweb): a
// sequence of tnetstring dictionaries (tnetstring.h), one per flow, each the flow's
// `get_state()` with "version" and "type".
//
// Versions: flow formats 7 to 21 (7.0 writes 12, 8.1 writes 17, 11 writes 21; 7..11 are from
// the releases before 7.0). The fields that moved between them (mitmproxy/io/compat.py) are
// read under each name they had:
//  - client address: "peername" (19+) or "address"; server: "peername" (19+), else
//    "ip_address", else "address" (the destination), and Connection::peername from
//    "peername" / "ip_address"; server sockname: "sockname" (19+) or
//    "source_address"; upstream proxy: "via" as (scheme, (host, port)) (19+) or "via2";
//  - ALPN: "alpn" (11+) or "alpn_proto_negotiated"; cipher: "cipher" or "cipher_name";
//  - marked: a boolean before 13 (true becomes ":default:"), a marker string since;
//  - WebSocket (12+): flow["websocket"] with messages (type, from_client, content,
//    timestamp[, dropped[, injected]]); before 12, messages were separate "websocket" flows
//    that point at their handshake flow (metadata "websocket_handshake"): they are attached
//    to it, or skipped with a warning when it is not in the file;
//  - "request"/"response" content null (a body that was streamed) becomes a streamed body of
//    the Content-Length size; content is kept as it travelled (mitmproxy stores it raw).
// is_replay "request" is a client replay, "response" a server replay. A CONNECT request
// (mitmproxy: empty path, target in the authority) gets the target as its path.
// TCP flows become flows of kind Tcp with their messages; mitmproxy does not record which side
// closed first, so it is guessed from the connections' end times. UDP and DNS flows (mitmproxy
// 10+) have no counterpart here and are skipped with a warning. metadata, intercepted and
// timestamp_created are ignored; flows are not live.
//
// Errors name the file and a byte offset: a first value that is not a tnetstring dictionary
// ("not a mitmproxy flow file"), a corrupt value, a flow whose version is outside 7..21. A
// file cut short inside its last flow (mitmdump killed mid-write) keeps the flows before it
// with a warning. Nesting is bounded, as in TnetstringReader.

#include "flow/flow.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

namespace spyglass {

class MitmproxyReader
{
public:
    static constexpr int MinVersion = 7;
    static constexpr int MaxVersion = 21;

    struct Result
    {
        QList<HttpFlow> flows;
        QStringList warnings;
        QString error; // set when the file could not be read (flows before it may be kept)

        bool ok() const { return error.isEmpty(); }
    };

    static Result read(const QString& path);
    // `name` is used in messages.
    static Result parse(QByteArrayView data, const QString& name);
};

} // namespace spyglass
