// Intercept through the real engine and real sockets: a request matching the `intercept`
// filter waits (the origin sees nothing) while a sibling on another connection goes through;
// replaceFlow's edit reaches the origin; the response is held too; killFlow closes the client
// without an answer; intercept_active=false lets everything pass.

#include "server/proxy_engine.h"
#include "test_origin.h"

#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;

namespace {

using test::answer;
using test::sendRequest;
using test::waitFor;

} // namespace

class InterceptEngineTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void holdEditResumeKill()
    {
        test::Origin origin(test::Origin::pathAndEdit);
        QTemporaryDir dir;
        Options o;
        o.confdir = dir.path();
        o.listenPort = 0;
        o.intercept = QStringLiteral("~u /held");
        ProxyEngine engine;
        engine.setLiveUpdates(false);
        QString error;
        QVERIFY2(engine.start(o, &error), qPrintable(error));
        const quint16 port = engine.listenPort();

        // Held at its request: the origin sees nothing.
        auto held = sendRequest(port, origin.port, "/held", "X-Edit: original\r\n");
        QVERIFY(held);
        QVERIFY(waitFor([&] { return engine.interceptedFlows().size() == 1; }));
        const QUuid id = engine.interceptedFlows().first();
        // A sibling on another connection is not held.
        auto free = sendRequest(port, origin.port, "/free");
        QVERIFY(answer(*free).endsWith("/free -"));
        QCOMPARE(origin.requests.load(), 1);

        // Edited in "the window", then on its way; held again at its response.
        HttpFlow edited;
        edited.request.method = "GET";
        edited.request.scheme = "http";
        edited.request.host = "127.0.0.1";
        edited.request.port = origin.port;
        edited.request.path = "/held";
        edited.request.httpVersion = "HTTP/1.1";
        edited.request.headers.add("Host", "127.0.0.1:" + QByteArray::number(origin.port));
        edited.request.headers.add("X-Edit", "changed");
        QVERIFY(engine.replaceFlow(id, edited));
        QVERIFY(waitFor([&] { return origin.requests.load() == 2; }));
        QVERIFY(waitFor([&] { return engine.interceptedFlows() == QList<QUuid>{id}; }));
        QVERIFY(!held->waitForReadyRead(200)); // the response waits as well
        QVERIFY(engine.resumeFlow(id));
        QVERIFY(answer(*held).endsWith("/held changed"));
        QVERIFY(!engine.resumeFlow(id));

        // Killed at its request: closed without an answer, the origin never asked.
        auto killed = sendRequest(port, origin.port, "/held");
        QVERIFY(waitFor([&] { return engine.interceptedFlows().size() == 1; }));
        QVERIFY(engine.killFlow(engine.interceptedFlows().first()));
        QCOMPARE(answer(*killed, 3000), QByteArray());
        QCOMPARE(origin.requests.load(), 2);

        // Switched off while running: nothing is held.
        QVERIFY2(
            engine.setOption(QStringLiteral("intercept_active"), QStringLiteral("false"), &error),
            qPrintable(error));
        auto passes = sendRequest(port, origin.port, "/held");
        QVERIFY(answer(*passes).endsWith("/held -"));
        QVERIFY(engine.interceptedFlows().isEmpty());
        engine.stop();
    }

    // Stopping closes the held connections; what was held is forgotten, not listed as held
    // into the next run, and the origin is never asked.
    void stopForgetsHeldFlows()
    {
        test::Origin origin(test::Origin::pathAndEdit);
        QTemporaryDir dir;
        Options o;
        o.confdir = dir.path();
        o.listenPort = 0;
        o.intercept = QStringLiteral("~u /held");
        ProxyEngine engine;
        QString error;
        QVERIFY2(engine.start(o, &error), qPrintable(error));
        auto held = sendRequest(engine.listenPort(), origin.port, "/held");
        QVERIFY(held);
        QVERIFY(waitFor([&] { return engine.interceptedFlows().size() == 1; }));
        const QUuid id = engine.interceptedFlows().first();
        engine.stop();
        QVERIFY(engine.interceptedFlows().isEmpty());
        QVERIFY(!engine.resumeFlow(id));
        QCOMPARE(answer(*held, 2000), QByteArray());
        QVERIFY2(engine.start(o, &error), qPrintable(error));
        QVERIFY(engine.interceptedFlows().isEmpty());
        engine.stop();
        QCOMPARE(origin.requests.load(), 0);
    }
};

QTEST_GUILESS_MAIN(InterceptEngineTest)
#include "intercept_engine_test.moc"
