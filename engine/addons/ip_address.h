#pragma once
// An IP address literal and how Python's `ipaddress` classifies it (is_loopback, is_private,
// is_global), which is what mitmproxy's block_global and block_private decide by. Qt Core
// only: the addons do not link Qt Network. An IPv4-mapped IPv6 address counts as its IPv4
// address, as in mitmproxy (`address.ipv4_mapped or address`).

#include <QByteArray>
#include <array>
#include <optional>

namespace spyglass::addons {

struct IpAddress
{
    bool v6 = false;
    std::array<quint8, 16> bytes{}; // IPv4 uses the first 4

    // "10.1.2.3", "fe80::1%eth0", "::ffff:1.2.3.4" (mapped -> IPv4); nullopt if not a literal.
    static std::optional<IpAddress> parse(QByteArrayView text);

    bool isLoopback() const;
    bool isPrivate() const;
    bool isGlobal() const;
    // Is it inside prefix/bits (same family)?
    bool inNetwork(const IpAddress& prefix, int bits) const;
};

} // namespace spyglass::addons
