#include "server/own_connections.h"

#include <QByteArray>
#include <QHash>
#include <mutex>

namespace spyglass {

namespace {

struct Registry
{
    std::mutex mutex;
    QHash<QByteArray, int> counts; // "host:port" -> sockets with that local address
    qsizetype total = 0;
};

Registry& registry()
{
    static Registry r;
    return r;
}

} // namespace

void OwnConnections::add(const Address& local)
{
    if (!local.isValid())
        return;
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    ++r.counts[local.toString()];
    ++r.total;
}

void OwnConnections::remove(const Address& local)
{
    if (!local.isValid())
        return;
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    const auto it = r.counts.find(local.toString());
    if (it == r.counts.end())
        return;
    --r.total;
    if (--it.value() <= 0)
        r.counts.erase(it);
}

bool OwnConnections::contains(const Address& address)
{
    if (!address.isValid())
        return false;
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    return r.counts.contains(address.toString());
}

qsizetype OwnConnections::count()
{
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    return r.total;
}

} // namespace spyglass
