// The window, offscreen: flows from the engine's hub reach the table, the detail pane shows the
// selected one, the filter bar validates and filters, j/k move in the list, geometry and the
// splitter survive a restart, and a session saved is a session opened. It also leaves a
// screenshot (main_window_test.png in the working directory) for a person to look at.

#include "content_view.h"
#include "filter_bar.h"
#include "flow_detail_view.h"
#include "flow_list_model.h"
#include "flow_structure_model.h"
#include "flow_table_model.h"
#include "flow_table_view.h"
#include "main_window.h"
#include "message_view.h"
#include "proxy_tools.h"
#include "server/proxy_engine.h"
#include "synthetic_flows.h"
#include "theme.h"

#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QMenu>
#include <QSet>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QTreeView>

using namespace spyglass;
using spyglass::test::uiFlow;

class MainWindowTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void showsFlowsFromTheHub();
    void filterBarValidates();
    void listKeysMove();
    void remembersGeometryAndSplitter();
    void remembersColumnsAndTab();
    void filterKeepsTheShownFlow();
    void structureTabShowsFlows();
    void savesAndOpensSessions();
    void hexDumpLayout();
    void interceptControls();
    void toolbarIcons();

private:
    void feed(ProxyEngine& engine, int count);
    QTemporaryDir m_dir;
};

void MainWindowTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("SpyglassTest"));
    QCoreApplication::setApplicationName(QStringLiteral("main_window_test"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
}

void MainWindowTest::feed(ProxyEngine& engine, int count)
{
    for (int i = 0; i < count; ++i)
        engine.hub().publish(uiFlow(i, i != count - 1)); // the last one is still running
    engine.hub().flush();
}

void MainWindowTest::showsFlowsFromTheHub()
{
    ProxyEngine engine;
    Options options;
    options.listenPort = 18080;
    MainWindow window(&engine, options);
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.listenAddress(), QStringLiteral("127.0.0.1:18080"));

    feed(engine, 12);
    QCOMPARE(window.flowModel()->rowCount(), 12);
    QCOMPARE(window.flowView()->model()->rowCount(), 12);

    window.flowView()->setCurrentIndex(window.tableModel()->index(4, 0));
    QVERIFY(window.detailView()->flow());
    QCOMPARE(window.detailView()->flow()->request.path, QByteArray("/item/4"));
    QVERIFY(window.detailView()->requestView()->headersText().startsWith(
        QStringLiteral("GET https://a4.example.com/item/4 HTTP/1.1\n")));
    QVERIFY(window.detailView()->responseView()->headersText().startsWith(
        QStringLiteral("HTTP/1.1 404 Not Found")));
    QCOMPARE(window.detailView()->responseView()->bodyText(),
             QStringLiteral("{\n  \"item\": 4\n}")); // Auto: JSON, pretty-printed
    window.detailView()->setCurrentIndex(1);

    // The running flow ends while shown: the pane follows.
    window.flowView()->setCurrentIndex(window.tableModel()->index(11, 0));
    QVERIFY(window.detailView()->responseView()->headersText().contains(QStringLiteral("Waiting")));
    engine.hub().publish(test::answered(window.detailView()->flow(), 11));
    engine.hub().flush();
    QCOMPARE(window.flowModel()->rowCount(), 12);
    QVERIFY(window.detailView()->responseView()->headersText().startsWith(
        QStringLiteral("HTTP/2.0 200 OK")));
    window.flowView()->setCurrentIndex(window.tableModel()->index(4, 0));

    const QString shot = QDir::current().absoluteFilePath(QStringLiteral("main_window_test.png"));
    QVERIFY(window.grab().save(shot));
    qInfo("screenshot: %s", qPrintable(shot));
}

void MainWindowTest::filterBarValidates()
{
    ProxyEngine engine;
    MainWindow window(&engine, Options{});
    feed(engine, 10);
    FilterBar* bar = window.filterBar();

    bar->setText(QStringLiteral("~m POST & ("));
    QVERIFY(!bar->isValid());
    QVERIFY(!bar->errorMessage().isEmpty());
    QCOMPARE(bar->toolTip(), bar->errorMessage());
    QVERIFY(bar->styleSheet().contains(QStringLiteral("background")));
    QCOMPARE(window.tableModel()->rowCount(), 10); // a bad expression filters nothing

    bar->setText(QStringLiteral("~m POST"));
    QVERIFY(bar->isValid());
    QVERIFY(bar->styleSheet().isEmpty());
    QTRY_COMPARE(window.tableModel()->rowCount(), 3); // after the typing pause
    QCOMPARE(window.tableModel()->filter().expression(), QStringLiteral("~m POST"));

    bar->setExpression(QString());
    QCOMPARE(window.tableModel()->rowCount(), 10);
}

