#include "addons/ip_address.h"

#include <QList>

namespace spyglass::addons {

namespace {

std::optional<std::array<quint8, 4>> parseV4(QByteArrayView text)
{
    const QList<QByteArray> parts = text.toByteArray().split('.');
    if (parts.size() != 4)
        return std::nullopt;
    std::array<quint8, 4> out{};
    for (int i = 0; i < 4; ++i) {
        const QByteArray& p = parts.at(i);
        if (p.isEmpty() || p.size() > 3)
            return std::nullopt;
        for (char c : p)
            if (c < '0' || c > '9')
                return std::nullopt;
        const int n = p.toInt();
        if (n > 255)
            return std::nullopt;
        out[size_t(i)] = quint8(n);
    }
    return out;
}

// Parses a run of colon-separated hex groups (no "::"); an IPv4 tail counts as two groups.
bool parseGroups(QByteArrayView text, QList<quint16>& groups)
{
    if (text.isEmpty())
        return true;
    const QList<QByteArray> parts = text.toByteArray().split(':');
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QByteArray& p = parts.at(i);
        if (i == parts.size() - 1 && p.contains('.')) {
            const auto v4 = parseV4(p);
            if (!v4)
                return false;
            groups.append(quint16((*v4)[0] << 8 | (*v4)[1]));
            groups.append(quint16((*v4)[2] << 8 | (*v4)[3]));
            return true;
        }
        if (p.isEmpty() || p.size() > 4)
            return false;
        bool ok = false;
        const uint g = p.toUInt(&ok, 16);
        if (!ok)
            return false;
        groups.append(quint16(g));
    }
    return true;
}

IpAddress makeV4(quint8 a, quint8 b, quint8 c, quint8 d)
{
    IpAddress ip;
    ip.bytes[0] = a;
    ip.bytes[1] = b;
    ip.bytes[2] = c;
    ip.bytes[3] = d;
    return ip;
}

IpAddress makeV6(std::initializer_list<quint16> leading)
{
    IpAddress ip;
    ip.v6 = true;
    size_t i = 0;
    for (quint16 g : leading) {
        ip.bytes[i++] = quint8(g >> 8);
        ip.bytes[i++] = quint8(g & 0xff);
    }
    return ip;
}

} // namespace

std::optional<IpAddress> IpAddress::parse(QByteArrayView text)
{
    if (const qsizetype pct = text.indexOf('%'); pct >= 0)
        text = text.first(pct);
    if (text.startsWith('[') && text.endsWith(']'))
        text = text.sliced(1, text.size() - 2);
    if (!text.contains(':')) {
        const auto a = parseV4(text);
        if (!a)
            return std::nullopt;
        return makeV4((*a)[0], (*a)[1], (*a)[2], (*a)[3]);
    }
    QList<quint16> head;
    QList<quint16> tail;
    const qsizetype gap = text.indexOf("::");
    if (gap >= 0) {
        if (text.indexOf("::", gap + 1) >= 0)
            return std::nullopt;
        if (!parseGroups(text.first(gap), head) || !parseGroups(text.sliced(gap + 2), tail))
            return std::nullopt;
        if (head.size() + tail.size() > 7)
            return std::nullopt;
    } else {
        if (!parseGroups(text, head) || head.size() != 8)
            return std::nullopt;
    }
    IpAddress ip;
    ip.v6 = true;
    for (qsizetype i = 0; i < head.size(); ++i) {
        ip.bytes[size_t(2 * i)] = quint8(head[i] >> 8);
        ip.bytes[size_t(2 * i + 1)] = quint8(head[i] & 0xff);
    }
    const qsizetype start = 8 - tail.size();
    for (qsizetype i = 0; i < tail.size(); ++i) {
        ip.bytes[size_t(2 * (start + i))] = quint8(tail[i] >> 8);
        ip.bytes[size_t(2 * (start + i) + 1)] = quint8(tail[i] & 0xff);
    }
    // IPv4-mapped (::ffff:a.b.c.d) counts as IPv4.
    bool mapped = ip.bytes[10] == 0xff && ip.bytes[11] == 0xff;
    for (int i = 0; i < 10; ++i)
        mapped = mapped && ip.bytes[size_t(i)] == 0;
    if (mapped)
        return makeV4(ip.bytes[12], ip.bytes[13], ip.bytes[14], ip.bytes[15]);
    return ip;
}

bool IpAddress::inNetwork(const IpAddress& prefix, int bits) const
{
    if (prefix.v6 != v6)
        return false;
    for (int i = 0; i < bits; ++i) {
        const quint8 mask = quint8(0x80 >> (i % 8));
        if ((bytes[size_t(i / 8)] & mask) != (prefix.bytes[size_t(i / 8)] & mask))
            return false;
    }
    return true;
}

bool IpAddress::isLoopback() const
{
    if (!v6)
        return bytes[0] == 127;
    return inNetwork(makeV6({0, 0, 0, 0, 0, 0, 0, 1}), 128);
}

bool IpAddress::isPrivate() const
{
    // Python 3.11 ipaddress._private_networks (IPv4Address / IPv6Address.is_private).
    if (!v6) {
        static const std::pair<IpAddress, int> nets[] = {
            {makeV4(0, 0, 0, 0), 8},       {makeV4(10, 0, 0, 0), 8},
            {makeV4(127, 0, 0, 0), 8},     {makeV4(169, 254, 0, 0), 16},
            {makeV4(172, 16, 0, 0), 12},   {makeV4(192, 0, 0, 0), 29},
            {makeV4(192, 0, 0, 170), 31},  {makeV4(192, 0, 2, 0), 24},
            {makeV4(192, 168, 0, 0), 16},  {makeV4(198, 18, 0, 0), 15},
            {makeV4(198, 51, 100, 0), 24}, {makeV4(203, 0, 113, 0), 24},
            {makeV4(240, 0, 0, 0), 4},     {makeV4(255, 255, 255, 255), 32},
        };
        for (const auto& [net, bits] : nets)
            if (inNetwork(net, bits))
                return true;
        return false;
    }
    static const std::pair<IpAddress, int> nets[] = {
        {makeV6({0, 0, 0, 0, 0, 0, 0, 1}), 128},
        {makeV6({}), 128},
        {makeV6({0, 0, 0, 0, 0, 0xffff}), 96},
        {makeV6({0x100}), 64},
        {makeV6({0x2001}), 23},
        {makeV6({0x2001, 0x2}), 48},
        {makeV6({0x2001, 0xdb8}), 32},
        {makeV6({0x2001, 0x10}), 28},
        {makeV6({0xfc00}), 7},
        {makeV6({0xfe80}), 10},
    };
    for (const auto& [net, bits] : nets)
        if (inNetwork(net, bits))
            return true;
    return false;
}

bool IpAddress::isGlobal() const
{
    if (!v6)
        return !inNetwork(makeV4(100, 64, 0, 0), 10) && !isPrivate();
    return !isPrivate();
}

} // namespace spyglass::addons
