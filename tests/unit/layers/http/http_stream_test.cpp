// Playbook tests for what HttpStream does with the changes hooks make to a flow (the addons'
// contract, engine/addons/addon.h): an edited request goes upstream, a response set in the
// request hook is answered without a server, an edited response reaches the client, a killed
// flow closes the client without an answer, a request moved where it cannot go gets a 502.
#include "layers/http/http_layer.h"
#include "layers/http/http_stream.h"
#include "options/options.h"
#include "playbook.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::proxy;
using namespace spyglass::layers;
using spyglass::test::Playbook;

namespace {

const QByteArray kGet = "GET http://example.com/path HTTP/1.1\r\nHost: example.com\r\n\r\n";

struct Fixture
{
    ConnectionPtr client = makeConnection(Connection::Role::Client);
    Context ctx;
    std::unique_ptr<HttpLayer> layer;
    std::unique_ptr<Playbook> pb;

    Fixture()
    {
        client->peer = {"127.0.0.1", 50000};
        client->state = ConnectionState::Open;
        ctx.client = client;
        ctx.options = std::make_shared<Options>();
        ctx.services = std::make_shared<Services>();
        ctx.services->clock = [] { return 1000.0; };
        layer = std::make_unique<HttpLayer>(ctx, HttpLayer::Mode::Regular);
        pb = std::make_unique<Playbook>(*layer);
        pb->ignoreLogs();
        pb->feed(Start{});
    }

    // Sends kGet and stops at the request hook, returning its flow.
    HttpFlowPtr atRequestHook()
    {
        pb->feed(DataReceived{client, kGet});
        if (!pb->expectHook(HookKind::RequestHeaders))
            return nullptr;
        pb->replyHook();
        Hook h;
        if (!pb->expectHook(HookKind::Request, &h))
            return nullptr;
        return h.hook->flow;
    }
};

} // namespace

class HttpStreamTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestEditedInRequestHookGoesUpstream()
    {
        Fixture f;
        HttpFlowPtr flow = f.atRequestHook();
        QVERIFY2(flow, f.pb->why());
        flow->request.path = "/edited";
        flow->request.headers.add("X-Edited", "1");
        flow->request.body.content = "body";
        f.pb->replyHook();
        OpenConnection open;
        QVERIFY2(f.pb->expect(OpenConnection{}), f.pb->why());
        f.pb->replyOpen();
        QVERIFY(!f.pb->pending().empty());
        const ConnectionPtr server = std::get<SendData>(f.pb->pending().front()).connection;
        QCOMPARE(server->peer, (Address{"example.com", 80}));
        QVERIFY2(f.pb->expect(SendData{server, "GET /edited HTTP/1.1\r\nHost: example.com\r\n"
                                               "X-Edited: 1\r\nContent-Length: 4\r\n\r\nbody"}),
                 f.pb->why());
    }

    void responseSetInRequestHookIsAnsweredWithoutServer()
    {
        Fixture f;
        HttpFlowPtr flow = f.atRequestHook();
        QVERIFY2(flow, f.pb->why());
        flow->response = Response::make(200, "local", "text/plain");
        f.pb->replyHook();
        Hook resp;
        QVERIFY2(f.pb->expectHook(HookKind::Response, &resp), f.pb->why());
        resp.hook->flow->response->headers.add("X-Late", "yes"); // response hook edits count
        f.pb->replyHook();
        QVERIFY2(f.pb->expect(SendData{f.client, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                                 "Content-Length: 5\r\nX-Late: yes\r\n\r\nlocal"}),
                 f.pb->why());
        QVERIFY2(f.pb->expectNothing(), f.pb->why()); // no OpenConnection, ever
        QVERIFY(!flow->live);
    }

    void responseEditedInResponseHookReachesClient()
    {
        Fixture f;
        HttpFlowPtr flow = f.atRequestHook();
        QVERIFY2(flow, f.pb->why());
        f.pb->replyHook();
        QVERIFY2(f.pb->expect(OpenConnection{}), f.pb->why());
        f.pb->replyOpen();
        const ConnectionPtr server = std::get<SendData>(f.pb->pending().front()).connection;
        f.pb->takeSent(server);
        f.pb->feed(DataReceived{server, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"});
        QVERIFY2(f.pb->expectHook(HookKind::ResponseHeaders), f.pb->why());
        f.pb->replyHook();
        Hook resp;
        QVERIFY2(f.pb->expectHook(HookKind::Response, &resp), f.pb->why());
        resp.hook->flow->response->body.content = "changed!";
        resp.hook->flow->response->statusCode = 201;
        resp.hook->flow->response->reason = "Created";
        f.pb->replyHook();
        QVERIFY2(f.pb->expect(SendData{f.client, "HTTP/1.1 201 Created\r\nContent-Length: 8\r\n\r\n"
                                                 "changed!"}),
                 f.pb->why());
    }

    void killedInRequestHookClosesWithoutAnswer()
    {
        Fixture f;
        HttpFlowPtr flow = f.atRequestHook();
        QVERIFY2(flow, f.pb->why());
        flow->error = FlowError{"Connection killed.", 0};
        f.pb->replyHook();
        QVERIFY2(f.pb->expectHook(HookKind::Error), f.pb->why());
        QVERIFY2(f.pb->expect(CloseConnection{f.client, false}), f.pb->why());
        QVERIFY2(f.pb->expectNothing(), f.pb->why());
        QCOMPARE(flow->error->message, QStringLiteral("Connection killed."));
    }

    void requestMovedToAnotherHttpServer()
    {
        Fixture f;
        HttpFlowPtr flow = f.atRequestHook();
        QVERIFY2(flow, f.pb->why());
        QVERIFY(flow->request.setUrl("http://127.0.0.1:9000/v2"));
        f.pb->replyHook();
        OpenConnection open;
        QVERIFY(!f.pb->pending().empty());
        QVERIFY(std::holds_alternative<OpenConnection>(f.pb->pending().front()));
        QCOMPARE(std::get<OpenConnection>(f.pb->pending().front()).connection->peer,
                 (Address{"127.0.0.1", 9000}));
    }

    void requestMovedToHttpsFromPlainProxyIsRefused()
    {
        Fixture f;
        HttpFlowPtr flow = f.atRequestHook();
        QVERIFY2(flow, f.pb->why());
        QVERIFY(flow->request.setUrl("https://example.org/x"));
        f.pb->replyHook();
        QVERIFY2(f.pb->expectSendContaining(f.client, "HTTP/1.1 502"), f.pb->why());
        QVERIFY(flow->error);
        QVERIFY(flow->error->message.contains("http://"));
    }
};

QTEST_APPLESS_MAIN(HttpStreamTest)
#include "http_stream_test.moc"