void MainWindowTest::listKeysMove()
{
    ProxyEngine engine;
    MainWindow window(&engine, Options{});
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    feed(engine, 5);
    QTableView* view = window.flowView();
    view->setFocus();
    view->setCurrentIndex(window.tableModel()->index(0, 0));
    QTest::keyClick(view, Qt::Key_J);
    QCOMPARE(view->currentIndex().row(), 1);
    QTest::keyClick(view, Qt::Key_J);
    QCOMPARE(view->currentIndex().row(), 2);
    QTest::keyClick(view, Qt::Key_K);
    QCOMPARE(view->currentIndex().row(), 1);
    QTest::keyClick(view, Qt::Key_G, Qt::ShiftModifier);
    QCOMPARE(view->currentIndex().row(), 4);
    QTest::keyClick(view, Qt::Key_J); // stays on the last row
    QCOMPARE(view->currentIndex().row(), 4);
    QTest::keyClick(view, Qt::Key_G);
    QCOMPARE(view->currentIndex().row(), 0);
    QCOMPARE(window.detailView()->flow()->request.path, QByteArray("/item/0"));
}

void MainWindowTest::remembersGeometryAndSplitter()
{
    ProxyEngine engine;
    QList<int> sizes;
    {
        MainWindow window(&engine, Options{});
        window.resize(900, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.splitter()->setSizes({200, 400});
        sizes = window.splitter()->sizes();
        window.flowView()->horizontalHeader()->resizeSection(FlowListModel::HostColumn, 333);
        window.close(); // saves
    }
    MainWindow again(&engine, Options{});
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.size(), QSize(900, 700));
    QCOMPARE(again.splitter()->sizes(), sizes);
    QCOMPARE(again.flowView()->horizontalHeader()->sectionSize(FlowListModel::HostColumn), 333);
}

void MainWindowTest::remembersColumnsAndTab()
{
    ProxyEngine engine;
    QByteArray saved;
    {
        MainWindow window(&engine, Options{});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        FlowTableView* view = window.flowView();
        QHeaderView* header = view->horizontalHeader();
        // Defaults: client, scheme and TLS hidden.
        QVERIFY(header->isSectionHidden(FlowListModel::ClientColumn));
        QVERIFY(!header->isSectionHidden(FlowListModel::StatusColumn));
        // Through the header's menu: show TLS, hide Status.
        std::unique_ptr<QMenu> menu(view->columnMenu());
        for (QAction* a : menu->actions()) {
            if (a->data().toInt() == FlowListModel::TlsColumn && a->isCheckable())
                a->setChecked(true);
            if (a->data().toInt() == FlowListModel::StatusColumn && a->isCheckable())
                a->setChecked(false);
        }
        QVERIFY(!header->isSectionHidden(FlowListModel::TlsColumn));
        QVERIFY(header->isSectionHidden(FlowListModel::StatusColumn));
        header->moveSection(header->visualIndex(FlowListModel::HostColumn), 0);
        header->resizeSection(FlowListModel::PathColumn, 222);
        view->sortByColumn(FlowListModel::SizeColumn, Qt::DescendingOrder);
        QCOMPARE(window.tableModel()->sortColumn(), int(FlowListModel::SizeColumn));
        window.showStructure(true);
        window.close(); // saves
        saved = view->columnState();
    }
    MainWindow again(&engine, Options{});
    QHeaderView* header = again.flowView()->horizontalHeader();
    QCOMPARE(again.flowView()->columnState(), saved);
    QCOMPARE(header->logicalIndex(0), int(FlowListModel::HostColumn));
    QVERIFY(!header->isSectionHidden(FlowListModel::TlsColumn));
    QVERIFY(header->isSectionHidden(FlowListModel::StatusColumn));
    QVERIFY(header->isSectionHidden(FlowListModel::ClientColumn));
    QCOMPARE(header->sectionSize(FlowListModel::PathColumn), 222);
    QCOMPARE(header->sortIndicatorSection(), int(FlowListModel::SizeColumn));
    QCOMPARE(again.tableModel()->sortColumn(), int(FlowListModel::SizeColumn));
    QCOMPARE(again.tableModel()->sortOrder(), Qt::DescendingOrder);
    QCOMPARE(again.listTabs()->currentIndex(), 1);
    QVERIFY(again.structureModel());

    // A state from another column set is refused and the defaults stay.
    QVERIFY(!again.flowView()->restoreColumnState(QByteArray("nonsense")));
    QCOMPARE(header->count(), int(FlowListModel::ColumnCount));
    // Hiding the last visible column is refused.
    for (int c = 0; c < FlowListModel::ColumnCount; ++c)
        again.flowView()->setColumnVisible(c, false);
    QCOMPARE(header->hiddenSectionCount(), header->count() - 1);
    again.showStructure(false);
    again.close();
    QSettings().clear();
}

