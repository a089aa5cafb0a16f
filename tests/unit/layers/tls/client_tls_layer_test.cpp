// The client side of TLS interception, driven through the full stack
// ServerTlsLayer(ClientTlsLayer(recorder)) with a real OpenSSL client and server as peers.

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

} // namespace

class ClientTlsLayerTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void happyPath();
    void happyPathTls12();
    void largeTransfersAreRelayedInSlicesBothWays();
    void aes128IsPreferredUnlessTheClientAsksForChacha_data();
    void aes128IsPreferredUnlessTheClientAsksForChacha();
    void clientHelloOneByteAtATime();
    void clientHelloAtRandomCutPoints();
    void clientRejectsTheCertificate();
    void garbageInsteadOfClientHello_data();
    void garbageInsteadOfClientHello();
    void clientClosesBeforeClientHello();
    void clientHandshakeTimeout();
    void noSniUsesTheServerIp();
    void upstreamCertOffKeepsOnlyTheSni();
    void clientWithoutAlpnGetsNone();
    void serverFirstCanBeTurnedOff();
    void eagerServerConnectionIsReused();
    void ignoredConnectionPassesThrough();
    void eventsBeforeTheHandshakeAreReplayedAfterStart();

private:
    TlsWorld m_world;
};

void ClientTlsLayerTest::initTestCase()
{
    QString error;
    QVERIFY2(m_world.init(&error), qPrintable(error));
}

