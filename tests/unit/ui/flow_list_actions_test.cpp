// The flow list's actions in the window, offscreen: m marks and ~marked finds exactly that
// flow, comments (the dialog and the Comment tab) are found with ~comment, a mark on a live
// flow survives its next snapshot, copy as puts FlowExport's text on the clipboard, selected
// and filtered flows saved as HAR or session read back, d and Delete remove rows (live ones
// stay away), j/k move, the highlight bar sets HighlightRole, dropping a session file opens it
// and adds it to Open Recent, deleting a held flow kills it in the engine (x kills and a
// resumes from the list too), and every model runs under QAbstractItemModelTester. With
// SPYGLASS_SCREENSHOTS=DIR it saves the window with marked and highlighted rows there.

#include "comment_dialog.h"
#include "comment_view.h"
#include "filter_bar.h"
#include "flow_detail_view.h"
#include "flow_list_actions.h"
#include "flow_list_model.h"
#include "flow_structure_model.h"
#include "flow_table_model.h"
#include "flow_table_view.h"
#include "main_window.h"
#include "recent_files.h"
#include "status_bar_monitor.h"
#include "synthetic_flows.h"

#include "flow/flow_marker.h"
#include "io/flow_export.h"
#include "io/har_reader.h"
#include "io/session_reader.h"
#include "io/session_writer.h"
#include "server/proxy_engine.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QIcon>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

using namespace spyglass;
using spyglass::test::uiFlow;

class FlowListActionsTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void markKeyThenFilterMarked();
    void markMenuAndLiveFlows();
    void commentDialogAndTab();
    void copyAsMatchesFlowExport();
    void saveSelectedAsHarAndFiltered();
    void structureSelectionAfterOpen();
    void deleteRemovesRows();
    void deleteKillsHeldFlows();
    void heldFlowKeysInTheRunningEngine();
    void listKeysMove();
    void highlightRole();
    void dropOpensAndRecentFiles();
    void statusBarFigures();
    void screenshot();

private:
    struct Window
    {
        ProxyEngine engine;
        std::unique_ptr<MainWindow> window;
        std::unique_ptr<QAbstractItemModelTester> listTester;
        std::unique_ptr<QAbstractItemModelTester> tableTester;
    };
    std::unique_ptr<Window> makeWindow(int flows);
    static void select(MainWindow& w, int viewRow);
    static void applyFilter(MainWindow& w, const QString& expression);
    QTemporaryDir m_dir;
};

void FlowListActionsTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("SpyglassTest"));
    QCoreApplication::setApplicationName(QStringLiteral("flow_list_actions_test"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
}

std::unique_ptr<FlowListActionsTest::Window> FlowListActionsTest::makeWindow(int flows)
{
    auto w = std::make_unique<Window>();
    Options options;
    options.listenPort = 18081;
    w->window = std::make_unique<MainWindow>(&w->engine, options);
    w->listTester = std::make_unique<QAbstractItemModelTester>(
        w->window->flowModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    w->tableTester = std::make_unique<QAbstractItemModelTester>(
        w->window->tableModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    w->window->resize(1280, 800);
    w->window->show();
    if (!QTest::qWaitForWindowExposed(w->window.get()))
        qWarning("window not exposed");
    for (int i = 0; i < flows; ++i)
        w->engine.hub().publish(uiFlow(i));
    w->engine.hub().flush();
    return w;
}

void FlowListActionsTest::select(MainWindow& w, int viewRow)
{
    w.flowView()->setFocus();
    w.flowView()->selectionModel()->setCurrentIndex(w.tableModel()->index(viewRow, 0),
                                                    QItemSelectionModel::ClearAndSelect |
                                                        QItemSelectionModel::Rows);
}

void FlowListActionsTest::applyFilter(MainWindow& w, const QString& expression)
{
    w.filterBar()->setExpression(expression);
    w.tableModel()->finishFiltering();
}

void FlowListActionsTest::markKeyThenFilterMarked()
{
    auto w = makeWindow(20);
    MainWindow& win = *w->window;
    QCOMPARE(win.tableModel()->rowCount(), 20);
    select(win, 7);
    QTest::keyClick(win.flowView(), Qt::Key_M);
    QCOMPARE(win.flowModel()->markerOf(7), FlowMarker::defaultMarker.toString());
    // The default mark is a red dot, drawn, not a glyph.
    const QModelIndex markCell = win.tableModel()->index(7, FlowListModel::MarkerColumn);
    QCOMPARE(markCell.data().toString(), QString());
    QVERIFY(!markCell.data(Qt::DecorationRole).value<QIcon>().isNull());
    QCOMPARE(markCell.data(Qt::ToolTipRole).toString(), FlowMarker::defaultMarker.toString());
    QVERIFY(!win.tableModel()
                 ->index(6, FlowListModel::MarkerColumn)
                 .data(Qt::DecorationRole)
                 .isValid());
    QCOMPARE(win.flowModel()->flowAt(7)->marked, FlowMarker::defaultMarker.toString());

    applyFilter(win, QStringLiteral("~marked"));
    QCOMPARE(win.tableModel()->rowCount(), 1);
    QCOMPARE(win.tableModel()->flowAt(0)->request.path, QByteArray("/item/7"));

    // Unmarked while the filter shows it: it leaves the list at once.
    select(win, 0);
    QTest::keyClick(win.flowView(), Qt::Key_M);
    QCOMPARE(win.flowModel()->markerOf(7), QString());
    QCOMPARE(win.tableModel()->rowCount(), 0);

    // A key typed in the filter bar is text, not a mark.
    applyFilter(win, QString());
    select(win, 3);
    win.filterBar()->setFocus();
    QTest::keyClick(win.filterBar(), Qt::Key_M);
    QCOMPARE(win.filterBar()->text(), QStringLiteral("m"));
    QCOMPARE(win.flowModel()->markerOf(3), QString());
}

void FlowListActionsTest::markMenuAndLiveFlows()
{
    auto w = makeWindow(10);
    MainWindow& win = *w->window;
    FlowListActions* actions = win.listActions();
    QVERIFY(actions->menuMarkers().contains(QStringLiteral(":red_circle:")));
    QVERIFY(actions->menuMarkers().first() == FlowMarker::defaultMarker);
    // Rows 2 and 4 selected: the Mark menu's red circle marks both.
    select(win, 2);
    win.flowView()->selectionModel()->select(
        win.tableModel()->index(4, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(actions->selectedStoreRows(), (QList<int>{2, 4}));
    QAction* red = nullptr;
    for (QAction* a : actions->markMenu()->actions())
        if (a->data().toString() == QStringLiteral(":red_circle:"))
            red = a;
    QVERIFY(red);
    red->trigger();
    applyFilter(win, QStringLiteral("~marker red_circle"));
    QCOMPARE(win.tableModel()->rowCount(), 2);
    QVERIFY(!actions->setMarker(QStringLiteral(":no_such_emoji_here:")));
    applyFilter(win, QString());

    // A live flow marked keeps its mark when the engine publishes its answer.
    const FlowSnapshot live = uiFlow(10, false);
    w->engine.hub().publish(live);
    w->engine.hub().flush();
    QCOMPARE(win.tableModel()->rowCount(), 11);
    select(win, 10);
    QVERIFY(actions->setMarker(QStringLiteral(":star:")));
    w->engine.hub().publish(test::answered(live, 10));
    w->engine.hub().flush();
    QCOMPARE(win.flowModel()->markerOf(10), QStringLiteral(":star:"));
    QVERIFY(!win.flowModel()->flowAt(10)->live);
}

void FlowListActionsTest::commentDialogAndTab()
{
    auto w = makeWindow(10);
    MainWindow& win = *w->window;
    select(win, 5);
    // The dialog: answered as a user would, from the event loop once it shows.
    QTimer::singleShot(0, this, [] {
        auto* dialog = qobject_cast<CommentDialog*>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        dialog->editor()->setPlainText(QStringLiteral("login token here\nsecond line"));
        dialog->accept();
    });
    win.listActions()->commentAction()->trigger();
    QCOMPARE(win.flowModel()->commentOf(5), QStringLiteral("login token here\nsecond line"));
    QCOMPARE(win.tableModel()->index(5, FlowListModel::CommentColumn).data().toString(),
             QStringLiteral("login token here"));
    applyFilter(win, QStringLiteral("~comment token"));
    QCOMPARE(win.tableModel()->rowCount(), 1);
    QCOMPARE(win.tableModel()->flowAt(0)->request.path, QByteArray("/item/5"));

    // The Comment tab shows it and edits it in place.
    select(win, 0);
    CommentView* tab = win.detailView()->commentView();
    QCOMPARE(tab->text(), QStringLiteral("login token here\nsecond line"));
    applyFilter(win, QString());
    select(win, 8);
    QCOMPARE(tab->text(), QString());
    tab->editor()->setPlainText(QStringLiteral("checked by hand"));
    // Selecting another row hands the typed text on first.
    select(win, 1);
    QCOMPARE(win.flowModel()->commentOf(8), QStringLiteral("checked by hand"));
    applyFilter(win, QStringLiteral("~comment \"by hand\""));
    QCOMPARE(win.tableModel()->rowCount(), 1);
    // After a pause, without leaving the flow.
    applyFilter(win, QString());
    select(win, 2);
    tab->editor()->setPlainText(QStringLiteral("third"));
    QTRY_COMPARE(win.flowModel()->commentOf(2), QStringLiteral("third"));
    QCOMPARE(tab->text(), QStringLiteral("third"));
}

void FlowListActionsTest::copyAsMatchesFlowExport()
{
    auto w = makeWindow(6);
    MainWindow& win = *w->window;
    select(win, 2); // a POST
    for (QAction* a : win.listActions()->copyActions()) {
        const QString format = a->data().toString();
        QVERIFY(FlowExport::isFormat(format));
        a->trigger();
        QString error;
        const QByteArray expected =
            FlowExport::exportFlow(format, *win.flowModel()->flowAt(2), win.options(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(QApplication::clipboard()->text(), QString::fromUtf8(expected));
    }
    QVERIFY(QApplication::clipboard()->text().contains(QStringLiteral("/item/2")));
    // Ctrl+Shift+C in the list is curl.
    QApplication::clipboard()->clear();
    QTest::keyClick(win.flowView(), Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(QApplication::clipboard()->text().startsWith(QStringLiteral("curl ")));
}

void FlowListActionsTest::saveSelectedAsHarAndFiltered()
{
    auto w = makeWindow(12);
    MainWindow& win = *w->window;
    FlowListActions* actions = win.listActions();
    select(win, 3);
    actions->setMarker(QStringLiteral(":bug:"));
    actions->setComment(QStringLiteral("see ticket 12"));
    win.flowView()->selectionModel()->select(
        win.tableModel()->index(9, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QString har = m_dir.filePath(QStringLiteral("selected.har"));
    QCOMPARE(FlowListActions::formatForPath(har), FlowListActions::SaveFormat::Har);
    QCOMPARE(
        actions->saveFlows(actions->selectedStoreRows(), har, FlowListActions::SaveFormat::Har),
        QString());
    const HarReader::Result back = HarReader::read(har);
    QVERIFY2(back.ok(), qPrintable(back.error));
    QCOMPARE(back.flows.size(), 2);
    QCOMPARE(back.flows[0].request.path, QByteArray("/item/3"));
    QCOMPARE(back.flows[1].request.path, QByteArray("/item/9"));

    // The filtered flows as a session: marks and comments kept.
    applyFilter(win, QStringLiteral("~m POST"));
    const QList<int> filtered = actions->filteredStoreRows();
    QCOMPARE(filtered.size(), 4); // 2, 5, 8, 11
    const QString session = m_dir.filePath(QStringLiteral("filtered.spyglass"));
    QCOMPARE(actions->saveFlows(filtered, session, FlowListActions::formatForPath(session)),
             QString());
    QList<HttpFlow> read;
    const SessionReader::Result r = SessionReader::stream(session, [&](HttpFlow&& f) {
        read.append(std::move(f));
        return true;
    });
    QVERIFY(r.ok());
    QCOMPARE(read.size(), 4);
    QCOMPARE(read[0].request.path, QByteArray("/item/2"));

    // Marks and comments travel with a whole session too.
    applyFilter(win, QString());
    const QString all = m_dir.filePath(QStringLiteral("all.spyglass"));
    QString error;
    QVERIFY(win.saveSession(all, &error));
    read.clear();
    SessionReader::stream(all, [&](HttpFlow&& f) {
        read.append(std::move(f));
        return true;
    });
    QCOMPARE(read.size(), 12);
    QCOMPARE(read[3].marked, QStringLiteral(":bug:"));
    QCOMPARE(read[3].comment, QStringLiteral("see ticket 12"));

    // With an autosave file (-w), a mark set afterwards is appended as the flow's new version.
    const QString autosave = m_dir.filePath(QStringLiteral("autosave.spyglass"));
    QVERIFY(win.setAutosaveFile(autosave, &error));
    w->engine.hub().publish(uiFlow(20));
    w->engine.hub().flush();
    select(win, win.tableModel()->rowCount() - 1);
    QTest::keyClick(win.flowView(), Qt::Key_M);
    const SessionReader::Result saved = SessionReader::readAll(autosave);
    QCOMPARE(saved.flows.size(), 1); // finished, then marked: the last version is kept
    QCOMPARE(saved.flows[0].request.path, QByteArray("/item/20"));
    QCOMPARE(saved.flows[0].marked, FlowMarker::defaultMarker.toString());
}

// With the Structure tab showing, after a session was opened into it, the list's actions act
// on the flows at or below the selected tree nodes: a host saves all of its flows, a resource
// its own; m marks them from the tree, d deletes them; the filtered flows are still the
// filter's. Back on the Sequence tab the table's selection counts again.
void FlowListActionsTest::structureSelectionAfterOpen()
{
    auto w = makeWindow(14); // host a<i%7>: two flows each
    MainWindow& win = *w->window;
    const QString all = m_dir.filePath(QStringLiteral("structure-all.spyglass"));
    QString error;
    QVERIFY(win.saveSession(all, &error));
    win.clearFlows();
    win.showStructure(true);
    QVERIFY(win.structureModel());
    QVERIFY2(win.openSession(all, &error), qPrintable(error));
    QCOMPARE(win.flowModel()->rowCount(), 14);
    FlowStructureModel* tree = win.structureModel();
    QAbstractItemModelTester treeTester(tree,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY(tree->isReady() && tree->rowCount() == 7);
    FlowListActions* actions = win.listActions();
    QVERIFY(!actions->deleteAction()->isEnabled()); // nothing selected in the tree yet

    QModelIndex host;
    for (int r = 0; r < tree->rowCount(); ++r)
        if (tree->index(r, 0).data().toString() == QLatin1String("a3.example.com"))
            host = tree->index(r, 0);
    QVERIFY(host.isValid());
    win.structureView()->setFocus();
    win.structureView()->selectionModel()->setCurrentIndex(
        host, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QVERIFY(actions->deleteAction()->isEnabled());
    QCOMPARE(actions->selectedStoreRows(), (QList<int>{3, 10}));
    const QString har = m_dir.filePath(QStringLiteral("structure-host.har"));
    QCOMPARE(
        actions->saveFlows(actions->selectedStoreRows(), har, FlowListActions::SaveFormat::Har),
        QString());
    const HarReader::Result back = HarReader::read(har);
    QVERIFY2(back.ok(), qPrintable(back.error));
    QCOMPARE(back.flows.size(), 2);
    QCOMPARE(back.flows[0].request.path, QByteArray("/item/3"));
    QCOMPARE(back.flows[1].request.path, QByteArray("/item/10"));

    // A resource and a second host, selected together.
    const QModelIndex leaf = tree->indexOfFlow(5);
    QVERIFY(leaf.isValid());
    win.structureView()->selectionModel()->select(leaf, QItemSelectionModel::Select |
                                                            QItemSelectionModel::Rows);
    QCOMPARE(actions->selectedStoreRows(), (QList<int>{3, 5, 10}));
    // The keys work in the tree: m marks the three.
    QTest::keyClick(win.structureView(), Qt::Key_M);
    for (int r : {3, 5, 10})
        QCOMPARE(win.flowModel()->markerOf(r), FlowMarker::defaultMarker.toString());
    QCOMPARE(win.flowModel()->markerOf(12), QString()); // a5's other flow: not selected
    // The filtered flows are the filter's, whichever tab shows.
    applyFilter(win, QStringLiteral("~marked"));
    QCOMPARE(actions->filteredStoreRows(), (QList<int>{3, 5, 10}));
    applyFilter(win, QString());

    // Back on the Sequence tab: the table's selection.
    win.showStructure(false);
    select(win, 0);
    QCOMPARE(actions->selectedStoreRows(), QList<int>{0});
    // And in the tree again: d deletes the selected nodes' flows.
    win.showStructure(true);
    win.structureView()->setFocus();
    QCOMPARE(actions->selectedStoreRows(), (QList<int>{3, 5, 10}));
    QTest::keyClick(win.structureView(), Qt::Key_D);
    QCOMPARE(win.flowModel()->rowCount(), 11);
    for (int r = 0; r < win.flowModel()->rowCount(); ++r)
        QVERIFY(win.flowModel()->markerOf(r).isEmpty());
    // Grouped again: a3 went with both its flows, a5 keeps flow 12.
    QTRY_VERIFY(tree->isReady() && tree->rowCount() == 6);
    for (int r = 0; r < tree->rowCount(); ++r)
        QVERIFY(tree->index(r, 0).data().toString() != QLatin1String("a3.example.com"));
}

void FlowListActionsTest::deleteRemovesRows()
{
    auto w = makeWindow(10);
    MainWindow& win = *w->window;
    // Sorted by path, descending, and filtered: the index stays right after removal.
    win.tableModel()->sort(FlowListModel::IndexColumn, Qt::DescendingOrder);
    applyFilter(win, QStringLiteral("!~m POST")); // 0 1 3 4 6 7 9
    QCOMPARE(win.tableModel()->rowCount(), 7);
    QCOMPARE(win.tableModel()->flowAt(0)->request.path, QByteArray("/item/9"));
    select(win, 1); // /item/7
    QTest::keyClick(win.flowView(), Qt::Key_D);
    QCOMPARE(win.flowModel()->rowCount(), 9);
    QCOMPARE(win.tableModel()->rowCount(), 6);
    // The next row takes the place, and is shown.
    QCOMPARE(win.flowView()->currentIndex().row(), 1);
    QCOMPARE(win.detailView()->flow()->request.path, QByteArray("/item/6"));
    // Delete key with two selected.
    win.flowView()->selectionModel()->select(
        win.tableModel()->index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QTest::keyClick(win.flowView(), Qt::Key_Delete);
    QCOMPARE(win.flowModel()->rowCount(), 7);
    QStringList paths;
    for (int r = 0; r < win.tableModel()->rowCount(); ++r)
        paths.append(QString::fromLatin1(win.tableModel()->flowAt(r)->request.path));
    QCOMPARE(paths, (QStringList{"/item/9", "/item/3", "/item/1", "/item/0"}));
    for (int r = 0; r < win.flowModel()->rowCount(); ++r)
        QCOMPARE(win.flowModel()->rowOf(win.flowModel()->flowAt(r)->id), r);
    applyFilter(win, QString());
    QCOMPARE(win.tableModel()->rowCount(), 7);

    // A live flow deleted does not come back with its answer.
    const FlowSnapshot live = uiFlow(50, false);
    w->engine.hub().publish(live);
    w->engine.hub().flush();
    QCOMPARE(win.flowModel()->rowCount(), 8);
    select(win, win.tableModel()->viewRow(7));
    win.listActions()->deleteAction()->trigger();
    QCOMPARE(win.flowModel()->rowCount(), 7);
    w->engine.hub().publish(test::answered(live, 50));
    w->engine.hub().flush();
    QCOMPARE(win.flowModel()->rowCount(), 7);
    // Everything deleted: the pane is empty.
    win.flowView()->selectAll();
    win.listActions()->deleteAction()->trigger();
    QCOMPARE(win.tableModel()->rowCount(), 0);
    QVERIFY(!win.detailView()->flow());
    QVERIFY(!win.listActions()->deleteAction()->isEnabled());
    QVERIFY(!win.listActions()->copyActions().first()->isEnabled());
}

// Deleting held flows kills them through the kill function, and only them; flows that are
// not held are removed without one.
void FlowListActionsTest::deleteKillsHeldFlows()
{
    auto w = makeWindow(4);
    MainWindow& win = *w->window;
    QList<QUuid> killed;
    win.listActions()->setKillFunction([&killed](const QUuid& id) {
        killed.append(id);
        return true;
    });
    auto held = std::make_shared<HttpFlow>(*uiFlow(10, false));
    held->intercepted = true;
    auto running = std::make_shared<HttpFlow>(*uiFlow(11, false));
    w->engine.hub().publish(held);
    w->engine.hub().publish(running);
    w->engine.hub().flush();
    QCOMPARE(win.flowModel()->rowCount(), 6);
    QVERIFY(win.flowModel()->isIntercepted(4));
    QVERIFY(!win.flowModel()->isIntercepted(5));
    QCOMPARE(win.flowModel()->flowId(4), held->id);
    QVERIFY(win.flowModel()->flowId(99).isNull());

    // A flow that is not held: no kill.
    select(win, 0);
    QTest::keyClick(win.flowView(), Qt::Key_D);
    QVERIFY(killed.isEmpty());
    QCOMPARE(win.flowModel()->rowCount(), 5);

    // The held one and a running one, selected together: only the held one is killed.
    select(win, win.tableModel()->viewRow(win.flowModel()->rowOf(held->id)));
    win.flowView()->selectionModel()->select(
        win.tableModel()->index(win.tableModel()->viewRow(win.flowModel()->rowOf(running->id)), 0),
        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QSignalSpy status(win.listActions(), &FlowListActions::statusMessage);
    QTest::keyClick(win.flowView(), Qt::Key_Delete);
    QCOMPARE(killed, QList<QUuid>{held->id});
    QCOMPARE(win.flowModel()->rowCount(), 3);
    QCOMPARE(status.size(), 1);
    QVERIFY(status.first().first().toString().contains(QStringLiteral("1 held flow killed")));
    // The killed flow's last snapshot does not bring it back.
    auto ended = std::make_shared<HttpFlow>(*held);
    ended->live = false;
    ended->intercepted = false;
    ended->error = FlowError{QStringLiteral("Connection killed."), 0};
    w->engine.hub().publish(ended);
    w->engine.hub().flush();
    QCOMPARE(win.flowModel()->rowCount(), 3);
    QCOMPARE(win.flowModel()->rowOf(held->id), -1);
}

// In the window as the app runs it: a real engine holds three requests; x in the list kills
// one (its client sees the connection close), a resumes one (it goes on, to a closed port, and
// ends with an error), and d deletes and kills the last (gone from the engine and the list).
void FlowListActionsTest::heldFlowKeysInTheRunningEngine()
{
    QTemporaryDir confdir;
    Options o;
    o.confdir = confdir.path();
    o.listenPort = 0;
    o.intercept = QStringLiteral("~u /held");
    ProxyEngine engine;
    MainWindow win(&engine, o);
    QAbstractItemModelTester listTester(win.flowModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester tableTester(win.tableModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    win.show();
    QVERIFY(QTest::qWaitForWindowActive(&win));
    QString error;
    QVERIFY2(win.startProxy(&error), qPrintable(error));

    // Port 1 on loopback refuses: a resumed request ends with an error, quickly.
    QTcpSocket clients[3];
    for (int i = 0; i < 3; ++i) {
        clients[i].connectToHost(QStringLiteral("127.0.0.1"), engine.listenPort());
        QVERIFY(clients[i].waitForConnected(5000));
        clients[i].write("GET http://127.0.0.1:1/held/" + QByteArray::number(i) +
                         " HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n");
        QVERIFY(clients[i].waitForBytesWritten(5000));
    }
    QTRY_COMPARE_WITH_TIMEOUT(engine.interceptedFlows().size(), 3, 5000);
    const auto rowOfPath = [&win](const QByteArray& path) {
        for (int r = 0; r < win.tableModel()->rowCount(); ++r)
            if (win.tableModel()->flowAt(r)->request.path == path)
                return r;
        return -1;
    };
    const auto heldInList = [&win, &rowOfPath](const QByteArray& path) {
        const int r = rowOfPath(path);
        return r >= 0 && win.tableModel()->flowAt(r)->intercepted;
    };
    QTRY_VERIFY_WITH_TIMEOUT(
        heldInList("/held/0") && heldInList("/held/1") && heldInList("/held/2"), 5000);

    // x: killed, the client's connection closes without an answer.
    select(win, rowOfPath("/held/0"));
    QTest::keyClick(win.flowView(), Qt::Key_X);
    QCOMPARE(engine.interceptedFlows().size(), 2);
    QVERIFY(clients[0].state() == QAbstractSocket::UnconnectedState ||
            clients[0].waitForDisconnected(5000));
    QCOMPARE(clients[0].readAll(), QByteArray());

    // a: resumed; it goes on and fails to connect.
    select(win, rowOfPath("/held/1"));
    QTest::keyClick(win.flowView(), Qt::Key_A);
    QCOMPARE(engine.interceptedFlows().size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(rowOfPath("/held/1") >= 0 &&
                                 !win.tableModel()->flowAt(rowOfPath("/held/1"))->live &&
                                 win.tableModel()->flowAt(rowOfPath("/held/1"))->error,
                             10000);

    // d: deleted from the list and killed in the engine.
    const QUuid last = win.tableModel()->flowAt(rowOfPath("/held/2"))->id;
    select(win, rowOfPath("/held/2"));
    QTest::keyClick(win.flowView(), Qt::Key_D);
    QVERIFY(engine.interceptedFlows().isEmpty());
    QCOMPARE(win.flowModel()->rowOf(last), -1);
    QVERIFY(clients[2].state() == QAbstractSocket::UnconnectedState ||
            clients[2].waitForDisconnected(5000));
    engine.hub().flush();
    QCoreApplication::processEvents();
    QCOMPARE(win.flowModel()->rowOf(last), -1); // its last snapshot did not bring it back
    QCOMPARE(rowOfPath("/held/2"), -1);
    win.stopProxy();
}

void FlowListActionsTest::listKeysMove()
{
    auto w = makeWindow(5);
    MainWindow& win = *w->window;
    QVERIFY(!win.listActions()->toggleMarkAction()->isEnabled()); // nothing selected yet
    select(win, 0);
    QVERIFY(win.listActions()->toggleMarkAction()->isEnabled());
    QTest::keyClick(win.flowView(), Qt::Key_J);
    QTest::keyClick(win.flowView(), Qt::Key_J);
    QCOMPARE(win.flowView()->currentIndex().row(), 2);
    QTest::keyClick(win.flowView(), Qt::Key_K);
    QCOMPARE(win.flowView()->currentIndex().row(), 1);
    QTest::keyClick(win.flowView(), Qt::Key_Down);
    QCOMPARE(win.flowView()->currentIndex().row(), 2);
    QTest::keyClick(win.flowView(), Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(win.flowView()->currentIndex().row(), 4);
    QTest::keyClick(win.flowView(), Qt::Key_J); // stays on the last
    QCOMPARE(win.flowView()->currentIndex().row(), 4);
    QCOMPARE(win.detailView()->flow()->request.path, QByteArray("/item/4"));
}

void FlowListActionsTest::highlightRole()
{
    auto w = makeWindow(15);
    MainWindow& win = *w->window;
    FlowTableModel* table = win.tableModel();
    QSignalSpy changed(table, &QAbstractItemModel::dataChanged);
    win.highlightBar()->setExpression(QStringLiteral("~c 404"));
    QVERIFY(changed.count() >= 1);
    QCOMPARE(table->highlight().expression(), QStringLiteral("~c 404"));
    for (int r = 0; r < table->rowCount(); ++r) {
        const bool expected = table->flowAt(r)->response->statusCode == 404;
        QCOMPARE(table->index(r, 0).data(FlowTableModel::HighlightRole).toBool(), expected);
        QCOMPARE(table->index(r, 3).data(Qt::BackgroundRole).isValid(), expected);
    }
    // Marks highlight too, and a change updates the row.
    win.highlightBar()->setExpression(QStringLiteral("~marked"));
    QVERIFY(!table->index(6, 0).data(FlowTableModel::HighlightRole).toBool());
    select(win, 6);
    QTest::keyClick(win.flowView(), Qt::Key_M);
    QVERIFY(table->index(6, 0).data(FlowTableModel::HighlightRole).toBool());
    // Filter and highlight together.
    applyFilter(win, QStringLiteral("~m GET"));
    int highlighted = 0;
    for (int r = 0; r < table->rowCount(); ++r)
        highlighted += table->index(r, 0).data(FlowTableModel::HighlightRole).toBool();
    QCOMPARE(highlighted, 1);
    win.highlightBar()->setExpression(QString());
    QVERIFY(!table->index(0, 0).data(FlowTableModel::HighlightRole).toBool());
}

void FlowListActionsTest::dropOpensAndRecentFiles()
{
    const QString path = m_dir.filePath(QStringLiteral("dropped.spyglass"));
    QList<FlowSnapshot> flows;
    for (int i = 0; i < 4; ++i)
        flows.append(uiFlow(100 + i));
    QCOMPARE(SessionWriter::save(path, flows), QString());

    auto w = makeWindow(2);
    MainWindow& win = *w->window;
    win.recentFiles()->clear();
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&win, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&win, &drop);
    QVERIFY(drop.isAccepted());
    QTRY_COMPARE(win.flowModel()->rowCount(), 4);
    QCOMPARE(win.flowModel()->flowAt(0)->request.path, QByteArray("/item/100"));
    QCOMPARE(win.recentFiles()->files(), QStringList{path});

    // Text without a local file is refused.
    QMimeData text;
    text.setText(QStringLiteral("hello"));
    QDragEnterEvent refused(QPoint(5, 5), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QCoreApplication::sendEvent(&win, &refused);
    QVERIFY(!refused.isAccepted());

    // Recent files: newest first, at most 10, kept in QSettings, opened from the menu.
    for (int i = 0; i < 12; ++i)
        win.recentFiles()->add(m_dir.filePath(QStringLiteral("s%1.spyglass").arg(i)));
    win.recentFiles()->add(path);
    QCOMPARE(win.recentFiles()->files().size(), RecentFiles::MaxFiles);
    QCOMPARE(win.recentFiles()->files().first(), path);
    QCOMPARE(win.recentFiles()->files().at(1), m_dir.filePath(QStringLiteral("s11.spyglass")));
    RecentFiles again(QStringLiteral("recentFiles"), &win);
    QCOMPARE(again.files(), win.recentFiles()->files());
    win.clearFlows();
    QAction* first = win.recentFiles()->menu()->actions().first();
    QVERIFY(first->isEnabled());                                       // exists
    QVERIFY(!win.recentFiles()->menu()->actions().at(1)->isEnabled()); // s11: does not
    first->trigger();
    QCOMPARE(win.flowModel()->rowCount(), 4);
}

void FlowListActionsTest::statusBarFigures()
{
    auto w = makeWindow(0);
    StatusBarMonitor* monitor = w->window->statusMonitor();
    QVERIFY(monitor);
    monitor->tick();
    for (int i = 0; i < 30; ++i)
        w->engine.hub().publish(uiFlow(i));
    w->engine.hub().publish(uiFlow(99, false)); // live: not counted
    w->engine.hub().flush();
    QTest::qWait(100);
    monitor->tick();
    QVERIFY2(monitor->flowsPerSecond() > 30,
             qPrintable(QString::number(monitor->flowsPerSecond())));
    QVERIFY(monitor->bytesPerSecond() > 0);
    QVERIFY(monitor->throughputLabel()->text().contains(QStringLiteral("flows/s")));
#ifdef Q_OS_LINUX
    QVERIFY(StatusBarMonitor::residentBytes() > 1024 * 1024);
    QVERIFY(monitor->memoryLabel()->text().startsWith(QStringLiteral("Memory: ")));
#endif
    monitor->tick();
    QCOMPARE(monitor->flowsPerSecond(), 0.0);
}

void FlowListActionsTest::screenshot()
{
    auto w = makeWindow(40);
    MainWindow& win = *w->window;
    FlowListActions* actions = win.listActions();
    const QStringList markers{QStringLiteral(":default:"), QStringLiteral(":red_circle:"),
                              QStringLiteral(":star:"), QStringLiteral(":bug:")};
    for (int k = 0; k < markers.size(); ++k) {
        select(win, 2 + k * 5);
        actions->setMarker(markers[k]);
    }
    select(win, 7);
    actions->setComment(QStringLiteral("the slow one"));
    win.highlightBar()->setExpression(QStringLiteral("~c 404"));
    win.filterBar()->setText(QStringLiteral("~d example"));
    w->window->statusMonitor()->tick();
    select(win, 12);
    win.detailView()->setCurrentWidget(win.detailView()->commentView());
    QCOMPARE(win.tableModel()->index(12, FlowListModel::MarkerColumn).data().toString(),
             FlowMarker::symbol(QStringLiteral(":star:")));
    const QString dir = qEnvironmentVariable("SPYGLASS_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QTest::qWait(50);
    QVERIFY(win.grab().save(dir + QStringLiteral("/flow_list_actions.png")));
    QMenu* menu = actions->contextMenu(&win);
    menu->popup(win.mapToGlobal(QPoint(300, 300)));
    QTest::qWait(50);
    QVERIFY(menu->grab().save(dir + QStringLiteral("/flow_list_context_menu.png")));
    delete menu;
    actions->markMenu()->popup(win.mapToGlobal(QPoint(300, 300)));
    QTest::qWait(50);
    QVERIFY(actions->markMenu()->grab().save(dir + QStringLiteral("/flow_list_mark_menu.png")));
    actions->markMenu()->hide();
}

QTEST_MAIN(FlowListActionsTest)
#include "flow_list_actions_test.moc"
