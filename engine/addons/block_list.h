#pragma once
// block_list (mitmproxy `addons/blocklist.py`): "/FILTER/STATUS" answers matching requests
// with an empty response of that status, made here, without contacting the server. 444 (nginx's
// "no response") kills the flow instead: the client connection is closed without an answer
// (an HTTP/2 client gets its stream reset). Runs in the `request` hook; replays are exempt.

#include "addons/addon.h"
#include "addons/config_slot.h"
#include "filter/filter.h"

#include <vector>

namespace spyglass::addons {

class BlockList : public Addon
{
public:
    struct Spec
    {
        filter::Filter filter;
        int status = 0;
        static std::optional<Spec> parse(const QString& text, QString* error);
    };
    static constexpr int kNoResponse = 444;

    QString name() const override { return QStringLiteral("block_list"); }
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override;
    void request(HttpFlow& flow) override;

private:
    ConfigSlot<std::vector<Spec>> m_specs;
};

// mitmproxy's Error.KILLED_MESSAGE: what a killed flow records.
extern const char* const kKilledMessage;
// Marks `flow` killed: the layer closes the client connection (or resets the stream).
void killFlow(HttpFlow& flow);

} // namespace spyglass::addons