void ClientTlsLayerTest::happyPath()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    s.inner->script = relayScript(s.client, s.server);
    Playbook& pb = *s.pb;
    auto clientPeer = m_world.client("example.com");
    auto serverPeer = m_world.server();

    pb.feed(Start{});
    QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why());
    QVERIFY(clientPeer->handshake() == 0);
    pb.feed(DataReceived{s.client, clientPeer->take()});

    // The ClientHello is reported before anything is answered.
    Hook hello;
    QVERIFY2(pb.expectHook(HookKind::TlsClientHello, &hello), pb.why());
    QCOMPARE(hello.hook->connection, s.client);
    QCOMPARE(hello.hook->clientHello->sni, QByteArray("example.com"));
    QCOMPARE(hello.hook->clientHello->alpnProtocols, (QList<QByteArray>{"h2", "http/1.1"}));
    QCOMPARE(s.client->sni, QByteArray("example.com"));
    QCOMPARE(s.client->alpnOffers, (QList<QByteArray>{"h2", "http/1.1"}));
    QVERIFY2(pb.expectNothing(), pb.why());
    pb.replyHook();

    // Upstream first, with the client's SNI and its ALPN offer.
    QVERIFY2(pb.expect(OpenConnection{0, s.server}), pb.why());
    QVERIFY(s.server->tls);
    QCOMPARE(s.server->sni, QByteArray("example.com"));
    QCOMPARE(s.server->alpnOffers, (QList<QByteArray>{"h2", "http/1.1"}));
    QVERIFY2(pb.expectNothing(), pb.why());
    pb.replyOpen();
    QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why());

    TlsDriver driver{pb, s.client, s.server, clientPeer.get(), serverPeer.get()};
    driver.run();
    QVERIFY2(clientPeer->done(), qPrintable(driver.describeSeen()));
    QVERIFY(serverPeer->done());

    // The server saw what the client asked for.
    QCOMPARE(serverPeer->seenSni(), QByteArray("example.com"));
    QCOMPARE(serverPeer->seenAlpnOffers(), (QList<QByteArray>{"h2", "http/1.1"}));
    QCOMPARE(s.server->alpn, QByteArray("http/1.1"));
    // The client got h2 (the proxy translates to the server's HTTP/1.1) and a certificate
    // from our CA, checked for its SNI.
    QCOMPARE(clientPeer->alpn(), QByteArray("h2"));
    QCOMPARE(clientPeer->verifyResult(), long(X509_V_OK));
    X509Ptr leaf = peerCertificate(*clientPeer);
    const CertificateNames names = certificateNames(leaf.get());
    QCOMPARE(names.commonName, QByteArray("example.com"));
    QVERIFY(names.dnsNames.contains("www.example.com")); // upstream_cert: the server's names
    QVERIFY(names.ipAddresses.contains("10.0.0.1"));
    QCOMPARE(names.organization, QByteArray("Example Org"));
    QCOMPARE(EVP_PKEY_eq(X509_get0_pubkey(leaf.get()), m_world.ca->leafKey()), 1);

    // Both connections carry their TLS facts.
    QVERIFY(s.client->tlsEstablished);
    QCOMPARE(s.client->tlsVersion, QByteArray("TLSv1.3"));
    QCOMPARE(s.client->alpn, QByteArray("h2"));
    QVERIFY(s.client->cipher.startsWith("TLS_"));
    QCOMPARE(s.client->timestampTlsSetup, TlsStack::kNow);
    QVERIFY(s.server->tlsEstablished);
    QCOMPARE(s.server->tlsVersion, QByteArray("TLSv1.3"));
    QCOMPARE(s.server->alpn, QByteArray("http/1.1"));
    QCOMPARE(s.server->certificateChainDer.size(), 2);
    QCOMPARE(s.server->certificateChainDer[0], toDer(m_world.upstreamLeaf.get()));
    QCOMPARE(s.server->certificateChainDer[1], toDer(m_world.upstreamCa->certificate()));
    QCOMPARE(s.server->timestampTlsSetup, TlsStack::kNow);
    QVERIFY(s.server->error.isEmpty());

    // The child started after the handshake and saw no TLS bytes and no server open.
    QVERIFY(!s.inner->events.empty());
    QVERIFY(std::holds_alternative<Start>(s.inner->events.front()));
    QCOMPARE(s.inner->count<OpenConnectionCompleted>(), 0);
    QVERIFY(driver.hooks(HookKind::TlsFailedClient).empty());
    QVERIFY(driver.hooks(HookKind::TlsFailedServer).empty());

    // Plaintext both ways through the relay child.
    QVERIFY(clientPeer->write("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"));
    driver.run();
    QCOMPARE(serverPeer->read(), QByteArray("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"));
    QCOMPARE(s.inner->clientData, QByteArray("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"));
    QVERIFY(serverPeer->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"));
    driver.run();
    QCOMPARE(clientPeer->read(), QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"));

    // A large body crosses in many records.
    const QByteArray big(300 * 1024, 'b');
    QVERIFY(serverPeer->write(big));
    driver.run();
    QCOMPARE(clientPeer->read(), big);

    // close_notify from the server reaches the child once; the child closes the client, which
    // gets close_notify before the TCP close.
    serverPeer->shutdown();
    driver.run();
    QCOMPARE(s.inner->count<ConnectionClosed>(), 1);
    QVERIFY(clientPeer->read().isEmpty());
    QVERIFY(clientPeer->closeNotify());
    QVERIFY(driver.closed(s.client));
    s.server->state = ConnectionState::Closed; // the TCP FIN that follows
    pb.feed(ConnectionClosed{s.server});
    QCOMPARE(s.inner->count<ConnectionClosed>(), 1);
}

void ClientTlsLayerTest::happyPathTls12()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    s.inner->script = relayScript(s.client, s.server);
    auto clientPeer = m_world.client("example.com", {"http/1.1"}, TLS1_2_VERSION);
    auto serverPeer = m_world.server({"http/1.1"}, TLS1_2_VERSION);
    s.pb->feed(Start{});
    TlsDriver driver{*s.pb, s.client, s.server, clientPeer.get(), serverPeer.get()};
    driver.run();
    QVERIFY2(clientPeer->done(), qPrintable(driver.describeSeen()));
    QCOMPARE(clientPeer->version(), QByteArray("TLSv1.2"));
    QCOMPARE(serverPeer->version(), QByteArray("TLSv1.2"));
    QCOMPARE(s.client->tlsVersion, QByteArray("TLSv1.2"));
    QCOMPARE(s.server->tlsVersion, QByteArray("TLSv1.2"));
    QVERIFY(s.client->cipher.startsWith("TLS_ECDHE_"));
    QCOMPARE(clientPeer->verifyResult(), long(X509_V_OK));
    QVERIFY(clientPeer->write("ping"));
    driver.run();
    QCOMPARE(serverPeer->read(), QByteArray("ping"));
}