void MainWindowTest::filterKeepsTheShownFlow()
{
    ProxyEngine engine;
    MainWindow window(&engine, Options{});
    feed(engine, 10);
    window.flowView()->setCurrentIndex(window.tableModel()->index(5, 0));
    QCOMPARE(window.detailView()->flow()->request.path, QByteArray("/item/5"));
    window.filterBar()->setExpression(QStringLiteral("~m POST"));
    QTRY_VERIFY(!window.tableModel()->isFiltering());
    QCOMPARE(window.tableModel()->rowCount(), 3);
    QCOMPARE(window.flowView()->currentIndex().row(), 1); // /item/2, /item/5, /item/8
    QCOMPARE(window.detailView()->flow()->request.path, QByteArray("/item/5"));
}

void MainWindowTest::structureTabShowsFlows()
{
    ProxyEngine engine;
    MainWindow window(&engine, Options{});
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    feed(engine, 12);
    QVERIFY(!window.structureModel()); // made when first shown
    window.showStructure(true);
    FlowStructureModel* tree = window.structureModel();
    QVERIFY(tree);
    QTRY_VERIFY(tree->isReady());
    QCOMPARE(window.structureView()->model(), tree);
    QCOMPARE(tree->rowCount(), 7); // a0 .. a6.example.com
    const QModelIndex leaf = tree->indexOfFlow(4);
    QVERIFY(leaf.isValid());
    QCOMPARE(leaf.data().toString(), QStringLiteral("4"));
    window.structureView()->setCurrentIndex(leaf);
    QCOMPARE(window.detailView()->flow()->request.path, QByteArray("/item/4"));
    feed(engine, 14); // the same twelve again (new ids) and two more
    QCOMPARE(tree->index(0, FlowStructureModel::CountColumn).data().toInt(), 4); // a0: 0, 7 twice
    window.structureView()->expandToDepth(1);
    const QString shot =
        QDir::current().absoluteFilePath(QStringLiteral("main_window_structure.png"));
    QVERIFY(window.grab().save(shot));
    qInfo("screenshot: %s", qPrintable(shot));
    window.showStructure(false);
}

