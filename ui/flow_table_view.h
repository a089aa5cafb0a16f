#pragma once
// The Sequence list: a QTableView set up for a million rows (fixed row heights, no word wrap,
// no grid) whose columns the user arranges: the header's context menu shows and hides them,
// sections move and resize, and columnState()/restoreColumnState() carry the arrangement
// through QSettings (MainWindow saves it with the window).

#include <QTableView>

namespace spyglass {

class FlowTableView : public QTableView
{
    Q_OBJECT
public:
    explicit FlowTableView(QWidget* parent = nullptr);

    // Applies default widths and the default set of hidden columns for the model's columns.
    void setModel(QAbstractItemModel* model) override;

    // The header's arrangement (order, sizes, hidden columns, sort indicator).
    QByteArray columnState() const;
    // False (and the defaults kept) for a state from another column set.
    bool restoreColumnState(const QByteArray& state);

    void setColumnVisible(int column, bool visible);
    // The menu the header shows (one checkable action per column; the last visible one
    // cannot be hidden). Public so tests can trigger its actions.
    QMenu* columnMenu();

private:
    void applyDefaults();
};

} // namespace spyglass