void ClientTlsLayerTest::largeTransfersAreRelayedInSlicesBothWays()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    s.inner->script = relayScript(s.client, s.server);
    auto clientPeer = m_world.client("example.com", {"http/1.1"});
    auto serverPeer = m_world.server({"http/1.1"});
    s.pb->feed(Start{});
    TlsDriver driver{*s.pb, s.client, s.server, clientPeer.get(), serverPeer.get()};
    driver.run();
    QVERIFY2(clientPeer->done(), qPrintable(driver.describeSeen()));

    QByteArray payload;
    for (int i = 0; payload.size() < 200 * 1024; ++i)
        payload += QByteArray::number(i * 7) + ';';
    // Each direction's records arrive in one read, as a large recv brings them; the child gets
    // them a slice at a time (at most one record beyond TlsSession::kRelaySlice), in order.
    auto slicesFrom = [&](const ConnectionPtr& from, std::size_t since) {
        int n = 0;
        for (std::size_t i = since; i < s.inner->events.size(); ++i)
            if (auto* d = std::get_if<DataReceived>(&s.inner->events[i]);
                d && d->connection == from) {
                if (d->data.size() > TlsSession::kRelaySlice + 16 * 1024)
                    return -1;
                ++n;
            }
        return n;
    };
    std::size_t since = s.inner->events.size();
    QVERIFY(clientPeer->write(payload));
    driver.run();
    QVERIFY(serverPeer->read() == payload);
    QVERIFY(slicesFrom(s.client, since) >= payload.size() / TlsSession::kRelaySlice);

    since = s.inner->events.size();
    QVERIFY(serverPeer->write(payload));
    driver.run();
    QVERIFY(clientPeer->read() == payload);
    QVERIFY(slicesFrom(s.server, since) >= payload.size() / TlsSession::kRelaySlice);
}

void ClientTlsLayerTest::aes128IsPreferredUnlessTheClientAsksForChacha_data()
{
    QTest::addColumn<QByteArray>("offer");
    QTest::addColumn<int>("maxVersion");
    QTest::addColumn<QByteArray>("clientSide"); // part of the IANA name the client gets
    // OpenSSL's own order, as curl and python offer it: AES-256-GCM first.
    QTest::newRow("tls1.3 openssl default")
        << QByteArray() << int(TLS1_3_VERSION) << QByteArray("TLS_AES_128_GCM_SHA256");
    QTest::newRow("tls1.3 chacha first")
        << QByteArray("TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256")
        << int(TLS1_3_VERSION) << QByteArray("TLS_CHACHA20_POLY1305_SHA256");
    QTest::newRow("tls1.2 openssl default")
        << QByteArray() << int(TLS1_2_VERSION) << QByteArray("_WITH_AES_128_GCM_");
}

