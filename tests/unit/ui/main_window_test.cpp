// The window, offscreen: flows from the engine's hub reach the table, the detail pane shows the
// selected one, the filter bar validates and filters, j/k move in the list, geometry and the
// splitter survive a restart, and a session saved is a session opened. It also leaves a
// screenshot (main_window_test.png in the working directory) for a person to look at.

#include "content_view.h"
#include "filter_bar.h"
#include "flow_detail_view.h"
#include "flow_filter_proxy_model.h"
#include "flow_list_model.h"
#include "main_window.h"
#include "message_view.h"
#include "server/proxy_engine.h"
#include "synthetic_flows.h"

#include <QDir>
#include <QHeaderView>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

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
    void savesAndOpensSessions();
    void hexDumpLayout();

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

    window.flowView()->setCurrentIndex(window.proxyModel()->index(4, 0));
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
    window.flowView()->setCurrentIndex(window.proxyModel()->index(11, 0));
    QVERIFY(window.detailView()->responseView()->headersText().contains(QStringLiteral("Waiting")));
    engine.hub().publish(test::answered(window.detailView()->flow(), 11));
    engine.hub().flush();
    QCOMPARE(window.flowModel()->rowCount(), 12);
    QVERIFY(window.detailView()->responseView()->headersText().startsWith(
        QStringLiteral("HTTP/2.0 200 OK")));
    window.flowView()->setCurrentIndex(window.proxyModel()->index(4, 0));

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
    QCOMPARE(window.proxyModel()->rowCount(), 10); // a bad expression filters nothing

    bar->setText(QStringLiteral("~m POST"));
    QVERIFY(bar->isValid());
    QVERIFY(bar->styleSheet().isEmpty());
    QTRY_COMPARE(window.proxyModel()->rowCount(), 3); // after the typing pause
    QCOMPARE(window.proxyModel()->flowFilter().expression(), QStringLiteral("~m POST"));

    bar->setExpression(QString());
    QCOMPARE(window.proxyModel()->rowCount(), 10);
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
    view->setCurrentIndex(window.proxyModel()->index(0, 0));
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

void MainWindowTest::hexDumpLayout()
{
    QCOMPARE(ContentView::hexDump("AB\x01", 16),
             QStringLiteral("00000000  41 42 01                                          AB.\n"));
    QCOMPARE(ContentView::hexDump(QByteArray(40, 'x'), 20).count(QLatin1Char('\n')), 2);
}

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
