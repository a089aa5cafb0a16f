#pragma once
// stickyauth (mitmproxy `addons/stickyauth.py`): remembers the Authorization header each host
// was last sent, and adds it to later requests to that host that match the filter and carry
// none. Runs in the `request` hook; the remembered headers live as long as the engine.

#include "addons/addon.h"
#include "addons/config_slot.h"
#include "filter/filter.h"

#include <QHash>
#include <mutex>
#include <optional>

namespace spyglass::addons {

class StickyAuth : public Addon
{
public:
    QString name() const override { return QStringLiteral("stickyauth"); }
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override;
    void request(HttpFlow& flow) override;

private:
    ConfigSlot<std::optional<filter::Filter>> m_filter; // nullopt: off
    std::mutex m_mutex;
    QHash<QByteArray, QByteArray> m_hosts; // host -> Authorization value
};

} // namespace spyglass::addons
