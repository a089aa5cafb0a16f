#include "flow_table_model.h"

#include "flow_list_model.h"

#include <QBrush>
#include <QColor>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QPalette>
#include <QTimer>
#include <algorithm>
#include <numeric>

namespace spyglass {

namespace {

// A slice stops after this long, so the event loop turns ~60 times a second while filtering.
constexpr qint64 SliceBudgetNs = 12'000'000;

} // namespace

FlowTableModel::FlowTableModel(FlowListModel* source, QObject* parent)
    : QAbstractTableModel(parent), m_source(source), m_sliceTimer(new QTimer(this))
{
    m_sliceTimer->setSingleShot(true);
    m_sliceTimer->setInterval(0);
    connect(m_sliceTimer, &QTimer::timeout, this, &FlowTableModel::filterSlice);
    connect(m_source, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { onSourceRowsInserted(first, last); });
    connect(m_source, &QAbstractItemModel::dataChanged, this, &FlowTableModel::onSourceDataChanged);
    connect(m_source, &QAbstractItemModel::modelReset, this, &FlowTableModel::onSourceReset);
    connect(m_source, &FlowListModel::flowsAboutToBeRemoved, this,
            &FlowTableModel::onSourceAboutToRemove);
    connect(m_source, &QAbstractItemModel::headerDataChanged, this,
            &QAbstractItemModel::headerDataChanged);
    m_rows.resize(size_t(m_source->rowCount()));
    std::iota(m_rows.begin(), m_rows.end(), 0);
}

FlowTableModel::~FlowTableModel() = default;

int FlowTableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    if (m_merging)
        return int(m_splitNew + (m_rows.size() - m_splitOld));
    return int(m_rows.size());
}

int FlowTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : FlowListModel::ColumnCount;
}

quint32 FlowTableModel::rowAt(int row) const
{
    if (!m_merging)
        return m_rows[size_t(row)];
    return size_t(row) < m_splitNew ? m_merged[size_t(row)]
                                    : m_rows[m_splitOld + (size_t(row) - m_splitNew)];
}

QVariant FlowTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    // The index column shows the flow's number (its store row), not its place in the view.
    if (role == HighlightRole)
        return isHighlighted(index.row());
    if (role == Qt::BackgroundRole && isHighlighted(index.row())) {
        // A warm yellow over the palette's base, strong enough to stand out from the state
        // colours, readable in light and dark themes.
        const QColor base = QGuiApplication::palette().color(QPalette::Base);
        const QColor hue(0xff, 0xd0, 0x30);
        const double t = base.lightnessF() < 0.5 ? 0.32 : 0.40;
        return QBrush(QColor::fromRgbF(float(base.redF() * (1 - t) + hue.redF() * t),
                                       float(base.greenF() * (1 - t) + hue.greenF() * t),
                                       float(base.blueF() * (1 - t) + hue.blueF() * t)));
    }
    return m_source->rowData(int(rowAt(index.row())), index.column(), role);
}

void FlowTableModel::setHighlight(const filter::Filter& f)
{
    if (f.expression() == m_highlight.expression())
        return;
    m_highlight = CompactFilter(f);
    m_highlightOn = !m_highlight.matchesAll();
    m_highlighted.clear();
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1),
                           {Qt::BackgroundRole, HighlightRole});
}

bool FlowTableModel::isHighlighted(int row) const
{
    if (!m_highlightOn || row < 0 || row >= rowCount())
        return false;
    const quint32 s = rowAt(row);
    if (m_highlighted.size() <= s)
        m_highlighted.resize(size_t(m_source->rowCount()), -1);
    qint8& known = m_highlighted[s];
    if (known < 0)
        known = m_highlight.matches(*m_source, int(s)) ? 1 : 0;
    return known == 1;
}

QVariant FlowTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal)
        return m_source->headerData(section, orientation, role);
    return QAbstractTableModel::headerData(section, orientation, role);
}

int FlowTableModel::storeRow(int row) const
{
    return row >= 0 && row < rowCount() ? int(rowAt(row)) : -1;
}

FlowSnapshot FlowTableModel::flowAt(int row) const
{
    const int s = storeRow(row);
    return s < 0 ? nullptr : m_source->flowAt(s);
}

void FlowTableModel::ensureViewPositions() const
{
    if (m_viewPosValid && m_viewPos.size() == size_t(m_source->rowCount()))
        return;
    m_viewPos.assign(size_t(m_source->rowCount()), -1);
    for (size_t i = 0; i < m_rows.size(); ++i)
        m_viewPos[m_rows[i]] = qint32(i);
    m_viewPosValid = true;
}

