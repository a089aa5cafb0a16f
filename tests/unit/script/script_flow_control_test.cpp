// flow.intercept(), flow.resume(), flow.kill() on a held flow, flow.intercepted and
// spyglass.replay (issue 8), driven through a ScriptAddon whose host is a real addons::Intercept
// and a recording replay function (script/script_host.h), as ScriptSet::install wires them.
// The hook's worker is played by the test: it runs HookData::onWorker once the hook completes.

#include "addons/addon_manager.h"
#include "addons/intercept.h"
#include "options/options.h"
#include "proxy/context.h"
#include "script/script_addon.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <mutex>

using namespace spyglass;
using namespace spyglass::script;
using proxy::HookKind;

namespace {

HttpFlowPtr makeFlow(const QByteArray& path)
{
    auto f = std::make_shared<HttpFlow>();
    f->request.method = "POST";
    f->request.scheme = "http";
    f->request.host = "example.com";
    f->request.port = 80;
    f->request.path = path;
    f->request.httpVersion = "HTTP/1.1";
    f->request.headers = Headers{{"Host", "example.com"}, {"Content-Length", "4"}};
    f->request.body.content = "ping";
    f->request.body.size = 4;
    return f;
}

// A hook in flight: what the layer would wait on.
struct Pending
{
    proxy::HookPtr hook;
    std::shared_ptr<std::atomic<bool>> done = std::make_shared<std::atomic<bool>>(false);

    // The worker's part once the hook completed.
    void finish()
    {
        for (auto& f : std::exchange(hook->onWorker, {}))
            f();
    }
};

// Records the hooks it sees: an addon that runs after the script.
class Recorder : public addons::Addon
{
public:
    QString name() const override { return QStringLiteral("recorder"); }
    QString configure(const Options&) override { return {}; }
    quint64 wantedHooks() const override { return proxy::Services::bit(HookKind::Request); }
    bool run(const proxy::HookPtr& hook, const std::function<void()>&) override
    {
        std::lock_guard lock(mutex);
        seen.append(QString::fromLatin1(hook->flow->request.path));
        return true;
    }
    QStringList seenPaths()
    {
        std::lock_guard lock(mutex);
        return seen;
    }

private:
    std::mutex mutex;
    QStringList seen;
};

} // namespace

class ScriptFlowControlTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::mutex m_mutex;
    QStringList m_log;
    QList<HttpFlow> m_published; // Intercept's onHold
    QList<HttpFlow> m_replayed;
    QString m_replayError; // when set, the fake replay refuses with it
    addons::Intercept m_intercept;

    QString logText()
    {
        std::lock_guard lock(m_mutex);
        return m_log.join(QLatin1Char('\n'));
    }

    ScriptHost host()
    {
        return ScriptHost::make(&m_intercept, [this](const HttpFlow& flow, QString* error) {
            std::lock_guard lock(m_mutex);
            if (!m_replayError.isEmpty()) {
                *error = m_replayError;
                return QUuid();
            }
            m_replayed.append(flow);
            return QUuid::createUuid();
        });
    }

    std::unique_ptr<ScriptAddon> loaded(const QString& name, const QByteArray& source,
                                        bool withHost = true)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        f.write(source);
        f.close();
        auto a = std::make_unique<ScriptAddon>(path);
        a->setLogSink([this](proxy::LogLevel, const QString& m) {
            std::lock_guard lock(m_mutex);
            m_log.append(m);
        });
        if (const QString err = a->load(); !err.isEmpty())
            qWarning("load: %s", qPrintable(err));
        a->configure(Options{});
        if (withHost)
            a->setHost(host());
        return a;
    }

    // Runs one hook on `a` as the AddonManager does and waits for the script thread.
    Pending start(ScriptAddon& a, HookKind kind, const HttpFlowPtr& flow)
    {
        Pending p;
        p.hook = std::make_shared<proxy::HookData>();
        p.hook->kind = kind;
        p.hook->flow = flow;
        auto done = p.done;
        if (a.run(p.hook, [done] { *done = true; }))
            *done = true;
        a.sync();
        QCoreApplication::processEvents(); // this thread plays the worker the hook returns to
        return p;
    }

