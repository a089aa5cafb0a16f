// The server side of TLS interception: upstream verification (and ssl_insecure), hostname and
// IP checks, failures that still let the client in, reopening, and pass-through of everything
// that is not this layer's business. Real OpenSSL peers through the Playbook.

#include "tls_stack_harness.h"

#include "tls/tls_session.h"

using namespace spyglass;
using namespace spyglass::proxy;
using namespace spyglass::test;

namespace {

X509Ptr peerCertificate(TestTlsPeer& peer)
{
    X509* cert = peer.peerCertificate();
    X509_up_ref(cert);
    return X509Ptr(cert);
}

// A ServerTlsLayer over a scripted recorder (no ClientTlsLayer): the child drives the server
// connection itself, as the HTTP layer does after keep-alive reuse ended.
struct SoloStack
{
    TlsStack base; // for options, services and connections
    RecordingLayer* child = nullptr;
    std::unique_ptr<layers::tls::ServerTlsLayer> layer;
    std::unique_ptr<Playbook> pb;

    bool build(const TlsWorld& world, const std::function<void(Options&)>& configure = {})
    {
        if (!base.build(world, Address{"example.com", 443}, configure))
            return false;
        auto recorder = std::make_unique<RecordingLayer>(base.context);
        child = recorder.get();
        layer = std::make_unique<layers::tls::ServerTlsLayer>(base.context, std::move(recorder));
        pb = std::make_unique<Playbook>(*layer);
        return true;
    }
};

} // namespace

class ServerTlsLayerTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void selfSignedUpstreamFailsButTheClientGetsIn();
    void untrustedUpstreamChainFails();
    void sslInsecureAcceptsAnUntrustedUpstream();
    void hostnameMismatchFails();
    void ipAddressIsChecked_data();
    void ipAddressIsChecked();
    void tcpConnectFailureIsNotATlsFailure();
    void serverClosesDuringTheHandshake();
    void serverHandshakeTimeout();
    void reopenRunsANewHandshake();
    void aLargeReadReachesTheChildInSlices();
    void otherConnectionsAndRepliesPassThrough();
    void plainServerConnectionIsUntouched();
    void badTrustedCaFileIsAnError();

private:
    TlsWorld m_world;
};

void ServerTlsLayerTest::initTestCase()
{
    QString error;
    QVERIFY2(m_world.init(&error), qPrintable(error));
}

void ServerTlsLayerTest::selfSignedUpstreamFailsButTheClientGetsIn()
{
    TestTlsPeer::ServerConfig selfSigned;
    selfSigned.cert = m_world.upstreamCa->certificate();
    selfSigned.key = m_world.upstreamCa->privateKey();
    selfSigned.alpnSupported = {"http/1.1"};
    // Trust nothing extra: the upstream CA's own certificate is served, self-signed.
    TlsStack strict;
    QVERIFY(strict.build(m_world, Address{"example.com", 443},
                         [](Options& o) { o.sslVerifyUpstreamTrustedCa.clear(); }));
    auto serverPeer = TestTlsPeer::server(selfSigned);
    auto clientPeer = m_world.client("example.com");
    strict.pb->feed(Start{});
    TlsDriver driver(*strict.pb, strict.client, strict.server, clientPeer.get(), serverPeer.get());
    driver.run();

    const QString expected = QStringLiteral("TLS handshake with example.com:443 failed: "
                                            "certificate verify failed (self-signed certificate)");
    QVERIFY2(driver.logs().contains(expected), qPrintable(driver.logs()));
    QCOMPARE(strict.server->error, expected);
    QVERIFY(!strict.server->tlsEstablished);
    QCOMPARE(int(driver.hooks(HookKind::TlsFailedServer).size()), 1);
    QCOMPARE(driver.hooks(HookKind::TlsFailedServer)[0].hook->connection, strict.server);
    QVERIFY(driver.closed(strict.server));
    QVERIFY(serverPeer->failed()); // it got our alert

    // The client handshake still completes, with a certificate for its SNI only.
    QVERIFY2(clientPeer->done(), qPrintable(driver.describeSeen()));
    QCOMPARE(clientPeer->verifyResult(), long(X509_V_OK));
    // No server ALPN to follow: the client gets the HTTP version it likes best, here h2.
    QCOMPARE(clientPeer->alpn(), QByteArray("h2"));
    X509Ptr leaf = peerCertificate(*clientPeer);
    QCOMPARE(certificateNames(leaf.get()).dnsNames, QList<QByteArray>{"example.com"});
    QVERIFY2(driver.logs().contains("completing the TLS handshake with the client without the "
                                    "server"),
             qPrintable(driver.logs()));
    // The child starts and can see why the server is not there (for a readable 502).
    QVERIFY(std::holds_alternative<Start>(strict.inner->events.front()));
    QVERIFY(strict.client->tlsEstablished);
    QVERIFY(driver.hooks(HookKind::TlsFailedClient).empty());
}

