#pragma once
// What the flow table shows: FlowListModel's rows that the filter bar's expression matches,
// in the order of the sorted column (arrival order when none). DESIGN "The desktop app" wants
// the list model's own filter index because a QSortFilterProxyModel does not hold at a million
// rows (refiltering there decodes every row in the GUI thread, seconds for a million; removing
// a filter was quadratic). Here a view row is one quint32 in a std::vector: the store row.
//
//  - A new expression is applied in slices of at most ~12 ms (and maxSliceRows rows) per
//    event-loop turn, with filterProgress() after each, so the window never freezes. Until it
//    is done the old rows stay on screen and keep following batches; then they are swapped in
//    (one model reset; MainWindow puts the current flow back). Most expressions need only the
//    compact row data (CompactFilter): a million rows take a fraction of a second; others
//    decode each row (microseconds each) and take seconds, still in slices.
//  - New flows from a batch are tested as they come (only the new rows) and inserted where the
//    sort puts them: one beginInsertRows per run of rows landing at the same place (all at the
//    end when unsorted). Updated flows are tested again; they leave, enter, or move (a
//    beginMoveRows, so a selected live flow stays selected when its answer re-sorts it).
//  - Flows removed from the session (FlowListModel::removeFlows) leave the index as one reset,
//    the other rows kept in place and renumbered, without refiltering.
//  - A highlight expression (the highlight bar) marks matching rows: HighlightRole is true and
//    their background is tinted. It is decided per row when first asked (CompactFilter, so
//    the compact operators decode nothing) and cached until the row changes.
//  - sort() orders by keys taken from the compact rows (FlowListModel::sortKey), never text;
//    rows with equal keys stay in arrival order, whichever the direction.

#include "compact_filter.h"

#include <QAbstractTableModel>
#include <memory>
#include <vector>

class QTimer;

namespace spyglass {

class FlowListModel;

class FlowTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role
    {
        // bool: the row matches the highlight expression.
        HighlightRole = Qt::UserRole + 20,
    };

    // `source` must outlive this model.
    explicit FlowTableModel(FlowListModel* source, QObject* parent = nullptr);
    ~FlowTableModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    // column -1: arrival order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    FlowListModel* sourceModel() const { return m_source; }

    // Starts applying `filter` (see above); the same expression again does nothing.
    void setFilter(const filter::Filter& filter);
    // The expression whose rows are shown.
    const filter::Filter& filter() const { return m_filter.filter(); }
    // Whether a new expression is still being applied, and which.
    bool isFiltering() const { return m_pending != nullptr; }
    QString pendingExpression() const;
    // Applies a pending expression to the end now (tests, and callers that must have it).
    void finishFiltering();
    // Rows per slice at most (tests use small ones to see many slices); default 50,000.
    void setMaxSliceRows(int rows) { m_maxSliceRows = qMax(1, rows); }

    // Rows matching `filter` get HighlightRole and a tinted background; the empty filter
    // highlights nothing.
    void setHighlight(const filter::Filter& filter);
    const filter::Filter& highlight() const { return m_highlight.filter(); }
    bool isHighlighted(int row) const;

    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    // The FlowListModel (and FlowStore) row of view row `row`; -1 out of range.
    int storeRow(int row) const;
    // The view row of store row `storeRow`; -1 when it is not shown.
    int viewRow(int storeRow) const;
    FlowSnapshot flowAt(int row) const;

Q_SIGNALS:
    // While a new expression is applied: `done` of `total` rows tested.
    void filterProgress(qint64 done, qint64 total);
    // The new expression's rows are shown.
    void filterFinished();

private:
    void onSourceRowsInserted(int first, int last);
    void onSourceDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight);
    void onSourceReset();
    void onSourceAboutToRemove(const std::vector<quint32>& rows);
    void filterSlice();
    bool before(quint32 a, quint32 b) const;
    void sortRows(std::vector<quint32>& rows) const;
    // Inserts store rows (not shown yet) where the sort puts them.
    void insertRows(std::vector<quint32> rows);
    void moveIfMisplaced(quint32 storeRow);
    void ensureViewPositions() const;
    quint32 rowAt(int row) const;

    FlowListModel* m_source;
    std::vector<quint32> m_rows; // view row -> store row
    CompactFilter m_filter;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;

    // While insertRows() announces runs one by one: rows before m_splitNew come from
    // m_merged, the rest from m_rows starting at m_splitOld.
    bool m_merging = false;
    std::vector<quint32> m_merged;
    size_t m_splitNew = 0;
    size_t m_splitOld = 0;

    // store row -> view row (-1: not shown); rebuilt on demand after the index changed.
    mutable std::vector<qint32> m_viewPos;
    mutable bool m_viewPosValid = false;

    // A new expression being applied.
    std::unique_ptr<CompactFilter> m_pending;
    std::vector<quint32> m_next;    // its matches so far, in arrival order
    qsizetype m_scanned = 0;        // store rows tested so far
    std::vector<quint32> m_recheck; // rows below m_scanned updated since they were tested
    QTimer* m_sliceTimer;

    // Set between FlowListModel::flowsAboutToBeRemoved and its reset: old store row -> new
    // one, -1 for a removed row.
    std::vector<qint32> m_removalMap;

    CompactFilter m_highlight;
    bool m_highlightOn = false;
    // Per store row: -1 not decided yet, 0 no, 1 highlighted.
    mutable std::vector<qint8> m_highlighted;
    int m_maxSliceRows = 50000;
};

} // namespace spyglass