void ClientTlsLayerTest::aes128IsPreferredUnlessTheClientAsksForChacha()
{
    QFETCH(QByteArray, offer);
    QFETCH(int, maxVersion);
    QFETCH(QByteArray, clientSide);
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    s.inner->script = relayScript(s.client, s.server);
    auto clientPeer = m_world.client("example.com", {"http/1.1"}, maxVersion, offer);
    auto serverPeer = m_world.server({"http/1.1"}); // OpenSSL's default: the client's order
    s.pb->feed(Start{});
    TlsDriver driver{*s.pb, s.client, s.server, clientPeer.get(), serverPeer.get()};
    driver.run();
    QVERIFY2(clientPeer->done(), qPrintable(driver.describeSeen()));
    QVERIFY2(s.client->cipher.contains(clientSide), s.client->cipher.constData());
    // Upstream we offer AES-128-GCM first; a server that follows the client's order takes it.
    QCOMPARE(s.server->cipher, QByteArray("TLS_AES_128_GCM_SHA256"));
}

void ClientTlsLayerTest::clientHelloOneByteAtATime()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    auto clientPeer = m_world.client("example.com");
    auto serverPeer = m_world.server();
    Playbook& pb = *s.pb;
    pb.feed(Start{});
    QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why());
    clientPeer->handshake();
    const QByteArray hello = clientPeer->take();
    for (qsizetype i = 0; i + 1 < hello.size(); ++i) {
        pb.feed(DataReceived{s.client, hello.mid(i, 1)});
        if (!pb.pending().empty())
            QFAIL(qPrintable(QStringLiteral("after %1 of %2 bytes: %3")
                                 .arg(i + 1)
                                 .arg(hello.size())
                                 .arg(QString::fromUtf8(pb.pendingDescription()))));
    }
    pb.feed(DataReceived{s.client, hello.right(1)});
    QVERIFY2(pb.expectHook(HookKind::TlsClientHello), pb.why());
    pb.replyHook();
    TlsDriver driver{pb, s.client, s.server, clientPeer.get(), serverPeer.get()};
    driver.run();
    QVERIFY2(clientPeer->done(), qPrintable(driver.describeSeen()));
    QCOMPARE(clientPeer->verifyResult(), long(X509_V_OK));
    QVERIFY(s.client->tlsEstablished);
}

void ClientTlsLayerTest::clientHelloAtRandomCutPoints()
{
    for (quint32 seed : {1u, 2u, 3u, 17u, 99u}) {
        TlsStack s;
        QVERIFY(s.build(m_world, Address{"example.com", 443}));
        s.inner->script = relayScript(s.client, s.server);
        auto clientPeer = m_world.client("example.com");
        auto serverPeer = m_world.server();
        Playbook& pb = *s.pb;
        pb.feed(Start{});
        clientPeer->handshake();
        pb.feedRandom(s.client, clientPeer->take(), seed);
        pb.ignoreLogs();
        QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why());
        QVERIFY2(pb.expectHook(HookKind::TlsClientHello), pb.why());
        QVERIFY2(pb.expectNothing(), pb.why());
        pb.replyHook();

        // The rest of the client's flights also arrive cut at random points.
        TlsDriver driver{pb, s.client, s.server, nullptr, serverPeer.get()};
        for (int round = 0; round < 20 && !clientPeer->done(); ++round) {
            driver.run();
            for (const auto& send : driver.seenOf<SendData>())
                if (send.connection == s.client)
                    clientPeer->feed(send.data);
            driver.seen.clear();
            clientPeer->handshake();
            pb.feedRandom(s.client, clientPeer->take(), seed + quint32(round));
        }
        driver.run();
        QVERIFY2(clientPeer->done(), qPrintable(QString::number(seed)));
        QVERIFY(s.client->tlsEstablished);
        QVERIFY(clientPeer->write("cut me anywhere"));
        pb.feedRandom(s.client, clientPeer->take(), seed);
        driver.run();
        QCOMPARE(s.inner->clientData, QByteArray("cut me anywhere"));
        QCOMPARE(serverPeer->read(), QByteArray("cut me anywhere"));
    }
}

