// FlowTableModel: the filter language applied in slices (same rows as a straightforward
// filter), batches arriving while a filter is in effect or still being applied, sorting on
// any column (stable, and kept as flows arrive and change), all under QAbstractItemModelTester.

#include "flow_list_model.h"
#include "flow_table_model.h"
#include "varied_flows.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace spyglass;
using spyglass::test::answered;
using spyglass::test::uiFlow;
using spyglass::test::variedFlow;

class FlowTableModelTest : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void emptyFilterShowsEverything();
    void filtersByExpression();
    void slicedFilterMatchesStraightforwardFilter_data();
    void slicedFilterMatchesStraightforwardFilter();
    void newAndUpdatedFlowsAreFiltered();
    void batchesWhileAFilterIsApplied();
    void sortsByColumn();
    void sortIsStable();
    void newFlowsLandInSortOrder();
    void updatedFlowsMoveWhenSorted();
    void clearEmptiesTheView();
    void removedFlowsLeaveTheIndex();
    void removalWhileAFilterIsApplied();
    void marksAndCommentsRefilter();
    void highlightFollowsChanges();

private:
    static filter::Filter parse(const QString& expression);
    QStringList paths() const;
    std::vector<int> storeRows() const;
    void applyAndWait(const QString& expression);
    // The rows a straightforward filter and sort would show.
    std::vector<int> expectedRows(const QString& expression, int column, Qt::SortOrder order);

    std::unique_ptr<FlowListModel> m_model;
    std::unique_ptr<FlowTableModel> m_table;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

filter::Filter FlowTableModelTest::parse(const QString& expression)
{
    if (expression.isEmpty())
        return filter::Filter();
    auto parsed = filter::Filter::parse(expression);
    if (const auto* e = std::get_if<filter::ParseError>(&parsed))
        qFatal("bad test filter %s: %s", qPrintable(expression), qPrintable(e->message));
    return std::get<filter::Filter>(parsed);
}

QStringList FlowTableModelTest::paths() const
{
    QStringList out;
    for (int r = 0; r < m_table->rowCount(); ++r)
        out.append(m_table->index(r, FlowListModel::PathColumn).data().toString());
    return out;
}

std::vector<int> FlowTableModelTest::storeRows() const
{
    std::vector<int> out;
    for (int r = 0; r < m_table->rowCount(); ++r)
        out.push_back(m_table->index(r, 0).data(FlowListModel::StoreRowRole).toInt());
    return out;
}

void FlowTableModelTest::applyAndWait(const QString& expression)
{
    m_table->setFilter(parse(expression));
    QTRY_VERIFY(!m_table->isFiltering());
    QCOMPARE(m_table->filter().expression(), expression);
}

std::vector<int> FlowTableModelTest::expectedRows(const QString& expression, int column,
                                                  Qt::SortOrder order)
{
    const filter::Filter f = parse(expression);
    std::vector<int> rows;
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (f.matches(*m_model->flowAt(r)))
            rows.push_back(r);
    if (column >= 0) {
        // By display-independent keys, ties in arrival order, written out plainly.
        std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) {
            const int c = m_model->compare(column, a, b);
            return order == Qt::AscendingOrder ? c < 0 : c > 0;
        });
    }
    return rows;
}

