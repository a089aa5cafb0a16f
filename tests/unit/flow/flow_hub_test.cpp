#include "flow/flow_hub.h"
#include "flow/flow_store.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

using namespace spyglass;

class FlowHubTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void batchesAndCoalesces()
    {
        FlowHub hub(10);
        QSignalSpy spy(&hub, &FlowHub::flowsChanged);
        auto a = std::make_shared<HttpFlow>();
        auto b = std::make_shared<HttpFlow>();
        a->request.method = "GET";
        hub.publish(std::make_shared<const HttpFlow>(*a));
        hub.publish(std::make_shared<const HttpFlow>(*b));
        a->request.method = "POST";
        hub.publish(std::make_shared<const HttpFlow>(*a));
        QTRY_COMPARE(spy.count(), 1);
        const auto batch = spy.at(0).at(0).value<QList<FlowSnapshot>>();
        QCOMPARE(batch.size(), 2);
        QCOMPARE(batch.at(0)->id, a->id);
        QCOMPARE(batch.at(0)->request.method, QByteArray("POST")); // the newest wins
        QCOMPARE(batch.at(1)->id, b->id);
    }

    void manyThreadsFewSignals()
    {
        FlowHub hub(30);
        FlowStore store;
        int signals_ = 0;
        connect(&hub, &FlowHub::flowsChanged, this, [&](const QList<FlowSnapshot>& batch) {
            ++signals_;
            store.apply(batch);
        });
        constexpr int perThread = 20000;
        QList<QThread*> threads;
        for (int t = 0; t < 4; ++t) {
            threads.append(QThread::create([&hub] {
                for (int i = 0; i < perThread; ++i)
                    hub.publish(std::make_shared<const HttpFlow>());
            }));
            threads.last()->start();
        }
        for (QThread* t : threads) {
            QVERIFY(t->wait(30000));
            delete t;
        }
        QTRY_COMPARE(store.size(), 4 * perThread);
        QVERIFY2(signals_ < 200, qPrintable(QString::number(signals_)));
    }

    void storeReplacesKnownFlows()
    {
        FlowStore store;
        auto f = std::make_shared<HttpFlow>();
        QCOMPARE(store.apply({std::make_shared<const HttpFlow>(*f)}), 1);
        f->comment = "x";
        QCOMPARE(store.apply({std::make_shared<const HttpFlow>(*f)}), 0);
        QCOMPARE(store.size(), 1);
        QCOMPARE(store.at(0)->comment, QString("x"));
        QCOMPARE(store.indexOf(f->id), 0);
        store.clear();
        QCOMPARE(store.indexOf(f->id), -1);
    }
};

QTEST_GUILESS_MAIN(FlowHubTest)
#include "flow_hub_test.moc"
