// FlowActions in the real window, offscreen: Edit changes a finished flow in the list and
// Revert brings the recorded one back; Duplicate adds a copy with a new id; Resend and "Save
// and resend" hand the flow, as edited, to the replay function (a fake here: the engine's
// client replay is wired in app/gui/main.cpp); the composer makes a valid request; and a flow
// held by the real engine's intercept filter is edited and goes on with the edit (an origin
// on a thread answers with the header it got). Both window models run under
// QAbstractItemModelTester throughout.

#include "field_table_model.h"
#include "flow_actions.h"
#include "flow_detail_view.h"
#include "flow_editor.h"
#include "flow_list_actions.h"
#include "flow_list_model.h"
#include "flow_table_model.h"
#include "flow_table_view.h"
#include "main_window.h"
#include "message_editor.h"
#include "server/proxy_engine.h"
#include "synthetic_flows.h"
#include "test_origin.h"

#include "flow/flow_marker.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFont>
#include <QIcon>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;
using spyglass::test::uiFlow;

namespace {

struct FakeReplay
{
    QList<HttpFlow> sent;
    FlowActions::ReplayFunction function()
    {
        return [this](const HttpFlow& flow, QString*) {
            sent.append(flow);
            return QUuid::createUuid();
        };
    }
};

} // namespace

class FlowActionsTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void editThenRevert();
    void duplicateAddsACopy();
    void resendHandsOverTheEditedFlow();
    void composerMakesAValidRequest();
    void interceptedFlowGoesOnWithTheEdit();
    void keysInTheList();
    void listShowsModifiedFlows();

private:
    struct Window
    {
        ProxyEngine engine;
        MainWindow window{&engine, Options{}};
        QAbstractItemModelTester listTester{window.flowModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest};
        QAbstractItemModelTester tableTester{
            window.tableModel(), QAbstractItemModelTester::FailureReportingMode::QtTest};
        FlowActions* actions() { return window.flowActions(); }
        void feed(int count)
        {
            for (int i = 0; i < count; ++i)
                engine.hub().publish(uiFlow(i));
            engine.hub().flush();
        }
        void select(int row)
        {
            window.flowView()->setCurrentIndex(window.tableModel()->index(row, 0));
        }
    };
    QTemporaryDir m_dir;
};

void FlowActionsTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("SpyglassTest"));
    QCoreApplication::setApplicationName(QStringLiteral("flow_actions_test"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
}

void FlowActionsTest::editThenRevert()
{
    Window w;
    w.feed(5);
    w.select(2);
    const FlowSnapshot recorded = w.window.detailView()->flow();
    QCOMPARE(recorded->request.path, QByteArray("/item/2"));
    QCOMPARE(w.actions()->editAction()->shortcut(), QKeySequence(Qt::Key_E));
    QCOMPARE(w.actions()->revertAction()->shortcut(), QKeySequence(Qt::SHIFT | Qt::Key_V));

    w.actions()->editAction()->trigger();
    FlowEditor* editor = w.actions()->editor();
    QVERIFY(editor);
    QVERIFY(editor->isVisible());
    QVERIFY(editor->responseEditor()); // a finished flow: both parts
    editor->requestEditor()->urlEdit()->setText(QStringLiteral("https://a2.example.com/changed"));
    editor->responseEditor()->bodyEdit()->setPlainText(QStringLiteral("{\"item\": 99}"));
    editor->acceptButton()->click();
    QTRY_VERIFY(!w.actions()->editor()); // closed and gone

    QCOMPARE(w.window.flowModel()->rowCount(), 5); // changed in place
    const FlowSnapshot stored = w.window.flowModel()->flowAt(2);
    QCOMPARE(stored->id, recorded->id);
    QCOMPARE(stored->request.path, QByteArray("/changed"));
    QCOMPARE(stored->response->body.content, QByteArray("{\"item\": 99}"));
    QCOMPARE(w.window.detailView()->flow()->request.path, QByteArray("/changed"));
    QVERIFY(w.actions()->isModified(recorded->id));

    // Edited twice, reverted once: the recorded flow, not the first edit.
    QString error;
    auto second = std::make_shared<HttpFlow>(*stored);
    second->request.path = "/again";
    QVERIFY(w.actions()->applyEdit(stored, *second, &error));
    QCOMPARE(w.window.flowModel()->flowAt(2)->request.path, QByteArray("/again"));
    w.actions()->revertAction()->trigger();
    QCOMPARE(w.window.flowModel()->flowAt(2)->request.path, QByteArray("/item/2"));
    QCOMPARE(w.window.flowModel()->flowAt(2)->response->body.content,
             recorded->response->body.content);
    QVERIFY(!w.actions()->isModified(recorded->id));
    QVERIFY(!w.actions()->revert(recorded->id, &error)); // nothing left to revert
    QVERIFY(!error.isEmpty());

    // A running flow that is not held cannot be edited: its worker owns it.
    w.engine.hub().publish(uiFlow(7, false));
    w.engine.hub().flush();
    QVERIFY(!w.actions()->editFlow(w.window.flowModel()->flowAt(5), &error));
    QVERIFY(error.contains(QStringLiteral("running")));
    w.select(5);
    w.actions()->editAction()->trigger();
    QVERIFY(!w.actions()->editor());
    QVERIFY(w.window.statusBar()->currentMessage().contains(QStringLiteral("running")));

    // Held at a WebSocket message: not the editor's to change.
    auto ws = std::make_shared<HttpFlow>(*uiFlow(8));
    ws->live = true;
    ws->intercepted = true;
    auto messages = std::make_shared<WebSocketData>();
    WebSocketMessage m;
    m.content = "hello";
    messages->messages.push_back(m);
    ws->websocket = messages;
    QVERIFY(!w.actions()->editFlow(ws, &error));
    QVERIFY(error.contains(QStringLiteral("WebSocket")));
}

void FlowActionsTest::duplicateAddsACopy()
{
    Window w;
    w.feed(4);
    w.select(1);
    const FlowSnapshot original = w.window.detailView()->flow();
    QCOMPARE(w.actions()->duplicateAction()->shortcut(), QKeySequence(Qt::SHIFT | Qt::Key_D));
    w.actions()->duplicateAction()->trigger();
    QCOMPARE(w.window.flowModel()->rowCount(), 5);
    const FlowSnapshot copy = w.window.flowModel()->flowAt(4);
    QVERIFY(copy->id != original->id);
    QCOMPARE(copy->request.url(), original->request.url());
    QCOMPARE(copy->response->statusCode, original->response->statusCode);
    QCOMPARE(w.window.detailView()->flow()->id, copy->id); // the copy is selected

    // Sorted by time the copy sits right after its original.
    w.window.tableModel()->sort(FlowListModel::TimeColumn);
    QCOMPARE(w.window.tableModel()->storeRow(1), 1);
    QCOMPARE(w.window.tableModel()->storeRow(2), 4);
}

void FlowActionsTest::resendHandsOverTheEditedFlow()
{
    Window w;
    w.feed(3);
    QVERIFY(!w.actions()->resendAction()->isEnabled()); // no replay function yet
    FakeReplay replay;
    w.actions()->setReplayFunction(replay.function());
    QVERIFY(w.actions()->resendAction()->isEnabled());
    QCOMPARE(w.actions()->resendAction()->shortcut(), QKeySequence(Qt::Key_R));

    w.select(0);
    w.actions()->resendAction()->trigger();
    QCOMPARE(replay.sent.size(), 1);
    QCOMPARE(replay.sent[0].request.path, QByteArray("/item/0"));

    // Save and resend: the edited request is what goes out.
    w.actions()->editAction()->trigger();
    FlowEditor* editor = w.actions()->editor();
    QVERIFY(editor && editor->resendButton());
    FieldTableModel* headers = editor->requestEditor()->headersModel();
    headers->appendRow({"X-Edit", "resent"});
    editor->requestEditor()->methodEdit()->setCurrentText(QStringLiteral("PUT"));
    editor->requestEditor()->bodyEdit()->setPlainText(QStringLiteral("payload"));
    editor->resendButton()->click();
    QCOMPARE(replay.sent.size(), 2);
    const Request& sent = replay.sent[1].request;
    QCOMPARE(sent.method, QByteArray("PUT"));
    QCOMPARE(sent.headers.value("x-edit"), QByteArray("resent"));
    QCOMPARE(sent.body.content, QByteArray("payload"));
    QCOMPARE(sent.headers.value("content-length"), QByteArray("7"));
    // And the list's copy is the edited one, which r sends again.
    QCOMPARE(w.window.flowModel()->flowAt(0)->request.method, QByteArray("PUT"));
    w.actions()->resendAction()->trigger();
    QCOMPARE(replay.sent.size(), 3);
    QCOMPARE(replay.sent[2].request.headers.value("x-edit"), QByteArray("resent"));

    // A failing replay says why in the status bar.
    w.actions()->setReplayFunction([](const HttpFlow&, QString* error) {
        *error = QStringLiteral("the proxy is not running");
        return QUuid();
    });
    w.actions()->resendAction()->trigger();
    QCOMPARE(w.window.statusBar()->currentMessage(), QStringLiteral("the proxy is not running"));
}

void FlowActionsTest::composerMakesAValidRequest()
{
    Window w;
    w.feed(2);
    FakeReplay replay;
    w.actions()->setReplayFunction(replay.function());
    QCOMPARE(w.actions()->newRequestAction()->shortcut(), QKeySequence(QKeySequence::New));
    w.actions()->newRequestAction()->trigger();
    FlowEditor* editor = w.actions()->editor();
    QVERIFY(editor);
    QVERIFY(!editor->responseEditor());
    MessageEditor* r = editor->requestEditor();
    QCOMPARE(r->methodEdit()->currentText(), QStringLiteral("GET"));
    QCOMPARE(r->urlEdit()->text(), QString());

    editor->resendButton()->click(); // no URL yet: refused, stays open
    QVERIFY(editor->isVisible());
    QVERIFY(replay.sent.isEmpty());

    r->methodEdit()->setCurrentText(QStringLiteral("POST"));
    r->urlEdit()->setText(QStringLiteral("http://api.example.org:8080/v1/items?x=1"));
    r->headersModel()->appendRow({"Content-Type", "application/json"});
    r->bodyEdit()->setPlainText(QStringLiteral("{\"name\": \"new\"}"));
    editor->resendButton()->click();
    QCOMPARE(replay.sent.size(), 1);
    const Request& sent = replay.sent[0].request;
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.scheme, QByteArray("http"));
    QCOMPARE(sent.host, QByteArray("api.example.org"));
    QCOMPARE(sent.port, quint16(8080));
    QCOMPARE(sent.path, QByteArray("/v1/items?x=1"));
    QCOMPARE(sent.httpVersion, QByteArray("HTTP/1.1"));
    QCOMPARE(sent.headers.value("host"), QByteArray("api.example.org:8080"));
    QCOMPARE(sent.headers.value("content-length"), QByteArray("15"));
    QVERIFY(sent.timestampStart > 0);
    // The request is in the list too, selected, as mitmproxy's new flow.
    QCOMPARE(w.window.flowModel()->rowCount(), 3);
    QCOMPARE(w.window.detailView()->flow()->id, replay.sent[0].id);
    QVERIFY(!w.window.detailView()->flow()->response);
}

