#pragma once
// The rows of the Scripts panel (scripts_panel.h): one per script of a ScriptSet, in load
// order, with its file, state, the hooks it defines and its last error. Thin (CONVENTIONS
// 10): a row is the ScriptAddon, and the text is made in data() from its thread-safe getters.
// The set's scriptAdded inserts a row, scriptChanged repaints one (both on the GUI thread: the
// set batches the script threads' changes).
//
// After the set's rows come the scripts the panel is still adding (it loads them off the GUI
// thread): "Loading…" until the load ends, then the row leaves (a loaded script arrives as
// the set's row), or stays in Error with the load's error until the panel removes it. They
// have no ScriptAddon (scriptAt() is null); the roles below describe every row alike.

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
        ErrorRole,               // the full last error, "" if none
        LoadingRole,             // true while the row's script is being added
        PendingIdRole,           // the id of an added script's row (addPending), -1 for others
    };

    // `scripts` must outlive the model.
    explicit ScriptListModel(script::ScriptSet* scripts, QObject* parent = nullptr);

    script::ScriptAddon* scriptAt(int row) const;

    // A row for `path` being added, in the Loading state; its id.
    int addPending(const QString& path);
    // The added script's load failed (`error`), or starts again ("" : Loading).
    void setPendingError(int id, const QString& error);
    void removePending(int id);
    // The row of the added script `id`, or -1.
    int pendingRow(int id) const;
    // The line that `error` ("FILE:LINE: message") names in `path`, or 0.
    static int errorLine(const QString& path, const QString& error);
    // "Running", "Error", "Unloaded", translated.
    static QString stateText(int state);
    // "Loading…", translated.
    static QString loadingText();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void onScriptAdded(int row);
    void onScriptChanged(int row);

    struct Pending
    {
        int id;
        QString path;
        QString error; // "" while loading
    };
    QVariant pendingData(const Pending& p, int column, int role) const;

    script::ScriptSet* m_scripts;
    int m_rows = 0; // the set's rows announced so far (scripts() may already hold a newer one)
    QList<Pending> m_pending; // rows m_rows.. (being added, or failed to)
    int m_nextId = 0;
};

} // namespace spyglass
