#pragma once
// The raw-TCP part of an HttpFlow whose kind is FlowKind::Tcp (mitmproxy `tcp.TCPFlow` /
// `tcp.TCPMessage`): every chunk of bytes relayed between client and server, in order, and how
// the connection ended. The TcpLayer (engine/layers/tcp/) fills it in; session files, the
// filter, spyglass-dump and the window read it. What went wrong (the server could not be
// reached, ...) is the flow's `error`, as for every flow.
//
// Copy-on-write, cheaply: the messages are a ChunkedList (chunked_list.h), so publishing a
// snapshot at every message costs n/256 pointer copies, not n messages.

#include "flow/chunked_list.h"

#include <QByteArray>
#include <memory>

namespace spyglass {

struct TcpMessage
{
    bool fromClient = false;
    QByteArray content;    // the bytes as one read delivered them
    double timestamp = 0;  // seconds since the epoch, when they arrived
    bool injected = false; // sent by the proxy or a script (inject.tcp), not by a peer
    bool dropped = false;  // not forwarded (a hook dropped it: intercept's kill, a script)

    bool operator==(const TcpMessage&) const = default;
};

using TcpMessages = ChunkedList<TcpMessage>;
extern template class ChunkedList<TcpMessage>; // chunked_list.cpp

struct TcpData
{
    TcpMessages messages;
    bool closedByClient = false; // which side ended the connection first (valid once ended)
    double timestampEnd = 0;     // when both sides were closed; 0 while open

    bool operator==(const TcpData&) const = default;

    // Sum of the contents' sizes (client to server or server to client).
    qint64 bytes(bool fromClient) const;
};

using TcpDataPtr = std::shared_ptr<const TcpData>;

} // namespace spyglass
