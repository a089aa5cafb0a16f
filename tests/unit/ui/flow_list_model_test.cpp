// FlowListModel fed with synthetic FlowHub batches: one insertion per batch, updates in place
// by id, the display text of every column, and a million rows.

#include "flow_list_model.h"
#include "varied_flows.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QGuiApplication>
#include <QPalette>
#include <QSignalSpy>
#include <QTest>

using namespace spyglass;
using spyglass::test::answered;
using spyglass::test::uiFlow;

class FlowListModelTest : public QObject
{
    Q_OBJECT
private slots:
    void insertsOneBatchAtOnce();
    void showsEveryColumn();
    void updatesKnownFlowsInPlace();
    void mixedBatchInsertsAndUpdates();
    void duplicateInOneBatchCountsOnce();
    void clearEmptiesTheModel();
    void flowAtDecodesTheRow();
    void sortsOnCompactData();
    void coloursRowsByState();
    void millionRows();
};

static QString cell(const FlowListModel& m, int row, int column)
{
    return m.data(m.index(row, column)).toString();
}

void FlowListModelTest::insertsOneBatchAtOnce()
{
    FlowListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.applyBatch({uiFlow(0), uiFlow(1), uiFlow(2)});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted[0][1].toInt(), 0);
    QCOMPARE(inserted[0][2].toInt(), 2);
    model.applyBatch({uiFlow(3), uiFlow(4)});
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(inserted[1][1].toInt(), 3);
    QCOMPARE(inserted[1][2].toInt(), 4);
    model.applyBatch({});
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(model.columnCount(), int(FlowListModel::ColumnCount));
}

void FlowListModelTest::showsEveryColumn()
{
    FlowListModel model;
    auto flow = std::make_shared<HttpFlow>(*uiFlow(4));
    flow->request.host = "xn--bcher-kva.example";
    flow->request.port = 8443;
    model.applyBatch({uiFlow(0), flow});
    QCOMPARE(cell(model, 1, FlowListModel::IndexColumn), QStringLiteral("2"));
    QCOMPARE(cell(model, 1, FlowListModel::MethodColumn), QStringLiteral("GET"));
    // Unicode, with the port when it is not the scheme's default.
    QCOMPARE(cell(model, 1, FlowListModel::HostColumn), QStringLiteral("bücher.example:8443"));
    QCOMPARE(cell(model, 0, FlowListModel::HostColumn), QStringLiteral("a0.example.com"));
    QCOMPARE(cell(model, 1, FlowListModel::PathColumn), QStringLiteral("/item/4"));
    QCOMPARE(cell(model, 1, FlowListModel::StatusColumn), QStringLiteral("404"));
    QCOMPARE(cell(model, 1, FlowListModel::ContentTypeColumn), QStringLiteral("application/json"));
    QVERIFY(!cell(model, 1, FlowListModel::SizeColumn).isEmpty());
    QCOMPARE(cell(model, 1, FlowListModel::DurationColumn), QStringLiteral("42 ms"));
    QCOMPARE(cell(model, 1, FlowListModel::VersionColumn), QStringLiteral("HTTP/1.1"));
    QCOMPARE(cell(model, 0, FlowListModel::TimeColumn).size(), 12); // HH:mm:ss.zzz
    QCOMPARE(cell(model, 1, FlowListModel::ClientColumn), QStringLiteral("127.0.0.1:40004"));
    QCOMPARE(cell(model, 1, FlowListModel::SchemeColumn), QStringLiteral("https"));
    QCOMPARE(cell(model, 1, FlowListModel::TlsColumn), QString()); // no TLS recorded
    QCOMPARE(model.data(model.index(1, 0), FlowListModel::FlowIdRole).toUuid(), flow->id);
    QVERIFY(model.data(model.index(1, 0), Qt::ForegroundRole).isValid()); // a 404 is coloured
    QCOMPARE(model.headerData(FlowListModel::HostColumn, Qt::Horizontal).toString(),
             QStringLiteral("Host"));
}

