#include "main_window.h"
#include "proxy_tools.h"

#include "options/option_registry.h"

#include "file_drop_handler.h"
#include "filter_bar.h"
#include "flow_actions.h"
#include "flow_detail_view.h"
#include "flow_list_actions.h"
#include "flow_list_model.h"
#include "flow_structure_model.h"
#include "flow_table_model.h"
#include "flow_table_view.h"
#include "language.h"
#include "options_dialog.h"
#include "recent_files.h"
#include "save_file_dialog.h"
#include "scripts_panel.h"
#include "status_bar_monitor.h"
#include "theme.h"

#include "io/flow_file_reader.h"
#include "io/flow_file_writer.h"
#include "io/session_writer.h"
#include "server/proxy_engine.h"

#include <QAction>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScrollBar>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace spyglass {

namespace {

// Flows read from a session file reach the model in batches of this many: one row insertion
// each, and never the whole file as snapshots at once.
constexpr int OpenBatchSize = 10000;

const QString GeometryKey = QStringLiteral("mainWindow/geometry");
const QString StateKey = QStringLiteral("mainWindow/state");
const QString SplitterKey = QStringLiteral("mainWindow/splitter");
const QString HeaderKey = QStringLiteral("flowList/columns");
const QString ListTabKey = QStringLiteral("flowList/tab");

} // namespace

