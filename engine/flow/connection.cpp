#include "flow/connection.h"

#include <atomic>

namespace spyglass {

namespace {
std::atomic<quint64> g_nextConnectionId{1};
}

QByteArray Address::toString() const
{
    const QByteArray p = QByteArray::number(port);
    if (host.contains(':'))
        return '[' + host + "]:" + p;
    return host + ':' + p;
}

Connection::Connection(Role r) : id(g_nextConnectionId.fetch_add(1)), role(r) {}

ConnectionPtr makeConnection(Connection::Role role)
{
    return std::make_shared<Connection>(role);
}

} // namespace spyglass
