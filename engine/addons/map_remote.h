#pragma once
// map_remote (mitmproxy `addons/mapremote.py`): "[/FILTER]/URL-REGEX/REPLACEMENT". In the
// `request` hook, REGEX is replaced over the request's URL (\1 refers to a group); when the
// URL changed, the request goes to the new one: scheme, host, port and path change, and so do
// the Host header and the authority when the request had them.
//
// Where the new URL can lead (enforced by HttpStream, which answers 502 otherwise): a
// request sent to the proxy port in plain HTTP may go to any http:// host and port; inside a
// tunnel (CONNECT, TLS interception, reverse mode) the server connection is the tunnel's, so
// there only the path and query may change.

#include "addons/addon.h"
#include "addons/config_slot.h"
#include "addons/flow_spec.h"

#include <QRegularExpression>
#include <vector>

namespace spyglass::addons {

class MapRemote : public Addon
{
public:
    struct Spec
    {
        FlowSpec spec;
        QRegularExpression regex;
        static std::optional<Spec> parse(const QString& text, QString* error);
    };

    QString name() const override { return QStringLiteral("map_remote"); }
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override;
    void request(HttpFlow& flow) override;

private:
    ConfigSlot<std::vector<Spec>> m_specs;
};

} // namespace spyglass::addons