void MainWindowTest::savesAndOpensSessions()
{
    ProxyEngine engine;
    MainWindow window(&engine, Options{});
    feed(engine, 25);
    const QString path = m_dir.filePath(QStringLiteral("s.spyglass"));
    QString error;
    QVERIFY2(window.saveSession(path, &error), qPrintable(error));
    window.clearFlows();
    QCOMPARE(window.flowModel()->rowCount(), 0);

    QVERIFY2(window.openSession(path, &error), qPrintable(error));
    QCOMPARE(window.flowModel()->rowCount(), 25);
    QCOMPARE(window.flowModel()->flowAt(24)->request.path, QByteArray("/item/24"));
    QVERIFY(!window.flowModel()->flowAt(24)->live); // nothing opened is in flight

    QVERIFY(!window.openSession(m_dir.filePath(QStringLiteral("missing.spyglass")), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!window.saveSession(m_dir.filePath(QStringLiteral("no/such/dir/x.spyglass")), &error));

    // -w: finished flows are appended as they come.
    const QString autosave = m_dir.filePath(QStringLiteral("auto.spyglass"));
    QVERIFY2(window.setAutosaveFile(autosave, &error), qPrintable(error));
    feed(engine, 3); // two finished, one running
    MainWindow other(&engine, Options{});
    other.clearFlows();
    QVERIFY2(other.openSession(autosave, &error), qPrintable(error));
    QCOMPARE(other.flowModel()->rowCount(), 2);
}

// The toolbar's intercept filter and toggle reach the running engine; a bad filter is
// refused and marked; switching intercept off releases what is held.
void MainWindowTest::interceptControls()
{
    QTemporaryDir conf;
    Options options;
    options.confdir = conf.path();
    options.listenPort = 0;
    ProxyEngine engine;
    MainWindow window(&engine, options);
    QString error;
    QVERIFY2(window.startProxy(&error), qPrintable(error));
    QVERIFY(!window.interceptAction()->isChecked());
    QCOMPARE(window.resumeAction()->shortcut(), QKeySequence(Qt::Key_A));
    QCOMPARE(window.killAction()->shortcut(), QKeySequence(Qt::Key_X));

    window.interceptFilterEdit()->setText(QStringLiteral("~u /api"));
    QTest::keyClick(window.interceptFilterEdit(), Qt::Key_Return);
    QCOMPARE(engine.options().intercept, QStringLiteral("~u /api"));
    QVERIFY(window.interceptAction()->isChecked()); // a new filter turns intercept on
    QVERIFY(engine.options().interceptActive);

    window.interceptFilterEdit()->setText(QStringLiteral("~nonsense"));
    QTest::keyClick(window.interceptFilterEdit(), Qt::Key_Return);
    QCOMPARE(engine.options().intercept, QStringLiteral("~u /api")); // unchanged
    QVERIFY(window.interceptFilterEdit()->toolTip().contains(QStringLiteral("intercept")));

    window.interceptAction()->trigger(); // off
    QVERIFY(!engine.options().interceptActive);
    QVERIFY(!window.options().interceptActive);
    window.stopProxy();
}

void MainWindowTest::hexDumpLayout()
{
    QCOMPARE(ContentView::hexDump("AB\x01", 16),
             QStringLiteral("00000000  41 42 01                                          AB.\n"));
    QCOMPARE(ContentView::hexDump(QByteArray(40, 'x'), 20).count(QLatin1Char('\n')), 2);
}

namespace {

// Pixels of `icon` at 24x24 that are not transparent.
int paintedPixels(const QIcon& icon)
{
    const QImage image = icon.pixmap(24, 24).toImage();
    int painted = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            painted += qAlpha(image.pixel(x, y)) > 0 ? 1 : 0;
    return painted;
}

} // namespace

// Every button of the toolbar has an icon, the Tools ones (Open browser, System proxy,
// Certificate wizard) and the pencil that marks modified flows included; each SVG is drawn.
// The toolbar is grabbed in the light and the dark theme (into SPYGLASS_SCREENSHOTS when set).
void MainWindowTest::toolbarIcons()
{
    ProxyEngine engine;
    MainWindow window(&engine, Options{});
    window.resize(1500, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* bar = window.findChild<QToolBar*>(QStringLiteral("proxyToolBar"));
    QVERIFY(bar);
    ProxyTools* tools = window.proxyTools();
    QVERIFY(tools);
    for (QAction* a :
         {tools->openBrowserAction(), tools->systemProxyAction(), tools->certWizardAction()}) {
        QVERIFY2(bar->actions().contains(a), qPrintable(a->text()));
        QVERIFY2(!a->icon().isNull(), qPrintable(a->text()));
        QVERIFY2(paintedPixels(a->icon()) > 60, qPrintable(a->text()));
    }
    int buttons = 0;
    for (QAction* a : bar->actions()) {
        if (a->isSeparator() || bar->widgetForAction(a)->inherits("QLabel") ||
            bar->widgetForAction(a)->inherits("QLineEdit"))
            continue;
        ++buttons;
        QVERIFY2(!a->icon().isNull(), qPrintable(a->text() + QStringLiteral(" has no icon")));
    }
    QCOMPARE(buttons, 7); // start, clear, intercept, resume all, browser, system proxy, wizard
    QVERIFY(paintedPixels(Theme::icon(QStringLiteral("modified"))) > 40);
    // The three new icons differ from each other and from the others (no copy left behind).
    QSet<QByteArray> seen;
    for (const char* name : {"browser", "system-proxy", "certificate", "modified", "open", "save",
                             "clear", "start", "intercept"}) {
        QFile svg(QStringLiteral(":/icons/actions/%1.svg").arg(QLatin1String(name)));
        QVERIFY2(svg.open(QIODevice::ReadOnly), name);
        const QByteArray bytes = svg.readAll();
        QVERIFY2(!seen.contains(bytes), name);
        seen.insert(bytes);
    }

    const QString dir = qEnvironmentVariable("SPYGLASS_SCREENSHOTS");
    const Theme::Mode before = Theme::current();
    for (const Theme::Mode mode : {Theme::Mode::Light, Theme::Mode::Dark}) {
        Theme::apply(mode);
        QCoreApplication::processEvents();
        const QPixmap shot = bar->grab();
        QVERIFY(!shot.isNull());
        QVERIFY(shot.width() > 400);
        if (!dir.isEmpty())
            QVERIFY(shot.save(dir + QStringLiteral("/toolbar_%1.png")
                                        .arg(mode == Theme::Mode::Dark ? QStringLiteral("dark")
                                                                       : QStringLiteral("light"))));
    }
    Theme::apply(before);
}

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
