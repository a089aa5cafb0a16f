#pragma once
// What the user does to flows from the list (issue 6): mark (m toggles the default mark, the
// Mark menu sets colours and emoji from mitmproxy's marker table, flow_marker.h), comment
// (a dialog, and the detail pane's Comment tab), copy as curl / httpie / raw request / raw
// response / raw (FlowExport, to the clipboard), save the selected or the filtered flows as a
// Spyglass session, HAR, mitmproxy flows or Charles JSON (FlowFileWriter, chosen by the save
// dialog's file-type filter or the extension), export every flow as HAR, and delete (d, Delete).
//
// It acts on the table's selected rows (the current row when none is selected), or, while the
// Structure tab shows (setStructureView), on every flow at or below the selected tree nodes,
// and owns the actions; MainWindow puts them in its menus (populate) and the list's context menu
// shows them. The single-key shortcuts (m, d, Delete) only work while the list has the focus, so a
// key typed in a detail pane never marks or deletes a flow. Marks and comments change the stored
// flow (FlowListModel::setMarker / setComment): the table refilters the rows at once, and a
// session or HAR saved afterwards keeps them.
//
// Deleting a flow that intercept holds also kills it in the engine, as mitmproxy's view does
// (view.remove kills a killable flow): otherwise the client would wait on a flow nobody can
// see any more. The kill goes through a function set by whoever owns the engine (MainWindow
// sets ProxyEngine::killFlow); without one a held flow is only removed from the list.

#include "flow/flow.h"
#include "io/flow_file_writer.h"
#include "options/options.h"

#include <QList>
#include <QObject>
#include <QUuid>
#include <functional>
#include <utility>

class QAction;
class QMenu;
class QTreeView;
class QWidget;

namespace spyglass {

class FlowDetailView;
class FlowListModel;
class FlowStructureModel;
class FlowTableModel;
class FlowTableView;

class FlowListActions : public QObject
{
    Q_OBJECT
public:
    using SaveFormat = FlowFileWriter::Format; // Session, Har, Mitmproxy, Charles

    // Closes a held flow without an answer; false when it is not held (any more).
    // ProxyEngine::killFlow has this shape.
    using KillFunction = std::function<bool(const QUuid& id)>;

    // All must outlive this object; `options` is read at each export (curl's --resolve).
    FlowListActions(FlowTableView* view, FlowTableModel* table, FlowDetailView* detail,
                    const Options* options, QWidget* window);

    // Adds the Save / Export entries to `file` and the mark, comment, copy and delete entries
    // to `flow` (either may be null).
    void populate(QMenu* file, QMenu* flow);
    // The list's context menu (caller owns it).
    QMenu* contextMenu(QWidget* parent);

    // The Structure tab's tree (MainWindow makes it when first shown); both outlive this
    // object. The keys and the context menu work there too.
    void setStructureView(QTreeView* tree, FlowStructureModel* model);
    // Store rows of the selected flows in view order (the current row when none is selected);
    // while the Structure tab shows, the flows at or below its selected nodes in store order.
    QList<int> selectedStoreRows() const;
    // Store rows of every flow the filter shows, in view order.
    QList<int> filteredStoreRows() const;

    // m: unmarked selected flows get ":default:", marked ones lose their mark.
    void toggleMark();
    // Empty `marker` unmarks. False (nothing changed) for a value mitmproxy refuses.
    bool setMarker(const QString& marker);
    void setComment(const QString& comment);
    // Copies the selected flows in `format` (FlowExport::formats()), joined by blank lines.
    // False and the status message set when a flow cannot be exported.
    bool copyAs(const QString& format);
    // Writes the flows at `storeRows` to `path`; an empty string or the error.
    QString saveFlows(const QList<int>& storeRows, const QString& path, SaveFormat format) const;
    // Removes the selected flows and selects the row that took the first one's place; the
    // held ones among them are killed first (the kill function). Returns how many were killed.
    int deleteSelected();
    void setKillFunction(KillFunction kill) { m_kill = std::move(kill); }

    // The markers the Mark menu offers before "Other…": the default, colours, common emoji.
    static QStringList menuMarkers();
    // The same with the names the menu shows (translated).
    static QList<std::pair<QString, QString>> namedMarkers();
    static SaveFormat formatForPath(const QString& path);

    QAction* toggleMarkAction() const { return m_toggleMark; }
    QAction* commentAction() const { return m_comment; }
    QAction* deleteAction() const { return m_delete; }
    QAction* saveSelectedAction() const { return m_saveSelected; }
    QAction* saveFilteredAction() const { return m_saveFiltered; }
    QAction* exportHarAction() const { return m_exportHar; }
    // One per FlowExport format, data() the format name.
    const QList<QAction*>& copyActions() const { return m_copy; }
    QMenu* markMenu() const { return m_markMenu; }

Q_SIGNALS:
    // A line for the status bar (what was copied or saved, or why not).
    void statusMessage(const QString& message, int timeoutMs);

private:
    void createActions();
    void commentDialog();
    void saveDialog(bool filteredOnly);
    void exportHarDialog();
    void otherMarkerDialog();
    void updateEnabled();
    FlowListModel* source() const;
    bool structureShown() const;
    QList<int> structureStoreRows() const;

    FlowTableView* m_view;
    FlowTableModel* m_table;
    FlowDetailView* m_detail;
    const Options* m_options;
    QWidget* m_window;
    KillFunction m_kill;
    QTreeView* m_tree = nullptr;
    FlowStructureModel* m_structure = nullptr;

    QAction* m_toggleMark = nullptr;
    QMenu* m_markMenu = nullptr;
    QAction* m_comment = nullptr;
    QMenu* m_copyMenu = nullptr;
    QList<QAction*> m_copy;
    QAction* m_saveSelected = nullptr;
    QAction* m_saveFiltered = nullptr;
    QAction* m_exportHar = nullptr;
    QAction* m_delete = nullptr;
};

} // namespace spyglass
