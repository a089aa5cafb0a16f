// The intercept addon on its own: which hooks hold a flow, resume/kill/replace from another
// thread, the change made only by the flow's worker (HookData::onWorker), a flow released
// once only, and the options (intercept filter, intercept_active).

#include "addons/intercept.h"

#include "addon_flows.h"
#include "proxy/context.h"

#include <atomic>
#include <thread>

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::test;
using proxy::HookKind;

namespace {

struct Run
{
    proxy::HookPtr hook;
    std::atomic<int> completed{0};
    bool doneNow = false;

    Run(Intercept& addon, HookKind kind, HttpFlow flow)
    {
        hook = std::make_shared<proxy::HookData>();
        hook->kind = kind;
        hook->flow = std::make_shared<HttpFlow>(std::move(flow));
        doneNow = addon.run(hook, [this] { ++completed; });
    }
    // What the worker does when the hook comes back.
    void onWorker()
    {
        for (const auto& f : std::exchange(hook->onWorker, {}))
            f();
    }
};

} // namespace

class InterceptTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void idleWithoutAFilter()
    {
        Intercept i;
        QVERIFY(i.configure(Options{}).isEmpty());
        QCOMPARE(i.wantedHooks(), quint64(0));
        Run r(i, HookKind::Request, requestFlow("http://example.com/a"));
        QVERIFY(r.doneNow);
    }

    void holdsMatchingRequestsAndResponses()
    {
        Intercept i;
        QVERIFY(i.configure(optionsWith({"intercept=~d example.com & ~u /held"})).isEmpty());
        QVERIFY(i.wantedHooks() & proxy::Services::bit(HookKind::Request));
        QVERIFY(i.wantedHooks() & proxy::Services::bit(HookKind::Response));
        QVERIFY(i.wantedHooks() & proxy::Services::bit(HookKind::WebsocketMessage));

        Run other(i, HookKind::Request, requestFlow("http://example.com/free"));
        QVERIFY(other.doneNow);
        Run headers(i, HookKind::RequestHeaders, requestFlow("http://example.com/held"));
        QVERIFY(headers.doneNow); // only request, response and WebSocket messages hold

        int published = 0;
        i.setOnHold([&](const HttpFlow& f) {
            QVERIFY(f.intercepted);
            ++published;
        });
        Run held(i, HookKind::Request, requestFlow("http://example.com/held"));
        QVERIFY(!held.doneNow);
        QCOMPARE(published, 1);
        QCOMPARE(i.held(), QList<QUuid>{held.hook->flow->id});

        // Resumed from another thread, as the window does.
        std::thread([&] { QVERIFY(i.resume(held.hook->flow->id)); }).join();
        QCOMPARE(held.completed.load(), 1);
        QVERIFY(held.hook->flow->intercepted); // the worker has not run yet...
        held.onWorker();
        QVERIFY(!held.hook->flow->intercepted); // ...now it has
        QVERIFY(i.held().isEmpty());
        QVERIFY(!i.resume(held.hook->flow->id)); // once only
        QCOMPARE(held.completed.load(), 1);
    }

    void killAndReplace()
    {
        Intercept i;
        QVERIFY(i.configure(optionsWith({"intercept=~u /held"})).isEmpty());
        Run a(i, HookKind::Request, requestFlow("http://example.com/held"));
        QVERIFY(i.kill(a.hook->flow->id));
        a.onWorker();
        QVERIFY(a.hook->flow->error);
        QCOMPARE(a.hook->flow->error->message, QStringLiteral("Connection killed."));

        Run b(i, HookKind::Request, requestFlow("http://example.com/held"));
        HttpFlow edited = *b.hook->flow;
        edited.request.headers.set("X-Edited", "yes");
        edited.request.method = "POST";
        edited.comment = QStringLiteral("changed in the window");
        QVERIFY(i.replace(b.hook->flow->id, edited));
        b.onWorker();
        QCOMPARE(b.hook->flow->request.method, QByteArray("POST"));
        QCOMPARE(b.hook->flow->request.headers.value("x-edited"), QByteArray("yes"));
        QCOMPARE(b.hook->flow->comment, QStringLiteral("changed in the window"));
        QVERIFY(!b.hook->flow->error);

        HttpFlow answered = requestFlow("http://example.com/held");
        answered.response = Response::make(200, "original");
        Run c(i, HookKind::Response, answered);
        QVERIFY(!c.doneNow);
        HttpFlow newAnswer = *c.hook->flow;
        newAnswer.response = Response::make(418, "teapot");
        newAnswer.request.method = "DELETE"; // not taken: the flow was held at its response
        QVERIFY(i.replace(c.hook->flow->id, newAnswer));
        c.onWorker();
        QCOMPARE(c.hook->flow->response->statusCode, 418);
        QCOMPARE(c.hook->flow->request.method, QByteArray("GET"));
    }

    void webSocketMessagesAreDroppedOrRewritten()
    {
        Intercept i;
        QVERIFY(i.configure(optionsWith({"intercept=~u /ws"})).isEmpty());
        HttpFlow f = requestFlow("http://example.com/ws");
        auto ws = std::make_shared<WebSocketData>();
        WebSocketMessage m;
        m.isText = true;
        m.content = "hello";
        ws->messages.push_back(m);
        f.websocket = ws;
        Run a(i, HookKind::WebsocketMessage, f);
        QVERIFY(!a.doneNow);
        QVERIFY(i.kill(a.hook->flow->id));
        a.onWorker();
        QVERIFY(a.hook->flow->websocket->messages.back().dropped);
        QVERIFY(!ws->messages.back().dropped); // the published copy is untouched
        QVERIFY(!a.hook->flow->error);

        Run b(i, HookKind::WebsocketMessage, f);
        HttpFlow edited = *b.hook->flow;
        auto changed = std::make_shared<WebSocketData>(*edited.websocket);
        changed->messages.lastForWriting().content = "bye";
        edited.websocket = changed;
        QVERIFY(i.replace(b.hook->flow->id, edited));
        b.onWorker();
        QCOMPARE(b.hook->flow->websocket->messages.back().content, QByteArray("bye"));
    }

    void resumeAllAndInactive()
    {
        Intercept i;
        QVERIFY(i.configure(optionsWith({"intercept=~q"})).isEmpty());
        Run a(i, HookKind::Request, requestFlow("http://example.com/1"));
        Run b(i, HookKind::Request, requestFlow("http://example.com/2"));
        QCOMPARE(i.held().size(), 2);
        QCOMPARE(i.resumeAll(), 2);
        QCOMPARE(a.completed.load() + b.completed.load(), 2);

        QVERIFY(i.configure(optionsWith({"intercept=~q", "intercept_active=false"})).isEmpty());
        QCOMPARE(i.wantedHooks(), quint64(0));
        Run c(i, HookKind::Request, requestFlow("http://example.com/3"));
        QVERIFY(c.doneNow);
        QVERIFY(setError("intercept=~nonsense").contains("intercept"));
    }
};

QTEST_APPLESS_MAIN(InterceptTest)
#include "intercept_test.moc"