MainWindow::MainWindow(ProxyEngine* engine, const Options& options, QWidget* parent)
    : QMainWindow(parent), m_engine(engine), m_options(options), m_model(new FlowListModel(this)),
      m_table(new FlowTableModel(m_model, this))
{
    setWindowTitle(tr("Spyglass"));
    createActions();
    createMenus();
    createToolBar();
    createCentralWidget();
    createStatusBar();
    // Tools menu and toolbar: certificate wizard, open browser, system proxy; their icons are
    // the window's (Theme), like the other toolbar actions'.
    m_tools = new ProxyTools(this, m_engine);
    m_tools->openBrowserAction()->setIcon(Theme::icon(QStringLiteral("browser")));
    m_tools->systemProxyAction()->setIcon(Theme::icon(QStringLiteral("system-proxy")));
    m_tools->certWizardAction()->setIcon(Theme::icon(QStringLiteral("certificate")));
    restoreSettings();
    m_listActions = new FlowListActions(m_view, m_table, m_detail, &m_options, this);
    m_listActions->populate(m_fileMenu, m_flowMenu);
    // Deleting a held flow kills it, as x does (mitmproxy's view.remove).
    m_listActions->setKillFunction([this](const QUuid& id) { return m_engine->killFlow(id); });
    if (m_structure) // the Structure tab was restored before the actions existed
        m_listActions->setStructureView(m_tree, m_structure);
    m_recent = new RecentFiles(QStringLiteral("recentFiles"), this);
    m_fileMenu->insertMenu(m_save, m_recent->menu());
    connect(m_recent, &RecentFiles::openRequested, this, &MainWindow::openReporting);
    new FileDropHandler(this, [this](const QString& path) { openReporting(path); });
    // A mark or comment reaches the autosave file as a new version of the flow.
    connect(m_model, &FlowListModel::flowsEdited, this, [this](const QList<FlowSnapshot>& b) {
        for (const FlowSnapshot& f : b)
            if (m_autosave && m_autosave->isOpen() && !f->live)
                m_autosave->append(*f);
    });

    connect(&m_engine->hub(), &FlowHub::flowsChanged, this, &MainWindow::onFlowsChanged);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &MainWindow::refreshDetail);
    connect(m_table, &QAbstractItemModel::rowsInserted, this, [this] {
        updateFlowCount();
        // Follow new flows at the bottom while unsorted (sorted, they land anywhere).
        if (m_followTail && m_table->sortColumn() < 0)
            m_view->scrollToBottom();
    });
    connect(m_table, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar* bar = m_view->verticalScrollBar();
        m_followTail = bar->value() >= bar->maximum();
    });
    connect(m_table, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateFlowCount);
    connect(m_table, &QAbstractItemModel::modelReset, this, [this] {
        updateFlowCount();
        reselectShownFlow();
    });
    connect(m_table, &QAbstractItemModel::layoutChanged, this, &MainWindow::updateFlowCount);
    connect(m_table, &FlowTableModel::filterProgress, this, &MainWindow::onFilterProgress);
    updateProxyState();
    updateFlowCount();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_startStop = new QAction(tr("&Start proxy"), this);
    m_startStop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(m_startStop, &QAction::triggered, this, &MainWindow::toggleProxy);

    m_clear = new QAction(tr("&Clear flows"), this);
    m_clear->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_clear->setToolTip(tr("Remove every flow from the list"));
    connect(m_clear, &QAction::triggered, this, &MainWindow::clearFlows);
    m_clear->setIcon(Theme::icon(QStringLiteral("clear")));

    m_open = new QAction(tr("&Open session…"), this);
    m_open->setShortcut(QKeySequence::Open);
    m_open->setIcon(Theme::icon(QStringLiteral("open")));
    connect(m_open, &QAction::triggered, this, &MainWindow::openSessionDialog);

    m_save = new QAction(tr("&Save session"), this);
    m_save->setShortcut(QKeySequence::Save);
    m_save->setIcon(Theme::icon(QStringLiteral("save")));
    connect(m_save, &QAction::triggered, this, [this] {
        if (m_sessionPath.isEmpty()) {
            saveSessionDialog();
            return;
        }
        QString error;
        if (!saveSession(m_sessionPath, &error))
            showError(tr("Save session"), error);
    });

    m_saveAs = new QAction(tr("Save session &as…"), this);
    m_saveAs->setShortcut(QKeySequence::SaveAs);
    connect(m_saveAs, &QAction::triggered, this, &MainWindow::saveSessionDialog);

    m_quit = new QAction(tr("&Quit"), this);
    m_quit->setShortcut(QKeySequence::Quit);
    connect(m_quit, &QAction::triggered, this, &QWidget::close);

    m_focusFilter = new QAction(tr("&Filter…"), this);
    m_focusFilter->setShortcut(QKeySequence::Find);
    connect(m_focusFilter, &QAction::triggered, this, [this] {
        m_filterBar->setFocus(Qt::ShortcutFocusReason);
        m_filterBar->selectAll();
    });

    // Intercept. The single keys are mitmproxy's, active while the flow list has the focus.
    m_intercept = new QAction(tr("&Intercept"), this);
    m_intercept->setCheckable(true);
    m_intercept->setIcon(Theme::icon(QStringLiteral("intercept")));
    m_intercept->setChecked(m_options.interceptActive && !m_options.intercept.isEmpty());
    m_intercept->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_intercept->setToolTip(tr("Hold the flows that match the intercept filter (Ctrl+I)"));
    connect(m_intercept, &QAction::toggled, this, &MainWindow::setInterceptActive);
    m_resume = new QAction(tr("&Resume"), this);
    m_resume->setShortcut(QKeySequence(Qt::Key_A));
    m_resume->setIcon(Theme::icon(QStringLiteral("resume")));
    m_resume->setToolTip(tr("Let the selected intercepted flow go on (a)"));
    connect(m_resume, &QAction::triggered, this, &MainWindow::resumeCurrent);
    m_resumeAll = new QAction(tr("Resume &all"), this);
    m_resumeAll->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_A));
    m_resumeAll->setIcon(Theme::icon(QStringLiteral("resume-all")));
    m_resumeAll->setToolTip(tr("Let every intercepted flow go on (A)"));
    connect(m_resumeAll, &QAction::triggered, this, [this] { m_engine->resumeAllFlows(); });
    m_kill = new QAction(tr("&Kill"), this);
    m_kill->setShortcut(QKeySequence(Qt::Key_X));
    m_kill->setIcon(Theme::icon(QStringLiteral("kill")));
    m_kill->setToolTip(tr("Close the selected intercepted flow without an answer (x)"));
    connect(m_kill, &QAction::triggered, this, &MainWindow::killCurrent);

    m_preferences =
        new QAction(Theme::icon(QStringLiteral("preferences")), tr("&Preferences…"), this);
    {
        // The platform's Preferences keys (none on some desktops) and Ctrl+, once each: a key
        // bound twice to one action is ambiguous and would not fire.
        QList<QKeySequence> keys = QKeySequence::keyBindings(QKeySequence::Preferences);
        if (!keys.contains(QKeySequence(Qt::CTRL | Qt::Key_Comma)))
            keys << QKeySequence(Qt::CTRL | Qt::Key_Comma);
        m_preferences->setShortcuts(keys);
    }
    m_preferences->setMenuRole(QAction::PreferencesRole);
    m_preferences->setToolTip(tr("Every option of the proxy, as --set names them (Ctrl+,)"));
    connect(m_preferences, &QAction::triggered, this, &MainWindow::showPreferences);

    m_about = new QAction(tr("&About Spyglass"), this);
    m_about->setMenuRole(QAction::AboutRole);
    connect(m_about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus()
{
    QMenu* file = m_fileMenu = menuBar()->addMenu(tr("&File"));
    file->addAction(m_open);
    file->addAction(m_save);
    file->addAction(m_saveAs);
    file->addSeparator();
    file->addAction(m_quit);
    menuBar()->addMenu(tr("&Edit"))->addAction(m_preferences);
    QMenu* proxy = menuBar()->addMenu(tr("&Proxy"));
    proxy->addAction(m_startStop);
    proxy->addAction(m_clear);
    QMenu* flowMenu = m_flowMenu = menuBar()->addMenu(tr("F&low"));
    flowMenu->addAction(m_intercept);
    flowMenu->addSeparator();
    flowMenu->addAction(m_resume);
    flowMenu->addAction(m_resumeAll);
    flowMenu->addAction(m_kill);
    flowMenu->addSeparator();
    m_flowActions = new FlowActions(m_engine, this);
    m_flowActions->addTo(flowMenu);
    QMenu* view = m_viewMenu = menuBar()->addMenu(tr("&View"));
    view->addAction(m_focusFilter);
    view->addSeparator();
    view->addMenu(Theme::createMenu(view));
    view->addMenu(Language::createMenu(view));
    QMenu* help = m_helpMenu = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_about);
}

