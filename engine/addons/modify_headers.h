#pragma once
// modify_headers (mitmproxy `addons/modifyheaders.py`): "[/FILTER]/NAME/[@]VALUE". For every
// matching flow, each named header is first removed, then set to VALUE (or to the contents of
// the file after '@'); an empty VALUE only removes. Filters are judged on the unmodified flow.
// Requests change in the `request` hook (what goes upstream), responses in `response` (what
// the client gets); a request answered without a server still gets its response modified.

#include "addons/addon.h"
#include "addons/config_slot.h"
#include "addons/flow_spec.h"

#include <vector>

namespace spyglass::addons {

class ModifyHeaders : public Addon
{
public:
    QString name() const override { return QStringLiteral("modify_headers"); }
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override;
    void request(HttpFlow& flow) override;
    void response(HttpFlow& flow) override;

private:
    void apply(HttpFlow& flow, Headers& headers) const;

    ConfigSlot<std::vector<FlowSpec>> m_specs;
};

} // namespace spyglass::addons
