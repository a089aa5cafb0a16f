#pragma once
// The local addresses of this process's own outgoing TCP connections, process-wide and
// thread-safe. Transparent mode asks it about each client it accepts: a client whose address
// is one of ours is Spyglass's own upstream connection that the firewall redirected back to
// it (a local-traffic OUTPUT rule without the owner exclusion, docs/transparent.md). Serving
// it would open another one, which would come back too, without end.
//
// SocketStream registers an outgoing socket as soon as connect() has bound it and removes it
// when the descriptor closes, so an entry lives exactly as long as the socket.

#include "flow/connection.h"

namespace spyglass {

class OwnConnections
{
public:
    static void add(const Address& local);
    static void remove(const Address& local);
    static bool contains(const Address& address);
    // How many sockets are listed (diagnostics and tests).
    static qsizetype count();
};

} // namespace spyglass
