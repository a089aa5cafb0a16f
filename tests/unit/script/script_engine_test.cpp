// A flow a script holds with flow.intercept() is the window's like any intercepted flow
// (issue 8): through the real ProxyEngine, ScriptSet::install and real sockets, it is listed
// by interceptedFlows() (the origin sees nothing meanwhile) while a sibling passes, and
// resumeFlow, replaceFlow and killFlow release it; the script's own change goes with it.

#include "script/script_set.h"
#include "server/proxy_engine.h"
#include "test_origin.h"

#include <QFile>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;

namespace {

using test::answer;
using test::sendRequest;
using test::waitFor;

} // namespace

class ScriptEngineTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void heldByAScriptReleasedByTheWindow()
    {
        test::Origin origin(test::Origin::pathAndEdit);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("hold.js"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("function request(flow) {\n"
                    "  if (flow.request.path.indexOf('/held') !== 0) return;\n"
                    "  flow.request.headers.set('X-Edit', 'script');\n"
                    "  flow.intercept();\n"
                    "}\n");
        }
        script::ScriptSet scripts;
        QCOMPARE(scripts.load({path}, {}), QString());
        Options o;
        o.confdir = dir.path();
        o.listenPort = 0;
        ProxyEngine engine;
        engine.setLiveUpdates(false);
        scripts.install(engine);
        QString error;
        QVERIFY2(engine.start(o, &error), qPrintable(error));
        const quint16 port = engine.listenPort();

        auto held = sendRequest(port, origin.port, "/held");
        QVERIFY(held);
        QVERIFY(waitFor([&] { return engine.interceptedFlows().size() == 1; }));
        const QUuid id = engine.interceptedFlows().first();
        auto free = sendRequest(port, origin.port, "/free");
        QVERIFY(answer(*free).endsWith("/free -"));
        QCOMPARE(origin.requests.load(), 1);
        QVERIFY(!held->waitForReadyRead(200));
        QVERIFY(engine.resumeFlow(id));
        QVERIFY(answer(*held).endsWith("/held script"));
        QVERIFY(!engine.resumeFlow(id));
        QVERIFY(engine.interceptedFlows().isEmpty());

        // Edited in "the window": its request replaces the script's.
        auto replaced = sendRequest(port, origin.port, "/held/2");
        QVERIFY(waitFor([&] { return engine.interceptedFlows().size() == 1; }));
        HttpFlow edited;
        edited.request.method = "GET";
        edited.request.scheme = "http";
        edited.request.host = "127.0.0.1";
        edited.request.port = origin.port;
        edited.request.path = "/held/2";
        edited.request.httpVersion = "HTTP/1.1";
        edited.request.headers.add("Host", "127.0.0.1:" + QByteArray::number(origin.port));
        edited.request.headers.add("X-Edit", "window");
        QVERIFY(engine.replaceFlow(engine.interceptedFlows().first(), edited));
        QVERIFY(answer(*replaced).endsWith("/held/2 window"));

        // Killed: closed without an answer, the origin never asked.
        auto killed = sendRequest(port, origin.port, "/held/3");
        QVERIFY(waitFor([&] { return engine.interceptedFlows().size() == 1; }));
        QVERIFY(engine.killFlow(engine.interceptedFlows().first()));
        QCOMPARE(answer(*killed, 3000), QByteArray());
        QCOMPARE(origin.requests.load(), 3);

        // Stopping with a flow held by the script forgets it.
        auto last = sendRequest(port, origin.port, "/held/4");
        QVERIFY(waitFor([&] { return engine.interceptedFlows().size() == 1; }));
        engine.stop();
        QVERIFY(engine.interceptedFlows().isEmpty());
        QCOMPARE(origin.requests.load(), 3);
    }
};

QTEST_GUILESS_MAIN(ScriptEngineTest)
#include "script_engine_test.moc"
