#pragma once
// The flow table's filter and sort: a QSortFilterProxyModel over FlowListModel that keeps the
// rows a filter-language expression (filter/filter.h) matches and sorts on FlowListModel's
// compact row data, never on display strings.
//
// Limit: with a non-empty filter, (re)filtering decodes every row once (FlowStore::at, a few
// microseconds each): a new expression over a million flows takes seconds. The empty filter
// accepts without decoding. DESIGN's own filter index in FlowListModel is the way past this.

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