void MainWindow::setScriptSet(script::ScriptSet* scripts)
{
    if (m_scriptsDock)
        return;
    m_scriptsPanel = new ScriptsPanel(scripts, this);
    m_scriptsDock = new QDockWidget(tr("Scripts"), this);
    m_scriptsDock->setObjectName(QStringLiteral("scriptsDock")); // saveState() names it
    m_scriptsDock->setWidget(m_scriptsPanel);
    // Where and as the user left it (the window's state was restored before the dock existed:
    // restoreDockWidget places it, shown or hidden, with its size); hidden the first time.
    if (!restoreDockWidget(m_scriptsDock)) {
        addDockWidget(Qt::BottomDockWidgetArea, m_scriptsDock);
        m_scriptsDock->hide(); // first shown, it is a strip: ScriptsPanel::sizeHint
    }

    QAction* toggle = m_scriptsDock->toggleViewAction();
    toggle->setText(tr("&Scripts"));
    toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J));
    toggle->setToolTip(tr("Show or hide the scripts the proxy runs, their hooks and errors "
                          "(Ctrl+Shift+J)"));
    m_viewMenu->insertAction(m_viewMenu->actions().value(1), toggle); // after Filter…

    auto* show = new QAction(tr("&Scripts…"), this);
    show->setToolTip(tr("Show the Scripts panel: load, reload and unload JavaScript addons"));
    connect(show, &QAction::triggered, this, [this] {
        m_scriptsDock->show();
        m_scriptsDock->raise();
        QTreeView* list = m_scriptsPanel->view();
        if (!list->currentIndex().isValid() && list->model()->rowCount() > 0)
            list->setCurrentIndex(list->model()->index(0, 0)); // selects it: details show
        list->setFocus(Qt::OtherFocusReason);
    });
    // The Tools menu (ProxyTools) sits just before Help.
    const QList<QAction*> menus = menuBar()->actions();
    const qsizetype help = menus.indexOf(m_helpMenu->menuAction());
    QMenu* tools = help > 0 ? menus.at(help - 1)->menu() : nullptr;
    if (tools && tools != m_viewMenu) {
        tools->addSeparator();
        tools->addAction(show);
    } else {
        m_viewMenu->addAction(show);
    }
}

