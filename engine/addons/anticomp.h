#pragma once
// anticomp (mitmproxy `addons/anticomp.py`, `Request.anticomp()`): asks servers for
// uncompressed responses by setting Accept-Encoding: identity on every request. Runs in the
// `request` hook.

#include "addons/addon.h"

#include <atomic>

namespace spyglass::addons {

class AntiComp : public Addon
{
public:
    QString name() const override { return QStringLiteral("anticomp"); }
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override;
    void request(HttpFlow& flow) override;

private:
    std::atomic<bool> m_enabled{false};
};

} // namespace spyglass::addons
