// Playbook tests of TcpLayer and of NextLayer's choice of it: relaying both ways (input
// whole, byte by byte and cut at random) while recording every chunk as a message of a TCP
// flow, the tcp_* hooks and the snapshots they carry, half-closes and who closed first, an
// unreachable server (tcp_error), a server-first protocol under connection_strategy=eager,
// the plain unrecorded relay for ignore_hosts, tcp_hosts forcing TCP over HTTP, and rawtcp off.
// tcp_message waits: a held message blocks its flow (later bytes and ends queue in order,
// back-pressure above the limit), a hook may replace or drop it, and nothing waits when
// nobody wants the hook. Injection (inject.tcp) sends raw bytes and records them.
#include "layers/next_layer.h"
#include "layers/tcp/tcp_layer.h"
#include "options/options.h"
#include "playbook.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::proxy;
using namespace spyglass::layers;
using namespace spyglass::test;

namespace {

struct Fixture
{
    std::shared_ptr<Options> options = std::make_shared<Options>();
    ConnectionPtr client = makeConnection(Connection::Role::Client);
    ConnectionPtr server = makeConnection(Connection::Role::Server);
    double clock = 1000.0;

    explicit Fixture(bool serverConnected = true)
    {
        client->peer = {"127.0.0.1", 50000};
        client->state = ConnectionState::Open;
        server->peer = {"mail.example", 25};
        if (serverConnected)
            server->state = ConnectionState::Open;
    }
    Context context()
    {
        Context c;
        c.client = client;
        c.server = server;
        c.options = options;
        c.services = std::make_shared<Services>();
        c.services->clock = [this] { return clock; };
        return c;
    }
};

// What one side received, the hooks seen (in order) and the last hook's flow snapshot.
struct Outcome
{
    QByteArray toClient;
    QByteArray toServer;
    QList<HookKind> hooks;
    FlowSnapshot last;
    QList<FlowSnapshot> snapshots;
    int opens = 0;
    int fullCloses = 0;
};

// Runs every queued command; a tcp_message hook is answered at once, after `edit` (when
// given) changed the flow as a hook would. Snapshots are copies made at hook time, as the
// engine publishes them.
using Edit = std::function<void(HttpFlow&)>;

Outcome drain(Playbook& pb, const Fixture& f, const Edit& edit = {})
{
    Outcome o;
    while (!pb.pending().empty()) {
        const Command c = pb.pending().front();
        pb.pending().pop_front();
        if (auto* s = std::get_if<SendData>(&c)) {
            (s->connection == f.client ? o.toClient : o.toServer) += s->data;
        } else if (auto* h = std::get_if<Hook>(&c)) {
            o.hooks << h->hook->kind;
            o.last = std::make_shared<const HttpFlow>(*h->hook->flow);
            o.snapshots << o.last;
            if (h->hook->kind == HookKind::TcpMessage) {
                if (edit)
                    edit(*h->hook->flow);
                pb.feed(HookCompleted{h->id, h->hook});
            }
        } else if (std::holds_alternative<OpenConnection>(c)) {
            ++o.opens;
        } else if (auto* cc = std::get_if<CloseConnection>(&c)) {
            if (!cc->halfClose)
                ++o.fullCloses;
        }
    }
    return o;
}

// What a hook does to the newest message: a copy of the TCP data with it changed.
void editLast(HttpFlow& flow, const std::function<void(TcpMessage&)>& change)
{
    auto copy = std::make_shared<TcpData>(*flow.tcp);
    change(copy->messages.lastForWriting());
    flow.tcp = std::move(copy);
}

void feedAs(Playbook& pb, const ConnectionPtr& conn, const QByteArray& data, int mode)
{
    if (mode == 0)
        pb.feed(DataReceived{conn, data});
    else if (mode == 1)
        pb.feedSplit(conn, data, 1);
    else
        pb.feedRandom(conn, data, 7);
}

QByteArray joined(const TcpData& d, bool fromClient)
{
    QByteArray out;
    for (const TcpMessage& m : d.messages)
        if (m.fromClient == fromClient)
            out += m.content;
    return out;
}

} // namespace

