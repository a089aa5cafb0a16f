#include "flow_table_view.h"

#include "flow_list_model.h"

#include <QHeaderView>
#include <QMenu>

namespace spyglass {

FlowTableView::FlowTableView(QWidget* parent) : QTableView(parent)
{
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setWordWrap(false);
    setShowGrid(false);
    setAlternatingRowColors(true);
    verticalHeader()->hide();
    // Fixed row heights: the view never measures a million rows.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView* header = horizontalHeader();
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    header->setStretchLastSection(false);
    header->setSortIndicator(-1, Qt::AscendingOrder);
    header->setSortIndicatorClearable(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setToolTip(tr("Click to sort, drag to reorder, right-click to choose columns"));
    connect(header, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        QMenu* menu = columnMenu();
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(horizontalHeader()->mapToGlobal(at));
    });
}

void FlowTableView::setModel(QAbstractItemModel* model)
{
    QTableView::setModel(model);
    applyDefaults();
}

void FlowTableView::applyDefaults()
{
    QHeaderView* header = horizontalHeader();
    if (!model() || header->count() != FlowListModel::ColumnCount)
        return;
    const int widths[FlowListModel::ColumnCount] = {60,  90, 130, 60, 55, 180, 320, 55,
                                                    140, 70, 70,  75, 65, 44,  200};
    for (int c = 0; c < FlowListModel::ColumnCount; ++c) {
        header->moveSection(header->visualIndex(c), c);
        header->resizeSection(c, widths[c]);
        header->setSectionHidden(c, false);
    }
    // The mark reads best right after the number, as mitmproxy draws it.
    header->moveSection(header->visualIndex(FlowListModel::MarkerColumn), 1);
    // Shown by default: what Charles and mitmweb show. The rest is one right-click away.
    for (int c :
         {FlowListModel::ClientColumn, FlowListModel::SchemeColumn, FlowListModel::TlsColumn})
        header->setSectionHidden(c, true);
}

QByteArray FlowTableView::columnState() const
{
    return horizontalHeader()->saveState();
}

bool FlowTableView::restoreColumnState(const QByteArray& state)
{
    if (state.isEmpty())
        return false;
    QHeaderView* header = horizontalHeader();
    if (!header->restoreState(state) || header->count() != FlowListModel::ColumnCount) {
        applyDefaults();
        return false;
    }
    if (header->hiddenSectionCount() == header->count())
        header->setSectionHidden(FlowListModel::PathColumn, false);
    return true;
}

void FlowTableView::setColumnVisible(int column, bool visible)
{
    QHeaderView* header = horizontalHeader();
    if (!visible && header->count() - header->hiddenSectionCount() <= 1)
        return; // never hide the last one
    header->setSectionHidden(column, !visible);
}

QMenu* FlowTableView::columnMenu()
{
    auto* menu = new QMenu(tr("Columns"), this);
    QHeaderView* header = horizontalHeader();
    const int shown = header->count() - header->hiddenSectionCount();
    // In the order the user arranged them.
    for (int visual = 0; visual < header->count(); ++visual) {
        const int column = header->logicalIndex(visual);
        QAction* a = menu->addAction(model()->headerData(column, Qt::Horizontal).toString());
        a->setCheckable(true);
        a->setChecked(!header->isSectionHidden(column));
        a->setEnabled(header->isSectionHidden(column) || shown > 1);
        a->setData(column);
        connect(a, &QAction::toggled, this,
                [this, column](bool on) { setColumnVisible(column, on); });
    }
    menu->addSeparator();
    connect(menu->addAction(tr("Reset columns")), &QAction::triggered, this,
            [this] { applyDefaults(); });
    return menu;
}

} // namespace spyglass
