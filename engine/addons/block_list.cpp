#include "addons/block_list.h"

#include "addons/flow_spec.h"
#include "options/options.h"
#include "proxy/context.h"

#include <QDateTime>

namespace spyglass::addons {

const char* const kKilledMessage = "Connection killed.";

void killFlow(HttpFlow& flow)
{
    flow.error = FlowError{QString::fromLatin1(kKilledMessage),
                           QDateTime::currentMSecsSinceEpoch() / 1000.0};
}

std::optional<BlockList::Spec> BlockList::Spec::parse(const QString& text, QString* error)
{
    const QStringList parts = FlowSpec::split(text);
    if (parts.size() != 2) {
        *error = QStringLiteral("invalid number of parameters in '%1' (2 are expected: "
                                "/flow-filter/status-code)")
                     .arg(text);
        return std::nullopt;
    }
    bool ok = false;
    const int status = parts.at(1).trimmed().toInt(&ok);
    if (!ok || status < 100 || status > 599) {
        *error = QStringLiteral("invalid HTTP status code '%1' (100 to 599; 444 closes the "
                                "connection without an answer)")
                     .arg(parts.at(1));
        return std::nullopt;
    }
    auto f = FlowSpec::parseFilter(parts.at(0), error);
    if (!f)
        return std::nullopt;
    return Spec{std::move(*f), status};
}

QString BlockList::configure(const Options& options)
{
    auto specs = std::make_shared<std::vector<Spec>>();
    for (const QString& text : options.blockList) {
        QString error;
        auto s = Spec::parse(text, &error);
        if (!s)
            return QStringLiteral("block_list: ") + error;
        specs->push_back(std::move(*s));
    }
    m_specs.store(std::move(specs));
    return {};
}

quint64 BlockList::wantedHooks() const
{
    return m_specs.load()->empty() ? 0 : proxy::Services::bit(proxy::HookKind::Request);
}

void BlockList::request(HttpFlow& flow)
{
    if (flow.response || flow.error || flow.isReplay)
        return;
    const auto specs = m_specs.load();
    for (const Spec& spec : *specs) {
        if (!spec.filter.matches(flow))
            continue;
        if (spec.status == kNoResponse) {
            killFlow(flow);
        } else {
            Response r = Response::make(spec.status, {}, {});
            r.headers.add("Server", "Spyglass");
            flow.response = std::move(r);
        }
        return;
    }
}

} // namespace spyglass::addons
