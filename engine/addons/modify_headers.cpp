#include "addons/modify_headers.h"

#include "options/options.h"
#include "proxy/context.h"

namespace spyglass::addons {

QString ModifyHeaders::configure(const Options& options)
{
    auto specs = std::make_shared<std::vector<FlowSpec>>();
    for (const QString& text : options.modifyHeaders) {
        QString error;
        auto s = FlowSpec::parse(text, true, &error);
        if (!s)
            return QStringLiteral("modify_headers: ") + error;
        specs->push_back(std::move(*s));
    }
    m_specs.store(std::move(specs));
    return {};
}

quint64 ModifyHeaders::wantedHooks() const
{
    using proxy::HookKind;
    using proxy::Services;
    return m_specs.load()->empty()
               ? 0
               : Services::bit(HookKind::Request) | Services::bit(HookKind::Response);
}

void ModifyHeaders::request(HttpFlow& flow)
{
    if (flow.response || flow.error)
        return;
    apply(flow, flow.request.headers);
}

void ModifyHeaders::response(HttpFlow& flow)
{
    if (flow.error || !flow.response)
        return;
    apply(flow, flow.response->headers);
}

void ModifyHeaders::apply(HttpFlow& flow, Headers& headers) const
{
    const auto specs = m_specs.load();
    std::vector<bool> matched;
    matched.reserve(specs->size());
    for (const FlowSpec& s : *specs)
        matched.push_back(s.matches(flow));
    for (size_t i = 0; i < specs->size(); ++i)
        if (matched[i])
            headers.remove(specs->at(i).subject.toUtf8());
    for (size_t i = 0; i < specs->size(); ++i) {
        if (!matched[i])
            continue;
        QString error;
        const auto value = specs->at(i).readReplacement(&error);
        if (!value) {
            log(proxy::LogLevel::Warn, QStringLiteral("modify_headers: ") + error);
            continue;
        }
        // A header value is one line: a file's trailing newline is not part of it.
        const QByteArray v = value->trimmed();
        if (v.contains('\r') || v.contains('\n')) {
            log(proxy::LogLevel::Warn,
                QStringLiteral("modify_headers: a header value cannot span lines; %1 not set")
                    .arg(specs->at(i).subject));
            continue;
        }
        if (!v.isEmpty())
            headers.add(specs->at(i).subject.toUtf8(), v);
    }
}

} // namespace spyglass::addons
