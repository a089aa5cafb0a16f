#pragma once
// The desktop app's window (DESIGN "The desktop app"): a toolbar to start and stop the proxy
// and clear the session, the filter bar, the flow table over FlowListModel (through
// FlowFilterProxyModel) above the detail pane in a splitter, and a status bar with the listen
// address and the flow count. It talks to the engine only through the ProxyEngine facade
// (CONVENTIONS 11): it starts and stops it and takes FlowHub's batches.
//
// Window geometry, the splitter and the table's columns are kept in QSettings between runs.
// Sessions are opened with SessionReader and saved with SessionWriter, streamed one flow at a
// time so that a million-flow session is never held twice.

#include "flow/flow.h"
#include "options/options.h"

#include <QMainWindow>
#include <memory>

class QAction;
class QLabel;
class QModelIndex;
class QSplitter;
class QTableView;

namespace spyglass {

class FilterBar;
class FlowDetailView;
class FlowFilterProxyModel;
class FlowListModel;
class ProxyEngine;
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
    // Writes every flow to `path`.
    bool saveSession(const QString& path, QString* error);
    // Appends every flow to `path` as it finishes (the command line's -w).
    bool setAutosaveFile(const QString& path, QString* error);

    void saveSettings() const;

    FlowListModel* flowModel() const { return m_model; }
    FlowFilterProxyModel* proxyModel() const { return m_proxy; }
    QTableView* flowView() const { return m_view; }
    FlowDetailView* detailView() const { return m_detail; }
    FilterBar* filterBar() const { return m_filterBar; }
    QSplitter* splitter() const { return m_splitter; }
    QString listenAddress() const;
    // The About box's text (Help > About): the version is the CMake project's.
    static QString aboutText();

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
    void onCurrentChanged(const QModelIndex& current);
    void refreshDetail(const QModelIndex& topLeft, const QModelIndex& bottomRight);
    void moveCurrent(int delta);
    void moveToRow(int proxyRow);
    void updateProxyState();
    void updateFlowCount();
    void toggleProxy();
    void openSessionDialog();
    void saveSessionDialog();
    void showError(const QString& title, const QString& message);
    void showAbout();

    ProxyEngine* m_engine;
    Options m_options;
    std::unique_ptr<SessionWriter> m_autosave;
    QString m_sessionPath;

    FlowListModel* m_model;
    FlowFilterProxyModel* m_proxy;
    FilterBar* m_filterBar = nullptr;
    QTableView* m_view = nullptr;
    FlowDetailView* m_detail = nullptr;
    QSplitter* m_splitter = nullptr;
    QLabel* m_toolbarAddress = nullptr;
    QLabel* m_statusAddress = nullptr;
    QLabel* m_statusCount = nullptr;
    bool m_followTail = true;

    QAction* m_startStop = nullptr;
    QAction* m_clear = nullptr;
    QAction* m_open = nullptr;
    QAction* m_save = nullptr;
    QAction* m_saveAs = nullptr;
    QAction* m_quit = nullptr;
    QAction* m_focusFilter = nullptr;
    QAction* m_about = nullptr;
};

} // namespace spyglass