void FlowActionsTest::interceptedFlowGoesOnWithTheEdit()
{
    test::Origin origin(test::Origin::pathAndEdit);
    QTemporaryDir confdir;
    Options o;
    o.confdir = confdir.path();
    o.listenPort = 0;
    o.intercept = QStringLiteral("~u /held");
    ProxyEngine engine;
    MainWindow window(&engine, o);
    QAbstractItemModelTester tester(window.flowModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QString error;
    QVERIFY2(window.startProxy(&error), qPrintable(error));

    QTcpSocket client;
    client.connectToHost(QStringLiteral("127.0.0.1"), engine.listenPort());
    QVERIFY(client.waitForConnected(5000));
    const QByteArray host = "127.0.0.1:" + QByteArray::number(origin.port);
    client.write("GET http://" + host + "/held HTTP/1.1\r\nHost: " + host +
                 "\r\nX-Edit: original\r\n\r\n");
    QVERIFY(client.waitForBytesWritten(5000));

    // Held: it shows in the list as intercepted.
    QTRY_VERIFY_WITH_TIMEOUT(
        window.flowModel()->rowCount() == 1 && window.flowModel()->flowAt(0)->intercepted, 5000);
    window.flowView()->setCurrentIndex(window.tableModel()->index(0, 0));
    window.flowActions()->editAction()->trigger();
    FlowEditor* editor = window.flowActions()->editor();
    QVERIFY(editor);
    QVERIFY(!editor->responseEditor()); // held at its request
    QCOMPARE(editor->acceptButton()->text(), QStringLiteral("Save and resume"));
    QVERIFY(!editor->resendButton());
    FieldTableModel* headers = editor->requestEditor()->headersModel();
    int row = -1;
    for (int i = 0; i < headers->rowCount(); ++i)
        if (headers->rows()[i][0] == "X-Edit")
            row = i;
    QVERIFY(row >= 0);
    QVERIFY(headers->setData(headers->index(row, 1), QStringLiteral("changed")));
    editor->acceptButton()->click();

    // On its way with the edit; held again at its response (the filter matches it too), then
    // resumed from the window.
    QTRY_VERIFY_WITH_TIMEOUT(window.flowModel()->flowAt(0)->intercepted &&
                                 window.flowModel()->flowAt(0)->response,
                             5000);
    QCOMPARE(origin.requests.load(), 1);
    QCOMPARE(engine.interceptedFlows().size(), 1);
    QVERIFY(window.detailView()->flow());
    QCOMPARE(window.detailView()->flow()->id, engine.interceptedFlows().first());
    window.resumeAction()->trigger();
    QVERIFY(engine.interceptedFlows().isEmpty());

    // The origin got the edit and the client its answer.
    QByteArray got;
    QElapsedTimer t;
    t.start();
    while (!got.endsWith("/held changed") && t.elapsed() < 5000) {
        if (client.waitForReadyRead(100))
            got += client.readAll();
    }
    QVERIFY2(got.endsWith("/held changed"), got.constData());
    QCOMPARE(origin.requests.load(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!window.flowModel()->flowAt(0)->live, 5000);
    QCOMPARE(window.flowModel()->flowAt(0)->request.headers.value("x-edit"), QByteArray("changed"));
    QVERIFY(!window.flowActions()->isModified(window.flowModel()->flowAt(0)->id));
    window.stopProxy();
}

// The single keys work where a person presses them, in the focused list, and the actions are
// in the Flow menu.
void FlowActionsTest::keysInTheList()
{
    Window w;
    FakeReplay replay;
    w.actions()->setReplayFunction(replay.function());
    w.feed(3);
    w.window.show();
    QVERIFY(QTest::qWaitForWindowActive(&w.window));
    w.select(1);
    w.window.flowView()->setFocus();

    QTest::keyClick(w.window.flowView(), Qt::Key_R);
    QCOMPARE(replay.sent.size(), 1);
    QTest::keyClick(w.window.flowView(), Qt::Key_D, Qt::ShiftModifier);
    QCOMPARE(w.window.flowModel()->rowCount(), 4);
    QTest::keyClick(w.window.flowView(), Qt::Key_E);
    QTRY_VERIFY(w.actions()->editor() && w.actions()->editor()->isVisible());
    w.actions()->editor()->reject();
    QTRY_VERIFY(!w.actions()->editor());

    QMenu* flowMenu = nullptr;
    for (QAction* a : w.window.menuBar()->actions())
        if (a->menu() && a->menu()->actions().contains(w.actions()->editAction()))
            flowMenu = a->menu();
    QVERIFY(flowMenu);
    for (QAction* a : {w.actions()->resendAction(), w.actions()->duplicateAction(),
                       w.actions()->revertAction(), w.actions()->newRequestAction()}) {
        QVERIFY(flowMenu->actions().contains(a));
        QVERIFY(!a->toolTip().isEmpty());
    }
}

// An edited flow shows as modified in the list (italics, a pencil in the Mark column and a
// tooltip naming V) until Revert; a mark keeps its dot and gets the tooltip; a deleted or
// cleared flow forgets it.
void FlowActionsTest::listShowsModifiedFlows()
{
    Window w;
    w.feed(4);
    w.window.show();
    QVERIFY(QTest::qWaitForWindowActive(&w.window));
    FlowTableModel* table = w.window.tableModel();
    FlowListModel* model = w.window.flowModel();
    const auto cell = [table](int row, int column) { return table->index(row, column); };
    QVERIFY(!model->isModified(1));
    QVERIFY(!cell(1, FlowListModel::PathColumn).data(Qt::FontRole).isValid());
    QVERIFY(!cell(1, FlowListModel::MarkerColumn).data(Qt::DecorationRole).isValid());

    w.select(1);
    w.window.flowView()->setFocus();
    const FlowSnapshot recorded = model->flowAt(1);
    QSignalSpy changed(table, &QAbstractItemModel::dataChanged);
    QString error;
    auto edited = std::make_shared<HttpFlow>(*recorded);
    edited->request.path = "/edited";
    QVERIFY(w.actions()->applyEdit(recorded, *edited, &error));
    QVERIFY(model->isModified(1));
    QVERIFY(!model->isModified(0));
    QVERIFY(!changed.isEmpty());
    QVERIFY(cell(1, FlowListModel::PathColumn).data(Qt::FontRole).value<QFont>().italic());
    QVERIFY(!cell(0, FlowListModel::PathColumn).data(Qt::FontRole).isValid());
    QVERIFY(!cell(1, FlowListModel::MarkerColumn).data(Qt::DecorationRole).value<QIcon>().isNull());
    QCOMPARE(cell(1, FlowListModel::MarkerColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("Modified — Revert with V"));

    // Marked too: the mark's dot, and both in the tooltip.
    QTest::keyClick(w.window.flowView(), Qt::Key_M);
    QVERIFY(model->isModified(1)); // a mark is not a revert
    QCOMPARE(cell(1, FlowListModel::MarkerColumn).data(Qt::ToolTipRole).toString(),
             FlowMarker::defaultMarker.toString() + QStringLiteral("\nModified — Revert with V"));

    // V (Revert) in the list clears it.
    QTest::keyClick(w.window.flowView(), Qt::Key_V, Qt::ShiftModifier);
    QCOMPARE(model->flowAt(1)->request.path, QByteArray("/item/1"));
    QVERIFY(!model->isModified(1));
    QVERIFY(!cell(1, FlowListModel::PathColumn).data(Qt::FontRole).isValid());
    QVERIFY(!cell(1, FlowListModel::MarkerColumn).data(Qt::DecorationRole).isValid());

    // Through the editor, as a person does it; then the flow is deleted: nothing stays.
    w.select(2);
    w.actions()->editAction()->trigger();
    QVERIFY(w.actions()->editor());
    w.actions()->editor()->requestEditor()->urlEdit()->setText(
        QStringLiteral("https://a2.example.com/via-editor"));
    w.actions()->editor()->acceptButton()->click();
    QTRY_VERIFY(!w.actions()->editor());
    QVERIFY(model->isModified(2));
    const QUuid id = model->flowId(2);
    w.window.listActions()->deleteAction()->trigger();
    QCOMPARE(model->rowOf(id), -1);
    for (int r = 0; r < model->rowCount(); ++r)
        QVERIFY(!model->isModified(r));
    // Setting it on an unknown id is ignored; clear forgets it.
    model->setModified(id, true);
    QVERIFY(!model->isModified(2));
    model->setModified(model->flowId(0), true);
    QVERIFY(model->isModified(0));
    w.window.clearFlows();
    w.feed(1);
    QVERIFY(!model->isModified(0));
}

QTEST_MAIN(FlowActionsTest)
#include "flow_actions_test.moc"
