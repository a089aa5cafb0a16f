// ScriptAddon driven directly (engine/script/script_addon.h): hooks on HttpFlows built here,
// the script's changes applied as the worker would apply them (HookData::onWorker).

#include "options/option_registry.h"
#include "options/options.h"
#include "proxy/context.h"
#include "script/script_addon.h"

#include <QCoreApplication>
#include <QElapsedTimer>
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
    f->request.method = "GET";
    f->request.scheme = "http";
    f->request.host = "example.com";
    f->request.port = 80;
    f->request.path = "/a/b?x=1&y=two%20words";
    f->request.httpVersion = "HTTP/1.1";
    f->request.headers = Headers{{"Host", "example.com"}, {"Cookie", "s=abc; t=1"}};
    return f;
}

void addResponse(HttpFlow& f, const QByteArray& body)
{
    Response r;
    r.httpVersion = "HTTP/1.1";
    r.statusCode = 200;
    r.reason = "OK";
    r.headers = Headers{{"Content-Type", "application/json"},
                        {"Content-Length", QByteArray::number(body.size())}};
    r.body.content = body;
    r.body.size = body.size();
    f.response = r;
}

} // namespace

class ScriptAddonTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::mutex m_logMutex;
    QStringList m_log;

    QString write(const QString& name, const QByteArray& source)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        f.write(source);
        return path;
    }

    std::unique_ptr<ScriptAddon> loaded(const QString& name, const QByteArray& source,
                                        Options options = {})
    {
        auto a = std::make_unique<ScriptAddon>(write(name, source));
        a->setLogSink([this](proxy::LogLevel, const QString& m) {
            std::lock_guard lock(m_logMutex);
            m_log.append(m);
        });
        const QString err = a->load();
        if (!err.isEmpty())
            qWarning("load: %s", qPrintable(err));
        a->configure(options);
        return a;
    }

    QString logText()
    {
        std::lock_guard lock(m_logMutex);
        return m_log.join(QLatin1Char('\n'));
    }

    // Runs one hook as the AddonManager and the worker would; false if it never completed.
    bool run(ScriptAddon& a, HookKind kind, const HttpFlowPtr& flow)
    {
        auto hook = std::make_shared<proxy::HookData>();
        hook->kind = kind;
        hook->flow = flow;
        std::atomic<bool> done{false};
        if (!a.run(hook, [&done] { done = true; })) {
            a.sync();
            // The rest of the hook comes back to this thread, which plays the worker.
            QCoreApplication::processEvents();
            if (!done)
                return false;
        }
        for (auto& f : hook->onWorker)
            f();
        return true;
    }