void FlowTableModelTest::init()
{
    m_model = std::make_unique<FlowListModel>();
    QList<FlowSnapshot> batch;
    for (int i = 0; i < 10; ++i)
        batch.append(uiFlow(i));
    m_model->applyBatch(batch);
    m_table = std::make_unique<FlowTableModel>(m_model.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_table.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void FlowTableModelTest::cleanup()
{
    m_tester.reset();
    m_table.reset();
    m_model.reset();
}

void FlowTableModelTest::emptyFilterShowsEverything()
{
    QCOMPARE(m_table->rowCount(), 10);
    QCOMPARE(m_table->columnCount(), int(FlowListModel::ColumnCount));
    QCOMPARE(m_table->sourceModel(), m_model.get());
    QCOMPARE(m_table->filter().expression(), QString());
    QVERIFY(!m_table->isFiltering());
    QCOMPARE(m_table->storeRow(3), 3);
    QCOMPARE(m_table->viewRow(3), 3);
    QCOMPARE(m_table->storeRow(10), -1);
    QCOMPARE(m_table->flowAt(2)->request.path, QByteArray("/item/2"));
    QCOMPARE(m_table->headerData(FlowListModel::HostColumn, Qt::Horizontal).toString(),
             QStringLiteral("Host"));
}

void FlowTableModelTest::filtersByExpression()
{
    QSignalSpy finished(m_table.get(), &FlowTableModel::filterFinished);
    applyAndWait(QStringLiteral("~m POST"));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(paths(), (QStringList{"/item/2", "/item/5", "/item/8"}));
    QCOMPARE(m_table->viewRow(5), 1);
    QCOMPARE(m_table->viewRow(4), -1);
    // The index column keeps the flow's own number.
    QCOMPARE(m_table->index(1, FlowListModel::IndexColumn).data().toString(), QStringLiteral("6"));
    applyAndWait(QStringLiteral("~c 404"));
    QCOMPARE(paths(), (QStringList{"/item/4", "/item/9"}));
    applyAndWait(QStringLiteral("~d a3.example.com | ~t json & ~c 404"));
    QCOMPARE(paths(), (QStringList{"/item/3", "/item/4"}));
    applyAndWait(QStringLiteral("!~h Accept"));
    QCOMPARE(m_table->rowCount(), 0);
    m_table->setFilter(filter::Filter());
    QVERIFY(!m_table->isFiltering()); // the empty filter needs no pass
    QCOMPARE(m_table->rowCount(), 10);
    // The same expression again starts nothing.
    m_table->setFilter(filter::Filter());
    QVERIFY(!m_table->isFiltering());
}

void FlowTableModelTest::slicedFilterMatchesStraightforwardFilter_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<int>("column");
    QTest::newRow("compact") << "~m GET & !~c 404 | ~tcp" << -1;
    QTest::newRow("compact url, by size") << "~u item/1" << int(FlowListModel::SizeColumn);
    QTest::newRow("decoding, by host") << "~h Accept & ~t html" << int(FlowListModel::HostColumn);
    QTest::newRow("errors and sockets, by path")
        << "~e | ~websocket | ~replay" << int(FlowListModel::PathColumn);
}

void FlowTableModelTest::slicedFilterMatchesStraightforwardFilter()
{
    QFETCH(QString, expression);
    QFETCH(int, column);
    m_model->clear();
    QList<FlowSnapshot> batch;
    for (int i = 0; i < 3000; ++i)
        batch.append(variedFlow(i));
    m_model->applyBatch(batch);
    m_table->sort(column, Qt::DescendingOrder);
    m_table->setMaxSliceRows(97);
    QSignalSpy progress(m_table.get(), &FlowTableModel::filterProgress);
    m_table->setFilter(parse(expression));
    QVERIFY(m_table->isFiltering());
    QCOMPARE(m_table->pendingExpression(), expression);
    QCOMPARE(m_table->rowCount(), 3000); // the old rows stay until the new ones are ready
    QTRY_VERIFY(!m_table->isFiltering());
    QVERIFY2(progress.size() >= 3000 / 97, qPrintable(QString::number(progress.size())));
    QCOMPARE(progress.last().at(0).toLongLong(), 3000);
    for (qsizetype k = 1; k < progress.size(); ++k)
        QVERIFY(progress[k].at(0).toLongLong() >= progress[k - 1].at(0).toLongLong());
    QCOMPARE(storeRows(), expectedRows(expression, column, Qt::DescendingOrder));
}

void FlowTableModelTest::newAndUpdatedFlowsAreFiltered()
{
    applyAndWait(QStringLiteral("~c 404"));
    QCOMPARE(m_table->rowCount(), 2);
    const FlowSnapshot live = uiFlow(14, false); // will be answered 404
    const FlowSnapshot leaving = uiFlow(24, false);
    m_model->applyBatch({live, uiFlow(19), uiFlow(20), leaving});
    QCOMPARE(paths(), (QStringList{"/item/4", "/item/9", "/item/19"}));
    m_model->applyBatch({answered(live, 14)});
    QCOMPARE(paths(), (QStringList{"/item/4", "/item/9", "/item/14", "/item/19"}));
    // A flow that stops matching leaves.
    applyAndWait(QStringLiteral("~q | ~c 404"));
    QCOMPARE(paths(), (QStringList{"/item/4", "/item/9", "/item/14", "/item/19", "/item/24"}));
    auto ok = std::make_shared<HttpFlow>(*answered(leaving, 25)); // answered 200
    m_model->applyBatch({ok});
    QCOMPARE(paths(), (QStringList{"/item/4", "/item/9", "/item/14", "/item/19"}));
}

void FlowTableModelTest::batchesWhileAFilterIsApplied()
{
    m_model->clear();
    QList<FlowSnapshot> batch;
    for (int i = 0; i < 2000; ++i)
        batch.append(uiFlow(i, i % 10 != 0)); // every tenth still running
    m_model->applyBatch(batch);
    m_table->setMaxSliceRows(100);
    m_table->setFilter(parse(QStringLiteral("~c 404")));
    // A few slices in, flows arrive and running ones (tested already or not) finish.
    for (int k = 0; k < 3; ++k)
        QCoreApplication::processEvents();
    QVERIFY(m_table->isFiltering());
    QCOMPARE(m_table->rowCount(), 2000);
    QList<FlowSnapshot> more;
    for (int i = 2000; i < 2100; ++i)
        more.append(uiFlow(i));
    for (int i = 0; i < 2000; i += 10)
        more.append(answered(batch[i], i + 4)); // answered 404
    m_model->applyBatch(more);
    QTRY_VERIFY(!m_table->isFiltering());
    QCOMPARE(storeRows(), expectedRows(QStringLiteral("~c 404"), -1, Qt::AscendingOrder));
    QCOMPARE(m_table->rowCount(), 400 + 20 + 200); // answered 404, new 404, finished as 404
}

void FlowTableModelTest::sortsByColumn()
{
    m_table->sort(FlowListModel::StatusColumn, Qt::DescendingOrder);
    QCOMPARE(m_table->sortColumn(), int(FlowListModel::StatusColumn));
    QCOMPARE(m_table->sortOrder(), Qt::DescendingOrder);
    QCOMPARE(m_table->index(0, FlowListModel::StatusColumn).data().toString(),
             QStringLiteral("404"));
    m_table->sort(FlowListModel::PathColumn, Qt::AscendingOrder);
    QCOMPARE(paths().first(), QStringLiteral("/item/0"));
    QCOMPARE(paths().last(), QStringLiteral("/item/9"));
    m_model->applyBatch({uiFlow(10)}); // "/item/10" sorts after "/item/1"
    QCOMPARE(paths().at(2), QStringLiteral("/item/10"));
    m_table->sort(FlowListModel::IndexColumn, Qt::DescendingOrder);
    QCOMPARE(paths().first(), QStringLiteral("/item/10"));
    m_table->sort(-1);
    QCOMPARE(paths().first(), QStringLiteral("/item/0"));
    for (int column = 0; column < FlowListModel::ColumnCount; ++column) {
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            m_table->sort(column, order);
            QCOMPARE(storeRows(), expectedRows(QString(), column, order));
        }
    }
}