int FlowTableModel::viewRow(int storeRow) const
{
    if (storeRow < 0 || storeRow >= m_source->rowCount() || m_merging)
        return -1;
    ensureViewPositions();
    return m_viewPos[size_t(storeRow)];
}

bool FlowTableModel::before(quint32 a, quint32 b) const
{
    if (m_sortColumn < 0 || a == b)
        return a < b;
    const int c = m_source->compare(m_sortColumn, int(a), int(b));
    if (c == 0)
        return a < b;
    return m_sortOrder == Qt::AscendingOrder ? c < 0 : c > 0;
}

void FlowTableModel::sortRows(std::vector<quint32>& rows) const
{
    std::sort(rows.begin(), rows.end()); // arrival order: the tie-break
    if (m_sortColumn < 0 ||
        (m_sortColumn == FlowListModel::IndexColumn && m_sortOrder == Qt::AscendingOrder))
        return;
    const bool ascending = m_sortOrder == Qt::AscendingOrder;
    if (FlowListModel::hasSortKey(m_sortColumn)) {
        // Keys side by side with their rows: the sort touches one contiguous array.
        std::vector<std::pair<qint64, quint32>> keyed(rows.size());
        for (size_t i = 0; i < rows.size(); ++i)
            keyed[i] = {m_source->sortKey(m_sortColumn, int(rows[i])), rows[i]};
        std::stable_sort(keyed.begin(), keyed.end(), [ascending](const auto& a, const auto& b) {
            return ascending ? a.first < b.first : b.first < a.first;
        });
        for (size_t i = 0; i < rows.size(); ++i)
            rows[i] = keyed[i].second;
        return;
    }
    const int column = m_sortColumn;
    std::stable_sort(rows.begin(), rows.end(), [this, column, ascending](quint32 a, quint32 b) {
        const int c = m_source->compare(column, int(a), int(b));
        return ascending ? c < 0 : c > 0;
    });
}

void FlowTableModel::sort(int column, Qt::SortOrder order)
{
    if (column >= FlowListModel::ColumnCount)
        return;
    m_sortColumn = column < 0 ? -1 : column;
    m_sortOrder = order;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<quint32> rowsOfBefore;
    rowsOfBefore.reserve(size_t(before.size()));
    for (const QModelIndex& i : before)
        rowsOfBefore.push_back(rowAt(i.row()));
    sortRows(m_rows);
    m_viewPosValid = false;
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype k = 0; k < before.size(); ++k)
        after.append(index(viewRow(int(rowsOfBefore[size_t(k)])), before[k].column()));
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void FlowTableModel::insertRows(std::vector<quint32> rows)
{
    if (rows.empty())
        return;
    std::sort(rows.begin(), rows.end(), [this](quint32 a, quint32 b) { return before(a, b); });
    const auto beforeRow = [this](quint32 a, quint32 b) { return before(a, b); };
    // Where each new row goes in the current index (non-decreasing, as `rows` is sorted).
    std::vector<size_t> at(rows.size());
    for (size_t k = 0; k < rows.size(); ++k)
        at[k] = size_t(std::upper_bound(m_rows.begin(), m_rows.end(), rows[k], beforeRow) -
                       m_rows.begin());
    m_viewPosValid = false;
    if (at.front() == m_rows.size()) {
        // All after the last row: one append (the usual case while unsorted).
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(rows.size()) - 1);
        m_rows.insert(m_rows.end(), rows.begin(), rows.end());
        endInsertRows();
        return;
    }
    m_merged.clear();
    m_merged.reserve(m_rows.size() + rows.size());
    std::merge(m_rows.begin(), m_rows.end(), rows.begin(), rows.end(), std::back_inserter(m_merged),
               beforeRow);
    // One insertion per run of new rows that land at the same place, announced in order;
    // rowAt() shows the merged rows up to the last announced run and the old ones after it.
    m_merging = true;
    m_splitNew = 0;
    m_splitOld = 0;
    for (size_t k = 0; k < rows.size();) {
        size_t end = k;
        while (end + 1 < rows.size() && at[end + 1] == at[k])
            ++end;
        const size_t first = at[k] + k; // k new rows were announced before this run
        const size_t count = end - k + 1;
        beginInsertRows({}, int(first), int(first + count - 1));
        m_splitNew = first + count;
        m_splitOld = at[k];
        endInsertRows();
        k = end + 1;
    }
    m_rows.swap(m_merged);
    m_merged.clear();
    m_merging = false;
}

