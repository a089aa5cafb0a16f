// What a hook sends back (engine/script/flow_to_js.h, prelude.js Message._changesOut) and the
// values a script engine keeps between hooks (engine/script/js_cache.h): a hook that changes
// nothing queues no change, whatever it reads; what it does change arrives exactly, bytes and
// all; a connection's raw object, shared between hooks, never carries one hook's edits into
// the next; strings past the cache's limits still arrive intact.

#include "options/options.h"
#include "proxy/context.h"
#include "script/js_cache.h"
#include "script/script_addon.h"

#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <mutex>

using namespace spyglass;
using namespace spyglass::script;
using proxy::HookKind;

namespace {

HttpFlowPtr makeFlow()
{
    auto f = std::make_shared<HttpFlow>();
    f->request.method = "POST";
    f->request.scheme = "http";
    f->request.host = "example.com";
    f->request.port = 80;
    f->request.path = "/p?q=1";
    f->request.httpVersion = "HTTP/1.1";
    f->request.headers = Headers{{"Host", "example.com"},
                                 {"X-Bytes", QByteArray("\xff\x01 latin-1", 10)},
                                 {"Content-Length", "4"}};
    f->request.body.content = "body";
    f->request.body.size = 4;
    f->client.id = 7001;
    f->client.peer = Address{"127.0.0.1", 5000};
    return f;
}

} // namespace

class ScriptChangesTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::mutex m_logMutex;
    QStringList m_log;

    std::unique_ptr<ScriptAddon> loaded(const QString& name, const QByteArray& source)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        f.write(source);
        f.close();
        auto a = std::make_unique<ScriptAddon>(path);
        a->setLogSink([this](proxy::LogLevel, const QString& m) {
            std::lock_guard lock(m_logMutex);
            m_log.append(m);
        });
        const QString err = a->load();
        if (!err.isEmpty())
            qWarning("load: %s", qPrintable(err));
        a->configure(Options{});
        return a;
    }

    QString logText()
    {
        std::lock_guard lock(m_logMutex);
        return m_log.join(QLatin1Char('\n'));
    }

    // Runs one hook; how many changes it queued for the worker (-1: it never completed).
    // The changes are made on `hook`'s flow or connection, as the worker would.
    int run(ScriptAddon& a, const proxy::HookPtr& hook)
    {
        std::atomic<bool> done{false};
        int changes = 0;
        // Count what the script thread queued before the worker runs it (complete() runs
        // after the queued changes, on this thread).
        if (a.run(hook, [&done] { done = true; }))
            return 0;
        a.sync();
        changes = int(hook->onWorker.size());
        QCoreApplication::processEvents();
        return done ? changes : -1;
    }

    int runFlow(ScriptAddon& a, HookKind kind, const HttpFlowPtr& flow)
    {
        auto hook = std::make_shared<proxy::HookData>();
        hook->kind = kind;
        hook->flow = flow;
        return run(a, hook);
    }

