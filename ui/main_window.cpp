#include "main_window.h"

#include "filter_bar.h"
#include "flow_detail_view.h"
#include "flow_filter_proxy_model.h"
#include "flow_list_model.h"

#include "io/session_reader.h"
#include "io/session_writer.h"
#include "server/proxy_engine.h"

#include <QAction>
#include <QCloseEvent>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollBar>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace spyglass {

namespace {

// Flows read from a session file reach the model in batches of this many: one row insertion
// each, and never the whole file as snapshots at once.
constexpr int OpenBatchSize = 10000;

const QString GeometryKey = QStringLiteral("mainWindow/geometry");
const QString StateKey = QStringLiteral("mainWindow/state");
const QString SplitterKey = QStringLiteral("mainWindow/splitter");
const QString HeaderKey = QStringLiteral("flowList/header");

} // namespace

MainWindow::MainWindow(ProxyEngine* engine, const Options& options, QWidget* parent)
    : QMainWindow(parent), m_engine(engine), m_options(options), m_model(new FlowListModel(this)),
      m_proxy(new FlowFilterProxyModel(this))
{
    setWindowTitle(tr("Spyglass"));
    m_proxy->setFlowModel(m_model);
    createActions();
    createMenus();
    createToolBar();
    createCentralWidget();
    createStatusBar();
    restoreSettings();

    connect(&m_engine->hub(), &FlowHub::flowsChanged, this, &MainWindow::onFlowsChanged);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &MainWindow::refreshDetail);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        updateFlowCount();
        if (m_followTail)
            m_view->scrollToBottom();
    });
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar* bar = m_view->verticalScrollBar();
        m_followTail = bar->value() >= bar->maximum();
    });
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateFlowCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateFlowCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &MainWindow::updateFlowCount);
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

    m_open = new QAction(tr("&Open session…"), this);
    m_open->setShortcut(QKeySequence::Open);
    connect(m_open, &QAction::triggered, this, &MainWindow::openSessionDialog);

    m_save = new QAction(tr("&Save session"), this);
    m_save->setShortcut(QKeySequence::Save);
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

    m_about = new QAction(tr("&About Spyglass"), this);
    m_about->setMenuRole(QAction::AboutRole);
    connect(m_about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_open);
    file->addAction(m_save);
    file->addAction(m_saveAs);
    file->addSeparator();
    file->addAction(m_quit);
    QMenu* proxy = menuBar()->addMenu(tr("&Proxy"));
    proxy->addAction(m_startStop);
    proxy->addAction(m_clear);
    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_focusFilter);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_about);
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

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Spyglass"), aboutText());
}

void MainWindow::createToolBar()
{
    QToolBar* bar = addToolBar(tr("Proxy"));
    bar->setObjectName(QStringLiteral("proxyToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addAction(m_startStop);
    m_toolbarAddress = new QLabel(bar);
    m_toolbarAddress->setContentsMargins(8, 0, 8, 0);
    m_toolbarAddress->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(m_toolbarAddress);
    bar->addSeparator();
    bar->addAction(m_clear);
}

void MainWindow::createCentralWidget()
{
    auto* central = new QWidget(this);
    m_filterBar = new FilterBar(central);
    connect(m_filterBar, &FilterBar::filterChanged, this, [this](const filter::Filter& f) {
        m_proxy->setFlowFilter(f);
        updateFlowCount();
    });

    m_view = new QTableView(central);
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    // Fixed row heights: the view never measures a million rows.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    header->setStretchLastSection(false);
    header->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);
    const int widths[FlowListModel::ColumnCount] = {50, 90, 60, 180, 320, 55, 140, 70, 70, 75};
    for (int c = 0; c < FlowListModel::ColumnCount; ++c)
        header->resizeSection(c, widths[c]);
    header->setSectionResizeMode(FlowListModel::PathColumn, QHeaderView::Interactive);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });

    // mitmproxy's keys in the list: j/k down/up, g/G first/last.
    auto listKey = [this](QKeySequence key, auto slot) {
        auto* s = new QShortcut(key, m_view, nullptr, nullptr, Qt::WidgetShortcut);
        connect(s, &QShortcut::activated, this, slot);
    };
    listKey(QKeySequence(Qt::Key_J), [this] { moveCurrent(1); });
    listKey(QKeySequence(Qt::Key_K), [this] { moveCurrent(-1); });
    listKey(QKeySequence(Qt::Key_G), [this] { moveToRow(0); });
    listKey(QKeySequence(Qt::SHIFT | Qt::Key_G), [this] { moveToRow(m_proxy->rowCount() - 1); });
    // Escape in the filter bar goes back to the list.
    auto* back = new QShortcut(QKeySequence(Qt::Key_Escape), m_filterBar, nullptr, nullptr,
                               Qt::WidgetShortcut);
    connect(back, &QShortcut::activated, m_view, [this] { m_view->setFocus(); });

    m_detail = new FlowDetailView(central);
    m_splitter = new QSplitter(Qt::Vertical, central);
    m_splitter->setObjectName(QStringLiteral("flowSplitter"));
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_filterBar);
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
    statusBar()->addPermanentWidget(m_statusCount);
    statusBar()->addPermanentWidget(m_statusAddress);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(GeometryKey).toByteArray()))
        resize(1200, 800);
    restoreState(settings.value(StateKey).toByteArray());
    if (!m_splitter->restoreState(settings.value(SplitterKey).toByteArray()))
        m_splitter->setSizes({480, 320});
    m_view->horizontalHeader()->restoreState(settings.value(HeaderKey).toByteArray());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(StateKey, saveState());
    settings.setValue(SplitterKey, m_splitter->saveState());
    settings.setValue(HeaderKey, m_view->horizontalHeader()->saveState());
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
    const QString address = listenAddress();
    m_toolbarAddress->setText(running ? tr("Listening on %1").arg(address)
                                      : tr("Stopped (%1)").arg(address));
    m_statusAddress->setText(running ? tr("Proxy: %1").arg(address) : tr("Proxy stopped"));
}