void FlowTableModel::onSourceRowsInserted(int first, int last)
{
    std::vector<quint32> add;
    for (int r = first; r <= last; ++r)
        if (m_filter.matches(*m_source, r))
            add.push_back(quint32(r));
    insertRows(std::move(add));
}

void FlowTableModel::moveIfMisplaced(quint32 s)
{
    ensureViewPositions();
    const qint32 p = m_viewPos[s];
    if (p < 0)
        return;
    const size_t pos = size_t(p);
    const auto beforeRow = [this](quint32 a, quint32 b) { return before(a, b); };
    size_t target = pos;
    if (pos > 0 && before(s, m_rows[pos - 1])) {
        target =
            size_t(std::upper_bound(m_rows.begin(), m_rows.begin() + qsizetype(pos), s, beforeRow) -
                   m_rows.begin());
        beginMoveRows({}, int(pos), int(pos), {}, int(target));
        std::rotate(m_rows.begin() + qsizetype(target), m_rows.begin() + qsizetype(pos),
                    m_rows.begin() + qsizetype(pos) + 1);
        for (size_t i = target; i <= pos; ++i)
            m_viewPos[m_rows[i]] = qint32(i);
        endMoveRows();
    } else if (pos + 1 < m_rows.size() && before(m_rows[pos + 1], s)) {
        const size_t dest = size_t(
            std::upper_bound(m_rows.begin() + qsizetype(pos) + 1, m_rows.end(), s, beforeRow) -
            m_rows.begin());
        beginMoveRows({}, int(pos), int(pos), {}, int(dest));
        std::rotate(m_rows.begin() + qsizetype(pos), m_rows.begin() + qsizetype(pos) + 1,
                    m_rows.begin() + qsizetype(dest));
        target = dest - 1;
        for (size_t i = pos; i <= target; ++i)
            m_viewPos[m_rows[i]] = qint32(i);
        endMoveRows();
    }
    Q_EMIT dataChanged(index(int(target), 0), index(int(target), columnCount() - 1));
}

void FlowTableModel::onSourceDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight)
{
    const int first = topLeft.row();
    const int last = bottomRight.row();
    for (int r = first; r <= last && size_t(r) < m_highlighted.size(); ++r)
        m_highlighted[size_t(r)] = -1;
    if (m_pending) {
        for (int r = first; r <= last && r < m_scanned; ++r)
            m_recheck.push_back(quint32(r));
    }
    ensureViewPositions();
    std::vector<size_t> leaving;
    std::vector<quint32> entering;
    std::vector<quint32> staying;
    for (int r = first; r <= last; ++r) {
        const bool shown = m_viewPos[size_t(r)] >= 0;
        const bool matches = m_filter.matches(*m_source, r);
        if (shown && !matches)
            leaving.push_back(size_t(m_viewPos[size_t(r)]));
        else if (!shown && matches)
            entering.push_back(quint32(r));
        else if (shown)
            staying.push_back(quint32(r));
    }
    // Leaving rows, from the bottom up so that the positions above stay right.
    std::sort(leaving.begin(), leaving.end());
    for (size_t k = leaving.size(); k > 0;) {
        size_t start = k - 1;
        while (start > 0 && leaving[start - 1] + 1 == leaving[start])
            --start;
        beginRemoveRows({}, int(leaving[start]), int(leaving[k - 1]));
        m_rows.erase(m_rows.begin() + qsizetype(leaving[start]),
                     m_rows.begin() + qsizetype(leaving[k - 1]) + 1);
        m_viewPosValid = false;
        endRemoveRows();
        k = start;
    }
    for (quint32 s : staying)
        moveIfMisplaced(s);
    insertRows(std::move(entering));
}

void FlowTableModel::onSourceAboutToRemove(const std::vector<quint32>& rows)
{
    m_removalMap.assign(size_t(m_source->rowCount()), 0);
    size_t next = 0;
    qint32 kept = 0;
    for (size_t r = 0; r < m_removalMap.size(); ++r) {
        if (next < rows.size() && rows[next] == r) {
            m_removalMap[r] = -1;
            ++next;
        } else {
            m_removalMap[r] = kept++;
        }
    }
}