void ServerTlsLayerTest::untrustedUpstreamChainFails()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443},
                    [](Options& o) { o.sslVerifyUpstreamTrustedCa.clear(); }));
    auto serverPeer = m_world.server();
    auto clientPeer = m_world.client("example.com");
    s.pb->feed(Start{});
    TlsDriver driver(*s.pb, s.client, s.server, clientPeer.get(), serverPeer.get());
    driver.run();
    QVERIFY2(s.server->error.startsWith("TLS handshake with example.com:443 failed: certificate "
                                        "verify failed ("),
             qPrintable(s.server->error));
    QVERIFY(!s.server->tlsEstablished);
    QVERIFY(clientPeer->done());
    // No upstream names without a verified upstream.
    QCOMPARE(certificateNames(peerCertificate(*clientPeer).get()).dnsNames,
             QList<QByteArray>{"example.com"});
}

void ServerTlsLayerTest::sslInsecureAcceptsAnUntrustedUpstream()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}, [](Options& o) {
        o.sslVerifyUpstreamTrustedCa.clear();
        o.sslInsecure = true;
    }));
    auto serverPeer = m_world.server();
    auto clientPeer = m_world.client("example.com");
    s.pb->feed(Start{});
    TlsDriver driver(*s.pb, s.client, s.server, clientPeer.get(), serverPeer.get());
    driver.run();
    QVERIFY2(s.server->tlsEstablished, qPrintable(driver.logs()));
    QVERIFY(s.server->error.isEmpty());
    QVERIFY(driver.hooks(HookKind::TlsFailedServer).empty());
    QVERIFY(clientPeer->done());
    QCOMPARE(clientPeer->verifyResult(), long(X509_V_OK)); // the client still checks ours
    X509Ptr leaf = peerCertificate(*clientPeer);
    QVERIFY(certificateNames(leaf.get()).dnsNames.contains("www.example.com"));

    // Even a self-signed upstream with the wrong name passes.
    TlsStack s2;
    QVERIFY(
        s2.build(m_world, Address{"wrong.test", 443}, [](Options& o) { o.sslInsecure = true; }));
    TestTlsPeer::ServerConfig selfSigned;
    selfSigned.cert = m_world.upstreamCa->certificate();
    selfSigned.key = m_world.upstreamCa->privateKey();
    auto serverPeer2 = TestTlsPeer::server(selfSigned);
    auto clientPeer2 = m_world.client("wrong.test");
    s2.pb->feed(Start{});
    TlsDriver driver2(*s2.pb, s2.client, s2.server, clientPeer2.get(), serverPeer2.get());
    driver2.run();
    QVERIFY2(s2.server->tlsEstablished, qPrintable(driver2.logs()));
    QVERIFY(clientPeer2->done());
}