void FlowTableModelTest::sortIsStable()
{
    // Method has two values: equal keys keep arrival order in both directions.
    m_table->sort(FlowListModel::MethodColumn, Qt::AscendingOrder);
    QCOMPARE(storeRows(), (std::vector<int>{0, 1, 3, 4, 6, 7, 9, 2, 5, 8}));
    m_table->sort(FlowListModel::MethodColumn, Qt::DescendingOrder);
    QCOMPARE(storeRows(), (std::vector<int>{2, 5, 8, 0, 1, 3, 4, 6, 7, 9}));
    // A selection (persistent index) follows its row through a sort.
    QPersistentModelIndex kept = m_table->index(4, 0); // store row 1
    m_table->sort(FlowListModel::StatusColumn, Qt::DescendingOrder);
    QCOMPARE(storeRows(), (std::vector<int>{4, 9, 0, 1, 2, 3, 5, 6, 7, 8}));
    QCOMPARE(kept.row(), 3);
}

void FlowTableModelTest::newFlowsLandInSortOrder()
{
    applyAndWait(QStringLiteral("~m GET"));
    m_table->sort(FlowListModel::StatusColumn, Qt::AscendingOrder);
    QSignalSpy inserted(m_table.get(), &QAbstractItemModel::rowsInserted);
    QList<FlowSnapshot> batch;
    for (int i = 10; i < 40; ++i)
        batch.append(uiFlow(i));
    m_model->applyBatch(batch);
    QCOMPARE(storeRows(), expectedRows(QStringLiteral("~m GET"), FlowListModel::StatusColumn,
                                       Qt::AscendingOrder));
    QCOMPARE(inserted.size(), 2); // one run among the 200s, one among the 404s
    m_table->sort(-1);
    inserted.clear();
    m_model->applyBatch({uiFlow(40), uiFlow(41)});
    QCOMPARE(inserted.size(), 1); // unsorted: appended
    QCOMPARE(inserted[0][1].toInt(), m_table->rowCount() - 1);
}

void FlowTableModelTest::updatedFlowsMoveWhenSorted()
{
    m_table->sort(FlowListModel::StatusColumn, Qt::DescendingOrder);
    const FlowSnapshot live = uiFlow(19, false);
    m_model->applyBatch({live});
    QCOMPARE(m_table->storeRow(m_table->rowCount() - 1), 10); // no status yet: last
    QPersistentModelIndex selected = m_table->index(m_table->rowCount() - 1, 0);
    QSignalSpy moved(m_table.get(), &QAbstractItemModel::rowsMoved);
    m_model->applyBatch({answered(live, 19)}); // 404: moves up among the 404s
    QCOMPARE(moved.size(), 1);
    QCOMPARE(selected.row(), 2);
    QCOMPARE(m_table->storeRow(2), 10);
    QCOMPARE(storeRows(),
             expectedRows(QString(), FlowListModel::StatusColumn, Qt::DescendingOrder));
}

