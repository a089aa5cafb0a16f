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

bool CompactFilter::matches(const FlowListModel& model, int row) const
{
    if (m_all)
        return true;
    if (!m_decode && model.fillCompactFlow(row, m_scratch))
        return filter::evaluate(m_root, m_scratch);
    const FlowSnapshot flow = model.flowAt(row);
    return flow && m_filter.matches(*flow);
}

} // namespace spyglass
