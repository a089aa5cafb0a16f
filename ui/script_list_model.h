#pragma once
// The rows of the Scripts panel (scripts_panel.h): one per script of a ScriptSet, in load
// order, with its file, state, the hooks it defines and its last error. Thin (CONVENTIONS
// 10): a row is the ScriptAddon, and the text is made in data() from its thread-safe getters.
// The set's scriptAdded inserts a row, scriptChanged repaints one (both on the GUI thread: the
// set batches the script threads' changes).

#include <QAbstractTableModel>

namespace spyglass::script {
class ScriptAddon;
class ScriptSet;
} // namespace spyglass::script

namespace spyglass {

class ScriptListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        FileColumn,
        StateColumn,
        HooksColumn,
        ErrorColumn,
        ColumnCount
    };
    enum Role
    {
        PathRole = Qt::UserRole, // the script's full path
        ErrorLineRole,           // the line of the last error in the script, 0 if none
    };

    // `scripts` must outlive the model.
    explicit ScriptListModel(script::ScriptSet* scripts, QObject* parent = nullptr);

    script::ScriptAddon* scriptAt(int row) const;
    // The line that `error` ("FILE:LINE: message") names in `path`, or 0.
    static int errorLine(const QString& path, const QString& error);
    // "Running", "Error", "Unloaded", translated.
    static QString stateText(int state);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void onScriptAdded(int row);
    void onScriptChanged(int row);

    script::ScriptSet* m_scripts;
    int m_rows = 0; // rows announced so far (scripts() may already hold a newer one)
};

} // namespace spyglass