QString MainWindow::aboutText()
{
    // SPYGLASS_VERSION is project()'s VERSION (engine/CMakeLists.txt), as in --version.
    return tr("<h3>Spyglass %1</h3>"
              "<p>An HTTPS-intercepting proxy: it records every exchange between an "
              "application and the network, decrypting TLS with certificates from its own "
              "certificate authority.</p>"
              "<p>Built with Qt %2, running on Qt %3.</p>")
        .arg(QStringLiteral(SPYGLASS_VERSION), QStringLiteral(QT_VERSION_STR),
             QString::fromLatin1(qVersion()));
}

void MainWindow::showPreferences()
{
    auto* dialog = new OptionsDialog(m_engine, m_options, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &OptionsDialog::optionsApplied, this, [this](const Options& options) {
        m_options = options;
        m_interceptFilter->setText(options.intercept);
        const QSignalBlocker block(m_intercept);
        m_intercept->setChecked(options.interceptActive && !options.intercept.isEmpty());
        updateProxyState();
    });
    dialog->open();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Spyglass"), aboutText());
}

void MainWindow::createToolBar()
{
    QToolBar* bar = addToolBar(tr("Proxy"));
    bar->setObjectName(QStringLiteral("proxyToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_startStop);
    m_toolbarAddress = new QLabel(bar);
    m_toolbarAddress->setContentsMargins(8, 0, 8, 0);
    m_toolbarAddress->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(m_toolbarAddress);
    bar->addSeparator();
    bar->addAction(m_clear);
    bar->addSeparator();
    bar->addAction(m_intercept);
    m_interceptFilter = new QLineEdit(bar);
    m_interceptFilter->setPlaceholderText(tr("Intercept filter, e.g. ~u /api & ~m POST"));
    m_interceptFilter->setToolTip(
        tr("Flows matching this filter are held at their request, their response and each "
           "WebSocket message while Intercept is on. Press Enter to apply."));
    m_interceptFilter->setClearButtonEnabled(true);
    m_interceptFilter->setMaximumWidth(320);
    m_interceptFilter->setText(m_options.intercept);
    connect(m_interceptFilter, &QLineEdit::returnPressed, this, &MainWindow::applyInterceptFilter);
    bar->addWidget(m_interceptFilter);
    bar->addAction(m_resumeAll);
}

bool MainWindow::setInterceptFilter(const QString& expression, QString* error)
{
    Options next = m_options;
    if (const QString err = OptionRegistry::apply(next, QStringLiteral("intercept=") + expression);
        !err.isEmpty()) {
        *error = err;
        return false;
    }
    if (m_engine->isRunning() &&
        !m_engine->setOption(QStringLiteral("intercept"), expression, error))
        return false;
    m_options = next;
    if (m_interceptFilter->text() != expression)
        m_interceptFilter->setText(expression);
    if (!expression.isEmpty() && !m_intercept->isChecked())
        m_intercept->setChecked(true); // a new filter means "intercept this", as in mitmproxy
    return true;
}

void MainWindow::setInterceptActive(bool active)
{
    m_options.interceptActive = active;
    if (m_intercept->isChecked() != active)
        m_intercept->setChecked(active);
    QString error;
    if (m_engine->isRunning() &&
        !m_engine->setOption(QStringLiteral("intercept_active"),
                             active ? QStringLiteral("true") : QStringLiteral("false"), &error))
        showError(tr("Intercept"), error);
    if (!active)
        m_engine->resumeAllFlows(); // nothing stays held once intercept is off
}

void MainWindow::applyInterceptFilter()
{
    QString error;
    const bool ok = setInterceptFilter(m_interceptFilter->text().trimmed(), &error);
    QPalette palette = m_interceptFilter->parentWidget()->palette();
    if (!ok) // readable on light and dark backgrounds alike
        palette.setColor(QPalette::Text, QColor(0xd0, 0x40, 0x40));
    m_interceptFilter->setPalette(palette);
    m_interceptFilter->setToolTip(ok ? tr("Flows matching this filter are held while Intercept "
                                          "is on. Press Enter to apply.")
                                     : error);
}

void MainWindow::resumeCurrent()
{
    if (const FlowSnapshot& f = m_detail->flow())
        m_engine->resumeFlow(f->id);
}

void MainWindow::killCurrent()
{
    if (const FlowSnapshot& f = m_detail->flow())
        m_engine->killFlow(f->id);
}

void MainWindow::createCentralWidget()
{
    auto* central = new QWidget(this);
    m_filterBar = new FilterBar(central);
    connect(m_filterBar, &FilterBar::filterChanged, this, [this](const filter::Filter& f) {
        m_table->setFilter(f);
        updateFlowCount();
    });

    m_view = new FlowTableView(central);
    m_view->setModel(m_table);
    m_view->setSortingEnabled(true);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });

    m_tree = new QTreeView(central);
    m_tree->setUniformRowHeights(true);
    m_tree->setToolTip(tr("Flows by host and path; select a resource to see its latest flow"));
    m_listTabs = new QTabWidget(central);
    m_listTabs->setDocumentMode(true);
    m_listTabs->addTab(m_view, tr("Sequence"));
    m_listTabs->addTab(m_tree, tr("Structure"));
    m_listTabs->setTabToolTip(0, tr("Every flow in order, filtered and sorted"));
    m_listTabs->setTabToolTip(1, tr("Flows grouped by host and path"));
    connect(m_listTabs, &QTabWidget::currentChanged, this, &MainWindow::onListTabChanged);

    // mitmproxy's keys in the list: j/k down/up, g/G first/last.
    auto listKey = [this](QKeySequence key, auto slot) {
        auto* s = new QShortcut(key, m_view, nullptr, nullptr, Qt::WidgetShortcut);
        connect(s, &QShortcut::activated, this, slot);
    };
    listKey(QKeySequence(Qt::Key_J), [this] { moveCurrent(1); });
    listKey(QKeySequence(Qt::Key_K), [this] { moveCurrent(-1); });
    listKey(QKeySequence(Qt::Key_G), [this] { moveToRow(0); });
    listKey(QKeySequence(Qt::SHIFT | Qt::Key_G), [this] { moveToRow(m_table->rowCount() - 1); });
    // Escape in the filter bar goes back to the list.
    auto* back = new QShortcut(QKeySequence(Qt::Key_Escape), m_filterBar, nullptr, nullptr,
                               Qt::WidgetShortcut);
    connect(back, &QShortcut::activated, m_view, [this] { m_view->setFocus(); });

    m_detail = new FlowDetailView(central);
    m_splitter = new QSplitter(Qt::Vertical, central);
    m_splitter->setObjectName(QStringLiteral("flowSplitter"));
    m_splitter->addWidget(m_listTabs);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

    m_highlightBar = new FilterBar(central);
    m_highlightBar->setHistoryKey(QStringLiteral("highlightBar/history"));
    m_highlightBar->setPlaceholderText(tr("Highlight, e.g. ~marked | ~c 500"));
    connect(m_highlightBar, &FilterBar::filterChanged, m_table, &FlowTableModel::setHighlight);
    auto* highlightLabel = new QLabel(tr("&Highlight:"), central);
    highlightLabel->setBuddy(m_highlightBar);
    highlightLabel->setToolTip(tr("Rows matching this expression get a yellow background; the "
                                  "filter still decides which rows are shown"));
    auto* bars = new QHBoxLayout;
    bars->addWidget(m_filterBar, 3);
    bars->addWidget(highlightLabel);
    bars->addWidget(m_highlightBar, 2);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addLayout(bars);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);
}