private Q_SLOTS:
    void init()
    {
        std::lock_guard lock(m_mutex);
        m_log.clear();
        m_published.clear();
        m_replayed.clear();
        m_replayError.clear();
        m_intercept.setLogSink([this](proxy::LogLevel, const QString& m) {
            std::lock_guard lock(m_mutex);
            m_log.append(m);
        });
        m_intercept.setOnHold([this](const HttpFlow& flow) {
            std::lock_guard lock(m_mutex);
            m_published.append(flow);
        });
    }

    void interceptHoldsUntilALaterHookResumes()
    {
        auto a = loaded("hold.js", "let held = null;\n"
                                   "function request(flow) {\n"
                                   "  if (flow.request.path === '/held') {\n"
                                   "    flow.request.headers.set('X-Seen', 'yes');\n"
                                   "    flow.intercept();\n"
                                   "    spyglass.log.info('pending ' + flow.intercepted);\n"
                                   "    held = flow;\n"
                                   "  } else if (held) {\n"
                                   "    spyglass.log.info('before ' + held.intercepted);\n"
                                   "    spyglass.log.info('resumed ' + held.resume());\n"
                                   "    spyglass.log.info('after ' + held.intercepted);\n"
                                   "    spyglass.log.info('again ' + held.resume());\n"
                                   "    held = null;\n"
                                   "  }\n"
                                   "}\n");
        auto first = makeFlow("/held");
        Pending p1 = start(*a, HookKind::Request, first);
        QVERIFY2(!*p1.done, "the intercepted hook is held");
        QCOMPARE(m_intercept.held(), QList<QUuid>{first->id});
        QVERIFY(m_intercept.isHeld(first->id));
        {
            std::lock_guard lock(m_mutex);
            QCOMPARE(m_published.size(), 1);
            QVERIFY(m_published[0].intercepted);
            // Shown with the script's change, which the worker has not made yet.
            QCOMPARE(m_published[0].request.headers.value("x-seen"), QByteArray("yes"));
        }
        QVERIFY(!first->request.headers.contains("x-seen"));

        auto second = makeFlow("/other");
        Pending p2 = start(*a, HookKind::Request, second);
        QVERIFY2(*p2.done, "another flow passes while the first is held");
        QVERIFY2(*p1.done, "resumed by the later hook");
        QVERIFY(m_intercept.held().isEmpty());
        p1.finish();
        QCOMPARE(first->request.headers.value("x-seen"), QByteArray("yes"));
        QVERIFY(!first->intercepted);
        const QString log = logText();
        for (const char* line :
             {"pending true", "before true", "resumed true", "after false", "again false"})
            QVERIFY2(log.contains(QLatin1String(line)), qPrintable(line + (": " + log)));
    }

    void windowResumesKillsAndReplaces()
    {
        auto a = loaded("all.js", "function request(flow) {\n"
                                  "  flow.request.headers.set('X-Script', '1');\n"
                                  "  flow.intercept();\n"
                                  "}\n"
                                  "function response(flow) { flow.intercept(); }\n");
        auto resumed = makeFlow("/resume");
        Pending p1 = start(*a, HookKind::Request, resumed);
        QVERIFY(!*p1.done);
        QVERIFY(m_intercept.resume(resumed->id));
        QTRY_VERIFY(*p1.done);
        p1.finish();
        QCOMPARE(resumed->request.headers.value("x-script"), QByteArray("1"));

        auto killed = makeFlow("/kill");
        Pending p2 = start(*a, HookKind::Request, killed);
        QVERIFY(m_intercept.kill(killed->id));
        QTRY_VERIFY(*p2.done);
        p2.finish();
        QVERIFY(killed->error);
        QCOMPARE(killed->error->message, QStringLiteral("Connection killed."));

        auto replaced = makeFlow("/replace");
        Pending p3 = start(*a, HookKind::Request, replaced);
        HttpFlow edited = *replaced;
        edited.request.path = "/edited";
        QVERIFY(m_intercept.replace(replaced->id, edited));
        QTRY_VERIFY(*p3.done);
        p3.finish();
        QCOMPARE(replaced->request.path, QByteArray("/edited")); // the window's edit wins
        QVERIFY(!m_intercept.resume(replaced->id));              // not held any more

        // Held again at response.
        Response r;
        r.statusCode = 200;
        r.httpVersion = "HTTP/1.1";
        resumed->response = r;
        Pending p4 = start(*a, HookKind::Response, resumed);
        QVERIFY(!*p4.done);
        QCOMPARE(m_intercept.resumeAll(), 1);
        QTRY_VERIFY(*p4.done);
    }

    void killFromALaterHook()
    {
        auto a = loaded("killlater.js", "let held = null;\n"
                                        "function request(flow) {\n"
                                        "  if (!held) { flow.intercept(); held = flow; return; }\n"
                                        "  spyglass.log.info('killed ' + held.kill());\n"
                                        "}\n");
        auto first = makeFlow("/one");
        Pending p1 = start(*a, HookKind::Request, first);
        QVERIFY(!*p1.done);
        Pending p2 = start(*a, HookKind::Request, makeFlow("/two"));
        QVERIFY(*p2.done && *p1.done);
        p1.finish();
        QVERIFY(first->error);
        QVERIFY2(logText().contains(QStringLiteral("killed true")), qPrintable(logText()));
    }

    void resumeOrKillInTheSameHookDoesNotHold()
    {
        auto a = loaded("undo.js", "function request(flow) {\n"
                                   "  flow.intercept();\n"
                                   "  if (flow.request.path === '/resume') flow.resume();\n"
                                   "  else flow.kill();\n"
                                   "  spyglass.log.info('still ' + flow.intercepted);\n"
                                   "}\n");
        auto resumed = makeFlow("/resume");
        Pending p1 = start(*a, HookKind::Request, resumed);
        QVERIFY(*p1.done);
        auto killed = makeFlow("/kill");
        Pending p2 = start(*a, HookKind::Request, killed);
        QVERIFY(*p2.done);
        p2.finish();
        QVERIFY(killed->error);
        QVERIFY(m_intercept.held().isEmpty());
        QVERIFY2(logText().count(QStringLiteral("still false")) == 2, qPrintable(logText()));
    }

    void interceptOnlyWhereItCanHold()
    {
        auto a = loaded("where.js", "function requestheaders(flow) { flow.intercept(); }\n"
                                    "let kept = null;\n"
                                    "function request(flow) {\n"
                                    "  if (kept) kept.intercept(); else kept = flow;\n"
                                    "}\n");
        Pending p1 = start(*a, HookKind::RequestHeaders, makeFlow("/h"));
        QVERIFY(*p1.done);
        QVERIFY2(logText().contains(QStringLiteral("where.js:1: requestheaders: Error: "
                                                   "flow.intercept() holds the flow of a running "
                                                   "request, response, websocket_message hook")),
                 qPrintable(logText()));
        start(*a, HookKind::Request, makeFlow("/a"));
        Pending p2 = start(*a, HookKind::Request, makeFlow("/b"));
        QVERIFY2(*p2.done, "a flow whose hook returned cannot be intercepted");
        QVERIFY(logText().contains(QStringLiteral("where.js:4: request: Error")));
        QVERIFY(m_intercept.held().isEmpty());
    }

    void withoutAHostTheFlowGoesOn()
    {
        auto a =
            loaded("nohost.js",
                   "function request(flow) {\n"
                   "  flow.intercept();\n"
                   "  try { spyglass.replay(flow); } catch (e) { spyglass.log.warn(e.message); }\n"
                   "}\n",
                   false);
        Pending p = start(*a, HookKind::Request, makeFlow("/x"));
        QVERIFY(*p.done);
        QVERIFY2(logText().contains(QStringLiteral("this proxy cannot hold flows")),
                 qPrintable(logText()));
        QVERIFY(logText().contains(QStringLiteral("spyglass.replay needs a running proxy")));
    }

    void addonsAfterTheScriptRunAfterTheResume()
    {
        std::vector<std::unique_ptr<addons::Addon>> list;
        auto script = loaded("chain.js", "function request(flow) {\n"
                                         "  if (flow.request.path === '/held') flow.intercept();\n"
                                         "}\n");
        ScriptAddon* s = script.get();
        list.push_back(std::move(script));
        auto recorder = std::make_unique<Recorder>();
        Recorder* r = recorder.get();
        list.push_back(std::move(recorder));
        addons::AddonManager manager(std::move(list));

        auto held = makeFlow("/held");
        auto hook = std::make_shared<proxy::HookData>();
        hook->kind = HookKind::Request;
        hook->flow = held;
        std::atomic<bool> done{false};
        QVERIFY(!manager.run(hook, [&done] { done = true; }));
        s->sync();
        QVERIFY(!done);
        QVERIFY2(r->seenPaths().isEmpty(), "the addon after the script waits");
        QVERIFY(m_intercept.resume(held->id));
        QTRY_VERIFY(done);
        QCOMPARE(r->seenPaths(), QStringList{QStringLiteral("/held")});
    }

    void timerResumesAndClearTimeoutCancels()
    {
        auto a = loaded("timer.js",
                        "function request(flow) {\n"
                        "  if (flow.request.path === '/later') {\n"
                        "    flow.intercept();\n"
                        "    spyglass.setTimeout(function () {\n"
                        "      spyglass.log.info('timer resumed ' + flow.resume());\n"
                        "    }, 50);\n"
                        "    var never = spyglass.setTimeout(function () {\n"
                        "      spyglass.log.info('cancelled timer ran');\n"
                        "    }, 10);\n"
                        "    spyglass.clearTimeout(never);\n"
                        "    spyglass.clearTimeout(12345);\n"
                        "  } else {\n"
                        "    spyglass.setTimeout(function () { throw new Error('late'); }, 0);\n"
                        "  }\n"
                        "}\n");
        auto flow = makeFlow("/later");
        QElapsedTimer clock;
        clock.start();
        Pending p = start(*a, HookKind::Request, flow);
        QVERIFY(!*p.done);
        QTRY_VERIFY(*p.done);
        QVERIFY2(clock.elapsed() >= 45, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(logText().contains(QStringLiteral("timer resumed true")));

        start(*a, HookKind::Request, makeFlow("/throws"));
        QTRY_VERIFY2(logText().contains(QStringLiteral("timer.js:13: setTimeout callback: "
                                                       "Error: late")),
                     qPrintable(logText()));
        QTest::qWait(100);
        QVERIFY2(!logText().contains(QStringLiteral("cancelled timer ran")), qPrintable(logText()));
    }

    void aSecondScriptSeesTheFirstOnesChange()
    {
        // Each script's change is made on the worker before the next script copies the flow:
        // two scripts editing the same request both count.
        std::vector<std::unique_ptr<addons::Addon>> list;
        list.push_back(loaded(
            "first.js", "function request(flow) { flow.request.headers.set('X-A', '1'); }\n"));
        list.push_back(loaded("second.js",
                              "function request(flow) {\n"
                              "  var a = flow.request.headers.get('X-A');\n"
                              "  flow.request.headers.set('X-B', a ? 'saw ' + a : 'no');\n"
                              "}\n"));
        addons::AddonManager manager(std::move(list));
        auto flow = makeFlow("/two");
        auto hook = std::make_shared<proxy::HookData>();
        hook->kind = HookKind::Request;
        hook->flow = flow;
        std::atomic<bool> done{false};
        QVERIFY(!manager.run(hook, [&done] { done = true; }));
        QTRY_VERIFY(done);
        for (auto& f : std::exchange(hook->onWorker, {}))
            f();
        QCOMPARE(flow->request.headers.value("x-a"), QByteArray("1"));
        QCOMPARE(flow->request.headers.value("x-b"), QByteArray("saw 1"));
    }

    void replayTheEditedFlow()
    {
        auto a = loaded("replay.js", "let kept = null;\n"
                                     "function request(flow) {\n"
                                     "  if (flow.isReplay) return;\n"
                                     "  if (flow.request.path === '/later') {\n"
                                     "    kept.request.path = '/stale-edit';\n"
                                     "    spyglass.log.info('later ' + spyglass.replay(kept));\n"
                                     "    return;\n"
                                     "  }\n"
                                     "  flow.request.headers.set('X-Replayed', 'by script');\n"
                                     "  spyglass.log.info('replay id ' + spyglass.replay(flow));\n"
                                     "  kept = flow;\n"
                                     "}\n");
        auto f = makeFlow("/orig");
        f->client.peer = Address{"127.0.0.1", 5555};
        Pending p = start(*a, HookKind::Request, f);
        QVERIFY(*p.done);
        auto later = makeFlow("/later");
        start(*a, HookKind::Request, later);
        {
            std::lock_guard lock(m_mutex);
            QCOMPARE(m_replayed.size(), 2);
            const HttpFlow& r = m_replayed[0];
            QCOMPARE(r.request.path, QByteArray("/orig"));
            QCOMPARE(r.request.headers.value("x-replayed"), QByteArray("by script"));
            QCOMPARE(r.request.body.content, QByteArray("ping"));
            QCOMPARE(r.client.peer.port, quint16(5555)); // the running hook's flow is the base
            const HttpFlow& s = m_replayed[1];           // rebuilt from the script's object
            QCOMPARE(s.request.path, QByteArray("/stale-edit"));
            QCOMPARE(s.request.host, QByteArray("example.com"));
            QCOMPARE(s.request.method, QByteArray("POST"));
            QCOMPARE(s.request.body.content, QByteArray("ping"));
        }
        const QString log = logText();
        QVERIFY2(
            QRegularExpression(QStringLiteral("replay id [0-9a-f-]{36}")).match(log).hasMatch(),
            qPrintable(log));
        QVERIFY2(QRegularExpression(QStringLiteral("later [0-9a-f-]{36}")).match(log).hasMatch(),
                 qPrintable(log));
        QVERIFY(!f->request.headers.isEmpty());
    }

    void replayRefusedThrows()
    {
        {
            std::lock_guard lock(m_mutex);
            m_replayError = QStringLiteral("the proxy is not running");
        }
        auto a =
            loaded("refused.js", "function request(flow) {\n"
                                 "  try { spyglass.replay(flow); } catch (e) {\n"
                                 "    spyglass.log.warn('caught ' + e.name + ': ' + e.message);\n"
                                 "  }\n"
                                 "  spyglass.replay({request: {}});\n"
                                 "}\n");
        start(*a, HookKind::Request, makeFlow("/x"));
        const QString log = logText();
        QVERIFY2(log.contains(QStringLiteral("caught Error: the proxy is not running")),
                 qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("refused.js:5: request: TypeError: spyglass.replay "
                                             "takes a flow")),
                 qPrintable(log));
    }

    void isReplayNamesTheKind()
    {
        auto a = loaded("kind.js", "function request(flow) {\n"
                                   "  spyglass.log.info(flow.request.path + ' ' + flow.isReplay);\n"
                                   "}\n");
        auto plain = makeFlow("/plain");
        auto client = makeFlow("/client");
        client->isReplay = true;
        auto server = makeFlow("/server");
        server->isServerReplay = true;
        for (const auto& f : {plain, client, server})
            start(*a, HookKind::Request, f);
        const QString log = logText();
        QVERIFY2(log.contains(QStringLiteral("/plain null")), qPrintable(log));
        QVERIFY(log.contains(QStringLiteral("/client request")));
        QVERIFY(log.contains(QStringLiteral("/server response")));
    }
};

QTEST_GUILESS_MAIN(ScriptFlowControlTest)
#include "script_flow_control_test.moc"
