#pragma once
// The flow table's filter and sort: a QSortFilterProxyModel over FlowListModel that keeps the
// rows a filter-language expression (filter/filter.h) matches and sorts on FlowListModel's
// compact row data, never on display strings.
//
// Limit: with a non-empty filter, (re)filtering decodes every row once (FlowStore::at, a few
// microseconds each): a new expression over 200,000 flows took 2 s on a loaded 2-core machine,
// so a million takes seconds, in the GUI thread. The empty filter accepts without decoding;
// inserting batches and sorting stay fast (a 10,000-flow batch ~0.1-0.2 s with a million rows
// shown, a sort of 200,000 rows ~0.3 s). DESIGN's own filter index inside FlowListModel,
// filled in slices, is the way past this.

#include "filter/filter.h"

#include <QSortFilterProxyModel>

namespace spyglass {

class FlowListModel;

class FlowFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit FlowFilterProxyModel(QObject* parent = nullptr);

    // The source must be a FlowListModel.
    void setFlowModel(FlowListModel* model);
    FlowListModel* flowModel() const { return m_model; }

    void setFlowFilter(const filter::Filter& filter);
    const filter::Filter& flowFilter() const { return m_filter; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    FlowListModel* m_model = nullptr;
    filter::Filter m_filter;
};

} // namespace spyglass