void ServerTlsLayerTest::hostnameMismatchFails()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"other.test", 443}));
    auto serverPeer = m_world.server();
    auto clientPeer = m_world.client("other.test");
    s.pb->feed(Start{});
    TlsDriver driver(*s.pb, s.client, s.server, clientPeer.get(), serverPeer.get());
    driver.run();
    QCOMPARE(s.server->error, QStringLiteral("TLS handshake with other.test:443 failed: "
                                             "certificate verify failed (hostname mismatch)"));
    QVERIFY(clientPeer->done());
    QCOMPARE(serverPeer->seenSni(), QByteArray("other.test"));
}

void ServerTlsLayerTest::ipAddressIsChecked_data()
{
    QTest::addColumn<QByteArray>("ip");
    QTest::addColumn<bool>("ok");
    QTest::newRow("in the certificate") << QByteArray("10.0.0.1") << true;
    QTest::newRow("not in the certificate") << QByteArray("10.0.0.9") << false;
}

void ServerTlsLayerTest::ipAddressIsChecked()
{
    QFETCH(QByteArray, ip);
    QFETCH(bool, ok);
    TlsStack s;
    QVERIFY(s.build(m_world, Address{ip, 8443}));
    TestTlsPeer::ClientConfig config; // no SNI: a client that connects by IP
    config.alpn = {"http/1.1"};
    config.trust = m_world.ca->certificate();
    config.verifyIp = ip;
    auto clientPeer = TestTlsPeer::client(config);
    auto serverPeer = m_world.server();
    s.pb->feed(Start{});
    TlsDriver driver(*s.pb, s.client, s.server, clientPeer.get(), serverPeer.get());
    driver.run();
    QCOMPARE(s.server->tlsEstablished, ok);
    if (!ok)
        QCOMPARE(s.server->error,
                 QStringLiteral("TLS handshake with %1:8443 failed: certificate verify failed "
                                "(IP address mismatch)")
                     .arg(QString::fromLatin1(ip)));
    QVERIFY(serverPeer->seenSni().isEmpty()); // never an IP in SNI
    QVERIFY(clientPeer->done());
    QCOMPARE(clientPeer->verifyResult(), long(X509_V_OK));
}

void ServerTlsLayerTest::tcpConnectFailureIsNotATlsFailure()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    auto clientPeer = m_world.client("example.com");
    s.pb->feed(Start{});
    TlsDriver driver(*s.pb, s.client, s.server, clientPeer.get(), nullptr);
    driver.openError = QStringLiteral("connection refused");
    driver.run();
    QVERIFY(clientPeer->done());
    QCOMPARE(clientPeer->alpn(), QByteArray("h2"));
    QVERIFY(driver.hooks(HookKind::TlsFailedServer).empty());
    for (const auto& send : driver.seenOf<SendData>())
        QVERIFY(send.connection != s.server);
    QCOMPARE(s.server->error, QStringLiteral("connection refused"));
    QVERIFY(driver.logs().contains("without the server (connection refused)"));
    QVERIFY(std::holds_alternative<Start>(s.inner->events.front()));
}

void ServerTlsLayerTest::serverClosesDuringTheHandshake()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    Playbook& pb = *s.pb;
    auto clientPeer = m_world.client("example.com");
    pb.feed(Start{});
    clientPeer->handshake();
    pb.feed(DataReceived{s.client, clientPeer->take()});
    QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why());
    QVERIFY2(pb.expectHook(HookKind::TlsClientHello), pb.why());
    pb.replyHook();
    QVERIFY2(pb.expect(OpenConnection{0, s.server}), pb.why());
    pb.replyOpen();
    QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why());
    QVERIFY(!pb.takeSent(s.server).isEmpty());
    QVERIFY2(pb.expectNothing(), pb.why());

    s.server->state = ConnectionState::CanWrite;
    pb.feed(ConnectionClosed{s.server});
    QVERIFY2(pb.expect(Log{LogLevel::Warn, "TLS handshake with example.com:443 failed: the server "
                                           "closed the connection"}),
             pb.why());
    QVERIFY2(pb.expectHook(HookKind::TlsFailedServer), pb.why());
    QVERIFY2(pb.expect(CloseConnection{s.server, false}), pb.why());
    // The client is answered anyway.
    QVERIFY2(pb.expect(Log{LogLevel::Info, "without the server"}), pb.why());
    QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why());
    QVERIFY2(pb.expectSendContaining(s.client, QByteArray("\x16\x03\x03", 3)), pb.why());
    QVERIFY2(pb.expectNothing(), pb.why());
}