void FlowTableModel::onSourceReset()
{
    beginResetModel();
    m_viewPosValid = false;
    if (m_removalMap.empty()) {
        // Cleared (or replaced): nothing of the old index holds.
        m_rows.clear();
        m_highlighted.clear();
        if (m_pending) {
            m_next.clear();
            m_recheck.clear();
            m_scanned = 0;
        }
        endResetModel();
        return;
    }
    // Rows removed: keep the others, renumbered; the order (filter and sort) still holds.
    const auto renumber = [this](std::vector<quint32>& rows) {
        size_t w = 0;
        for (quint32 r : rows)
            if (r < m_removalMap.size() && m_removalMap[r] >= 0)
                rows[w++] = quint32(m_removalMap[r]);
        rows.resize(w);
    };
    renumber(m_rows);
    if (m_pending) {
        renumber(m_next);
        renumber(m_recheck);
        qsizetype scanned = 0;
        for (qsizetype r = 0; r < m_scanned && size_t(r) < m_removalMap.size(); ++r)
            scanned += m_removalMap[size_t(r)] >= 0 ? 1 : 0;
        m_scanned = scanned;
    }
    std::vector<qint8> highlighted;
    for (size_t r = 0; r < m_highlighted.size() && r < m_removalMap.size(); ++r)
        if (m_removalMap[r] >= 0)
            highlighted.push_back(m_highlighted[r]);
    m_highlighted.swap(highlighted);
    m_removalMap.clear();
    endResetModel();
}

QString FlowTableModel::pendingExpression() const
{
    return m_pending ? m_pending->expression() : QString();
}

void FlowTableModel::setFilter(const filter::Filter& f)
{
    const QString wanted = f.expression();
    if (m_pending ? m_pending->expression() == wanted : m_filter.expression() == wanted)
        return;
    m_pending = std::make_unique<CompactFilter>(f);
    m_next.clear();
    m_recheck.clear();
    m_scanned = 0;
    if (m_pending->matchesAll()) {
        m_next.resize(size_t(m_source->rowCount()));
        std::iota(m_next.begin(), m_next.end(), 0);
        m_scanned = m_source->rowCount();
        finishFiltering();
        return;
    }
    Q_EMIT filterProgress(0, m_source->rowCount());
    m_sliceTimer->start();
}

void FlowTableModel::filterSlice()
{
    if (!m_pending)
        return;
    QElapsedTimer clock;
    clock.start();
    const qsizetype total = m_source->rowCount();
    const qsizetype stop = qMin<qsizetype>(total, m_scanned + m_maxSliceRows);
    while (m_scanned < stop) {
        const qsizetype end = qMin<qsizetype>(stop, m_scanned + 256);
        for (; m_scanned < end; ++m_scanned)
            if (m_pending->matches(*m_source, int(m_scanned)))
                m_next.push_back(quint32(m_scanned));
        if (clock.nsecsElapsed() > SliceBudgetNs)
            break;
    }
    if (m_scanned < total) {
        Q_EMIT filterProgress(m_scanned, total);
        m_sliceTimer->start();
        return;
    }
    finishFiltering();
}

void FlowTableModel::finishFiltering()
{
    if (!m_pending)
        return;
    m_sliceTimer->stop();
    const qsizetype total = m_source->rowCount();
    for (; m_scanned < total; ++m_scanned)
        if (m_pending->matches(*m_source, int(m_scanned)))
            m_next.push_back(quint32(m_scanned));
    // Rows that changed after they were tested: test again.
    std::sort(m_recheck.begin(), m_recheck.end());
    m_recheck.erase(std::unique(m_recheck.begin(), m_recheck.end()), m_recheck.end());
    for (quint32 r : m_recheck) {
        const auto it = std::lower_bound(m_next.begin(), m_next.end(), r);
        const bool listed = it != m_next.end() && *it == r;
        const bool matches = m_pending->matches(*m_source, int(r));
        if (listed && !matches)
            m_next.erase(it);
        else if (!listed && matches)
            m_next.insert(it, r);
    }
    m_recheck.clear();
    sortRows(m_next);
    Q_EMIT filterProgress(total, total);
    beginResetModel();
    m_rows.swap(m_next);
    m_next.clear();
    m_next.shrink_to_fit();
    m_filter = std::move(*m_pending);
    m_pending.reset();
    m_viewPosValid = false;
    endResetModel();
    Q_EMIT filterFinished();
}

} // namespace spyglass