void FlowListModelTest::updatesKnownFlowsInPlace()
{
    FlowListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const FlowSnapshot live = uiFlow(7, false);
    model.applyBatch({uiFlow(6), live, uiFlow(8)});
    QCOMPARE(cell(model, 1, FlowListModel::StatusColumn), QStringLiteral("…"));
    QCOMPARE(cell(model, 1, FlowListModel::ContentTypeColumn), QString());

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applyBatch({answered(live, 7)});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0][0].toModelIndex().row(), 1);
    QCOMPARE(changed[0][1].toModelIndex().row(), 1);
    QCOMPARE(cell(model, 1, FlowListModel::StatusColumn), QStringLiteral("200"));
    QCOMPARE(cell(model, 1, FlowListModel::ContentTypeColumn), QStringLiteral("text/html"));
    QCOMPARE(model.rowOf(live->id), 1);
}

void FlowListModelTest::mixedBatchInsertsAndUpdates()
{
    FlowListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<FlowSnapshot> first;
    for (int i = 0; i < 10; ++i)
        first.append(uiFlow(i, false));
    model.applyBatch(first);

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    // Rows 2, 3, 4 and 8 finish, two new flows arrive: one insertion, two runs of updates.
    model.applyBatch({answered(first[8], 8), uiFlow(10), answered(first[3], 3),
                      answered(first[2], 2), uiFlow(11), answered(first[4], 4)});
    QCOMPARE(model.rowCount(), 12);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted[0][1].toInt(), 10);
    QCOMPARE(inserted[0][2].toInt(), 11);
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed[0][0].toModelIndex().row(), 2);
    QCOMPARE(changed[0][1].toModelIndex().row(), 4);
    QCOMPARE(changed[1][0].toModelIndex().row(), 8);
    QCOMPARE(changed[1][1].toModelIndex().row(), 8);
    QCOMPARE(cell(model, 3, FlowListModel::StatusColumn), QStringLiteral("200"));
    QCOMPARE(cell(model, 5, FlowListModel::StatusColumn), QStringLiteral("…"));
    QCOMPARE(cell(model, 11, FlowListModel::PathColumn), QStringLiteral("/item/11"));
}

void FlowListModelTest::duplicateInOneBatchCountsOnce()
{
    FlowListModel model;
    const FlowSnapshot live = uiFlow(1, false);
    model.applyBatch({live, answered(live, 1)});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(cell(model, 0, FlowListModel::StatusColumn), QStringLiteral("200"));
}

void FlowListModelTest::clearEmptiesTheModel()
{
    FlowListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const FlowSnapshot f = uiFlow(0);
    model.applyBatch({f, uiFlow(1)});
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.rowOf(f->id), -1);
    QVERIFY(!model.flowAt(0));
    model.applyBatch({f});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(cell(model, 0, FlowListModel::HostColumn), QStringLiteral("a0.example.com"));
}

void FlowListModelTest::flowAtDecodesTheRow()
{
    FlowListModel model;
    const FlowSnapshot f = uiFlow(12);
    model.applyBatch({uiFlow(11), f});
    const FlowSnapshot back = model.flowAt(1);
    QVERIFY(back);
    QCOMPARE(back->id, f->id);
    QCOMPARE(back->request.path, QByteArray("/item/12"));
    QCOMPARE(back->response->body.content, f->response->body.content);
    QVERIFY(!model.flowAt(2));
    QVERIFY(!model.flowAt(-1));
}

void FlowListModelTest::sortsOnCompactData()
{
    FlowListModel model;
    model.applyBatch({uiFlow(9), uiFlow(2), uiFlow(4)});
    // Path "/item/9" > "/item/4" > "/item/2"; status 404 (i=4, 9) > 200 (i=2).
    QVERIFY(model.lessThan(FlowListModel::PathColumn, 1, 0));
    QVERIFY(!model.lessThan(FlowListModel::PathColumn, 0, 2));
    QVERIFY(model.lessThan(FlowListModel::StatusColumn, 1, 0));
    QVERIFY(model.lessThan(FlowListModel::StatusColumn, 0, 2)); // equal: arrival order
    QVERIFY(!model.lessThan(FlowListModel::StatusColumn, 2, 0));
    QVERIFY(model.lessThan(FlowListModel::MethodColumn, 0, 1)); // GET < POST (i=2)
    QVERIFY(model.lessThan(FlowListModel::TimeColumn, 1, 2));
    QVERIFY(model.lessThan(FlowListModel::IndexColumn, 0, 1));
}

