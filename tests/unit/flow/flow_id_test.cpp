// newFlowId(): the ids every new flow gets. Random version 4 UUIDs, distinct within a thread
// and across threads (each thread has its own generator, seeded apart).
#include "flow/flow.h"

#include <QSet>
#include <QtTest>
#include <thread>
#include <vector>

using namespace spyglass;

class FlowIdTest : public QObject
{
    Q_OBJECT

private slots:
    void idsAreVersion4Variant10()
    {
        for (int i = 0; i < 1000; ++i) {
            const QUuid id = newFlowId();
            QCOMPARE(id.version(), QUuid::Random);
            QCOMPARE(id.variant(), QUuid::DCE);
        }
        QCOMPARE(HttpFlow().id.version(), QUuid::Random);
    }

    void idsAreDistinctAcrossThreads()
    {
        constexpr int Threads = 4;
        constexpr int PerThread = 50000;
        std::vector<std::vector<QUuid>> made(Threads);
        std::vector<std::thread> threads;
        for (int t = 0; t < Threads; ++t)
            threads.emplace_back([&made, t] {
                made[size_t(t)].reserve(PerThread);
                for (int i = 0; i < PerThread; ++i)
                    made[size_t(t)].push_back(newFlowId());
            });
        for (std::thread& t : threads)
            t.join();
        QSet<QUuid> seen;
        for (const auto& ids : made)
            for (const QUuid& id : ids)
                seen.insert(id);
        QCOMPARE(seen.size(), qsizetype(Threads * PerThread));
    }

    void randomBitsAreNotStuck()
    {
        // Each of the 122 random bits takes both values over a few hundred ids: the version
        // and variant masks cover only their own bits.
        QByteArray ones(16, '\0');
        QByteArray zeros(16, '\0');
        for (int i = 0; i < 512; ++i) {
            const QByteArray b = newFlowId().toRfc4122();
            for (int k = 0; k < 16; ++k) {
                ones[k] = char(ones[k] | b[k]);
                zeros[k] = char(zeros[k] | ~b[k]);
            }
        }
        for (int k = 0; k < 16; ++k) {
            uchar fixed = 0; // bits the format fixes
            if (k == 6)
                fixed = 0xf0;
            if (k == 8)
                fixed = 0xc0;
            QCOMPARE(uchar(ones[k] & zeros[k] & ~fixed), uchar(~fixed));
        }
    }
};

QTEST_GUILESS_MAIN(FlowIdTest)
#include "flow_id_test.moc"
