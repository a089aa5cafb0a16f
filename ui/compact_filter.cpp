#include "compact_filter.h"

#include "filter/filter_parser.h"
#include "flow_list_model.h"

namespace spyglass {

CompactFilter::CompactFilter(const filter::Filter& f) : m_filter(f)
{
    if (f.expression().trimmed().isEmpty())
        return;
    auto parsed = filter::FilterParser::parse(f.expression());
    if (auto* node = std::get_if<filter::Node>(&parsed)) {
        m_root = std::move(*node);
        filter::orderCheapestFirst(m_root);
        m_all = false;
        m_decode = !isCompact(m_root);
        return;
    }
    // A Filter's expression always parsed once; should it not now, let the Filter decide.
    m_all = false;
    m_decode = true;
}

bool CompactFilter::isCompact(const filter::Node& node)
{
    using filter::NodeKind;
    switch (node.kind) {
    case NodeKind::And:
    case NodeKind::Or:
    case NodeKind::Not:
        for (const filter::Node& c : node.children)
            if (!isCompact(c))
                return false;
        return true;
    // What FlowListModel::fillCompactFlow() sets, or what no flow field decides.
    case NodeKind::All:
    case NodeKind::Code:
    case NodeKind::Comment:
    case NodeKind::Dns:
    case NodeKind::Domain:
    case NodeKind::Error:
    case NodeKind::HasResponse:
    case NodeKind::Http:
    case NodeKind::Marked:
    case NodeKind::Marker:
    case NodeKind::Meta:
    case NodeKind::Method:
    case NodeKind::NoResponse:
    case NodeKind::Replay:
    case NodeKind::ReplayClient:
    case NodeKind::ReplayServer:
    case NodeKind::Tcp:
    case NodeKind::Udp:
    case NodeKind::Url:
    case NodeKind::WebSocket:
        return true;
    case NodeKind::Asset:
    case NodeKind::Body:
    case NodeKind::BodyRequest:
    case NodeKind::BodyResponse:
    case NodeKind::ContentType:
    case NodeKind::ContentTypeRequest:
    case NodeKind::ContentTypeResponse:
    case NodeKind::Dst:
    case NodeKind::Header:
    case NodeKind::HeaderRequest:
    case NodeKind::HeaderResponse:
    case NodeKind::Src:
        return false;
    }
    return false;
}

namespace {

enum class Verdict : quint8
{
    No,
    Yes,
    Unknown, // decided only by what the compact row lacks
};

// Kleene's three-valued logic over the tree: a leaf the compact row cannot decide is Unknown,
// and And/Or/Not are decided without it whenever the other children suffice (`~t json & ~c
// 404` needs no decode for rows whose status is not 404).
//
// `hostExact` is false for rows whose Host header names another host than the request's: ~d,
// ~u and bare words read the Host header, which the compact row does not keep. Content types
// are decided from the response's kept Content-Type while that is exact and the request has
// none (most GETs).
struct CompactRow
{
    const FlowListModel& model;
    int row;
    const HttpFlow& flow; // filled by fillCompactFlow()
    bool hostExact;
};

Verdict responseType(const filter::Node& node, const CompactRow& c)
{
    const FlowListModel::CompactTypes t = c.model.compactContentTypes(c.row);
    if (!t.responseExact)
        return Verdict::Unknown;
    return !t.response.isEmpty() && node.pattern.search(t.response) ? Verdict::Yes : Verdict::No;
}

Verdict evaluateCompact(const filter::Node& node, const CompactRow& c)
{
    using filter::NodeKind;
    switch (node.kind) {
    case NodeKind::And: {
        Verdict v = Verdict::Yes;
        for (const filter::Node& child : node.children) {
            const Verdict cv = evaluateCompact(child, c);
            if (cv == Verdict::No)
                return Verdict::No;
            if (cv == Verdict::Unknown)
                v = Verdict::Unknown;
        }
        return v;
    }
    case NodeKind::Or: {
        Verdict v = Verdict::No;
        for (const filter::Node& child : node.children) {
            const Verdict cv = evaluateCompact(child, c);
            if (cv == Verdict::Yes)
                return Verdict::Yes;
            if (cv == Verdict::Unknown)
                v = Verdict::Unknown;
        }
        return v;
    }
    case NodeKind::Not:
        switch (evaluateCompact(node.children.front(), c)) {
        case Verdict::No:
            return Verdict::Yes;
        case Verdict::Yes:
            return Verdict::No;
        case Verdict::Unknown:
            return Verdict::Unknown;
        }
        return Verdict::Unknown;
    case NodeKind::Domain:
    case NodeKind::Url:
        if (!c.hostExact)
            return Verdict::Unknown;
        return filter::evaluate(node, c.flow) ? Verdict::Yes : Verdict::No;
    case NodeKind::ContentTypeResponse:
        return responseType(node, c);
    case NodeKind::ContentTypeRequest:
        return c.model.compactContentTypes(c.row).requestHasType ? Verdict::Unknown : Verdict::No;
    case NodeKind::ContentType: {
        const Verdict response = responseType(node, c);
        if (response == Verdict::Yes || !c.model.compactContentTypes(c.row).requestHasType)
            return response;
        return Verdict::Unknown;
    }
    default:
        if (!CompactFilter::isCompact(node))
            return Verdict::Unknown;
        return filter::evaluate(node, c.flow) ? Verdict::Yes : Verdict::No;
    }
}

} // namespace

bool CompactFilter::matches(const FlowListModel& model, int row) const
{
    if (m_all)
        return true;
    const bool hostExact = model.fillCompactFlow(row, m_scratch);
    if (hostExact && !m_decode)
        return filter::evaluate(m_root, m_scratch);
    const Verdict v = evaluateCompact(m_root, {model, row, m_scratch, hostExact});
    if (v != Verdict::Unknown)
        return v == Verdict::Yes;
    ++m_decodedRows;
    const FlowSnapshot flow = model.flowAt(row);
    return flow && m_filter.matches(*flow);
}

} // namespace spyglass