void MainWindow::createStatusBar()
{
    m_statusAddress = new QLabel(this);
    m_statusCount = new QLabel(this);
    m_statusCount->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_statusCount->setMinimumWidth(m_statusCount->fontMetrics().horizontalAdvance(
        tr("%1 of %2").arg(1000000).arg(tr("%1 flows").arg(1000000))));
    m_filterProgress = new QProgressBar(this);
    m_filterProgress->setRange(0, 100);
    m_filterProgress->setMaximumWidth(160);
    m_filterProgress->setFormat(tr("Filtering %p%"));
    m_filterProgress->setToolTip(tr("Applying the filter; the list keeps the old rows until then"));
    m_filterProgress->hide();
    statusBar()->addPermanentWidget(m_filterProgress);
    statusBar()->addPermanentWidget(m_statusCount);
    statusBar()->addPermanentWidget(m_statusAddress);
    m_monitor = new StatusBarMonitor(statusBar(), &m_engine->hub(), this);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(GeometryKey).toByteArray()))
        resize(1200, 800);
    restoreState(settings.value(StateKey).toByteArray());
    if (!m_splitter->restoreState(settings.value(SplitterKey).toByteArray()))
        m_splitter->setSizes({480, 320});
    if (m_view->restoreColumnState(settings.value(HeaderKey).toByteArray())) {
        const QHeaderView* header = m_view->horizontalHeader();
        m_table->sort(header->sortIndicatorSection(), header->sortIndicatorOrder());
    }
    showStructure(settings.value(ListTabKey).toInt() == 1);
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(StateKey, saveState());
    settings.setValue(SplitterKey, m_splitter->saveState());
    settings.setValue(HeaderKey, m_view->columnState());
    settings.setValue(ListTabKey, m_listTabs->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

QString MainWindow::listenAddress() const
{
    const QString host = m_options.listenHost.contains(QLatin1Char(':'))
                             ? QLatin1Char('[') + m_options.listenHost + QLatin1Char(']')
                             : m_options.listenHost;
    const int port = m_engine->isRunning() ? int(m_engine->listenPort()) : m_options.listenPort;
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

bool MainWindow::startProxy(QString* error)
{
    if (m_engine->isRunning())
        return true;
    const bool ok = m_engine->start(m_options, error);
    updateProxyState();
    return ok;
}

void MainWindow::stopProxy()
{
    m_engine->stop();
    updateProxyState();
}

void MainWindow::toggleProxy()
{
    if (m_engine->isRunning()) {
        stopProxy();
        return;
    }
    QString error;
    if (!startProxy(&error))
        showError(tr("Start proxy"), error);
}

void MainWindow::updateProxyState()
{
    const bool running = m_engine->isRunning();
    m_startStop->setText(running ? tr("&Stop proxy") : tr("&Start proxy"));
    m_startStop->setIcon(Theme::icon(running ? QStringLiteral("stop") : QStringLiteral("start")));
    const QString address = listenAddress();
    m_toolbarAddress->setText(running ? tr("Listening on %1").arg(address)
                                      : tr("Stopped (%1)").arg(address));
    m_statusAddress->setText(running ? tr("Proxy: %1").arg(address) : tr("Proxy stopped"));
}

void MainWindow::updateFlowCount()
{
    const int total = m_model->rowCount();
    const int shown = m_table->rowCount();
    const QString flows = total == 1 ? tr("1 flow") : tr("%1 flows").arg(total);
    m_statusCount->setText(shown == total ? flows : tr("%1 of %2").arg(shown).arg(flows));
}

void MainWindow::onFlowsChanged(const QList<FlowSnapshot>& batch)
{
    const bool idle = m_pendingFrom >= m_pendingFlows.size();
    if (idle) {
        m_pendingFlows = batch;
        m_pendingFrom = 0;
    } else {
        m_pendingFlows.append(batch);
    }
    if (idle)
        applyPendingFlows();
}

void MainWindow::applyPendingFlows()
{
    // Slices of SliceFlows snapshots until SliceMs have passed; the rest waits for the next
    // turn of the event loop. A small batch (every batch below a few thousand flows a second)
    // is applied at once, whole.
    constexpr qsizetype SliceFlows = 512;
    constexpr qint64 SliceMs = 8;
    QElapsedTimer clock;
    clock.start();
    while (m_pendingFrom < m_pendingFlows.size() && clock.elapsed() < SliceMs) {
        const qsizetype n = qMin(SliceFlows, m_pendingFlows.size() - m_pendingFrom);
        const QList<FlowSnapshot> slice = m_pendingFlows.sliced(m_pendingFrom, n);
        m_pendingFrom += n;
        m_model->applyBatch(slice);
        if (m_autosave && m_autosave->isOpen()) {
            for (const FlowSnapshot& f : slice) {
                if (f && !f->live) {
                    if (const QString err = m_autosave->append(*f); !err.isEmpty()) {
                        statusBar()->showMessage(err);
                        break;
                    }
                }
            }
        }
    }
    if (m_pendingFrom >= m_pendingFlows.size()) {
        m_pendingFlows.clear();
        m_pendingFrom = 0;
    } else {
        QTimer::singleShot(0, this, &MainWindow::applyPendingFlows);
    }
    updateFlowCount();
}

void MainWindow::onCurrentChanged(const QModelIndex& current)
{
    m_detail->setFlow(current.isValid() ? m_table->flowAt(current.row()) : nullptr);
}

void MainWindow::onStructureCurrentChanged(const QModelIndex& current)
{
    const int row = m_structure ? m_structure->storeRow(current) : -1;
    if (row >= 0)
        m_detail->setFlow(m_model->flowAt(row));
}

void MainWindow::showStructure(bool structure)
{
    m_listTabs->setCurrentIndex(structure ? 1 : 0);
}

void MainWindow::onListTabChanged(int tab)
{
    if (m_listActions) // their selection follows the tab
        m_listActions->setStructureView(m_tree, m_structure);
    if (tab != 1 || m_structure)
        return;
    m_structure = new FlowStructureModel(m_model, this);
    if (!m_structure->isReady()) {
        statusBar()->showMessage(tr("Grouping the flows by host and path…"));
        connect(m_structure, &FlowStructureModel::ready, statusBar(), &QStatusBar::clearMessage);
    }
    m_tree->setModel(m_structure);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(FlowStructureModel::NameColumn, QHeaderView::Stretch);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onStructureCurrentChanged(current); });
    if (m_listActions)
        m_listActions->setStructureView(m_tree, m_structure);
}

