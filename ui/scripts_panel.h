#pragma once
// The Scripts panel (View > Scripts, Tools > Scripts…; a dock in MainWindow): the scripts the
// program runs (ScriptSet, engine/script/), one row each with its file, state, hooks and last
// error (ScriptListModel), a toolbar to add a script (a file dialog; it joins the running
// engine), reload or unload the selected ones, and below the list the selected script's full
// path and last error as selectable text, whose FILE:LINE is a link that opens the file.
// Errors that come later (a hook throws or times out, a broken reload) appear as they happen:
// the set relays them to this thread.

#include <QWidget>

class QAction;
class QLabel;
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

    // Loads `path` into the set; "" or the error (also shown in a message box when `report`).
    QString addScript(const QString& path, bool report = true);
    // Reload and Unload act on the selected scripts.
    void reloadSelected();
    void unloadSelected();

    QTreeView* view() const { return m_view; }
    ScriptListModel* model() const { return m_model; }
    QLabel* details() const { return m_details; }
    QAction* addScriptAction() const { return m_add; }
    QAction* reloadAction() const { return m_reload; }
    QAction* unloadAction() const { return m_unload; }

Q_SIGNALS:
    // A FILE:LINE link in the details was clicked (the panel also opens the file).
    void openFileRequested(const QString& path, int line);

private:
    void chooseScript();
    QList<script::ScriptAddon*> selectedScripts() const;
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
};

} // namespace spyglass