void MainWindow::updateFlowCount()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    const QString flows = total == 1 ? tr("1 flow") : tr("%1 flows").arg(total);
    m_statusCount->setText(shown == total ? flows : tr("%1 of %2").arg(shown).arg(flows));
}

void MainWindow::onFlowsChanged(const QList<FlowSnapshot>& batch)
{
    m_model->applyBatch(batch);
    if (m_autosave && m_autosave->isOpen()) {
        for (const FlowSnapshot& f : batch) {
            if (f && !f->live) {
                if (const QString err = m_autosave->append(*f); !err.isEmpty()) {
                    statusBar()->showMessage(err);
                    break;
                }
            }
        }
    }
    updateFlowCount();
}

void MainWindow::onCurrentChanged(const QModelIndex& current)
{
    const QModelIndex source = m_proxy->mapToSource(current);
    m_detail->setFlow(source.isValid() ? m_model->flowAt(source.row()) : nullptr);
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
    if (m_proxy->rowCount() == 0)
        return;
    proxyRow = qBound(0, proxyRow, m_proxy->rowCount() - 1);
    const int column = qMax(0, m_view->currentIndex().column());
    m_view->setCurrentIndex(m_proxy->index(proxyRow, column));
}

void MainWindow::clearFlows()
{
    m_detail->setFlow(nullptr);
    m_model->clear();
    updateFlowCount();
}

bool MainWindow::openSession(const QString& path, QString* error)
{
    clearFlows();
    QList<FlowSnapshot> batch;
    batch.reserve(OpenBatchSize);
    const SessionReader::Result r = SessionReader::stream(path, [&](HttpFlow&& flow) {
        flow.live = false; // nothing of an opened session is in flight
        batch.append(std::make_shared<const HttpFlow>(std::move(flow)));
        if (batch.size() >= OpenBatchSize) {
            m_model->applyBatch(batch);
            batch.clear();
        }
        return true;
    });
    m_model->applyBatch(batch);
    updateFlowCount();
    if (!r.warnings.isEmpty())
        statusBar()->showMessage(r.warnings.join(QStringLiteral("; ")));
    if (!r.ok()) {
        *error = r.errors.join(QStringLiteral("; "));
        return false;
    }
    m_sessionPath = path;
    return true;
}

bool MainWindow::saveSession(const QString& path, QString* error)
{
    SessionWriter writer;
    if (QString err = writer.open(path); !err.isEmpty()) {
        *error = err;
        return false;
    }
    QString failed;
    m_model->store().forEach([&](const HttpFlow& flow) {
        if (failed.isEmpty())
            failed = writer.append(flow);
    });
    writer.close();
    if (!failed.isEmpty()) {
        *error = failed;
        return false;
    }
    m_sessionPath = path;
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
        this, tr("Open session"), QString(), tr("Spyglass sessions (*.spyglass);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!openSession(path, &error))
        showError(tr("Open session"), error);
}

void MainWindow::saveSessionDialog()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Save session"), m_sessionPath,
                                                tr("Spyglass sessions (*.spyglass)"));
    if (path.isEmpty())
        return;
    if (!path.contains(QLatin1Char('.')))
        path += QStringLiteral(".spyglass");
    QString error;
    if (!saveSession(path, &error))
        showError(tr("Save session"), error);
}

void MainWindow::showError(const QString& title, const QString& message)
{
    statusBar()->showMessage(message);
    QMessageBox::warning(this, title, message);
}

} // namespace spyglass
