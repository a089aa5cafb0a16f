// Client replay through the real engine and real sockets (server/replay_handler.h,
// ProxyEngine::replayFlow): a replayed flow reaches the origin as a new flow marked as a
// replay, an edited request arrives edited, client_replay_concurrency limits how many run at
// once and keeps their order, a dead server gives the flow an error, client_replay files are
// replayed at start without a listener, and unusable flows are refused with a reason.

#include "io/flow_export.h"
#include "io/session_writer.h"
#include "server/proxy_engine.h"
#include "test_origin.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace spyglass;

namespace {

// The origin answers "PATH X-EDIT BODY": what reached it, edits included.
QByteArray pathEditBody(const test::Origin::Request& r)
{
    return test::Origin::pathAndEdit(r) + ' ' + r.body;
}

using test::deadPort;

HttpFlow recorded(quint16 port, const QByteArray& path, const QByteArray& method = "GET")
{
    HttpFlow f;
    f.request.method = method;
    f.request.scheme = "http";
    f.request.host = "127.0.0.1";
    f.request.port = port;
    f.request.path = path;
    f.request.httpVersion = "HTTP/1.1";
    f.request.headers.add("Host", "127.0.0.1:" + QByteArray::number(port));
    f.request.timestampStart = 1000;
    Response r = Response::make(200, "recorded");
    f.response = r;
    f.live = false;
    return f;
}

// Collects the finished flows the hub publishes, by id.
class Collector : public QObject
{
public:
    explicit Collector(ProxyEngine& engine)
    {
        connect(&engine.hub(), &FlowHub::flowsChanged, this,
                [this](const QList<FlowSnapshot>& batch) {
                    for (const FlowSnapshot& f : batch)
                        if (!f->live)
                            flows.insert(f->id, f);
                });
    }
    QHash<QUuid, FlowSnapshot> flows;
};

Options baseOptions(const QTemporaryDir& dir)
{
    Options o;
    o.confdir = dir.path();
    o.listenPort = 0;
    o.connectTimeout = 5;
    return o;
}

} // namespace

class ClientReplayTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replaysAsNewMarkedFlow()
    {
        test::Origin origin(pathEditBody);
        QTemporaryDir dir;
        ProxyEngine engine;
        engine.setLiveUpdates(false);
        Collector got(engine);
        QString error;
        QVERIFY2(engine.start(baseOptions(dir), &error), qPrintable(error));

        const HttpFlow original = recorded(origin.port, "/first");
        const QUuid id = engine.replayFlow(original, &error);
        QVERIFY2(!id.isNull(), qPrintable(error));
        QVERIFY(id != original.id);
        QTRY_VERIFY_WITH_TIMEOUT(got.flows.contains(id), 5000);
        const FlowSnapshot f = got.flows.value(id);
        QVERIFY(f->isReplay);
        QVERIFY(!f->error);
        QVERIFY(f->response);
        QCOMPARE(f->response->statusCode, 200);
        QCOMPARE(f->response->body.content, QByteArray("/first - "));
        QVERIFY(f->request.timestampStart > 1000);
        QCOMPARE(f->server.peer.port, origin.port);
        QCOMPARE(origin.requests.load(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(engine.pendingReplays(), 0, 5000);

        // Edited: another path, a header and a body (with its length).
        HttpFlow edited = original;
        edited.request.method = "POST";
        edited.request.path = "/edited";
        edited.request.headers.add("X-Edit", "changed");
        edited.request.headers.add("Content-Length", "5");
        edited.request.body.content = "hello";
        edited.request.body.size = 5;
        const QUuid id2 = engine.replayFlow(edited, &error);
        QVERIFY2(!id2.isNull(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(got.flows.contains(id2), 5000);
        QCOMPARE(got.flows.value(id2)->response->body.content, QByteArray("/edited changed hello"));
        QCOMPARE(got.flows.value(id2)->request.method, QByteArray("POST"));
        QCOMPARE(origin.requests.load(), 2);
    }

    void serverPeernameIsTheConnectedIp()
    {
        // The name dialled stays in peer; the IP it resolved to is peername, which curl
        // exports pin with --resolve (export_preserve_original_ip).
        test::Origin origin(pathEditBody);
        QTemporaryDir dir;
        ProxyEngine engine;
        engine.setLiveUpdates(false);
        Collector got(engine);
        QString error;
        QVERIFY2(engine.start(baseOptions(dir), &error), qPrintable(error));
        HttpFlow byName = recorded(origin.port, "/named");
        byName.request.host = "localhost";
        byName.request.headers.set("Host", "localhost:" + QByteArray::number(origin.port));
        const QUuid id = engine.replayFlow(byName, &error);
        QVERIFY2(!id.isNull(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(got.flows.contains(id), 5000);
        const FlowSnapshot f = got.flows.value(id);
        QVERIFY2(f->response, f->error ? qPrintable(f->error->message) : "no response");
        QCOMPARE(f->server.peer, (Address{"localhost", origin.port}));
        QCOMPARE(f->server.peername, (Address{"127.0.0.1", origin.port}));
        Options o;
        o.exportPreserveOriginalIp = true;
        const QByteArray curl = FlowExport::curl(*f, o, &error);
        QVERIFY2(curl.contains("--resolve 'localhost:" + QByteArray::number(origin.port) +
                               ":[127.0.0.1]'"),
                 curl.constData());
    }

    void http2RequestGoesAsHttp11()
    {
        test::Origin origin(pathEditBody);
        QTemporaryDir dir;
        ProxyEngine engine;
        engine.setLiveUpdates(false);
        Collector got(engine);
        QString error;
        QVERIFY2(engine.start(baseOptions(dir), &error), qPrintable(error));
        HttpFlow h2 = recorded(origin.port, "/h2");
        h2.request.httpVersion = "HTTP/2.0";
        h2.request.headers = Headers{{"x-edit", "h2"}};
        h2.request.authority = "127.0.0.1:" + QByteArray::number(origin.port);
        const QUuid id = engine.replayFlow(h2, &error);
        QVERIFY2(!id.isNull(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(got.flows.contains(id), 5000);
        QCOMPARE(got.flows.value(id)->response->body.content, QByteArray("/h2 h2 "));
        QCOMPARE(got.flows.value(id)->request.headers.value("host"), h2.request.authority);
    }

    void concurrencyLimitAndOrder_data()
    {
        QTest::addColumn<int>("concurrency");
        QTest::addColumn<int>("expectedMax");
        QTest::newRow("1") << 1 << 1;
        QTest::newRow("2") << 2 << 2;
        QTest::newRow("unlimited") << -1 << 4;
    }
    void concurrencyLimitAndOrder()
    {
        QFETCH(int, concurrency);
        QFETCH(int, expectedMax);
        test::Origin origin(pathEditBody, 300);
        QTemporaryDir dir;
        Options o = baseOptions(dir);
        o.clientReplayConcurrency = concurrency;
        o.workerThreads = 2;
        ProxyEngine engine;
        engine.setLiveUpdates(false);
        Collector got(engine);
        std::atomic<int> finished{0}; // emitted on a worker thread
        connect(&engine, &ProxyEngine::replaysFinished, [&finished] { ++finished; });
        QString error;
        QVERIFY2(engine.start(o, &error), qPrintable(error));
        QList<HttpFlow> flows;
        for (const char* p : {"/a", "/b", "/c", "/d"})
            flows.append(recorded(origin.port, p));
        QCOMPARE(engine.replayFlows(flows), 4);
        QCOMPARE(engine.pendingReplays(), 4);
        QTRY_COMPARE_WITH_TIMEOUT(got.flows.size(), 4, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(finished.load(), 1, 5000);
        QCOMPARE(engine.pendingReplays(), 0);
        QCOMPARE(origin.maxInProgress.load(), expectedMax);
        if (concurrency == 1)
            QCOMPARE(origin.paths(), (QList<QByteArray>{"/a", "/b", "/c", "/d"}));
        for (const FlowSnapshot& f : got.flows)
            QVERIFY(f->isReplay && f->response && f->response->statusCode == 200);
    }

    void deadServerIsAnError()
    {
        QTemporaryDir dir;
        ProxyEngine engine;
        engine.setLiveUpdates(false);
        Collector got(engine);
        std::atomic<int> finished{0}; // emitted on a worker thread
        connect(&engine, &ProxyEngine::replaysFinished, [&finished] { ++finished; });
        QString error;
        QVERIFY2(engine.start(baseOptions(dir), &error), qPrintable(error));
        const QUuid id = engine.replayFlow(recorded(deadPort(), "/nobody"), &error);
        QVERIFY2(!id.isNull(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(got.flows.contains(id), 8000);
        const FlowSnapshot f = got.flows.value(id);
        QVERIFY(f->isReplay);
        QVERIFY(!f->response);
        QVERIFY(f->error);
        QVERIFY2(f->error->message.contains(QLatin1String("refused"), Qt::CaseInsensitive),
                 qPrintable(f->error->message));
        QTRY_COMPARE_WITH_TIMEOUT(finished.load(), 1, 5000);
    }

    void refusals()
    {
        QTemporaryDir dir;
        ProxyEngine engine;
        QString error;
        // Not running.
        QVERIFY(engine.replayFlow(recorded(80, "/"), &error).isNull());
        QVERIFY2(error.contains(QLatin1String("not running")), qPrintable(error));
        QVERIFY2(engine.start(baseOptions(dir), &error), qPrintable(error));

        HttpFlow streamed = recorded(80, "/", "POST");
        streamed.request.body.streamed = true;
        streamed.request.body.size = 50'000'000;
        error.clear();
        QVERIFY(engine.replayFlow(streamed, &error).isNull());
        QVERIFY2(error.contains(QLatin1String("missing content")), qPrintable(error));

        HttpFlow ws = recorded(80, "/ws");
        ws.websocket = std::make_shared<WebSocketData>();
        error.clear();
        QVERIFY(engine.replayFlow(ws, &error).isNull());
        QVERIFY2(error.contains(QLatin1String("WebSocket")), qPrintable(error));

        HttpFlow tcp;
        tcp.kind = FlowKind::Tcp;
        error.clear();
        QVERIFY(engine.replayFlow(tcp, &error).isNull());
        QVERIFY(!error.isEmpty());

        HttpFlow connect = recorded(443, "127.0.0.1:443", "CONNECT");
        error.clear();
        QVERIFY(engine.replayFlow(connect, &error).isNull());
        QVERIFY(!error.isEmpty());

        QStringList errors;
        QCOMPARE(engine.replayFlows({ws, tcp}, &errors), 0);
        QCOMPARE(errors.size(), 2);
        QCOMPARE(engine.pendingReplays(), 0);
    }

    void clientReplayFileWithoutListener()
    {
        test::Origin origin(pathEditBody);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("flows.spyglass"));
        {
            SessionWriter w;
            QCOMPARE(w.open(file), QString());
            QCOMPARE(w.append(recorded(origin.port, "/one")), QString());
            QCOMPARE(w.append(recorded(origin.port, "/two")), QString());
            w.close();
        }
        Options o = baseOptions(dir);
        o.clientReplay = {file};
        ProxyEngine engine;
        engine.setLiveUpdates(false);
        engine.setListening(false);
        Collector got(engine);
        std::atomic<int> finished{0}; // emitted on a worker thread
        connect(&engine, &ProxyEngine::replaysFinished, [&finished] { ++finished; });
        QString error;
        QVERIFY2(engine.start(o, &error), qPrintable(error));
        QCOMPARE(engine.listenPort(), quint16(0));
        QTRY_COMPARE_WITH_TIMEOUT(finished.load(), 1, 8000);
        QTRY_COMPARE_WITH_TIMEOUT(got.flows.size(), 2, 5000);
        QCOMPARE(origin.paths(), (QList<QByteArray>{"/one", "/two"}));
        engine.stop();

        // An unreadable file stops the start with a reason.
        Options bad = baseOptions(dir);
        bad.clientReplay = {dir.filePath(QStringLiteral("missing.spyglass"))};
        QVERIFY(!engine.start(bad, &error));
        QVERIFY2(error.startsWith(QLatin1String("client_replay: ")), qPrintable(error));
        QVERIFY(!engine.isRunning());
    }
};

QTEST_GUILESS_MAIN(ClientReplayTest)
#include "client_replay_test.moc"