void ClientTlsLayerTest::clientRejectsTheCertificate()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    // This client trusts only the upstream CA, not Spyglass's.
    TestTlsPeer::ClientConfig config;
    config.sni = "example.com";
    config.alpn = {"http/1.1"};
    config.trust = m_world.upstreamCa->certificate();
    config.verifyHost = "example.com";
    auto clientPeer = TestTlsPeer::client(config);
    auto serverPeer = m_world.server();
    s.pb->feed(Start{});
    TlsDriver driver{*s.pb, s.client, s.server, clientPeer.get(), serverPeer.get()};
    driver.run();

    QVERIFY(clientPeer->failed());
    QVERIFY(!s.client->tlsEstablished);
    const QString logs = driver.logs();
    QVERIFY2(logs.contains("client TLS handshake failed: the client does not trust the Spyglass "
                           "CA (alert unknown ca)"),
             qPrintable(logs));
    QVERIFY2(logs.contains(m_world.ca->filePath(CertificateAuthority::kCaCertPemFile)),
             qPrintable(logs));
    QVERIFY(s.client->error.contains("does not trust the Spyglass CA"));
    QCOMPARE(int(driver.hooks(HookKind::TlsFailedClient).size()), 1);
    QCOMPARE(driver.hooks(HookKind::TlsFailedClient)[0].hook->connection, s.client);
    QVERIFY(driver.closed(s.client));
    // The server connection opened for this client is closed too (with close_notify).
    QVERIFY(driver.closed(s.server));
    QVERIFY(serverPeer->read().isEmpty());
    QVERIFY(serverPeer->closeNotify());
    // The child never started.
    QVERIFY2(s.inner->events.empty(), qPrintable(s.inner->eventNames().join('\n')));

    // Late events are swallowed, the failure hook's answer too.
    s.pb->feed(HookCompleted{driver.hooks(HookKind::TlsFailedClient)[0].id,
                             driver.hooks(HookKind::TlsFailedClient)[0].hook});
    s.pb->feed(DataReceived{s.client, "more"});
    s.pb->feed(ConnectionClosed{s.client});
    QVERIFY2(s.pb->expectNothing(), s.pb->why());
    QVERIFY(s.inner->events.empty());
}

void ClientTlsLayerTest::garbageInsteadOfClientHello_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("pieceSize");
    QTest::addColumn<QString>("log");
    QTest::newRow("http") << QByteArray("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n") << 100
                          << "client TLS handshake failed: the client did not start with a TLS "
                             "ClientHello (first bytes: "
                             "'GET / HTTP/1.1..Host: ex')";
    QTest::newRow("http, 1 byte") << QByteArray("GET / HTTP/1.1\r\n") << 1
                                  << "did not start with a TLS ClientHello (first bytes: 'G')";
    QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff", 4) << 1 << "did not start with a TLS";
    QTest::newRow("server hello") << QByteArray("\x16\x03\x03\x00\x04\x02\x00\x00\x00", 9) << 1
                                  << "cannot parse the ClientHello: handshake message type 2";
    QTest::newRow("bad length") << QByteArray("\x16\x03\x01\x00\x06\x01\x00\x00\x02\x03\x03", 11)
                                << 1 << "cannot parse the ClientHello: truncated";
}

void ClientTlsLayerTest::garbageInsteadOfClientHello()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, pieceSize);
    QFETCH(QString, log);
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    Playbook& pb = *s.pb;
    pb.feed(Start{});
    QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why());
    pb.feedSplit(s.client, bytes, pieceSize);
    QVERIFY2(pb.expect(Log{LogLevel::Warn, log}), pb.why());
    QVERIFY2(pb.expectHook(HookKind::TlsFailedClient), pb.why());
    QVERIFY2(pb.expect(CloseConnection{s.client, false}), pb.why());
    QVERIFY2(pb.expectNothing(), pb.why());
    pb.feed(DataReceived{s.client, "still talking"});
    QVERIFY2(pb.expectNothing(), pb.why());
    QVERIFY(s.inner->events.empty());
}