void FlowListModelTest::coloursRowsByState()
{
    FlowListModel model;
    QList<FlowSnapshot> batch;
    for (int i = 0; i < 13; ++i)
        batch.append(test::variedFlow(i));
    model.applyBatch(batch);
    // varied_flows.h: 1 error, 3 TCP, 5 WebSocket, 6 replay, 10 still running (no state).
    QCOMPARE(model.rowState(0), FlowListModel::RowState::Normal);
    QCOMPARE(model.rowState(1), FlowListModel::RowState::Error);
    QCOMPARE(model.rowState(3), FlowListModel::RowState::Tcp);
    QCOMPARE(model.rowState(5), FlowListModel::RowState::WebSocket);
    QCOMPARE(model.rowState(6), FlowListModel::RowState::Replayed);
    QCOMPARE(cell(model, 3, FlowListModel::MethodColumn), QStringLiteral("TCP"));
    QCOMPARE(cell(model, 3, FlowListModel::HostColumn), QStringLiteral("10.0.0.3:5432"));
    QCOMPARE(cell(model, 12, FlowListModel::TlsColumn), QStringLiteral("TLSv1.3"));
    QVERIFY(!model.data(model.index(0, 0), Qt::BackgroundRole).isValid());

    // Tints of the palette's base: light stays light, dark stays dark, states differ.
    const QPalette original = QGuiApplication::palette();
    for (const QColor base : {QColor(0xff, 0xff, 0xff), QColor(0x20, 0x20, 0x24)}) {
        QPalette p = original;
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::Text, base.lightnessF() < 0.5 ? Qt::white : Qt::black);
        QGuiApplication::setPalette(p);
        QSet<QRgb> seen;
        for (int row : {1, 3, 5, 6}) {
            const QColor c =
                model.data(model.index(row, 0), Qt::BackgroundRole).value<QBrush>().color();
            QVERIFY(c != base);
            QCOMPARE(c.lightnessF() < 0.5, base.lightnessF() < 0.5);
            seen.insert(c.rgb());
        }
        QCOMPARE(seen.size(), 4);
        const QColor error =
            model.data(model.index(1, 0), Qt::ForegroundRole).value<QBrush>().color();
        QCOMPARE(error.lightnessF() < 0.5, base.lightnessF() >= 0.5); // readable on the base
    }
    QGuiApplication::setPalette(original);
}

void FlowListModelTest::millionRows()
{
    constexpr int Total = 1'000'000;
    constexpr int Batch = 10'000;
    FlowListModel model;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QUuid lastId;
    for (int start = 0; start < Total; start += Batch) {
        QList<FlowSnapshot> batch;
        batch.reserve(Batch);
        for (int i = start; i < start + Batch; ++i)
            batch.append(uiFlow(i));
        lastId = batch.last()->id;
        model.applyBatch(batch);
    }
    QCOMPARE(model.rowCount(), Total);
    QCOMPARE(inserted.size(), Total / Batch);
    QCOMPARE(cell(model, Total - 1, FlowListModel::PathColumn), QStringLiteral("/item/999999"));
    QCOMPARE(cell(model, Total - 1, FlowListModel::IndexColumn), QStringLiteral("1000000"));
    QCOMPARE(cell(model, 500'000, FlowListModel::HostColumn),
             QStringLiteral("a%1.example.com").arg(500'000 % 7));
    QCOMPARE(model.rowOf(lastId), Total - 1);
    QCOMPARE(model.flowAt(Total - 1)->request.path, QByteArray("/item/999999"));
}

QTEST_MAIN(FlowListModelTest)
#include "flow_list_model_test.moc"
