#pragma once
// A filter expression (filter/filter.h) applied to FlowListModel rows as cheaply as the
// expression allows. Filter::matches() needs a whole HttpFlow, and decoding one from the
// FlowStore costs microseconds: a million of them take seconds. Most expressions people type
// name only what a row keeps in compact form (~m, ~d, ~u or a bare word, ~c, ~s, ~q, ~e,
// ~websocket, ~tcp, ~http, ~replay, ~marked, ~marker, ~comment and their combinations): for those
// the row's compact data is copied into one scratch HttpFlow and the filter's own evaluator runs on
// it, so the result is the filter's, by construction, without decoding. Any other operator
// (headers, bodies, content types, addresses) is left undecided on the compact row, and only
// the rows whose answer hangs on it are decoded: for `~t json & ~c 404`, the 404 rows.
//
// Filter keeps its tree private; the expression is parsed again here with FilterParser (the
// same parser, then the same cheapest-first ordering), once per expression.
//
// Not thread-safe (the scratch flow): one CompactFilter per thread. The model must outlive it
// only during matches().

#include "filter/filter.h"
#include "filter/filter_nodes.h"
#include "flow/flow.h"

namespace spyglass {

class FlowListModel;

class CompactFilter
{
public:
    // The empty filter: matches every row.
    CompactFilter() = default;
    explicit CompactFilter(const filter::Filter& filter);

    const filter::Filter& filter() const { return m_filter; }
    QString expression() const { return m_filter.expression(); }
    bool matchesAll() const { return m_all; }
    // Whether the expression names something beyond the compact row, so that some rows may
    // have to be decoded.
    bool needsDecode() const { return m_decode; }
    // How many rows matches() decoded so far (tests and benchmarks).
    qint64 decodedRows() const { return m_decodedRows; }
    // Whether `node` (and all below it) can be decided on compact row data.
    static bool isCompact(const filter::Node& node);

    bool matches(const FlowListModel& model, int row) const;

private:
    filter::Filter m_filter;
    filter::Node m_root;
    bool m_all = true;
    bool m_decode = false;
    mutable HttpFlow m_scratch;
    mutable qint64 m_decodedRows = 0;
};

} // namespace spyglass