void ServerTlsLayerTest::serverHandshakeTimeout()
{
    TlsStack s;
    QVERIFY(
        s.build(m_world, Address{"example.com", 443}, [](Options& o) { o.handshakeTimeout = 12; }));
    Playbook& pb = *s.pb;
    auto clientPeer = m_world.client("example.com");
    pb.feed(Start{});
    clientPeer->handshake();
    pb.feed(DataReceived{s.client, clientPeer->take()});
    QVERIFY2(pb.expect(RequestWakeup{0, 12}), pb.why());
    QVERIFY2(pb.expectHook(HookKind::TlsClientHello), pb.why());
    pb.replyHook();
    QVERIFY2(pb.expect(OpenConnection{0, s.server}), pb.why());
    pb.replyOpen();
    QVERIFY2(pb.expect(RequestWakeup{0, 12}), pb.why());
    QVERIFY(!pb.takeSent(s.server).isEmpty());
    pb.replyWakeup();
    QVERIFY2(pb.expect(Log{LogLevel::Warn, "TLS handshake with example.com:443 failed: timed out "
                                           "after 12 s"}),
             pb.why());
    QVERIFY2(pb.expectHook(HookKind::TlsFailedServer), pb.why());
    QVERIFY2(pb.expect(CloseConnection{s.server, false}), pb.why());
    QVERIFY(s.server->error.contains("timed out"));
}

void ServerTlsLayerTest::reopenRunsANewHandshake()
{
    SoloStack s;
    QVERIFY(s.build(m_world));
    const ConnectionPtr server = s.base.server;
    const ConnectionPtr client = s.base.client;
    std::vector<CommandId> openIds;
    s.child->script = [&](const Event& e) -> Commands {
        auto open = [&]() -> Commands {
            server->tls = true;
            server->sni = "example.com";
            server->alpnOffers = {"http/1.1"};
            Command c = makeOpenConnection(server);
            openIds.push_back(std::get<OpenConnection>(c).id);
            return {c};
        };
        if (std::holds_alternative<Start>(e))
            return open();
        if (auto* done = std::get_if<OpenConnectionCompleted>(&e); done && done->error.isEmpty())
            return {SendData{server, "request " + QByteArray::number(openIds.size())}};
        if (auto* d = std::get_if<DataReceived>(&e); d && d->connection == server)
            return {CloseConnection{server, false}}; // response read: done with it
        if (auto* d = std::get_if<DataReceived>(&e); d && d->connection == client)
            return open(); // a new request after keep-alive ended
        return {};
    };

    for (int round = 1; round <= 2; ++round) {
        auto serverPeer = m_world.server();
        TlsDriver driver(*s.pb, client, server, nullptr, serverPeer.get());
        if (round == 1)
            s.pb->feed(Start{});
        else
            s.pb->feed(DataReceived{client, "next"});
        driver.run();
        QVERIFY2(serverPeer->done(), qPrintable(driver.describeSeen()));
        QCOMPARE(serverPeer->read(), "request " + QByteArray::number(round));
        // The OpenConnection went up with the child's own id, and the child got its answer
        // under that id only after the handshake.
        QCOMPARE(int(driver.seenOf<OpenConnection>().size()), 1);
        QCOMPARE(driver.seenOf<OpenConnection>()[0].id, openIds.back());
        QVERIFY(std::holds_alternative<OpenConnectionCompleted>(s.child->events.back()));
        int completions = 0;
        for (const auto& e : s.child->events)
            if (auto* c = std::get_if<OpenConnectionCompleted>(&e)) {
                ++completions;
                QCOMPARE(c->command, openIds.at(completions - 1));
                QVERIFY(c->error.isEmpty());
            }
        QCOMPARE(completions, round);
        QVERIFY(server->tlsEstablished);

        serverPeer->write("response");
        s.pb->feed(DataReceived{server, serverPeer->take()});
        driver.run();
        QCOMPARE(s.child->serverData.right(8), QByteArray("response"));
        QVERIFY(driver.closed(server));
        serverPeer->read();
        QVERIFY(serverPeer->closeNotify());      // close_notify before the TCP close
        server->state = ConnectionState::Closed; // what the shell does with the close
    }
    QCOMPARE(int(openIds.size()), 2);
}

