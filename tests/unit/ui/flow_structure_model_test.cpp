// FlowStructureModel: the tree by host and path segments, grown batch by batch under
// QAbstractItemModelTester, with counts, the latest flow of each resource, and clearing.

#include "flow_list_model.h"
#include "flow_structure_model.h"
#include "synthetic_flows.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace spyglass;
using spyglass::test::uiFlow;

class FlowStructureModelTest : public QObject
{
    Q_OBJECT
private slots:
    void buildsTheTreeFromExistingRows();
    void growsWithBatches();
    void batchesWhileBuilding();
    void clearsWithTheList();
    void regroupsAfterDelete();
};

static FlowSnapshot at(const QByteArray& host, const QByteArray& path)
{
    auto f = std::make_shared<HttpFlow>(*uiFlow(0));
    f->request.host = host;
    f->request.path = path;
    return f;
}

static QString name(const FlowStructureModel& m, const QModelIndex& i)
{
    return m.data(i).toString();
}

void FlowStructureModelTest::buildsTheTreeFromExistingRows()
{
    FlowListModel list;
    list.applyBatch({at("a.example", "/api/v1/users?id=1"), at("a.example", "/api/v1/users?id=2"),
                     at("a.example", "/api/v2/"), at("b.example", "/"),
                     at("a.example", "/index.html")});
    FlowStructureModel tree(&list);
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy ready(&tree, &FlowStructureModel::ready);
    QVERIFY(!tree.isReady()); // built in slices, then shown at once
    QCOMPARE(tree.rowCount(), 0);
    QTRY_VERIFY(tree.isReady());
    QCOMPARE(ready.size(), 1);
    QCOMPARE(tree.rowCount(), 2);
    QCOMPARE(tree.columnCount(), 2);
    const QModelIndex a = tree.index(0, 0);
    QCOMPARE(name(tree, a), QStringLiteral("a.example"));
    QCOMPARE(tree.index(0, FlowStructureModel::CountColumn).data().toInt(), 4);
    QCOMPARE(tree.rowCount(a), 2); // api, index.html
    const QModelIndex api = tree.index(0, 0, a);
    QCOMPARE(name(tree, api), QStringLiteral("api"));
    QCOMPARE(tree.storeRow(api), -1); // no flow ends at /api
    const QModelIndex users = tree.index(0, 0, tree.index(0, 0, api));
    QCOMPARE(name(tree, users), QStringLiteral("users")); // the query is left out
    QCOMPARE(tree.index(0, 1, tree.index(0, 0, api)).data().toInt(), 2);
    QCOMPARE(tree.storeRow(users), 1); // the latest of the two
    QCOMPARE(tree.data(users, FlowStructureModel::StoreRowRole).toInt(), 1);
    QCOMPARE(tree.parent(users).parent(), api);
    QCOMPARE(tree.indexOfFlow(0), users);
    QCOMPARE(tree.storeRow(tree.indexOfFlow(2)), 2); // /api/v2/ ends at v2
    const QModelIndex root = tree.indexOfFlow(3);
    QCOMPARE(name(tree, root), QStringLiteral("/"));
    QCOMPARE(name(tree, root.parent()), QStringLiteral("b.example"));
    QVERIFY(!tree.indexOfFlow(5).isValid());
    QCOMPARE(tree.headerData(0, Qt::Horizontal).toString(), QStringLiteral("Host and path"));
}

void FlowStructureModelTest::growsWithBatches()
{
    FlowListModel list;
    FlowStructureModel tree(&list);
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(tree.isReady()); // nothing to build
    QSignalSpy inserted(&tree, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&tree, &QAbstractItemModel::dataChanged);
    QList<FlowSnapshot> batch;
    for (int i = 0; i < 70; ++i)
        batch.append(uiFlow(i));
    list.applyBatch(batch);
    QCOMPARE(tree.rowCount(), 7);
    // 7 hosts, 7 "item" nodes, 70 leaves, one insertion each.
    QCOMPARE(inserted.size(), 7 + 7 + 70);
    for (int h = 0; h < 7; ++h)
        QCOMPARE(tree.index(h, 1).data().toInt(), 10);
    changed.clear();
    list.applyBatch({uiFlow(7), uiFlow(700)}); // a known resource again, and a new one
    QCOMPARE(tree.index(0, 1).data().toInt(), 12);
    QCOMPARE(tree.storeRow(tree.indexOfFlow(71)), 71);
    QCOMPARE(tree.storeRow(tree.indexOfFlow(7)), 70); // /item/7 now ends with flow 70
    QVERIFY(changed.size() >= 3);                     // a0, item, 7
    // Updates of known flows change nothing.
    inserted.clear();
    list.applyBatch({test::answered(batch[3], 3)});
    QCOMPARE(inserted.size(), 0);
}

void FlowStructureModelTest::batchesWhileBuilding()
{
    FlowListModel list;
    QList<FlowSnapshot> batch;
    for (int i = 0; i < 5000; ++i)
        batch.append(uiFlow(i));
    list.applyBatch(batch);
    FlowStructureModel tree(&list);
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    list.applyBatch({uiFlow(5000), uiFlow(5001)});
    QTRY_VERIFY(tree.isReady());
    int total = 0;
    for (int h = 0; h < tree.rowCount(); ++h)
        total += tree.index(h, 1).data().toInt();
    QCOMPARE(total, 5002);
    QCOMPARE(tree.storeRow(tree.indexOfFlow(5001)), 5001);
    QCOMPARE(tree.parent(tree.indexOfFlow(5001)).parent().parent(), QModelIndex());
}

void FlowStructureModelTest::clearsWithTheList()
{
    FlowListModel list;
    FlowStructureModel tree(&list);
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    list.applyBatch({uiFlow(0), uiFlow(1)});
    QCOMPARE(tree.rowCount(), 2);
    list.clear();
    QCOMPARE(tree.rowCount(), 0);
    list.applyBatch({uiFlow(2)});
    QCOMPARE(tree.rowCount(), 1);
    QCOMPARE(tree.index(0, 0).data().toString(), QStringLiteral("a2.example.com"));
}

// Deleting flows resets the list with rows left: the tree groups what is left again (it used
// to stay empty until the next flow came).
void FlowStructureModelTest::regroupsAfterDelete()
{
    FlowListModel list;
    FlowStructureModel tree(&list);
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<FlowSnapshot> batch;
    for (int i = 0; i < 14; ++i)
        batch.append(uiFlow(i));
    list.applyBatch(batch);
    QCOMPARE(tree.rowCount(), 7);
    QSignalSpy ready(&tree, &FlowStructureModel::ready);
    list.removeFlows({0, 7, 3}); // a0 twice: its host goes; a3 keeps flow 10
    QTRY_VERIFY(tree.isReady());
    QCOMPARE(ready.size(), 1);
    QCOMPARE(tree.rowCount(), 6);
    int flows = 0;
    for (int h = 0; h < tree.rowCount(); ++h) {
        QVERIFY(tree.index(h, 0).data().toString() != QLatin1String("a0.example.com"));
        flows += tree.index(h, FlowStructureModel::CountColumn).data().toInt();
    }
    QCOMPARE(flows, 11);
    // Store rows moved up: the tree points at the new ones.
    for (int r = 0; r < list.rowCount(); ++r)
        QCOMPARE(tree.storeRow(tree.indexOfFlow(r)), r);
    list.removeFlows({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}); // all: ready at once, empty
    QVERIFY(tree.isReady());
    QCOMPARE(tree.rowCount(), 0);
}

QTEST_MAIN(FlowStructureModelTest)
#include "flow_structure_model_test.moc"