void FlowTableModelTest::clearEmptiesTheView()
{
    applyAndWait(QStringLiteral("~m GET"));
    m_model->clear();
    QCOMPARE(m_table->rowCount(), 0);
    m_model->applyBatch({uiFlow(0), uiFlow(2)});
    QCOMPARE(paths(), QStringList{"/item/0"});
}

void FlowTableModelTest::removedFlowsLeaveTheIndex()
{
    m_table->sort(FlowListModel::PathColumn, Qt::DescendingOrder);
    applyAndWait(QStringLiteral("!~c 404"));
    m_model->removeFlows({8, 1, 8, 3, 99});
    QCOMPARE(m_model->rowCount(), 7);
    QCOMPARE(storeRows(), expectedRows(QStringLiteral("!~c 404"), FlowListModel::PathColumn,
                                       Qt::DescendingOrder));
    QCOMPARE(paths(), (QStringList{"/item/7", "/item/6", "/item/5", "/item/2", "/item/0"}));
    // New flows still land in order after it.
    m_model->applyBatch({uiFlow(55)});
    QCOMPARE(paths().at(2), QStringLiteral("/item/55")); // "/item/6" > "/item/55" > "/item/5"
    QCOMPARE(m_model->rowOf(m_model->flowAt(m_model->rowCount() - 1)->id), m_model->rowCount() - 1);
}

void FlowTableModelTest::removalWhileAFilterIsApplied()
{
    QList<FlowSnapshot> batch;
    for (int i = 10; i < 2000; ++i)
        batch.append(uiFlow(i));
    m_model->applyBatch(batch);
    m_table->setMaxSliceRows(100);
    m_table->setFilter(parse(QStringLiteral("~m POST")));
    for (int k = 0; k < 3; ++k)
        QCoreApplication::processEvents();
    QVERIFY(m_table->isFiltering());
    QList<int> gone;
    for (int r = 0; r < 2000; r += 7)
        gone.append(r);
    m_model->removeFlows(gone);
    QTRY_VERIFY(!m_table->isFiltering());
    QCOMPARE(storeRows(), expectedRows(QStringLiteral("~m POST"), -1, Qt::AscendingOrder));
    QVERIFY(m_table->rowCount() > 500);
}

void FlowTableModelTest::marksAndCommentsRefilter()
{
    applyAndWait(QStringLiteral("~marked | ~comment todo"));
    QCOMPARE(m_table->rowCount(), 0);
    m_model->setMarker({2, 5}, QStringLiteral(":grapes:"));
    QCOMPARE(paths(), (QStringList{"/item/2", "/item/5"}));
    m_model->setComment({7}, QStringLiteral("TODO: check"));
    QCOMPARE(paths(), (QStringList{"/item/2", "/item/5", "/item/7"}));
    QCOMPARE(m_table->index(2, FlowListModel::CommentColumn).data().toString(),
             QStringLiteral("TODO: check"));
    m_model->setMarker({2}, QString());
    QCOMPARE(paths(), (QStringList{"/item/5", "/item/7"}));
    // Sorting by the comment column: the commented row last, ascending.
    applyAndWait(QString());
    m_table->sort(FlowListModel::CommentColumn, Qt::AscendingOrder);
    QCOMPARE(paths().last(), QStringLiteral("/item/7"));
    m_table->sort(FlowListModel::MarkerColumn, Qt::DescendingOrder);
    QCOMPARE(paths().first(), QStringLiteral("/item/5"));
}

void FlowTableModelTest::highlightFollowsChanges()
{
    m_table->setHighlight(parse(QStringLiteral("~marker grapes")));
    QSignalSpy changed(m_table.get(), &QAbstractItemModel::dataChanged);
    QVERIFY(!m_table->isHighlighted(4));
    m_model->setMarker({4}, QStringLiteral(":grapes:"));
    QVERIFY(changed.count() > 0);
    QVERIFY(m_table->isHighlighted(4));
    QVERIFY(m_table->index(4, 0).data(FlowTableModel::HighlightRole).toBool());
    m_model->removeFlows({0});
    QVERIFY(m_table->isHighlighted(3)); // it moved up
    QVERIFY(!m_table->isHighlighted(4));
    m_table->setHighlight(filter::Filter());
    QVERIFY(!m_table->isHighlighted(3));
    QCOMPARE(m_table->index(3, 0).data(Qt::BackgroundRole),
             m_model->index(3, 0).data(Qt::BackgroundRole)); // the state colour only
}

QTEST_MAIN(FlowTableModelTest)
#include "flow_table_model_test.moc"
