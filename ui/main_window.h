#pragma once
// The desktop app's window (DESIGN "The desktop app"): a toolbar to start and stop the proxy
// and clear the session, the filter bar, the flow list above the detail pane in a splitter,
// and a status bar with the listen address, the flow count and a filter's progress. The list
// has two tabs: Sequence (FlowTableView over FlowTableModel, FlowListModel's filtered and
// sorted index) and Structure (a tree by host and path, FlowStructureModel, made when first
// shown). It talks to the engine only through the ProxyEngine facade
// (CONVENTIONS 11): it starts and stops it and takes FlowHub's batches.
//
// Window geometry, the splitter, the list's tab and the table's columns (order, sizes, hidden
// ones, sort) are kept in QSettings between runs.
// The list's actions (mark, comment, copy as, save selected or filtered, delete) are
// FlowListActions'; File > Open Recent is RecentFiles; a file dropped on the window opens
// (FileDropHandler); a highlight bar beside the filter tints matching rows; the status bar's
// throughput and memory are StatusBarMonitor's.
// Sessions are opened with FlowFileReader and saved with FlowFileWriter (a Spyglass session,
// HAR, mitmproxy flows or Charles JSON, by the file name or the save dialog's filter),
// streamed one flow at a time so that a million-flow session is never held twice.

#include "flow/flow.h"
#include "options/options.h"

#include <QMainWindow>
#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QModelIndex;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QTreeView;

namespace spyglass::script {
class ScriptSet;
}

namespace spyglass {

class FilterBar;
class FlowActions;
class FlowDetailView;
class FlowListActions;
class RecentFiles;
class ScriptsPanel;
class StatusBarMonitor;
class FlowListModel;
class FlowStructureModel;
class FlowTableModel;
class FlowTableView;
class ProxyEngine;
class ProxyTools;
class SessionWriter;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // `engine` must outlive the window; `options` is what start uses.
    MainWindow(ProxyEngine* engine, const Options& options, QWidget* parent = nullptr);
    ~MainWindow() override;

    bool startProxy(QString* error);
    void stopProxy();
    void clearFlows();

    // Replaces the session's flows with the file's; false and a one-line reason on failure.
    bool openSession(const QString& path, QString* error);
    // Writes every flow to `path`, in the format its name says (FlowFileWriter::formatForPath).
    bool saveSession(const QString& path, QString* error);
    // Appends every flow to `path` as it finishes (the command line's -w).
    bool setAutosaveFile(const QString& path, QString* error);

    void saveSettings() const;

    FlowListModel* flowModel() const { return m_model; }
    FlowTableModel* tableModel() const { return m_table; }
    FlowTableView* flowView() const { return m_view; }
    QTabWidget* listTabs() const { return m_listTabs; }
    QTreeView* structureView() const { return m_tree; }
    // Null until the Structure tab was first shown.
    FlowStructureModel* structureModel() const { return m_structure; }
    void showStructure(bool structure);
    FlowDetailView* detailView() const { return m_detail; }
    FilterBar* filterBar() const { return m_filterBar; }
    FilterBar* highlightBar() const { return m_highlightBar; }
    FlowListActions* listActions() const { return m_listActions; }
    // Tools: certificate wizard, open browser, system proxy (proxy_tools.h).
    ProxyTools* proxyTools() const { return m_tools; }
    RecentFiles* recentFiles() const { return m_recent; }
    StatusBarMonitor* statusMonitor() const { return m_monitor; }
    QSplitter* splitter() const { return m_splitter; }
    QString listenAddress() const;

