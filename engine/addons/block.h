#pragma once
// block_global and block_private (mitmproxy `addons/block.py`): in the client_connected hook,
// a client from a globally reachable address (block_global, on by default, so that a proxy
// bound to a public interface by mistake is not an open proxy for the internet) or from a
// private network (block_private) is refused: the connection is closed before any byte is
// read, with a warning naming the address. Loopback clients are always let in. The address
// classes are Python's `ipaddress` ones (addons/ip_address.h), as in mitmproxy.

#include "addons/addon.h"

#include <atomic>

namespace spyglass::addons {

class Block : public Addon
{
public:
    QString name() const override { return QStringLiteral("block"); }
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override;
    void clientConnected(Connection& client) override;

private:
    std::atomic<bool> m_global{true};
    std::atomic<bool> m_private{false};
};

} // namespace spyglass::addons