class TcpLayerTest : public QObject
{
    Q_OBJECT

private slots:
    void recordsBothWays_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("whole") << 0;
        QTest::newRow("byte by byte") << 1;
        QTest::newRow("random cuts") << 2;
    }

    void recordsBothWays()
    {
        QFETCH(int, mode);
        Fixture f;
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());

        const QByteArray hello = "EHLO client.example\r\n";
        const QByteArray answer = "250-mail.example greets you\r\n250 SIZE 1000\r\n";
        feedAs(pb, f.client, hello, mode);
        f.clock = 1001.0;
        feedAs(pb, f.server, answer, mode);
        Outcome o = drain(pb, f);
        QCOMPARE(o.toServer, hello);
        QCOMPARE(o.toClient, answer);
        const auto messageHooks = o.hooks.count(HookKind::TcpMessage);
        QCOMPARE(o.hooks.size(), messageHooks);
        const TcpData& d = *layer.flow()->tcp;
        QCOMPARE(qsizetype(messageHooks), d.messages.size());
        QCOMPARE(joined(d, true), hello);
        QCOMPARE(joined(d, false), answer);
        if (mode == 0) {
            QCOMPARE(d.messages.size(), 2);
            QVERIFY(d.messages[0].fromClient);
            QCOMPARE(d.messages[0].timestamp, 1000.0);
            QVERIFY(!d.messages[1].fromClient);
            QCOMPARE(d.messages[1].timestamp, 1001.0);
        } else if (mode == 1) {
            QCOMPARE(d.messages.size(), hello.size() + answer.size());
        }
        // Each hook carried a snapshot as it was then: n messages for the n-th hook.
        for (qsizetype i = 0; i < o.snapshots.size(); ++i)
            QCOMPARE(o.snapshots[i]->tcp->messages.size(), i + 1);
        QCOMPARE(o.last->kind, FlowKind::Tcp);
        QVERIFY(o.last->live);
        QCOMPARE(o.last->client.peer, f.client->peer);
        QCOMPARE(o.last->server.peer, f.server->peer);
        QVERIFY(o.last->request.method.isEmpty());
        QVERIFY(!o.last->response);

        // The server ends first: half-close towards the client, then the client ends.
        pb.feed(ConnectionClosed{f.server});
        QVERIFY2(pb.expect(CloseConnection{f.client, true}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        f.clock = 1002.0;
        pb.feed(ConnectionClosed{f.client});
        o = drain(pb, f);
        QVERIFY(o.hooks == QList<HookKind>{HookKind::TcpEnd});
        QVERIFY(!o.last->live);
        QVERIFY(!o.last->tcp->closedByClient);
        QCOMPARE(o.last->tcp->timestampEnd, 1002.0);
        QVERIFY(!o.last->error);
        QCOMPARE(o.fullCloses, 2);
    }

    void clientClosesFirst()
    {
        Fixture f;
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "QUIT\r\n"});
        pb.feed(ConnectionClosed{f.client});
        Outcome o = drain(pb, f);
        QCOMPARE(o.toServer, QByteArray("QUIT\r\n"));
        pb.feed(DataReceived{f.server, "221 bye\r\n"});
        pb.feed(ConnectionClosed{f.server});
        o = drain(pb, f);
        QCOMPARE(o.toClient, QByteArray("221 bye\r\n"));
        QVERIFY((o.hooks == QList<HookKind>{HookKind::TcpMessage, HookKind::TcpEnd}));
        QVERIFY(o.last->tcp->closedByClient);
        QCOMPARE(o.last->tcp->messages.size(), 2);
        // Later events change nothing.
        pb.feed(DataReceived{f.server, "late"});
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void lazyOpenKeepsEarlyBytes()
    {
        Fixture f(false);
        f.options->connectionStrategy = QStringLiteral("lazy");
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        pb.feed(DataReceived{f.client, "ping"});
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why()); // held: no connect yet
        pb.replyHook();
        QVERIFY2(pb.expect(OpenConnection{0, f.server}), pb.why());
        pb.replyOpen();
        QVERIFY2(pb.expect(SendData{f.server, "ping"}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void unreachableServerIsTcpError()
    {
        Fixture f(false);
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        QVERIFY2(pb.expect(OpenConnection{0, f.server}), pb.why());
        pb.replyOpen(QStringLiteral("connection refused"));
        pb.ignoreLogs();
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::TcpError, &h), pb.why());
        QVERIFY(h.hook->flow->error);
        QCOMPARE(h.hook->flow->error->message, QStringLiteral("connection refused"));
        QVERIFY(!h.hook->flow->live);
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void relayModeRecordsNothing()
    {
        Fixture f;
        TcpLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "abc"});
        pb.feed(DataReceived{f.server, "def"});
        pb.feed(ConnectionClosed{f.client});
        pb.feed(ConnectionClosed{f.server});
        const Outcome o = drain(pb, f);
        QCOMPARE(o.toServer, QByteArray("abc"));
        QCOMPARE(o.toClient, QByteArray("def"));
        QVERIFY(o.hooks.isEmpty());
        QVERIFY(!layer.flow());
        QCOMPARE(o.fullCloses, 2);
    }

    void unwantedHooksAreNotEmitted()
    {
        Fixture f;
        Context c = f.context();
        c.services->wantedHooks = Services::bit(HookKind::TcpEnd);
        TcpLayer layer(c, TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "abc"});
        pb.feed(ConnectionClosed{f.client});
        pb.feed(ConnectionClosed{f.server});
        const Outcome o = drain(pb, f);
        QVERIFY(o.hooks == QList<HookKind>{HookKind::TcpEnd});
        QCOMPARE(o.last->tcp->messages.size(), 1); // still recorded
        QCOMPARE(o.toServer, QByteArray("abc"));
    }

    void snapshotsAreNotQuadratic()
    {
        // Publishing at every message copies chunk pointers, not messages: earlier
        // snapshots keep exactly what they saw while the layer goes on appending.
        Fixture f;
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        QList<FlowSnapshot> kept;
        for (int i = 0; i < 1000; ++i) {
            pb.feed(DataReceived{i % 2 ? f.server : f.client, QByteArray::number(i)});
            const Outcome o = drain(pb, f);
            if (i % 300 == 0)
                kept << o.last;
        }
        QCOMPARE(layer.flow()->tcp->messages.size(), 1000);
        for (qsizetype k = 0; k < kept.size(); ++k) {
            QCOMPARE(kept[k]->tcp->messages.size(), k * 300 + 1);
            QCOMPARE(kept[k]->tcp->messages.back().content, QByteArray::number(int(k * 300)));
        }
    }

    // tcp_message waits for its answer.

    void heldMessageBlocksItsFlowInOrder()
    {
        Fixture f;
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        pb.feed(DataReceived{f.client, "one"});
        Hook held;
        QVERIFY2(pb.expectHook(HookKind::TcpMessage, &held), pb.why());
        QVERIFY(layer.isWaiting());
        QCOMPARE(held.hook->flow.get(), layer.flow().get()); // the layer's flow, to change
        QCOMPARE(held.hook->flow->tcp->messages.back().content, QByteArray("one"));
        // Everything that arrives meanwhile waits, both ways, ends included.
        pb.feed(DataReceived{f.server, "two"});
        pb.feed(DataReceived{f.client, "three"});
        pb.feed(ConnectionClosed{f.client});
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.feed(HookCompleted{held.id, held.hook});
        QVERIFY2(pb.expect(SendData{f.server, "one"}), pb.why());
        QVERIFY2(pb.expectHook(HookKind::TcpMessage, &held), pb.why());
        QCOMPARE(held.hook->flow->tcp->messages.back().content, QByteArray("two"));
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, "two"}), pb.why());
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.server, "three"}), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.server, true}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        QVERIFY(!layer.isWaiting());
    }

    void hooksReplaceAndDrop_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("whole") << 0;
        QTest::newRow("byte by byte") << 1;
        QTest::newRow("random cuts") << 2;
    }

    void hooksReplaceAndDrop()
    {
        // A hook upper-cases what the client sends and drops every 'x' the server sends;
        // whatever the cuts, what arrives is exactly that, in order.
        QFETCH(int, mode);
        Fixture f;
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        drain(pb, f);
        const Edit edit = [](HttpFlow& flow) {
            const TcpMessage& m = flow.tcp->messages.back();
            if (m.fromClient) {
                editLast(flow, [](TcpMessage& t) { t.content = t.content.toUpper(); });
            } else {
                QByteArray kept = m.content;
                kept.replace("x", "");
                if (kept.isEmpty())
                    editLast(flow, [](TcpMessage& t) { t.dropped = true; });
                else
                    editLast(flow, [kept](TcpMessage& t) { t.content = kept; });
            }
        };
        feedAs(pb, f.client, "hello there", mode);
        feedAs(pb, f.server, "xaxbx", mode);
        feedAs(pb, f.client, "bye", mode);
        const Outcome o = drain(pb, f, edit);
        QCOMPARE(o.toServer, QByteArray("HELLO THEREBYE"));
        QCOMPARE(o.toClient, QByteArray("ab"));
        const TcpData& d = *layer.flow()->tcp;
        QCOMPARE(joined(d, true), QByteArray("HELLO THEREBYE")); // the flow keeps the edits
        bool anyDropped = false;
        for (const TcpMessage& m : d.messages)
            anyDropped = anyDropped || m.dropped;
        if (mode == 0)
            QVERIFY(!anyDropped); // one message, changed
        else if (mode == 1)
            QVERIFY(anyDropped); // byte by byte: the lone 'x' messages were dropped
        // The next message goes on from the edited data.
        pb.feed(DataReceived{f.client, "z"});
        QCOMPARE(drain(pb, f).toServer, QByteArray("z"));
        QCOMPARE(layer.flow()->tcp->messages.back().content, QByteArray("z"));
    }

    void droppedMessageIsNotForwarded()
    {
        Fixture f;
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        pb.feed(DataReceived{f.server, "secret"});
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::TcpMessage, &h), pb.why());
        editLast(*h.hook->flow, [](TcpMessage& m) { m.dropped = true; });
        pb.replyHook();
        QVERIFY2(pb.expect(Log{LogLevel::Info, QStringLiteral("dropped (6 bytes)")}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        QVERIFY(layer.flow()->tcp->messages.back().dropped);
        QCOMPARE(layer.flow()->tcp->messages.back().content, QByteArray("secret"));
    }

    void heldMessagePushesBack()
    {
        // A long hold: past MaxQueuedWhileHeld queued bytes both peers stop being read, and
        // are read again once the queue has drained.
        Fixture f;
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        pb.feed(DataReceived{f.client, "held"});
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        const QByteArray chunk(64 * 1024, 'd');
        qint64 fed = 0;
        while (fed <= TcpLayer::MaxQueuedWhileHeld) {
            QVERIFY2(pb.expectNothing(), pb.why());
            pb.feed(DataReceived{f.server, chunk});
            fed += chunk.size();
        }
        QVERIFY2(pb.expect(PauseReading{f.client, true}), pb.why());
        QVERIFY2(pb.expect(PauseReading{f.server, true}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.replyHook();
        const Outcome o = drain(pb, f);
        QCOMPARE(o.toServer, QByteArray("held"));
        QCOMPARE(o.toClient.size(), fed);
        QVERIFY(!layer.isWaiting());
        // Not paused any more: the next message goes through without a resume to announce.
        pb.feed(DataReceived{f.client, "x"});
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.server, "x"}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void resumesReadingAfterTheHold()
    {
        Fixture f;
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        pb.feed(DataReceived{f.client, "held"});
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        pb.feed(DataReceived{f.server, QByteArray(TcpLayer::MaxQueuedWhileHeld + 1, 'd')});
        QVERIFY2(pb.expect(PauseReading{f.client, true}), pb.why());
        QVERIFY2(pb.expect(PauseReading{f.server, true}), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.server, "held"}), pb.why());
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());      // the queued one, held too
        QVERIFY2(pb.expect(PauseReading{f.client, false}), pb.why()); // the queue is empty
        QVERIFY2(pb.expect(PauseReading{f.server, false}), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, QByteArray(TcpLayer::MaxQueuedWhileHeld + 1, 'd')}),
                 pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void nobodyWantsTheHookNothingWaits()
    {
        Fixture f;
        Context c = f.context();
        c.services->wantedHooks = ~Services::bit(HookKind::TcpMessage);
        TcpLayer layer(c, TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        pb.feed(DataReceived{f.client, "a"});
        QVERIFY2(pb.expect(SendData{f.server, "a"}), pb.why());
        pb.feed(DataReceived{f.server, "b"});
        QVERIFY2(pb.expect(SendData{f.client, "b"}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        QVERIFY(!layer.isWaiting());
        QCOMPARE(layer.flow()->tcp->messages.size(), 2);
    }

    // inject.tcp

    void injectSendsRawAndRecords()
    {
        Fixture f;
        TcpLayer layer(f.context(), TcpLayer::Mode::Record);
        Playbook pb(layer);
        pb.ignoreLogs();
        pb.feed(Start{});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        const QUuid id = layer.flow()->id;
        pb.feed(MessageInjected{id, true, "to client", false});
        QVERIFY2(pb.expect(SendData{f.client, "to client"}), pb.why());
        pb.feed(MessageInjected{id, false, "to server", false});
        QVERIFY2(pb.expect(SendData{f.server, "to server"}), pb.why());
        pb.feed(MessageInjected{QUuid::createUuid(), true, "not ours", false});
        QVERIFY2(pb.expectNothing(), pb.why());
        const TcpData& d = *layer.flow()->tcp;
        QCOMPARE(d.messages.size(), 2);
        QVERIFY(d.messages[0].injected && !d.messages[0].fromClient);
        QCOMPARE(d.messages[0].content, QByteArray("to client"));
        QVERIFY(d.messages[1].injected && d.messages[1].fromClient);

        // While a message is held, an injection waits its turn behind it.
        pb.feed(DataReceived{f.server, "first"});
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        pb.feed(MessageInjected{id, true, "second", false});
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, "firstsecond"}), pb.why());
        // After the server's end the client side is half-closed: nothing more goes there.
        pb.feed(ConnectionClosed{f.server});
        QVERIFY2(pb.expect(CloseConnection{f.client, true}), pb.why());
        pb.feed(MessageInjected{id, true, "late", false});
        QVERIFY2(pb.expectNothing(), pb.why());
        QCOMPARE(layer.flow()->tcp->messages.size(), 4);
    }

    // NextLayer inside a tunnel.

    void serverFirstUnderEagerIsRecorded()
    {
        Fixture f;
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.feed(DataReceived{f.server, "220 hello\r\n"});
        Hook h;
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        QVERIFY2(pb.expectHook(HookKind::TcpMessage, &h), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.client, "220 hello\r\n"}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        const TcpData& d = *h.hook->flow->tcp;
        QCOMPARE(d.messages.size(), 1);
        QVERIFY(!d.messages[0].fromClient);
        QCOMPARE(d.messages[0].content, QByteArray("220 hello\r\n"));
        pb.feed(DataReceived{f.client, "HELO x\r\n"});
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.server, "HELO x\r\n"}), pb.why());
    }

    void nonHttpClientDataIsRecorded()
    {
        Fixture f;
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, QByteArray("\x00\x01binary", 8)});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.server, QByteArray("\x00\x01binary", 8)}), pb.why());
    }

    void ignoredHostStaysUnrecorded()
    {
        Fixture f;
        f.options->ignoreHosts = {QStringLiteral("^mail\\.example:25$")};
        f.options->tcpHosts = {QStringLiteral("mail")}; // ignore wins, as in mitmproxy
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.server, "220 hello\r\n"});
        pb.feed(DataReceived{f.client, "GET / HTTP/1.1\r\n\r\n"});
        const Outcome o = drain(pb, f);
        QVERIFY(o.hooks.isEmpty());
        QCOMPARE(o.toClient, QByteArray("220 hello\r\n"));
        QCOMPARE(o.toServer, QByteArray("GET / HTTP/1.1\r\n\r\n"));
    }

    void tcpHostsForcesTcpOverHttp()
    {
        Fixture f;
        f.options->tcpHosts = {QStringLiteral("^mail\\.example:25$")};
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
        QVERIFY2(pb.expectHook(HookKind::TcpMessage), pb.why());
        pb.replyHook();
        QVERIFY2(pb.expect(SendData{f.server, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"}), pb.why());
    }

    void tcpHostsMatchesSni()
    {
        Fixture f;
        f.server->sni = "secure.example";
        f.options->tcpHosts = {QStringLiteral("^secure\\.example:25$")};
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "GET / HTTP/1.1\r\n\r\n"});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
    }

    void httpIsNotTcp()
    {
        Fixture f;
        f.options->tcpHosts = {QStringLiteral("^other:1$")};
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.client, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"});
        const Outcome o = drain(pb, f);
        QVERIFY(!o.hooks.contains(HookKind::TcpStart));
        QVERIFY(o.hooks.contains(HookKind::RequestHeaders));
    }

    void rawtcpOffCloses_data()
    {
        QTest::addColumn<bool>("serverFirst");
        QTest::newRow("client speaks") << false;
        QTest::newRow("server speaks first") << true;
    }

    void rawtcpOffCloses()
    {
        QFETCH(bool, serverFirst);
        Fixture f;
        f.options->rawtcp = false;
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        if (serverFirst)
            pb.feed(DataReceived{f.server, "220 hello\r\n"});
        else
            pb.feed(DataReceived{f.client, QByteArray("\x00\x01\x02", 3)});
        QVERIFY2(pb.expect(Log{LogLevel::Info, QStringLiteral("rawtcp is off")}), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.client, false}), pb.why());
        QVERIFY2(pb.expect(CloseConnection{f.server, false}), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.feed(DataReceived{f.client, "more"});
        QVERIFY2(pb.expectNothing(), pb.why());
    }

    void rawtcpOffStillHonoursTcpHosts()
    {
        Fixture f;
        f.options->rawtcp = false;
        f.options->tcpHosts = {QStringLiteral("mail")};
        NextLayer layer(f.context());
        Playbook pb(layer);
        pb.feed(Start{});
        pb.feed(DataReceived{f.server, "220 hello\r\n"});
        QVERIFY2(pb.expectHook(HookKind::TcpStart), pb.why());
    }
};

QTEST_GUILESS_MAIN(TcpLayerTest)
#include "tcp_layer_test.moc"