void MainWindow::onFilterProgress(qint64 done, qint64 total)
{
    const bool running = m_table->isFiltering() && total > 0;
    m_filterProgress->setVisible(running);
    if (running)
        m_filterProgress->setValue(int(done * 100 / total));
}

void MainWindow::reselectShownFlow()
{
    // A new filter's rows replace the old ones at once: keep the flow the pane shows.
    m_filterProgress->hide();
    const FlowSnapshot& shown = m_detail->flow();
    if (!shown)
        return;
    const int row = m_table->viewRow(m_model->rowOf(shown->id));
    if (row < 0)
        return;
    const QModelIndex at = m_table->index(row, qMax(0, m_view->currentIndex().column()));
    m_view->selectionModel()->setCurrentIndex(at, QItemSelectionModel::ClearAndSelect |
                                                      QItemSelectionModel::Rows);
    m_view->scrollTo(at);
}

void MainWindow::refreshDetail(const QModelIndex& topLeft, const QModelIndex& bottomRight)
{
    const FlowSnapshot& shown = m_detail->flow();
    if (!shown)
        return;
    const int row = m_model->rowOf(shown->id);
    if (row >= topLeft.row() && row <= bottomRight.row())
        m_detail->setFlow(m_model->flowAt(row));
}

void MainWindow::moveCurrent(int delta)
{
    const QModelIndex current = m_view->currentIndex();
    moveToRow(current.isValid() ? current.row() + delta : 0);
}

