#pragma once
// What permessage-deflate (RFC 7692) was agreed on, read from the 101 answer's
// Sec-WebSocket-Extensions. The proxy passes the handshake through unchanged, so client and
// server agree with each other; the proxy only needs to know the outcome to read (inflate)
// messages and, when a hook changed one, to write it again in a form the receiver accepts.
//
// Per direction: client -> server messages are compressed by the client, under
// client_no_context_takeover / client_max_window_bits; server -> client ones by the server,
// under server_no_context_takeover / server_max_window_bits. Counterpart: wsproto
// `extensions.py` PerMessageDeflate.

#include <QByteArray>
#include <QStringList>
#include <optional>

namespace spyglass::layers::websocket {

struct PerMessageDeflateParams
{
    bool serverNoContextTakeover = false;
    bool clientNoContextTakeover = false;
    int serverMaxWindowBits = 15; // 8..15
    int clientMaxWindowBits = 15;

    // For the messages one side sends.
    bool noContextTakeover(bool fromClient) const
    {
        return fromClient ? clientNoContextTakeover : serverNoContextTakeover;
    }
    int maxWindowBits(bool fromClient) const
    {
        return fromClient ? clientMaxWindowBits : serverMaxWindowBits;
    }

    // Reads a Sec-WebSocket-Extensions value as a server sent it: nullopt when it holds no
    // permessage-deflate. Other extensions and parameters this code does not know go to
    // `notes` as text for the log (a malformed window size is noted and taken as 15).
    static std::optional<PerMessageDeflateParams> fromResponseHeader(const QByteArray& value,
                                                                     QStringList* notes);
};

} // namespace spyglass::layers::websocket