private Q_SLOTS:
    void init()
    {
        std::lock_guard lock(m_logMutex);
        m_log.clear();
    }

    void readingChangesNothing()
    {
        auto a = loaded("read.js", R"(
function request(flow) {
    const r = flow.request;
    const seen = [r.method, r.url, r.headers.get("host"), r.headers.fields.length,
                  r.text, r.cookies, r.query, flow.client.address, flow.server.address,
                  flow.marked, flow.comment, flow.id.length];
    r.headers.set("X-Tmp", "1");
    r.headers.delete("X-Tmp");
    r.path = r.path;
    spyglass.log.info("seen " + JSON.stringify(seen));
}
)");
        const HttpFlowPtr flow = makeFlow();
        const HttpFlow before = *flow;
        QCOMPARE(runFlow(*a, HookKind::Request, flow), 0);
        QVERIFY2(logText().contains(QStringLiteral(
                     "seen [\"POST\",\"http://example.com/p?q=1\",\"example.com\",3,\"body\"")),
                 qPrintable(logText()));
        QVERIFY2(logText().contains(QStringLiteral("\"127.0.0.1:5000\"")), qPrintable(logText()));
        QCOMPARE(flow->request.headers, before.request.headers);
        QCOMPARE(flow->request.body.content, before.request.body.content);
    }

    void changesArriveExactly()
    {
        auto a = loaded("change.js", R"(
function request(flow) {
    const h = flow.request.headers;
    h.set("X-Bench", "1");
    h.set("X-Echo", h.get("x-bytes"));
}
function response(flow) {
    flow.request.path = "/changed";
}
)");
        const HttpFlowPtr flow = makeFlow();
        QCOMPARE(runFlow(*a, HookKind::Request, flow), 1);
        QCOMPARE(flow->request.headers.value("X-Bench"), QByteArray("1"));
        QCOMPARE(flow->request.headers.value("X-Echo"), QByteArray("\xff\x01 latin-1", 10));
        QCOMPARE(flow->request.headers.size(), 5);
        QCOMPARE(flow->request.path, QByteArray("/p?q=1"));
        QCOMPARE(flow->request.body.content, QByteArray("body"));

        // Only the path was touched: the headers another addon changed meanwhile stay.
        flow->request.headers.set("X-Other", "kept");
        QCOMPARE(runFlow(*a, HookKind::Response, flow), 1);
        QCOMPARE(flow->request.path, QByteArray("/changed"));
        QCOMPARE(flow->request.headers.value("X-Other"), QByteArray("kept"));
    }

    void connectionEditsStayInTheirHook()
    {
        // The raw connection object is kept between hooks (js_cache.h): an error set in
        // client_connected must not show in a later hook of the same, unchanged connection.
        auto a = loaded("conn.js", R"(
let first = true;
function client_connected(client) {
    spyglass.log.info("error before: '" + client.error + "'");
    if (first)
        client.error = "refused by script";
    first = false;
}
function request(flow) {
    spyglass.log.info("request sees: '" + flow.client.error + "'");
    flow.client.error = "ignored";
}
)");
        auto connection = std::make_shared<Connection>(makeFlow()->client);
        auto hook = std::make_shared<proxy::HookData>();
        hook->kind = HookKind::ClientConnected;
        hook->connection = connection;
        QCOMPARE(run(*a, hook), 1);
        QCOMPARE(connection->error, QStringLiteral("refused by script"));

        // The same connection as it was before the change, in two more hooks.
        auto unchanged = std::make_shared<Connection>(makeFlow()->client);
        auto again = std::make_shared<proxy::HookData>();
        again->kind = HookKind::ClientConnected;
        again->connection = unchanged;
        QCOMPARE(run(*a, again), 0);
        QCOMPARE(unchanged->error, QString());
        QCOMPARE(runFlow(*a, HookKind::Request, makeFlow()), 0);
        QCOMPARE(logText().count(QStringLiteral("error before: ''")), 2);
        QVERIFY2(logText().contains(QStringLiteral("request sees: ''")), qPrintable(logText()));

        // A changed connection is made afresh.
        unchanged->error = QStringLiteral("closed");
        QCOMPARE(run(*a, again), 0);
        QVERIFY2(logText().contains(QStringLiteral("error before: 'closed'")),
                 qPrintable(logText()));
    }

    void stringsPastTheCacheLimits()
    {
        auto a = loaded("strings.js", R"(
function request(flow) {
    const h = flow.request.headers;
    let sum = 0;
    for (const f of h.fields)
        sum += f[1].length;
    h.set("X-Sum", String(sum));
    h.set("X-Long-Back", h.get("x-long"));
}
)");
        const QByteArray longValue(JsCache::kMaxLength * 3, 'L');
        for (int round = 0; round < 3; ++round) {
            const HttpFlowPtr flow = makeFlow();
            flow->request.headers = Headers{};
            flow->request.headers.add("X-Long", longValue);
            qsizetype expected = longValue.size();
            // More distinct values than the cache keeps: it starts over on the way.
            for (int i = 0; i < JsCache::kMaxStrings / 2 + 10; ++i) {
                const QByteArray v = QByteArray::number(round * 100000 + i);
                flow->request.headers.add("X-N", v);
                expected += v.size();
            }
            QCOMPARE(runFlow(*a, HookKind::Request, flow), 1);
            QCOMPARE(flow->request.headers.value("X-Sum"), QByteArray::number(expected));
            QCOMPARE(flow->request.headers.value("X-Long-Back"), longValue);
        }
    }
};

QTEST_MAIN(ScriptChangesTest)
#include "script_changes_test.moc"