void MainWindow::moveToRow(int proxyRow)
{
    if (m_table->rowCount() == 0)
        return;
    proxyRow = qBound(0, proxyRow, m_table->rowCount() - 1);
    const int column = qMax(0, m_view->currentIndex().column());
    m_view->setCurrentIndex(m_table->index(proxyRow, column));
}

void MainWindow::clearFlows()
{
    m_pendingFlows.clear();
    m_pendingFrom = 0;
    m_detail->setFlow(nullptr);
    m_model->clear();
    updateFlowCount();
}

bool MainWindow::openSession(const QString& path, QString* error)
{
    clearFlows();
    QList<FlowSnapshot> batch;
    batch.reserve(OpenBatchSize);
    // A million flows take seconds to read: the first rows are painted at once and the window
    // repaints every ~100 ms meanwhile (user input waits, so nothing re-enters this).
    QElapsedTimer sincePaint;
    sincePaint.start();
    bool painted = false;
    // Our sessions stream; HAR, Charles and mitmproxy captures are read whole first.
    const FlowFileReader::Result r = FlowFileReader::stream(path, [&](HttpFlow&& flow) {
        flow.live = false; // nothing of an opened session is in flight
        batch.append(std::make_shared<const HttpFlow>(std::move(flow)));
        if (batch.size() >= OpenBatchSize) {
            m_model->applyBatch(batch);
            batch.clear();
            if (!painted || sincePaint.elapsed() >= 100) {
                updateFlowCount();
                QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
                painted = true;
                sincePaint.restart();
            }
        }
        return true;
    });
    m_model->applyBatch(batch);
    updateFlowCount();
    if (!r.warnings.isEmpty())
        statusBar()->showMessage(r.warnings.join(QStringLiteral("; ")));
    if (!r.ok()) {
        *error = r.error;
        return false;
    }
    // An import is not overwritten by Save: that asks for a new session file.
    m_sessionPath = r.format == FlowFileReader::Format::Session ? path : QString();
    m_recent->add(path);
    return true;
}