void ServerTlsLayerTest::aLargeReadReachesTheChildInSlices()
{
    SoloStack s;
    QVERIFY(s.build(m_world));
    const ConnectionPtr server = s.base.server;
    const ConnectionPtr client = s.base.client;
    s.child->script = [&](const Event& e) -> Commands {
        if (std::holds_alternative<Start>(e)) {
            server->tls = true;
            server->sni = "example.com";
            server->alpnOffers = {"http/1.1"};
            return {makeOpenConnection(server)};
        }
        return {};
    };
    auto serverPeer = m_world.server();
    TlsDriver driver(*s.pb, client, server, nullptr, serverPeer.get());
    s.pb->feed(Start{});
    driver.run();
    QVERIFY2(server->tlsEstablished, qPrintable(driver.describeSeen()));
    const qsizetype before = qsizetype(s.child->events.size());

    // 300 KiB of records and the server's close_notify, arriving in one read (as a 256 KiB
    // recv does), then the same again cut at an odd point inside a record.
    QByteArray payload;
    for (int i = 0; payload.size() < 300 * 1024; ++i)
        payload += QByteArray::number(i) + ',';
    for (qsizetype at = 0; at < payload.size(); at += 10000)
        QVERIFY(serverPeer->write(payload.mid(at, 10000)));
    serverPeer->shutdown();
    const QByteArray wire = serverPeer->take();
    s.pb->feed(DataReceived{server, wire.left(wire.size() / 3 + 7)});
    s.pb->feed(DataReceived{server, wire.mid(wire.size() / 3 + 7)});

    QByteArray received;
    int slices = 0;
    bool closedLast = false;
    for (qsizetype i = before; i < qsizetype(s.child->events.size()); ++i) {
        const Event& e = s.child->events[std::size_t(i)];
        QVERIFY(!closedLast); // nothing after the close
        if (auto* d = std::get_if<DataReceived>(&e)) {
            QVERIFY(d->data.size() <= TlsSession::kRelaySlice + 16 * 1024); // one record over
            received += d->data;
            ++slices;
        } else if (std::holds_alternative<ConnectionClosed>(e)) {
            closedLast = true;
        }
    }
    QCOMPARE(received.size(), payload.size());
    QVERIFY(received == payload);
    QVERIFY(slices >= payload.size() / TlsSession::kRelaySlice);
    QVERIFY(closedLast);
}

