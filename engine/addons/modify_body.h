#pragma once
// modify_body (mitmproxy `addons/modifybody.py`): "[/FILTER]/REGEX/[@]REPLACEMENT". For every
// matching flow, REGEX is replaced over the body (`.` matches newlines; \1 refers to a group),
// the request's in the `request` hook, the response's in `response`. The body is worked on
// decoded (gzip, deflate, br, zstd) and encoded again, like mitmproxy's `.content`. Only a
// buffered body can change: one streamed past stream_large_bodies went through already.
// Bodies are matched byte for byte (each byte one Latin-1 character), so any UTF-8 in REGEX
// matches the same bytes in the body.

#include "addons/addon.h"
#include "addons/config_slot.h"
#include "addons/flow_spec.h"

#include <QRegularExpression>
#include <vector>

namespace spyglass::addons {

class ModifyBody : public Addon
{
public:
    struct Spec
    {
        FlowSpec spec;
        QRegularExpression regex;
        static std::optional<Spec> parse(const QString& text, QString* error);
    };

    QString name() const override { return QStringLiteral("modify_body"); }
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override;
    void request(HttpFlow& flow) override;
    void response(HttpFlow& flow) override;

private:
    void apply(HttpFlow& flow, Headers& headers, BodyInfo& body) const;

    ConfigSlot<std::vector<Spec>> m_specs;
};

} // namespace spyglass::addons