bool MainWindow::saveSession(const QString& path, QString* error)
{
    // The format follows the name (.har, .mitm, .chlsj, ...; a Spyglass session otherwise),
    // one decoded flow at a time.
    const FlowFileWriter::Format format = FlowFileWriter::formatForPath(path);
    const FlowStore& store = m_model->store();
    if (QString err = FlowFileWriter::write(path, format, store.size(),
                                            [&store](qsizetype i) { return store.at(i); });
        !err.isEmpty()) {
        *error = err;
        return false;
    }
    // Save goes on writing the session; an export in another format is not it.
    if (format == FlowFileWriter::Format::Session)
        m_sessionPath = path;
    m_recent->add(path);
    statusBar()->showMessage(tr("Saved %1 flows to %2").arg(m_model->rowCount()).arg(path), 5000);
    return true;
}

bool MainWindow::setAutosaveFile(const QString& path, QString* error)
{
    auto writer = std::make_unique<SessionWriter>();
    if (QString err = writer->open(path); !err.isEmpty()) {
        *error = err;
        return false;
    }
    m_autosave = std::move(writer);
    return true;
}

void MainWindow::openSessionDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open session"), QString(),
        tr("Captures (*.spyglass *.har *.chlsj *.flow *.mitm *.dump);;Spyglass sessions "
           "(*.spyglass);;"
           "HAR (*.har);;Charles JSON sessions (*.chlsj);;mitmproxy flows (*.flow *.mitm *.dump);;"
           "All files (*)"));
    if (!path.isEmpty())
        openReporting(path);
}

void MainWindow::openReporting(const QString& path)
{
    QString error;
    if (!openSession(path, &error))
        showError(tr("Open session"), error);
}

void MainWindow::saveSessionDialog()
{
    const auto choice = SaveFileDialog::ask(this, tr("Save session"), m_sessionPath,
                                            FlowFileWriter::Format::Session);
    if (!choice)
        return;
    QString error;
    if (!saveSession(choice->path, &error))
        showError(tr("Save session"), error);
}

void MainWindow::showError(const QString& title, const QString& message)
{
    statusBar()->showMessage(message);
    QMessageBox::warning(this, title, message);
}

} // namespace spyglass