    // Intercept (toolbar: the toggle and its filter; Flow menu: resume, resume all, kill).
    // The filter and the toggle apply to the running engine at once and to the next start.
    bool setInterceptFilter(const QString& expression, QString* error);
    void setInterceptActive(bool active);
    const Options& options() const { return m_options; }
    QAction* resumeAction() const { return m_resume; }
    QAction* resumeAllAction() const { return m_resumeAll; }
    QAction* killAction() const { return m_kill; }
    // Edit > Preferences: the options dialog (options_dialog.h); applied options replace these.
    QAction* preferencesAction() const { return m_preferences; }
    void showPreferences();
    QAction* interceptAction() const { return m_intercept; }
    QLineEdit* interceptFilterEdit() const { return m_interceptFilter; }
    // Edit, Revert, Duplicate, New request and Resend (flow_actions.h).
    FlowActions* flowActions() const { return m_flowActions; }
    // The About box's text (Help > About): the version is the CMake project's.
    static QString aboutText();
    // The Scripts dock (scripts_panel.h) over `scripts`, which must outlive the window: View >
    // Scripts toggles it (Ctrl+Shift+J), Tools > Scripts… shows it. Call once.
    void setScriptSet(script::ScriptSet* scripts);
    // Null until setScriptSet().
    ScriptsPanel* scriptsPanel() const { return m_scriptsPanel; }
    QDockWidget* scriptsDock() const { return m_scriptsDock; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createCentralWidget();
    void createStatusBar();
    void restoreSettings();
    void onFlowsChanged(const QList<spyglass::FlowSnapshot>& batch);
    // Applies queued hub batches in slices of a few milliseconds (CONVENTIONS 10), so that a
    // burst (20,000 flows/s and more) never holds the event loop for long.
    void applyPendingFlows();
    void onCurrentChanged(const QModelIndex& current);
    void onStructureCurrentChanged(const QModelIndex& current);
    void onListTabChanged(int tab);
    void onFilterProgress(qint64 done, qint64 total);
    void reselectShownFlow();
    void refreshDetail(const QModelIndex& topLeft, const QModelIndex& bottomRight);
    void moveCurrent(int delta);
    void moveToRow(int proxyRow);
    void updateProxyState();
    void updateFlowCount();
    void toggleProxy();
    void openSessionDialog();
    void openReporting(const QString& path);
    void saveSessionDialog();
    void showError(const QString& title, const QString& message);
    void resumeCurrent();
    void killCurrent();
    void applyInterceptFilter();
    void showAbout();

    ProxyEngine* m_engine;
    Options m_options;
    std::unique_ptr<SessionWriter> m_autosave;
    QString m_sessionPath;

    FlowListModel* m_model;
    FlowTableModel* m_table;
    FlowStructureModel* m_structure = nullptr;
    FilterBar* m_filterBar = nullptr;
    FilterBar* m_highlightBar = nullptr;
    FlowListActions* m_listActions = nullptr;
    ProxyTools* m_tools = nullptr;
    RecentFiles* m_recent = nullptr;
    StatusBarMonitor* m_monitor = nullptr;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_flowMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
    ScriptsPanel* m_scriptsPanel = nullptr;
    QDockWidget* m_scriptsDock = nullptr;
    QTabWidget* m_listTabs = nullptr;
    FlowTableView* m_view = nullptr;
    QTreeView* m_tree = nullptr;
    FlowDetailView* m_detail = nullptr;
    QSplitter* m_splitter = nullptr;
    QLabel* m_toolbarAddress = nullptr;
    QLabel* m_statusAddress = nullptr;
    QLabel* m_statusCount = nullptr;
    QProgressBar* m_filterProgress = nullptr;
    bool m_followTail = true;
    QList<FlowSnapshot> m_pendingFlows;
    qsizetype m_pendingFrom = 0;

    QAction* m_startStop = nullptr;
    QAction* m_clear = nullptr;
    QAction* m_open = nullptr;
    QAction* m_save = nullptr;
    QAction* m_saveAs = nullptr;
    QAction* m_quit = nullptr;
    QAction* m_focusFilter = nullptr;
    QAction* m_about = nullptr;
    QAction* m_intercept = nullptr;
    QAction* m_resume = nullptr;
    QAction* m_resumeAll = nullptr;
    QAction* m_kill = nullptr;
    QAction* m_preferences = nullptr;
    QLineEdit* m_interceptFilter = nullptr;
    FlowActions* m_flowActions = nullptr;
};

} // namespace spyglass
