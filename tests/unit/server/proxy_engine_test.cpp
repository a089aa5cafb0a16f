// ProxyEngine::setOption: addon options change while the proxy runs, from another thread too;
// bad values and options that cannot change at runtime are refused without changing anything.
#include "server/proxy_engine.h"

#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <thread>

using namespace spyglass;

namespace {

// One request through the proxy; returns the status line ("" on failure).
QByteArray statusThrough(quint16 proxyPort, const QByteArray& url)
{
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), proxyPort);
    if (!s.waitForConnected(5000))
        return {};
    s.write("GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n");
    QByteArray got;
    while (!got.contains("\r\n") && s.waitForReadyRead(5000))
        got += s.readAll();
    return got.left(got.indexOf("\r\n"));
}

} // namespace

class ProxyEngineTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void setOptionChangesAddonsWhileRunning()
    {
        QTemporaryDir dir;
        Options o;
        o.confdir = dir.path();
        o.listenPort = 0;
        ProxyEngine engine;
        QString error;
        QVERIFY2(engine.start(o, &error), qPrintable(error));
        const quint16 port = engine.listenPort();
        // Port 1: nothing listens, so without a rule the answer is a 502.
        QVERIFY(statusThrough(port, "http://127.0.0.1:1/x").startsWith("HTTP/1.1 502"));

        // From another thread, as the window would.
        bool ok = false;
        std::thread t([&] { ok = engine.setOption("block_list", "/~u x/418", &error); });
        t.join();
        QVERIFY2(ok, qPrintable(error));
        QVERIFY(statusThrough(port, "http://127.0.0.1:1/x").startsWith("HTTP/1.1 418"));
        QCOMPARE(engine.options().blockList, QStringList{"/~u x/418"});

        // A bad value changes nothing.
        QVERIFY(!engine.setOption("block_list", "/~u x/abc", &error));
        QVERIFY2(error.contains("block_list") && error.contains("abc"), qPrintable(error));
        QVERIFY(statusThrough(port, "http://127.0.0.1:1/x").startsWith("HTTP/1.1 418"));

        // An empty value empties the list.
        QVERIFY(engine.setOption("block_list", "", &error));
        QVERIFY(engine.options().blockList.isEmpty());
        QVERIFY(statusThrough(port, "http://127.0.0.1:1/x").startsWith("HTTP/1.1 502"));

        // Options that are not the addons' cannot change while running.
        QVERIFY(!engine.setOption("ssl_insecure", "true", &error));
        QVERIFY2(error.contains("cannot be changed"), qPrintable(error));
        QVERIFY(!engine.setOption("no_such_option", "1", &error));
        QVERIFY2(error.contains("unknown option"), qPrintable(error));
        engine.stop();
    }

    void startRefusesBadAddonOptions()
    {
        QTemporaryDir dir;
        Options o;
        o.confdir = dir.path();
        o.listenPort = 0;
        o.mapLocal = {"|x|/nonexistent/dir/for/sure"};
        ProxyEngine engine;
        QString error;
        QVERIFY(!engine.start(o, &error));
        QVERIFY2(error.startsWith("map_local: "), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(ProxyEngineTest)
#include "proxy_engine_test.moc"