void ServerTlsLayerTest::otherConnectionsAndRepliesPassThrough()
{
    SoloStack s;
    QVERIFY(s.build(m_world));
    ConnectionPtr other = makeConnection(Connection::Role::Server);
    other->peer = Address{"other.test", 80};
    Commands fromChild;
    s.child->script = [&](const Event& e) -> Commands {
        if (std::holds_alternative<Start>(e)) {
            auto hook = std::make_shared<HookData>(HookData{HookKind::Request, {}, {}, {}, {}});
            fromChild = {makeOpenConnection(other), makeHook(hook), makeWakeup(5),
                         SendData{other, "plain"}, makeLog(LogLevel::Info, "child log")};
            return fromChild;
        }
        return {};
    };
    Playbook& pb = *s.pb;
    pb.feed(Start{});
    QVERIFY2(pb.expect(OpenConnection{0, other}), pb.why());
    QVERIFY2(pb.expectHook(HookKind::Request), pb.why());
    QVERIFY2(pb.expect(RequestWakeup{0, 5}), pb.why());
    QVERIFY2(pb.expect(SendData{other, "plain"}), pb.why());
    QVERIFY2(pb.expect(Log{LogLevel::Info, "child log"}), pb.why());
    QVERIFY2(pb.expectNothing(), pb.why());

    // Replies carry the child's ids and reach the child unchanged.
    pb.replyOpen();
    pb.replyHook();
    pb.replyWakeup();
    pb.feed(DataReceived{other, "from other"});
    QVERIFY2(pb.expectNothing(), pb.why());
    QCOMPARE(int(s.child->events.size()), 5);
    QCOMPARE(std::get<OpenConnectionCompleted>(s.child->events[1]).command,
             std::get<OpenConnection>(fromChild[0]).id);
    QCOMPARE(std::get<HookCompleted>(s.child->events[2]).command, std::get<Hook>(fromChild[1]).id);
    QCOMPARE(std::get<Wakeup>(s.child->events[3]).command,
             std::get<RequestWakeup>(fromChild[2]).id);
    QCOMPARE(std::get<DataReceived>(s.child->events[4]).data, QByteArray("from other"));
}

void ServerTlsLayerTest::plainServerConnectionIsUntouched()
{
    SoloStack s;
    QVERIFY(s.build(m_world));
    const ConnectionPtr server = s.base.server;
    s.child->script = [&](const Event& e) -> Commands {
        if (std::holds_alternative<Start>(e))
            return {makeOpenConnection(server)}; // server->tls is false
        if (std::holds_alternative<OpenConnectionCompleted>(e))
            return {SendData{server, "GET / HTTP/1.1\r\n\r\n"}};
        return {};
    };
    Playbook& pb = *s.pb;
    pb.feed(Start{});
    QVERIFY2(pb.expect(OpenConnection{0, server}), pb.why());
    pb.replyOpen();
    QVERIFY2(pb.expect(SendData{server, "GET / HTTP/1.1\r\n\r\n"}), pb.why());
    pb.feed(DataReceived{server, "HTTP/1.1 200 OK\r\n\r\n"});
    pb.feed(ConnectionClosed{server});
    QVERIFY2(pb.expectNothing(), pb.why());
    QCOMPARE(s.child->serverData, QByteArray("HTTP/1.1 200 OK\r\n\r\n"));
    QCOMPARE(s.child->count<ConnectionClosed>(), 1);
    QVERIFY(!server->tlsEstablished);
}

void ServerTlsLayerTest::badTrustedCaFileIsAnError()
{
    Options options;
    options.sslVerifyUpstreamTrustedCa = QStringLiteral("/nonexistent/ca.pem");
    QString error;
    QVERIFY(!TlsContexts::create(options, &error));
    QVERIFY2(error.contains("/nonexistent/ca.pem"), qPrintable(error));

    QTemporaryDir dir;
    const QString garbage = dir.filePath("garbage.pem");
    QFile f(garbage);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not a certificate\n");
    f.close();
    options.sslVerifyUpstreamTrustedCa = garbage;
    QVERIFY(!TlsContexts::create(options, &error));
    QVERIFY2(error.contains(garbage), qPrintable(error));

    options.sslVerifyUpstreamTrustedCa = m_world.upstreamCaFile;
    QVERIFY2(TlsContexts::create(options, &error), qPrintable(error));
}

QTEST_GUILESS_MAIN(ServerTlsLayerTest)
#include "server_tls_layer_test.moc"
