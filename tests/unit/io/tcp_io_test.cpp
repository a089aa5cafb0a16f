// Raw TCP flows wherever a flow is kept or exported: the flow codec (kind and messages, a
// truncated section), session files (and a file of the previous minor version), FlowStore
// (messages kept shared in its side table, summary from the connection), HAR (left out).
#include "flow/flow_store.h"
#include "io/flow_codec.h"
#include "io/har_writer.h"
#include "io/session_format.h"
#include "io/session_reader.h"
#include "io/session_writer.h"
#include "sample_flows.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;
using namespace spyglass::test;

namespace {

HttpFlow tcpFlow(bool ended = true)
{
    HttpFlow f;
    f.kind = FlowKind::Tcp;
    f.live = !ended;
    f.client.id = 7;
    f.client.peer = {"127.0.0.1", 5000};
    f.client.timestampStart = 1700000000.5;
    f.server.id = 8;
    f.server.role = Connection::Role::Server;
    f.server.peer = {"127.0.0.1", 25};
    auto d = std::make_shared<TcpData>();
    d->messages.push_back({false, "220 hello\r\n", 1700000001.0});
    d->messages.push_back({true, "HELO x\r\n", 1700000002.0});
    d->messages.push_back({false, QByteArray("\x00\xff binary", 9), 1700000003.0});
    d->messages.push_back({true, QByteArray(100000, 'z'), 1700000004.0});
    if (ended) {
        d->closedByClient = true;
        d->timestampEnd = 1700000005.0;
    }
    f.tcp = d;
    return f;
}

} // namespace

class TcpIoTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void flowCodecRoundTrip()
    {
        for (bool ended : {true, false}) {
            const HttpFlow f = tcpFlow(ended);
            HttpFlow back;
            QCOMPARE(FlowCodec::decodeFlow(FlowCodec::encodeFlow(f), {}, back), QString());
            compareFlows(f, back);
            if (QTest::currentTestFailed())
                return;
        }
        // An HTTP flow decoded into a scratch flow that was TCP is HTTP again.
        HttpFlow back;
        QCOMPARE(FlowCodec::decodeFlow(FlowCodec::encodeFlow(tcpFlow()), {}, back), QString());
        QCOMPARE(FlowCodec::decodeFlow(FlowCodec::encodeFlow(smallFlow(2)), {}, back), QString());
        QCOMPARE(back.kind, FlowKind::Http);
        QVERIFY(!back.tcp);
        // A TCP flow without any message yet is still a TCP flow.
        HttpFlow empty = tcpFlow();
        empty.tcp = std::make_shared<const TcpData>();
        QCOMPARE(FlowCodec::decodeFlow(FlowCodec::encodeFlow(empty), {}, back), QString());
        QCOMPARE(back.kind, FlowKind::Tcp);
        QVERIFY(back.tcp && back.tcp->messages.empty());
    }

    void injectedAndDroppedSurvive()
    {
        // Since format 1.4: a TCP message's injected and dropped flags.
        HttpFlow f = tcpFlow();
        auto d = std::make_shared<TcpData>(*f.tcp);
        TcpMessage injected;
        injected.content = "injected by a script";
        injected.injected = true;
        d->messages.push_back(injected);
        TcpMessage dropped;
        dropped.fromClient = true;
        dropped.content = "dropped by intercept";
        dropped.dropped = true;
        d->messages.push_back(dropped);
        f.tcp = d;
        HttpFlow back;
        QCOMPARE(FlowCodec::decodeFlow(FlowCodec::encodeFlow(f), {}, back), QString());
        QCOMPARE(back.tcp->messages.size(), 6);
        QVERIFY(back.tcp->messages[4].injected && !back.tcp->messages[4].dropped);
        QVERIFY(!back.tcp->messages[4].fromClient);
        QVERIFY(back.tcp->messages[5].dropped && !back.tcp->messages[5].injected);
        QVERIFY(back.tcp->messages[5].fromClient);
        QVERIFY(!back.tcp->messages[0].injected && !back.tcp->messages[0].dropped);
        QVERIFY(*back.tcp == *f.tcp);
        QVERIFY(SessionFormat::minorVersion >= 4);
    }

    void truncatedTcpSectionFailsCleanly()
    {
        const QByteArray payload = FlowCodec::encodeFlow(tcpFlow());
        for (qsizetype n = payload.size() - 1; n > 100; n -= 89) {
            HttpFlow out;
            QVERIFY2(!FlowCodec::decodeFlow(QByteArrayView(payload).first(n), {}, out).isEmpty(),
                     qPrintable(QStringLiteral("cut at %1 decoded").arg(n)));
        }
    }

    void sessionFileRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("tcp.spyglass");
        HttpFlow live = tcpFlow(false);
        HttpFlow done = tcpFlow(true);
        done.id = live.id;
        SessionWriter w;
        QCOMPARE(w.open(path), QString());
        QCOMPARE(w.append(live), QString());
        QCOMPARE(w.append(smallFlow(7)), QString());
        QCOMPARE(w.append(done), QString());
        w.close();
        const SessionReader::Result r = SessionReader::readAll(path);
        QVERIFY2(r.ok(), qPrintable(r.errors.join("; ")));
        QCOMPARE(r.flows.size(), 2);
        compareFlows(done, r.flows[0]);
        QCOMPARE(r.flows[1].kind, FlowKind::Http);
        QVERIFY(SessionFormat::minorVersion >= 2);
    }

    void flowStoreKeepsMessages()
    {
        FlowStore store;
        auto live = std::make_shared<HttpFlow>(tcpFlow(false));
        store.apply({live});
        QCOMPARE(store.at(0)->tcp->messages.size(), 4);
        auto done = std::make_shared<HttpFlow>(tcpFlow(true));
        done->id = live->id;
        store.apply({done, std::make_shared<HttpFlow>(smallFlow(4))});
        QCOMPARE(store.size(), 2);
        compareFlows(*done, *store.at(0));
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(store.at(0)->tcp.get(), done->tcp.get()); // shared, not copied
        QVERIFY(!store.at(1)->tcp);
        QCOMPARE(store.at(1)->kind, FlowKind::Http);
        const FlowStore::Summary& s = store.summary(0);
        QCOMPARE(s.timestampStart, 1700000000.5);
        QCOMPARE(s.timestampEnd, 1700000005.0);
        QCOMPARE(s.requestBodySize, qint64(8 + 100000));
        QCOMPARE(s.responseBodySize, qint64(11 + 9));
    }

    void harLeavesTcpFlowsOut()
    {
        const QList<HttpFlow> flows{tcpFlow(), smallFlow(1), tcpFlow(), smallFlow(2)};
        const QJsonObject log = QJsonDocument::fromJson(HarWriter::toHar(flows))["log"].toObject();
        const QJsonArray entries = log["entries"].toArray();
        QCOMPARE(entries.size(), 2);
        for (const QJsonValue& e : entries)
            QCOMPARE(e["request"]["method"].toString(), QStringLiteral("GET"));
        const QJsonObject none =
            QJsonDocument::fromJson(HarWriter::toHar(QList<HttpFlow>{tcpFlow()}))["log"].toObject();
        QCOMPARE(none["entries"].toArray().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TcpIoTest)
#include "tcp_io_test.moc"
