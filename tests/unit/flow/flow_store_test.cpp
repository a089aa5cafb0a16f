#include "flow/flow_store.h"

#include "../io/sample_flows.h"
#include "io/flow_codec.h"
#include "io/har_writer.h"

#include <QTemporaryDir>

#include <QtTest>

using namespace spyglass;
using namespace spyglass::test;

namespace {

FlowSnapshot snap(const HttpFlow& f)
{
    return std::make_shared<const HttpFlow>(f);
}

HttpFlow flowWithBody(const QByteArray& body)
{
    HttpFlow f = smallFlow(1);
    f.response->body.content = body;
    f.response->body.size = body.size();
    return f;
}

} // namespace

class FlowStoreTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripsEveryField()
    {
        const HttpFlow full = fullFlow();
        FlowStore store;
        QCOMPARE(store.apply({snap(full)}), 1);
        QCOMPARE(store.size(), 1);
        const FlowSnapshot back = store.at(0);
        QVERIFY(back);
        compareFlows(full, *back);
        if (QTest::currentTestFailed())
            return;

        int visits = 0;
        store.forEach([&](const HttpFlow& f) {
            ++visits;
            compareFlows(full, f);
        });
        QCOMPARE(visits, 1);
        const QList<FlowSnapshot> all = store.snapshots();
        QCOMPARE(all.size(), 1);
        compareFlows(full, *all.at(0));
    }

    void roundTripsManyFlowsInOrder()
    {
        FlowStore store;
        QList<FlowSnapshot> batch;
        QList<HttpFlow> originals;
        for (int n = 0; n < 3000; ++n) {
            HttpFlow f = n % 7 == 0 ? fullFlow() : smallFlow(n);
            if (n % 7 == 0)
                f.comment = QString::number(n); // distinct, and a fresh id from fullFlow()
            originals.append(f);
            batch.append(snap(f));
            if (batch.size() == 128) {
                QCOMPARE(store.apply(batch), 128);
                batch.clear();
            }
        }
        QCOMPARE(store.apply(batch), batch.size());
        QCOMPARE(store.size(), originals.size()); // more than one chunk of entries
        for (qsizetype i = 0; i < originals.size(); ++i) {
            QCOMPARE(store.indexOf(originals[i].id), i);
            compareFlows(originals[i], *store.at(i));
            if (QTest::currentTestFailed())
                return;
        }
        qsizetype i = 0;
        store.forEach([&](const HttpFlow& f) {
            if (!QTest::currentTestFailed())
                compareFlows(originals[i], f);
            ++i;
        });
        QCOMPARE(i, originals.size());
    }

    void replacingKeepsThePosition()
    {
        FlowStore store;
        HttpFlow a = smallFlow(1), b = smallFlow(2), c = smallFlow(3);
        QCOMPARE(store.apply({snap(a), snap(b), snap(c)}), 3);
        b.comment = QStringLiteral("edited");
        b.marked = QStringLiteral(":star:");
        b.response->statusCode = 404;
        QCOMPARE(store.apply({snap(b)}), 0);
        QCOMPARE(store.size(), 3);
        QCOMPARE(store.indexOf(b.id), 1);
        QCOMPARE(store.at(0)->id, a.id);
        QCOMPARE(store.at(2)->id, c.id);
        compareFlows(b, *store.at(1));
        QCOMPARE(store.summary(1).statusCode, 404);
        QCOMPARE(store.summary(1).id, b.id);
    }

    void aFlowTwiceInOneBatchCountsOnce()
    {
        FlowStore store;
        HttpFlow a = smallFlow(1);
        const FlowSnapshot first = snap(a);
        a.comment = QStringLiteral("later");
        QCOMPARE(store.apply({first, snap(a), nullptr}), 1);
        QCOMPARE(store.size(), 1);
        QCOMPARE(store.at(0)->comment, QStringLiteral("later"));
    }

    void liveFlowsStaySnapshotsUntilFinished()
    {
        FlowStore store;
        HttpFlow f = smallFlow(5);
        f.live = true;
        f.response.reset();
        const FlowSnapshot live = snap(f);
        QCOMPARE(store.apply({live}), 1);
        QVERIFY(store.summary(0).live);
        QCOMPARE(store.summary(0).statusCode, 0);
        QCOMPARE(store.at(0).get(), live.get()); // the very snapshot, not a decoded copy

        HttpFlow done = smallFlow(5);
        done.id = f.id;
        QCOMPARE(store.apply({snap(done)}), 0);
        QCOMPARE(store.size(), 1);
        QVERIFY(!store.summary(0).live);
        QCOMPARE(store.summary(0).statusCode, 200);
        QCOMPARE(store.summary(0).responseBodySize, done.response->body.size);
        QVERIFY(store.at(0).get() != live.get());
        compareFlows(done, *store.at(0));
        if (QTest::currentTestFailed())
            return;

        // Back to live (an intercepted replay of the same flow): the snapshot again.
        done.live = true;
        done.intercepted = true;
        const FlowSnapshot again = snap(done);
        QCOMPARE(store.apply({again}), 0);
        QCOMPARE(store.at(0).get(), again.get());
        int visits = 0;
        store.forEach([&](const HttpFlow& v) {
            ++visits;
            QCOMPARE(&v, again.get());
        });
        QCOMPARE(visits, 1);
    }

    void largeBodiesAreSharedNotCopied()
    {
        QByteArray response(8192, 'r');
        QVERIFY(response.capacity() - response.size() < 64); // a tight allocation
        HttpFlow f = flowWithBody(response);
        f.request.body.content = QByteArray(300, 'q'); // small, but goes with the large one
        f.request.body.size = 300;
        FlowStore store;
        store.apply({snap(f)});
        const FlowSnapshot a = store.at(0);
        const FlowSnapshot b = store.at(0);
        QVERIFY(a->response->body.content.isSharedWith(response));
        QCOMPARE(a->response->body.content.constData(), response.constData());
        QVERIFY(a->request.body.content.isSharedWith(f.request.body.content));
        QVERIFY(b->response->body.content.isSharedWith(a->response->body.content));
        store.forEach([&](const HttpFlow& v) {
            QCOMPARE(v.response->body.content.constData(), response.constData());
        });
    }

    void smallBodiesLiveInTheArena()
    {
        // Up to 4 KiB each, bodies are copied in after the encoding: the snapshot's blocks
        // can go back to the allocator, and the arena grows by the bytes alone.
        HttpFlow f = flowWithBody(QByteArray(4096, 'r'));
        f.request.body.content = QByteArray(1024, 'q');
        f.request.body.size = 1024;
        HttpFlow noRequestBody = flowWithBody(QByteArray(1, 's'));
        FlowStore store;
        const qsizetype before = store.encodedBytes();
        store.apply({snap(f), snap(noRequestBody)});
        QVERIFY(store.encodedBytes() - before >= 4096 + 1024 + 1);
        const FlowSnapshot a = store.at(0);
        QVERIFY(!a->response->body.content.isSharedWith(f.response->body.content));
        compareFlows(f, *a);
        compareFlows(noRequestBody, *store.at(1));
        QVERIFY(store.at(1)->request.body.content.isEmpty());
        int visits = 0;
        store.forEach([&](const HttpFlow& v) {
            compareFlows(visits == 0 ? f : noRequestBody, v);
            ++visits;
        });
        QCOMPARE(visits, 2);
        // Replaced by a version with a large body and back: each time from the right place.
        HttpFlow large = f;
        large.response->body.content = QByteArray(5000, 'L');
        large.response->body.size = 5000;
        store.apply({snap(large)});
        compareFlows(large, *store.at(0));
        store.apply({snap(f)});
        compareFlows(f, *store.at(0));
    }

    void aBodyWithMuchUnusedRoomIsKeptTight()
    {
        QByteArray grown;
        grown.reserve(16384);
        grown.append(QByteArray(5000, 'g'));
        FlowStore store;
        store.apply({snap(flowWithBody(grown))});
        const QByteArray kept = store.at(0)->response->body.content;
        QCOMPARE(kept, grown);
        QVERIFY(!kept.isSharedWith(grown));
        QVERIFY(kept.capacity() < 5100);
    }

    void emptyAndOneByteBodies()
    {
        FlowStore store;
        HttpFlow empty = flowWithBody(QByteArray(""));
        HttpFlow null = flowWithBody(QByteArray());
        HttpFlow one = flowWithBody(QByteArray("x"));
        one.request.body.content = QByteArray("\0", 1);
        one.request.body.size = 1;
        HttpFlow noResponse = smallFlow(9);
        noResponse.response.reset();
        noResponse.error = FlowError{QStringLiteral("refused"), 1700000050.5};
        QCOMPARE(store.apply({snap(empty), snap(null), snap(one), snap(noResponse)}), 4);
        compareFlows(empty, *store.at(0));
        compareFlows(null, *store.at(1));
        compareFlows(one, *store.at(2));
        QCOMPARE(store.at(2)->request.body.content, QByteArray("\0", 1));
        QCOMPARE(store.at(2)->response->body.content, QByteArray("x"));
        compareFlows(noResponse, *store.at(3));
        QVERIFY(!store.at(3)->response);
        QVERIFY(store.summary(3).hasError);
        QCOMPARE(store.summary(3).timestampEnd, 1700000050.5);
        QCOMPARE(store.summary(3).statusCode, 0);
    }

    void streamedBodiesKeepTheirFlagsAndSizes()
    {
        HttpFlow f = smallFlow(3);
        f.request.body = BodyInfo{QByteArray(), 50'000'000, true};
        f.response->body = BodyInfo{QByteArray(16, 's'), 12'345'678'901, true};
        FlowStore store;
        store.apply({snap(f)});
        const FlowSnapshot back = store.at(0);
        compareFlows(f, *back);
        QVERIFY(back->request.body.streamed);
        QVERIFY(back->response->body.streamed);
        QCOMPARE(back->response->body.size, 12'345'678'901);
        QCOMPARE(store.summary(0).requestBodySize, 50'000'000);
        QCOMPARE(store.summary(0).responseBodySize, 12'345'678'901);
    }

    void certificateChainsAreKeptOncePerChain()
    {
        const HttpFlow base = fullFlow();
        const QList<QByteArray> chain = base.server.certificateChainDer;
        QList<QByteArray> equalCopy;
        for (const QByteArray& der : chain)
            equalCopy.append(QByteArray(der.constData(), der.size())); // same bytes, own memory
        const QList<QByteArray> other = {binaryBlob(500, 99)};

        FlowStore store;
        QList<HttpFlow> flows;
        for (int i = 0; i < 4; ++i) {
            HttpFlow f = smallFlow(i);
            f.server = base.server;
            f.server.certificateChainDer = i == 2 ? equalCopy : i == 3 ? other : chain;
            flows.append(f);
            store.apply({snap(f)});
        }
        for (int i = 0; i < 4; ++i)
            compareFlows(flows[i], *store.at(i));
        // One chain kept for the first three flows, shared with what came in first.
        QVERIFY(store.at(0)->server.certificateChainDer.isSharedWith(chain));
        QVERIFY(store.at(1)->server.certificateChainDer.isSharedWith(chain));
        QVERIFY(store.at(2)->server.certificateChainDer.isSharedWith(chain));
        QVERIFY(store.at(3)->server.certificateChainDer.isSharedWith(other));
        // The client chain of fullFlow() differs from the server's and is its own.
        HttpFlow withClientChain = smallFlow(7);
        withClientChain.client = base.client;
        store.apply({snap(withClientChain)});
        compareFlows(withClientChain, *store.at(4));
        QVERIFY(
            store.at(4)->client.certificateChainDer.isSharedWith(base.client.certificateChainDer));
    }

    void manyListsOfOneChainStayCorrect()
    {
        // More equal-content lists than the store remembers by pointer, each dropped by its
        // sender right after apply(): every flow still finds its interned chain, and a freed
        // list's address, reused by the next list, never aliases another chain.
        const HttpFlow base = fullFlow();
        auto chainFor = [](int which) {
            return QList<QByteArray>{binaryBlob(400 + which, which), QByteArray::number(which)};
        };
        FlowStore store;
        QList<QUuid> ids;
        for (int i = 0; i < 300; ++i) {
            HttpFlow f = smallFlow(i);
            f.server = base.server;
            f.server.certificateChainDer = chainFor(i % 3 == 2 ? i : i % 3); // some unique
            ids.append(f.id);
            store.apply({snap(f)});
        }
        for (int i = 0; i < ids.size(); ++i) {
            const FlowSnapshot back = store.at(i);
            QCOMPARE(back->id, ids[i]);
            QCOMPARE(back->server.certificateChainDer, chainFor(i % 3 == 2 ? i : i % 3));
        }
        QVERIFY(store.at(3)->server.certificateChainDer.isSharedWith(
            store.at(297)->server.certificateChainDer));
    }

    void aConnectionIsKeptOnceForAllItsFlows()
    {
        const HttpFlow base = fullFlow();
        FlowStore store;
        const auto flowOn = [&base](int n) {
            HttpFlow f = smallFlow(n);
            f.client = base.client;
            f.server = base.server;
            return f;
        };
        store.apply({snap(flowOn(0))});
        const qsizetype first = store.encodedBytes();
        QList<HttpFlow> flows;
        for (int i = 1; i <= 200; ++i) {
            flows.append(flowOn(i));
            store.apply({snap(flows.last())});
        }
        // 200 flows of one connection: their encodings, not 200 copies of both connections
        // (~160 bytes with the TLS details).
        const qsizetype perFlow = (store.encodedBytes() - first) / 200;
        QVERIFY2(perFlow < qsizetype(FlowCodec::encodeFlow(flows[0], {1, 2}).size()) - 150,
                 QByteArray::number(perFlow));
        for (int i = 0; i < flows.size(); ++i)
            compareFlows(flows[i], *store.at(i + 1));
    }

    void aChangedConnectionIsKeptAnew()
    {
        // The same connection id with other contents (closed since; or another session's
        // connection that happens to share the id or its cache slot): each flow reads back
        // the Connection it came with.
        FlowStore store;
        QList<HttpFlow> flows;
        for (int i = 0; i < 12; ++i) {
            HttpFlow f = smallFlow(i);
            f.server.id = i % 3 == 0 ? 7 : 7 + 64; // one cache slot, two ids
            if (i >= 6) {
                f.server.state = ConnectionState::Closed;
                f.server.timestampEnd = 1700000100.5;
                f.server.error = QStringLiteral("closed by peer");
            }
            flows.append(f);
            store.apply({snap(f)});
        }
        for (int i = 0; i < flows.size(); ++i) {
            const FlowSnapshot back = store.at(i);
            QCOMPARE(back->server.id, flows[i].server.id);
            QCOMPARE(back->server.state, flows[i].server.state);
            QCOMPARE(back->server.error, flows[i].server.error);
            compareFlows(flows[i], *back);
        }
        store.clear();
        store.apply({snap(flows[7])});
        compareFlows(flows[7], *store.at(0));
    }

    void harFromTheStoreMatchesHarFromSnapshots()
    {
        // HarWriter's streaming overload over at() writes what the list overload writes.
        QList<FlowSnapshot> flows;
        for (int n = 0; n < 20; ++n) {
            HttpFlow f = n % 4 == 0 ? fullFlow() : smallFlow(n);
            f.request.timestampStart = 1700000100.0 - n; // later flows opened the connections
            flows.append(snap(f));
        }
        FlowStore store;
        store.apply(flows);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString fromList = dir.filePath(QStringLiteral("list.har"));
        const QString fromStore = dir.filePath(QStringLiteral("store.har"));
        QCOMPARE(HarWriter::write(fromList, flows), QString());
        QCOMPARE(HarWriter::write(fromStore, store.size(),
                                  [&store](qsizetype i) { return store.at(i); }),
                 QString());
        QFile a(fromList), b(fromStore);
        QVERIFY(a.open(QIODevice::ReadOnly));
        QVERIFY(b.open(QIODevice::ReadOnly));
        const QByteArray listHar = a.readAll();
        // Five flows share fullFlow()'s server connection; only the earliest reports its setup.
        QCOMPARE(listHar.count("\"ssl\": -1"), 19);
        QCOMPARE(b.readAll(), listHar);
    }

    void replacedEncodingsAreReclaimed()
    {
        FlowStore store;
        QList<HttpFlow> flows;
        for (int n = 0; n < 3000; ++n)
            flows.append(smallFlow(n));
        QList<FlowSnapshot> batch;
        for (const HttpFlow& f : flows)
            batch.append(snap(f));
        store.apply(batch);
        const qsizetype first = store.encodedBytes();
        QVERIFY(first > 3000 * 100);
        for (int round = 0; round < 10; ++round) {
            batch.clear();
            for (HttpFlow& f : flows) {
                f.comment = QStringLiteral("round %1").arg(round);
                batch.append(snap(f));
            }
            QCOMPARE(store.apply(batch), 0);
        }
        // Ten generations were written; the dead ones were dropped along the way.
        QVERIFY2(store.encodedBytes() < 3 * first,
                 qPrintable(QStringLiteral("%1 vs %2").arg(store.encodedBytes()).arg(first)));
        for (qsizetype i = 0; i < flows.size(); ++i) {
            compareFlows(flows[i], *store.at(i));
            if (QTest::currentTestFailed())
                return;
        }
    }

    void removeDropsFlowsAndKeepsTheRestInOrder()
    {
        FlowStore store;
        QList<HttpFlow> originals;
        QList<FlowSnapshot> batch;
        for (int n = 0; n < 2100; ++n) { // three chunks of entries
            HttpFlow f = n % 5 == 0 ? fullFlow() : smallFlow(n);
            f.comment = QString::number(n);
            f.live = n % 9 == 0; // some stay snapshots
            originals.append(f);
            batch.append(snap(f));
        }
        store.apply(batch);
        const std::vector<qsizetype> drop{0, 1, 7, 500, 1023, 1024, 1025, 2099};
        store.remove(drop);
        QCOMPARE(store.size(), originals.size() - qsizetype(drop.size()));
        qsizetype at = 0;
        for (qsizetype n = 0; n < originals.size(); ++n) {
            if (std::find(drop.begin(), drop.end(), n) != drop.end()) {
                QCOMPARE(store.indexOf(originals[n].id), -1);
                continue;
            }
            QCOMPARE(store.indexOf(originals[n].id), at);
            QCOMPARE(store.summary(at).id, originals[n].id);
            compareFlows(originals[n], *store.at(at));
            if (QTest::currentTestFailed())
                return;
            ++at;
        }
        // The store goes on as usual: an update keeps its place, a new flow appends.
        HttpFlow changed = originals[2];
        changed.comment = QStringLiteral("changed");
        QCOMPARE(store.apply({snap(changed)}), 0);
        QCOMPARE(store.at(0)->comment, QStringLiteral("changed"));
        HttpFlow added = smallFlow(9999);
        QCOMPARE(store.apply({snap(added)}), 1);
        QCOMPARE(store.indexOf(added.id), store.size() - 1);
        store.remove({0});
        QCOMPARE(store.indexOf(added.id), store.size() - 1);
        int visits = 0;
        store.forEach([&](const HttpFlow&) { ++visits; });
        QCOMPARE(visits, int(store.size()));
    }

    void clearForgetsEverything()
    {
        FlowStore store;
        HttpFlow a = fullFlow();
        HttpFlow live = smallFlow(2);
        live.live = true;
        store.apply({snap(a), snap(live)});
        store.clear();
        QCOMPARE(store.size(), 0);
        QCOMPARE(store.indexOf(a.id), -1);
        QCOMPARE(store.indexOf(live.id), -1);
        int visits = 0;
        store.forEach([&](const HttpFlow&) { ++visits; });
        QCOMPARE(visits, 0);
        QVERIFY(store.snapshots().isEmpty());
        QCOMPARE(store.encodedBytes(), 0);

        // Usable again, chains included (their numbers start over).
        HttpFlow b = fullFlow();
        b.server.certificateChainDer = {binaryBlob(64, 5)};
        QCOMPARE(store.apply({snap(b), snap(a)}), 2);
        compareFlows(b, *store.at(0));
        compareFlows(a, *store.at(1));
        QCOMPARE(store.indexOf(a.id), 1);
    }
};

QTEST_GUILESS_MAIN(FlowStoreTest)
#include "flow_store_test.moc"