void ClientTlsLayerTest::clientClosesBeforeClientHello()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    Playbook& pb = *s.pb;
    pb.feed(Start{});
    QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why());
    s.client->state = ConnectionState::CanWrite;
    pb.feed(ConnectionClosed{s.client});
    QVERIFY2(pb.expect(Log{LogLevel::Info, "before sending a ClientHello"}), pb.why());
    QVERIFY2(pb.expectHook(HookKind::TlsFailedClient), pb.why());
    QVERIFY2(pb.expect(CloseConnection{s.client, false}), pb.why());
    QVERIFY2(pb.expectNothing(), pb.why());
}

void ClientTlsLayerTest::clientHandshakeTimeout()
{
    TlsStack s;
    QVERIFY(
        s.build(m_world, Address{"example.com", 443}, [](Options& o) { o.handshakeTimeout = 7; }));
    Playbook& pb = *s.pb;
    pb.feed(Start{});
    QVERIFY2(pb.expect(RequestWakeup{0, 7}), pb.why());
    pb.feed(DataReceived{s.client, QByteArray("\x16\x03\x01", 3)});
    QVERIFY2(pb.expectNothing(), pb.why());
    pb.replyWakeup();
    QVERIFY2(pb.expect(Log{LogLevel::Info, "timed out after 7 s waiting for the client"}),
             pb.why());
    QVERIFY2(pb.expectHook(HookKind::TlsFailedClient), pb.why());
    QVERIFY2(pb.expect(CloseConnection{s.client, false}), pb.why());
    QVERIFY2(pb.expectNothing(), pb.why());
}

void ClientTlsLayerTest::noSniUsesTheServerIp()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"127.0.0.1", 443}));
    TestTlsPeer::ClientConfig config;
    config.alpn = {"http/1.1"};
    config.trust = m_world.ca->certificate();
    config.verifyIp = "127.0.0.1";
    auto clientPeer = TestTlsPeer::client(config);
    auto serverPeer = m_world.server();
    s.pb->feed(Start{});
    TlsDriver driver{*s.pb, s.client, s.server, clientPeer.get(), serverPeer.get()};
    driver.run();
    QVERIFY2(clientPeer->done(), qPrintable(driver.describeSeen()));
    QCOMPARE(clientPeer->verifyResult(), long(X509_V_OK));
    QVERIFY(serverPeer->seenSni().isEmpty()); // no SNI upstream either
    QVERIFY(s.server->sni.isEmpty());
    QVERIFY(s.server->tlsEstablished);
    X509Ptr leaf = peerCertificate(*clientPeer);
    QCOMPARE(certificateNames(leaf.get()).commonName, QByteArray("127.0.0.1"));
    QVERIFY(certificateNames(leaf.get()).ipAddresses.contains("127.0.0.1"));
}

void ClientTlsLayerTest::upstreamCertOffKeepsOnlyTheSni()
{
    TlsStack s;
    QVERIFY(
        s.build(m_world, Address{"example.com", 443}, [](Options& o) { o.upstreamCert = false; }));
    auto clientPeer = m_world.client("example.com");
    auto serverPeer = m_world.server();
    s.pb->feed(Start{});
    TlsDriver driver{*s.pb, s.client, s.server, clientPeer.get(), serverPeer.get()};
    driver.run();
    QVERIFY(clientPeer->done());
    X509Ptr leaf = peerCertificate(*clientPeer);
    const CertificateNames names = certificateNames(leaf.get());
    QCOMPARE(names.dnsNames, QList<QByteArray>{"example.com"});
    QVERIFY(names.ipAddresses.isEmpty());
    QVERIFY(names.organization.isEmpty());
}

