#include "addons/block.h"

#include "addons/ip_address.h"
#include "options/options.h"
#include "proxy/context.h"

namespace spyglass::addons {

QString Block::configure(const Options& options)
{
    m_global.store(options.blockGlobal);
    m_private.store(options.blockPrivate);
    return {};
}

quint64 Block::wantedHooks() const
{
    return m_global.load() || m_private.load()
               ? proxy::Services::bit(proxy::HookKind::ClientConnected)
               : 0;
}

void Block::clientConnected(Connection& client)
{
    const auto address = IpAddress::parse(client.peer.host);
    if (!address || address->isLoopback())
        return;
    const QString who = QString::fromLatin1(client.peer.host);
    if (m_private.load() && address->isPrivate()) {
        log(proxy::LogLevel::Warn,
            QStringLiteral("Client connection from %1 killed by block_private option.").arg(who));
        client.error = QStringLiteral("Connection killed by block_private.");
    }
    if (m_global.load() && address->isGlobal()) {
        log(proxy::LogLevel::Warn,
            QStringLiteral("Client connection from %1 killed by block_global option.").arg(who));
        client.error = QStringLiteral("Connection killed by block_global.");
    }
}

} // namespace spyglass::addons
