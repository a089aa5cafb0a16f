#pragma once
// anticache (mitmproxy `addons/anticache.py`, `Request.anticache()`): strips the request
// headers that let a server answer 304 Not Modified (If-None-Match, If-Modified-Since), so
// every response carries its body. Runs in the `request` hook.

#include "addons/addon.h"

#include <atomic>

namespace spyglass::addons {

class AntiCache : public Addon
{
public:
    QString name() const override { return QStringLiteral("anticache"); }
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override;
    void request(HttpFlow& flow) override;

private:
    std::atomic<bool> m_enabled{false};
};

} // namespace spyglass::addons