void ClientTlsLayerTest::clientWithoutAlpnGetsNone()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    auto clientPeer = m_world.client("example.com", {});
    auto serverPeer = m_world.server();
    s.pb->feed(Start{});
    TlsDriver driver{*s.pb, s.client, s.server, clientPeer.get(), serverPeer.get()};
    driver.run();
    QVERIFY(clientPeer->done());
    QVERIFY(serverPeer->seenAlpnOffers().isEmpty());
    QVERIFY(clientPeer->alpn().isEmpty());
    QVERIFY(s.client->alpn.isEmpty());

    // A client that offers only h2 gets h2; the server is offered HTTP/1.1 as well, so that
    // an HTTP/1.1-only server can be reached (the proxy translates).
    TlsStack s2;
    QVERIFY(s2.build(m_world, Address{"example.com", 443}));
    auto h2Only = m_world.client("example.com", {"h2"});
    auto h2Server = m_world.server({"h2", "http/1.1"});
    s2.pb->feed(Start{});
    TlsDriver driver2{*s2.pb, s2.client, s2.server, h2Only.get(), h2Server.get()};
    driver2.run();
    QVERIFY(h2Only->done());
    QCOMPARE(h2Server->seenAlpnOffers(), (QList<QByteArray>{"h2", "http/1.1"}));
    QCOMPARE(h2Only->alpn(), QByteArray("h2"));

    // With http2=false an h2-only client gets no ALPN and the server is not offered h2.
    TlsStack s3;
    s3.options->http2 = false;
    QVERIFY(s3.build(m_world, Address{"example.com", 443}));
    auto h2Only3 = m_world.client("example.com", {"h2"});
    auto h2Server3 = m_world.server({"h2", "http/1.1"});
    s3.pb->feed(Start{});
    TlsDriver driver3{*s3.pb, s3.client, s3.server, h2Only3.get(), h2Server3.get()};
    driver3.run();
    QVERIFY(h2Only3->done());
    QVERIFY(h2Server3->seenAlpnOffers().isEmpty());
    QVERIFY(h2Only3->alpn().isEmpty());
}

void ClientTlsLayerTest::serverFirstCanBeTurnedOff()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    auto clientPeer = m_world.client("example.com");
    s.pb->feed(Start{});
    TlsDriver driver{*s.pb, s.client, s.server, clientPeer.get(), nullptr};
    driver.onClientHello = [](ClientHelloData& d) { d.establishServerTlsFirst = false; };
    driver.run();
    QVERIFY2(clientPeer->done(), qPrintable(driver.describeSeen()));
    QVERIFY(driver.seenOf<OpenConnection>().empty());
    QCOMPARE(clientPeer->alpn(), QByteArray("h2")); // what it offered first; no server to follow
    QCOMPARE(clientPeer->verifyResult(), long(X509_V_OK));
    // Prepared for whoever opens the server later.
    QVERIFY(s.server->tls);
    QCOMPARE(s.server->sni, QByteArray("example.com"));
    QVERIFY(std::holds_alternative<Start>(s.inner->events.front()));
}

void ClientTlsLayerTest::eagerServerConnectionIsReused()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    s.server->state = ConnectionState::Open; // connected before the ClientHello arrived
    auto clientPeer = m_world.client("example.com");
    auto serverPeer = m_world.server();
    Playbook& pb = *s.pb;
    pb.feed(Start{});
    clientPeer->handshake();
    pb.feed(DataReceived{s.client, clientPeer->take()});
    QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why());
    QVERIFY2(pb.expectHook(HookKind::TlsClientHello), pb.why());
    pb.replyHook();
    // No second connect: the TLS handshake starts on the open connection.
    QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why());
    const QByteArray upstreamHello = pb.takeSent(s.server);
    const ClientHelloResult parsed = parseClientHello(upstreamHello);
    QCOMPARE(parsed.status, ClientHelloResult::Status::Ok);
    QCOMPARE(parsed.hello.sni, QByteArray("example.com"));
    QVERIFY2(pb.expectNothing(), pb.why());
    serverPeer->feed(upstreamHello);
    TlsDriver driver{pb, s.client, s.server, clientPeer.get(), serverPeer.get()};
    driver.run();
    QVERIFY2(clientPeer->done(), qPrintable(driver.describeSeen()));
    QVERIFY(driver.seenOf<OpenConnection>().empty());
    QVERIFY(s.server->tlsEstablished);
    QCOMPARE(clientPeer->verifyResult(), long(X509_V_OK));
}