private Q_SLOTS:
    void init()
    {
        std::lock_guard lock(m_logMutex);
        m_log.clear();
    }

    void wantsOnlyDefinedHooks()
    {
        auto a = loaded("w.js", "function request(flow) {}\nfunction tcp_end(flow) {}\n");
        QCOMPARE(a->wantedHooks(),
                 proxy::Services::bit(HookKind::Request) | proxy::Services::bit(HookKind::TcpEnd));
        // A hook it does not define finishes at once, untouched.
        auto hook = std::make_shared<proxy::HookData>();
        hook->kind = HookKind::Response;
        hook->flow = makeFlow();
        QVERIFY(a->run(hook, [] {}));
    }

    void headerSetInRequest()
    {
        auto a = loaded("h.js", "function request(flow) {\n"
                                "  flow.request.headers.set('X-Added', 'yes');\n"
                                "  flow.request.headers.add('Via', 'script');\n"
                                "  flow.request.headers.delete('cookie');\n"
                                "}\n");
        auto flow = makeFlow();
        QVERIFY(run(*a, HookKind::Request, flow));
        QCOMPARE(flow->request.headers.value("x-added"), QByteArray("yes"));
        QCOMPARE(flow->request.headers.value("via"), QByteArray("script"));
        QVERIFY(!flow->request.headers.contains("cookie"));
        QCOMPARE(flow->request.headers.fields().first().first, QByteArray("Host")); // order kept
        QVERIFY2(logText().isEmpty(), qPrintable(logText()));
    }

    void requestFields()
    {
        auto a = loaded("f.js",
                        "function request(flow) {\n"
                        "  const r = flow.request;\n"
                        "  const q = r.query;\n"
                        "  const c = r.cookies;\n"
                        "  r.headers.set('X-Seen', [r.method, r.url, q.x, q.y, c.s, c.t, r.host,\n"
                        "                           r.port, r.scheme, r.httpVersion].join('|'));\n"
                        "  r.url = 'https://other.test:8443/new?k=v';\n"
                        "  r.query = {a: 'b c'};\n"
                        "  r.method = 'post';\n"
                        "  r.text = JSON.stringify({n: 1});\n"
                        "}\n");
        auto flow = makeFlow();
        QVERIFY(run(*a, HookKind::Request, flow));
        QCOMPARE(flow->request.headers.value("x-seen"),
                 QByteArray("GET|http://example.com/a/b?x=1&y=two%20words|1|two words|abc|1|"
                            "example.com|80|http|HTTP/1.1"));
        QCOMPARE(flow->request.scheme, QByteArray("https"));
        QCOMPARE(flow->request.host, QByteArray("other.test"));
        QCOMPARE(flow->request.port, quint16(8443));
        QCOMPARE(flow->request.path, QByteArray("/new?a=b%20c"));
        QCOMPARE(flow->request.headers.value("host"), QByteArray("other.test:8443"));
        QCOMPARE(flow->request.method, QByteArray("POST"));
        QCOMPARE(flow->request.body.content, QByteArray("{\"n\":1}"));
    }

    void responseRewrite()
    {
        auto a = loaded("r.js", "function response(flow) {\n"
                                "  const data = flow.response.json();\n"
                                "  data.greeting = data.greeting.replace('world', 'script');\n"
                                "  flow.response.text = JSON.stringify(data);\n"
                                "  flow.response.status = 201;\n"
                                "  flow.comment = 'rewritten';\n"
                                "  flow.marked = ':star:';\n"
                                "}\n");
        auto flow = makeFlow();
        addResponse(*flow, R"({"greeting":"hello world"})");
        QVERIFY(run(*a, HookKind::Response, flow));
        QCOMPARE(flow->response->body.content, QByteArray(R"({"greeting":"hello script"})"));
        QCOMPARE(flow->response->headers.value("content-length"), QByteArray("27"));
        QCOMPARE(flow->response->statusCode, 201);
        QCOMPARE(flow->comment, QStringLiteral("rewritten"));
        QCOMPARE(flow->marked, QStringLiteral(":star:"));
    }

    void responseMake()
    {
        auto a =
            loaded("m.js", "function request(flow) {\n"
                           "  if (flow.request.path.indexOf('/a/') === 0)\n"
                           "    flow.response = Response.make(404, 'nope', {'X-From': 'script'});\n"
                           "}\n");
        auto flow = makeFlow();
        QVERIFY(run(*a, HookKind::Request, flow));
        QVERIFY(flow->response);
        QCOMPARE(flow->response->statusCode, 404);
        QCOMPARE(flow->response->reason, QByteArray("Not Found"));
        QCOMPARE(flow->response->body.content, QByteArray("nope"));
        QCOMPARE(flow->response->headers.value("x-from"), QByteArray("script"));
        QCOMPARE(flow->response->headers.value("content-length"), QByteArray("4"));
    }

    void invalidMarkerIsAnError()
    {
        auto a = loaded("mk.js", "function request(flow) {\n"
                                 "  flow.comment = 'x';\n"
                                 "  flow.marked = 'not a marker';\n"
                                 "}\n");
        auto flow = makeFlow();
        QVERIFY(run(*a, HookKind::Request, flow));
        QVERIFY(flow->marked.isEmpty());
        QVERIFY(flow->comment.isEmpty());
        QVERIFY2(logText().contains(QStringLiteral("mk.js:3: request: TypeError: invalid marker")),
                 qPrintable(logText()));
    }

    void kill()
    {
        auto a = loaded("k.js", "function request(flow) { flow.kill(); }\n");
        auto flow = makeFlow();
        QVERIFY(run(*a, HookKind::Request, flow));
        QVERIFY(flow->error);
        QCOMPARE(flow->error->message, QStringLiteral("Connection killed."));
    }

    void throwLeavesFlowUnchanged()
    {
        auto a = loaded("t.js", "function request(flow) {\n"
                                "  flow.request.headers.set('X-Half', 'done');\n"
                                "  throw new Error('boom');\n"
                                "}\n");
        auto flow = makeFlow();
        const Headers before = flow->request.headers;
        QVERIFY(run(*a, HookKind::Request, flow));
        QCOMPARE(flow->request.headers, before);
        QVERIFY2(logText().contains(QStringLiteral("t.js:3: request: Error: boom")),
                 qPrintable(logText()));
        QVERIFY(a->lastError().contains(QStringLiteral("t.js:3")));
    }

    void throwNonError()
    {
        auto a = loaded("s.js", "\nfunction request(flow) { throw 'plain'; }\n");
        auto flow = makeFlow();
        QVERIFY(run(*a, HookKind::Request, flow));
        QVERIFY2(logText().contains(QStringLiteral("s.js:2: request: plain")),
                 qPrintable(logText()));
    }

    void loopTimesOutAndFlowContinues()
    {
        Options o;
        o.scriptTimeout = 200;
        auto a = loaded("l.js",
                        "var n = 0;\n"
                        "function request(flow) {\n"
                        "  n++;\n"
                        "  flow.request.headers.set('X-N', String(n));\n"
                        "  if (n === 1) while (true) {}\n"
                        "}\n",
                        o);
        auto flow = makeFlow();
        QElapsedTimer t;
        t.start();
        QVERIFY(run(*a, HookKind::Request, flow));
        QVERIFY(t.elapsed() < 3000);
        QVERIFY(!flow->request.headers.contains("x-n")); // unmodified
        QVERIFY2(logText().contains(QStringLiteral("l.js:2: request ran longer than 200 ms")),
                 qPrintable(logText()));
        // The engine is usable again.
        QVERIFY(run(*a, HookKind::Request, flow));
        QCOMPARE(flow->request.headers.value("x-n"), QByteArray("2"));
    }

    void syntaxErrorOnLoad()
    {
        ScriptAddon a(write("bad.js", "function ok() {}\nfunction request(flow {\n}\n"));
        const QString err = a.load();
        QVERIFY2(err.contains(QStringLiteral("bad.js:2: SyntaxError")), qPrintable(err));
        QCOMPARE(a.wantedHooks(), quint64(0));
    }

    void missingFile()
    {
        ScriptAddon a(m_dir.filePath(QStringLiteral("absent.js")));
        QVERIFY(a.load().contains(QStringLiteral("cannot read script")));
    }

    void reloadOnChange()
    {
        auto a =
            loaded("re.js", "function request(flow) { flow.request.headers.set('X-V', '1'); }\n");
        std::atomic<int> changed{0};
        a->setOnWantedHooksChanged([&changed] { ++changed; });
        auto flow = makeFlow();
        QVERIFY(run(*a, HookKind::Request, flow));
        QCOMPARE(flow->request.headers.value("x-v"), QByteArray("1"));

        QTest::qWait(50);
        write("re.js", "function request(flow) { flow.request.headers.set('X-V', '2'); }\n"
                       "function response(flow) {}\n");
        QTRY_COMPARE_WITH_TIMEOUT(changed.load(), 1, 5000);
        QVERIFY(a->wantedHooks() & proxy::Services::bit(HookKind::Response));
        flow = makeFlow();
        QVERIFY(run(*a, HookKind::Request, flow));
        QCOMPARE(flow->request.headers.value("x-v"), QByteArray("2"));

        // A broken version is reported and the working one keeps running.
        write("re.js", "function request(flow) {\n");
        QTRY_VERIFY_WITH_TIMEOUT(logText().contains(QStringLiteral("reload failed")), 5000);
        flow = makeFlow();
        QVERIFY(run(*a, HookKind::Request, flow));
        QCOMPARE(flow->request.headers.value("x-v"), QByteArray("2"));
    }

    void websocketMessage()
    {
        auto a = loaded("ws.js", "function websocket_message(flow) {\n"
                                 "  const msgs = flow.websocket.messages;\n"
                                 "  const m = msgs[msgs.length - 1];\n"
                                 "  if (m.text === 'drop me') m.drop();\n"
                                 "  else m.text = m.text.toUpperCase() + msgs.length;\n"
                                 "}\n");
        auto flow = makeFlow();
        auto ws = std::make_shared<WebSocketData>();
        ws->messages.push_back(WebSocketMessage{true, true, "first", 1, false, false});
        ws->messages.push_back(WebSocketMessage{false, true, "hello", 2, false, false});
        flow->websocket = ws;
        QVERIFY(run(*a, HookKind::WebsocketMessage, flow));
        QCOMPARE(flow->websocket->messages.back().content, QByteArray("HELLO2"));
        QCOMPARE(ws->messages.back().content, QByteArray("hello")); // copy-on-write
        auto ws2 = std::make_shared<WebSocketData>(*flow->websocket);
        ws2->messages.push_back(WebSocketMessage{true, true, "drop me", 3, false, false});
        flow->websocket = ws2;
        QVERIFY(run(*a, HookKind::WebsocketMessage, flow));
        QVERIFY(flow->websocket->messages.back().dropped);
    }

    void optionsAndLog()
    {
        auto a =
            loaded("o.js", "function load(loader) {\n"
                           "  loader.addOption('test_greeting', 'str', 'hi', 'A greeting.');\n"
                           "  loader.addOption('test_count', 'int', 3, 'A count.');\n"
                           "}\n"
                           "function request(flow) {\n"
                           "  flow.request.headers.set('X-G', spyglass.options.test_greeting +\n"
                           "                           (spyglass.options.test_count + 1));\n"
                           "  spyglass.log.warn('saw', flow.request.host);\n"
                           "}\n");
        QVERIFY(OptionRegistry::find(QStringLiteral("test_greeting")));
        QVERIFY(OptionRegistry::describeAll(Options{}).contains(QStringLiteral("A count.")));
        Options o;
        QCOMPARE(OptionRegistry::apply(o, QStringLiteral("test_greeting=hello")), QString());
        QVERIFY(!OptionRegistry::apply(o, QStringLiteral("test_count=x")).isEmpty());
        a->configure(o);
        auto flow = makeFlow();
        QVERIFY(run(*a, HookKind::Request, flow));
        QCOMPARE(flow->request.headers.value("x-g"), QByteArray("hello4"));
        QVERIFY2(logText().contains(QStringLiteral("o.js: saw example.com")),
                 qPrintable(logText()));
    }

    void metadataPersistsAcrossHooks()
    {
        auto a = loaded("md.js", "function request(flow) { flow.metadata.t = 'kept'; }\n"
                                 "function response(flow) {\n"
                                 "  flow.response.headers.set('X-Md', String(flow.metadata.t));\n"
                                 "}\n");
        auto flow = makeFlow();
        QVERIFY(run(*a, HookKind::Request, flow));
        addResponse(*flow, "{}");
        QVERIFY(run(*a, HookKind::Response, flow));
        QCOMPARE(flow->response->headers.value("x-md"), QByteArray("kept"));
    }

    void connectionAndClientHelloHooks()
    {
        auto a =
            loaded("c.js", "var seen = [];\n"
                           "function client_connected(client) { seen.push(client.address); }\n"
                           "function tls_clienthello(hello) {\n"
                           "  seen.push(hello.sni + ' ' + hello.alpnProtocols.join(','));\n"
                           "  if (hello.sni === 'pinned.test') hello.ignoreConnection = true;\n"
                           "}\n"
                           "function request(flow) {\n"
                           "  flow.request.headers.set('X-Seen', seen.join(';'));\n"
                           "}\n");
        auto client = makeConnection(Connection::Role::Client);
        client->peer = Address{"127.0.0.1", 5555};
        auto hook = std::make_shared<proxy::HookData>();
        hook->kind = HookKind::ClientConnected;
        hook->connection = client;
        std::atomic<bool> done{false};
        QVERIFY(!a->run(hook, [&done] { done = true; }));
        a->sync();
        QTRY_VERIFY(done);
        QVERIFY(hook->onWorker.empty()); // nothing to change

        hook = std::make_shared<proxy::HookData>();
        hook->kind = HookKind::TlsClientHello;
        hook->connection = client;
        hook->clientHello = std::make_shared<proxy::ClientHelloData>();
        hook->clientHello->sni = "pinned.test";
        hook->clientHello->alpnProtocols = {"h2", "http/1.1"};
        done = false;
        QVERIFY(!a->run(hook, [&done] { done = true; }));
        a->sync();
        // The script has answered; the rest waits for the worker (this thread) to run it.
        QVERIFY(!done);
        QVERIFY(!hook->clientHello->ignoreConnection); // changed only on the worker
        QTRY_VERIFY(done);
        QVERIFY(hook->clientHello->ignoreConnection);

        auto flow = makeFlow();
        QVERIFY(run(*a, HookKind::Request, flow));
        QCOMPARE(flow->request.headers.value("x-seen"),
                 QByteArray("127.0.0.1:5555;pinned.test h2,http/1.1"));
    }

    void filesRelativeToScript()
    {
        write("data.txt", "from a file");
        auto a = loaded("file.js",
                        "function request(flow) {\n"
                        "  flow.response = Response.make(200, spyglass.readText('data.txt'));\n"
                        "  spyglass.appendFile('out.log', flow.request.url + '\\n');\n"
                        "}\n");
        auto flow = makeFlow();
        QVERIFY(run(*a, HookKind::Request, flow));
        QCOMPARE(flow->response->body.content, QByteArray("from a file"));
        QFile out(m_dir.filePath(QStringLiteral("out.log")));
        QVERIFY(out.open(QIODevice::ReadOnly));
        QCOMPARE(out.readAll(), QByteArray("http://example.com/a/b?x=1&y=two%20words\n"));
    }
};

QTEST_GUILESS_MAIN(ScriptAddonTest)
#include "script_addon_test.moc"
