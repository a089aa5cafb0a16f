#pragma once
// The Scripts panel (View > Scripts, Tools > Scripts…; a dock in MainWindow): the scripts the
// program runs (ScriptSet, engine/script/), one row each with its file, state, hooks and last
// error (ScriptListModel), a toolbar to add a script (a file dialog; it joins the running
// engine), reload or unload the selected ones, and below the list the selected script's full
// path and last error as selectable text, whose FILE:LINE is a link that opens the file.
// Errors that come later (a hook throws or times out, a broken reload) appear as they happen:
// the set relays them to this thread.
//
// Adding a script reads, compiles and runs its top level, which may take long (a huge or
// slow script): it happens on a thread of its own (ScriptSet::create, ScriptAddon::load
// there, ScriptSet::adopt back here), while the row says "Loading…"; a failed load leaves
// the row in Error with the message (FILE:LINE) until Reload tries again or Unload removes it.
//
// Size: the panel asks for a few rows, the toolbar and a line of details (sizeHint), not the
// list view's default 192 px, so the dock opens as a strip under the flows; the user resizes
// it, and the window keeps that size with its dock state.

#include <QMap>
#include <QWidget>
#include <memory>

class QAction;
class QLabel;
class QThread;
class QToolBar;
class QTreeView;

namespace spyglass::script {
class ScriptAddon;
class ScriptSet;
} // namespace spyglass::script

namespace spyglass {

class ScriptListModel;

class ScriptsPanel : public QWidget
{
    Q_OBJECT
public:
    // `scripts` must outlive the panel.
    explicit ScriptsPanel(script::ScriptSet* scripts, QWidget* parent = nullptr);
    // Waits for the loads still running (a script's top level is bounded by script_timeout).
    ~ScriptsPanel() override;

    // Starts loading `path` into the set off the GUI thread and returns at once: a row in the
    // Loading state, selected, until scriptLoaded.
    void addScript(const QString& path);
    // Scripts still loading.
    int loadingCount() const { return int(m_loads.size()); }
    // Reload and Unload act on the selected scripts.
    void reloadSelected();
    void unloadSelected();

    QTreeView* view() const { return m_view; }
    ScriptListModel* model() const { return m_model; }
    QLabel* details() const { return m_details; }
    QAction* addScriptAction() const { return m_add; }
    QAction* reloadAction() const { return m_reload; }
    QAction* unloadAction() const { return m_unload; }

    // A few rows, the toolbar and a line or so of details.
    QSize sizeHint() const override;

Q_SIGNALS:
    // An added script's load ended: "" (it is the set's last script now) or the error.
    void scriptLoaded(const QString& path, const QString& error);
    // A FILE:LINE link in the details was clicked (the panel also opens the file).
    void openFileRequested(const QString& path, int line);

private:
    struct Load;
    void chooseScript();
    void startLoad(int id, const QString& path);
    void finishLoad(const std::shared_ptr<Load>& load);
    QList<script::ScriptAddon*> selectedScripts() const;
    // The rows of added scripts whose load failed, by id (ScriptListModel::PendingIdRole).
    QList<int> selectedFailedLoads() const;
    void updateActions();
    void updateDetails();
    void openLink(const QString& link);

    script::ScriptSet* m_scripts;
    ScriptListModel* m_model;
    QToolBar* m_toolBar;
    QTreeView* m_view;
    QLabel* m_details;
    QAction* m_add;
    QAction* m_reload;
    QAction* m_unload;
    QString m_lastDir;
    QMap<int, std::shared_ptr<Load>> m_loads; // running, by row id
};

} // namespace spyglass