void ClientTlsLayerTest::ignoredConnectionPassesThrough()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    auto clientPeer = m_world.client("example.com");
    Playbook& pb = *s.pb;
    pb.feed(Start{});
    clientPeer->handshake();
    const QByteArray hello = clientPeer->take();
    pb.feed(DataReceived{s.client, hello});
    Hook hook;
    pb.ignoreLogs();
    QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why());
    QVERIFY2(pb.expectHook(HookKind::TlsClientHello, &hook), pb.why());
    hook.hook->clientHello->ignoreConnection = true;
    pb.feed(DataReceived{s.client, "early"});
    pb.replyHook();
    QVERIFY2(pb.expect(OpenConnection{0, s.server}), pb.why());
    QVERIFY(!s.server->tls);
    QVERIFY2(pb.expectNothing(), pb.why());
    pb.replyOpen();
    QVERIFY2(pb.expect(SendData{s.server, hello + "early"}), pb.why());
    pb.feed(DataReceived{s.server, "raw server bytes"});
    QVERIFY2(pb.expect(SendData{s.client, "raw server bytes"}), pb.why());
    pb.feed(DataReceived{s.client, "raw client bytes"});
    QVERIFY2(pb.expect(SendData{s.server, "raw client bytes"}), pb.why());
    pb.feed(ConnectionClosed{s.server});
    QVERIFY2(pb.expect(CloseConnection{s.client, true}), pb.why());
    pb.feed(ConnectionClosed{s.client});
    QVERIFY2(pb.expect(CloseConnection{s.server, true}), pb.why());
    QVERIFY2(pb.expect(CloseConnection{s.client, false}), pb.why());
    QVERIFY2(pb.expect(CloseConnection{s.server, false}), pb.why());
    QVERIFY2(pb.expectNothing(), pb.why());
    QVERIFY(s.inner->events.empty());
}

void ClientTlsLayerTest::eventsBeforeTheHandshakeAreReplayedAfterStart()
{
    TlsStack s;
    QVERIFY(s.build(m_world, Address{"example.com", 443}));
    auto clientPeer = m_world.client("example.com");
    auto serverPeer = m_world.server();
    Playbook& pb = *s.pb;
    pb.feed(Start{});
    clientPeer->handshake();
    pb.feed(DataReceived{s.client, clientPeer->take()});
    Hook hook;
    pb.ignoreLogs();
    QVERIFY2(pb.expect(RequestWakeup{0, 30}), pb.why());
    QVERIFY2(pb.expectHook(HookKind::TlsClientHello, &hook), pb.why());
    // Another connection speaks while the ClientHello hook is pending.
    ConnectionPtr other = makeConnection(Connection::Role::Server);
    pb.feed(DataReceived{other, "side channel"});
    QVERIFY2(pb.expectNothing(), pb.why());
    QVERIFY(s.inner->events.empty());
    pb.replyHook();
    TlsDriver driver{pb, s.client, s.server, clientPeer.get(), serverPeer.get()};
    driver.run();
    QVERIFY(clientPeer->done());
    QVERIFY(s.inner->events.size() >= 2);
    QVERIFY(std::holds_alternative<Start>(s.inner->events[0]));
    auto* replayed = std::get_if<DataReceived>(&s.inner->events[1]);
    QVERIFY(replayed);
    QCOMPARE(replayed->connection, other);
    QCOMPARE(replayed->data, QByteArray("side channel"));
}

QTEST_GUILESS_MAIN(ClientTlsLayerTest)
#include "client_tls_layer_test.moc"
