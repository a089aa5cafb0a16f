#include "addons/client_gate_layer.h"

#include "options/options.h"
#include "playbook.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::proxy;
using namespace spyglass::addons;
using spyglass::test::Playbook;

namespace {

// Echoes what it receives, so a test sees whether (and in which order) events reached it.
class EchoLayer : public Layer
{
public:
    using Layer::Layer;
    Commands handleEvent(const Event& event) override
    {
        if (std::holds_alternative<Start>(event))
            return {SendData{m_context.client, "hello"}};
        if (const auto* d = std::get_if<DataReceived>(&event))
            return {SendData{m_context.client, "echo:" + d->data}};
        return {};
    }
    QString name() const override { return QStringLiteral("EchoLayer"); }
};

Context clientContext(ConnectionPtr client)
{
    Context c;
    c.client = std::move(client);
    c.options = std::make_shared<Options>();
    c.services = std::make_shared<Services>();
    return c;
}

std::unique_ptr<Layer> makeEcho(Context ctx)
{
    return std::make_unique<EchoLayer>(std::move(ctx));
}

} // namespace

class ClientGateLayerTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void passesWhenTheHookLetsTheClientIn()
    {
        ConnectionPtr client = makeConnection(Connection::Role::Client);
        client->peer = {"127.0.0.1", 4000};
        ClientGateLayer gate(clientContext(client), makeEcho);
        Playbook pb(gate);
        pb.feed(Start{});
        Hook hook;
        QVERIFY2(pb.expectHook(HookKind::ClientConnected, &hook), pb.why());
        QCOMPARE(hook.hook->connection, client);
        // Bytes that arrive while the hook runs wait for the real layer.
        pb.feed(DataReceived{client, "x"});
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{client, "helloecho:x"}), pb.why());
        pb.feed(DataReceived{client, "y"});
        QVERIFY2(pb.expect(SendData{client, "echo:y"}), pb.why());
    }

    void closesWhenTheHookSetAnError()
    {
        ConnectionPtr client = makeConnection(Connection::Role::Client);
        client->peer = {"8.8.8.8", 4000};
        ClientGateLayer gate(clientContext(client), makeEcho);
        Playbook pb(gate);
        pb.feed(Start{});
        Hook hook;
        QVERIFY2(pb.expectHook(HookKind::ClientConnected, &hook), pb.why());
        hook.hook->connection->error = QStringLiteral("Connection killed by block_global.");
        pb.feed(DataReceived{client, "GET / HTTP/1.1\r\n\r\n"});
        pb.replyHook();
        QVERIFY2(pb.expect(Log{LogLevel::Info, "killed by block_global"}), pb.why());
        QVERIFY2(pb.expect(CloseConnection{client, false}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.feed(DataReceived{client, "more"});
        QVERIFY2(pb.expectNothing(), pb.why());
    }
};

QTEST_APPLESS_MAIN(ClientGateLayerTest)
#include "client_gate_layer_test.moc"
