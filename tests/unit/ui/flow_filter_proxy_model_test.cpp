// FlowFilterProxyModel: the filter language applied to FlowListModel's rows, kept up to date
// as flows arrive and change, and sorting by a column.

#include "flow_filter_proxy_model.h"
#include "flow_list_model.h"
#include "synthetic_flows.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace spyglass;
using spyglass::test::answered;
using spyglass::test::uiFlow;

class FlowFilterProxyModelTest : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void emptyFilterShowsEverything();
    void filtersByExpression();
    void newAndUpdatedFlowsAreFiltered();
    void sortsByColumn();

private:
    static filter::Filter parse(const QString& expression);
    QStringList paths() const;

    std::unique_ptr<FlowListModel> m_model;
    std::unique_ptr<FlowFilterProxyModel> m_proxy;
};

filter::Filter FlowFilterProxyModelTest::parse(const QString& expression)
{
    auto parsed = filter::Filter::parse(expression);
    if (const auto* e = std::get_if<filter::ParseError>(&parsed))
        qFatal("bad test filter %s: %s", qPrintable(expression), qPrintable(e->message));
    return std::get<filter::Filter>(parsed);
}

QStringList FlowFilterProxyModelTest::paths() const
{
    QStringList out;
    for (int r = 0; r < m_proxy->rowCount(); ++r)
        out.append(m_proxy->index(r, FlowListModel::PathColumn).data().toString());
    return out;
}

void FlowFilterProxyModelTest::init()
{
    m_model = std::make_unique<FlowListModel>();
    m_proxy = std::make_unique<FlowFilterProxyModel>();
    m_proxy->setFlowModel(m_model.get());
    QList<FlowSnapshot> batch;
    for (int i = 0; i < 10; ++i)
        batch.append(uiFlow(i));
    m_model->applyBatch(batch);
}

void FlowFilterProxyModelTest::emptyFilterShowsEverything()
{
    QAbstractItemModelTester tester(m_proxy.get(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(m_proxy->rowCount(), 10);
    QCOMPARE(m_proxy->flowModel(), m_model.get());
    QCOMPARE(m_proxy->flowFilter().expression(), QString());
}

void FlowFilterProxyModelTest::filtersByExpression()
{
    QAbstractItemModelTester tester(m_proxy.get(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_proxy->setFlowFilter(parse(QStringLiteral("~m POST")));
    QCOMPARE(paths(), (QStringList{"/item/2", "/item/5", "/item/8"}));
    m_proxy->setFlowFilter(parse(QStringLiteral("~c 404")));
    QCOMPARE(paths(), (QStringList{"/item/4", "/item/9"}));
    m_proxy->setFlowFilter(parse(QStringLiteral("~d a3.example.com | ~t json & ~c 404")));
    QCOMPARE(paths(), (QStringList{"/item/3", "/item/4"}));
    m_proxy->setFlowFilter(parse(QStringLiteral("!~h Accept")));
    QCOMPARE(m_proxy->rowCount(), 0);
    m_proxy->setFlowFilter(filter::Filter());
    QCOMPARE(m_proxy->rowCount(), 10);
}

void FlowFilterProxyModelTest::newAndUpdatedFlowsAreFiltered()
{
    QAbstractItemModelTester tester(m_proxy.get(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_proxy->setFlowFilter(parse(QStringLiteral("~c 404")));
    QCOMPARE(m_proxy->rowCount(), 2);
    const FlowSnapshot live = uiFlow(14, false); // will be answered 404
    m_model->applyBatch({live, uiFlow(19), uiFlow(20)});
    QCOMPARE(paths(), (QStringList{"/item/4", "/item/9", "/item/19"}));
    m_model->applyBatch({answered(live, 14)});
    QCOMPARE(paths(), (QStringList{"/item/4", "/item/9", "/item/14", "/item/19"}));
    m_model->clear();
    QCOMPARE(m_proxy->rowCount(), 0);
}

void FlowFilterProxyModelTest::sortsByColumn()
{
    m_proxy->sort(FlowListModel::StatusColumn, Qt::DescendingOrder);
    QCOMPARE(m_proxy->index(0, FlowListModel::StatusColumn).data().toString(),
             QStringLiteral("404"));
    m_proxy->sort(FlowListModel::PathColumn, Qt::AscendingOrder);
    QCOMPARE(paths().first(), QStringLiteral("/item/0"));
    QCOMPARE(paths().last(), QStringLiteral("/item/9"));
    m_model->applyBatch({uiFlow(10)}); // "/item/10" sorts after "/item/1"
    QCOMPARE(paths().at(2), QStringLiteral("/item/10"));
    m_proxy->sort(FlowListModel::IndexColumn, Qt::DescendingOrder);
    QCOMPARE(paths().first(), QStringLiteral("/item/10"));
}

QTEST_MAIN(FlowFilterProxyModelTest)
#include "flow_filter_proxy_model_test.moc"
