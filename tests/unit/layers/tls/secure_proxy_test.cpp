// TLS to the proxy port itself (a "secure web proxy": curl --proxy https://...), driven
// through the real root layer NextLayer with a real OpenSSL client (and, for CONNECT, a real
// OpenSSL client inside that TLS and a real OpenSSL server upstream).

#include "tls_stack_harness.h"

#include "layers/next_layer.h"

#include <map>

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

// The proxy port as the ConnectionHandler starts it: NextLayer with no server.
struct ProxyPortStack
{
    std::shared_ptr<Options> options = std::make_shared<Options>();
    std::shared_ptr<Services> services = std::make_shared<Services>();
    std::unique_ptr<CertStore> certs;
    ConnectionPtr client;
    std::unique_ptr<layers::NextLayer> root;
    std::unique_ptr<Playbook> pb;

    bool build(const TlsWorld& world, const Address& sockname = Address{"127.0.0.1", 8080})
    {
        options->sslVerifyUpstreamTrustedCa = world.upstreamCaFile;
        QString error;
        auto contexts = TlsContexts::create(*options, &error);
        if (!contexts) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        certs = std::make_unique<CertStore>(world.ca);
        services->certs = certs.get();
        services->tls = contexts;
        services->clock = [] { return TlsStack::kNow; };
        client = makeConnection(Connection::Role::Client);
        client->peer = Address{"127.0.0.1", 50000};
        client->sockname = sockname;
        client->state = ConnectionState::Open;
        root = std::make_unique<layers::NextLayer>(Context{client, nullptr, options, services});
        pb = std::make_unique<Playbook>(*root);
        return true;
    }
};

// Plays the client application, its TLS to the proxy (`outer`), optionally a TLS session to
// the origin inside it (`inner`, after CONNECT), and the origin (plain, or `originTls`).
// Opens succeed, every hook is answered at once, flows seen in hooks are kept.
struct SecureProxyDriver
{
    SecureProxyDriver(Playbook& playbook, ConnectionPtr clientConnection, TestTlsPeer* clientTls)
        : pb(playbook), client(std::move(clientConnection)), outer(clientTls)
    {
    }

    Playbook& pb;
    ConnectionPtr client;
    TestTlsPeer* outer = nullptr;
    TestTlsPeer* inner = nullptr;     // set by the test once the tunnel is up
    TestTlsPeer* originTls = nullptr; // null: the origin speaks plain HTTP
    QByteArray clientReceived;        // what the client application read
    QByteArray originReceived;        // plaintext the origin read
    std::vector<ConnectionPtr> opened;
    std::vector<Command> seen;
    std::vector<HttpFlow> flows; // a copy at each HTTP hook

    void clientWrite(const QByteArray& data)
    {
        if (inner)
            QVERIFY(inner->write(data));
        else
            QVERIFY(outer->write(data));
    }
    void originWrite(const QByteArray& data)
    {
        QVERIFY(!opened.empty());
        if (originTls)
            QVERIFY(originTls->write(data));
        else
            pb.feed(DataReceived{opened.back(), data});
    }

    void run()
    {
        for (int round = 0; round < 200; ++round) {
            bool progress = false;
            while (!pb.pending().empty()) {
                const Command c = pb.pending().front();
                pb.pending().pop_front();
                seen.push_back(c);
                progress = true;
                handle(c);
            }
            progress |= pumpClient();
            progress |= pumpOrigin();
            if (!progress)
                return;
        }
        QFAIL("the exchange did not settle");
    }

    template <typename T> std::vector<T> seenOf() const
    {
        std::vector<T> out;
        for (const auto& c : seen)
            if (auto* t = std::get_if<T>(&c))
                out.push_back(*t);
        return out;
    }
    bool hookSeen(HookKind kind) const
    {
        for (const auto& h : seenOf<Hook>())
            if (h.hook && h.hook->kind == kind)
                return true;
        return false;
    }
    bool clientClosed() const
    {
        for (const auto& c : seenOf<CloseConnection>())
            if (c.connection == client && !c.halfClose)
                return true;
        return false;
    }
    QString logs() const
    {
        QStringList out;
        for (const auto& l : seenOf<Log>())
            out.append(l.message);
        return out.join('\n');
    }
    QString describeSeen() const
    {
        QStringList out;
        for (const auto& c : seen)
            out.append(describe(c));
        return out.join('\n');
    }

private:
    void handle(const Command& c)
    {
        if (auto* s = std::get_if<SendData>(&c)) {
            if (s->connection == client)
                outer->feed(s->data);
            else if (originTls)
                originTls->feed(s->data);
            else
                originReceived += s->data;
        } else if (auto* o = std::get_if<OpenConnection>(&c)) {
            o->connection->state = ConnectionState::Open;
            o->connection->sockname = Address{"127.0.0.1", 40000};
            opened.push_back(o->connection);
            pb.feed(OpenConnectionCompleted{o->id, o->connection, QString()});
        } else if (auto* h = std::get_if<Hook>(&c)) {
            if (h->hook->flow)
                flows.push_back(*h->hook->flow);
            pb.feed(HookCompleted{h->id, h->hook});
        }
    }
    bool pumpClient()
    {
        bool progress = false;
        if (!outer->done() && !outer->failed())
            outer->handshake();
        if (outer->done()) {
            const QByteArray plain = outer->read();
            if (inner)
                inner->feed(plain);
            else
                clientReceived += plain;
            if (inner) {
                if (!inner->done() && !inner->failed())
                    inner->handshake();
                const QByteArray innerOut = inner->take();
                if (!innerOut.isEmpty()) {
                    outer->write(innerOut);
                    progress = true;
                }
                if (inner->done())
                    clientReceived += inner->read();
            }
        }
        const QByteArray out = outer->take();
        if (!out.isEmpty()) {
            pb.feed(DataReceived{client, out});
            progress = true;
        }
        return progress;
    }
    bool pumpOrigin()
    {
        if (!originTls || opened.empty())
            return false;
        if (!originTls->done() && !originTls->failed())
            originTls->handshake();
        if (originTls->done())
            originReceived += originTls->read();
        const QByteArray out = originTls->take();
        if (out.isEmpty())
            return false;
        pb.feed(DataReceived{opened.back(), out});
        return true;
    }
};

const QByteArray kResponse = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

} // namespace

class SecureProxyTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void tlsThenAbsoluteFormGet();
    void noSniGetsTheListeningAddress();
    void h2OnlyOfferGetsNoAlpn();
    void tlsThenConnectThenInnerTls();
    void tlsInsideTlsToTheProxyIsRefused();
    void brokenClientHelloStillGets400();
    void clientWhoDistrustsTheCaIsClosedCleanly();

private:
    TlsWorld m_world;
};

void SecureProxyTest::initTestCase()
{
    QString error;
    QVERIFY2(m_world.init(&error), qPrintable(error));
}

void SecureProxyTest::tlsThenAbsoluteFormGet()
{
    ProxyPortStack s;
    QVERIFY(s.build(m_world));
    auto outer = m_world.client("localhost", {"h2", "http/1.1"});
    SecureProxyDriver d{*s.pb, s.client, outer.get()};
    s.pb->feed(Start{});
    d.run();
    QVERIFY2(outer->done(), qPrintable(d.describeSeen()));

    // No server was asked first: the ClientHello was reported, nothing opened.
    QVERIFY(d.hookSeen(HookKind::TlsClientHello));
    QVERIFY(d.opened.empty());
    // A certificate for the name the client asked for, from our CA; HTTP/1.1 only.
    QCOMPARE(outer->verifyResult(), long(X509_V_OK));
    X509Ptr leaf = peerCertificate(*outer);
    QCOMPARE(certificateNames(leaf.get()).commonName, QByteArray("localhost"));
    QCOMPARE(outer->alpn(), QByteArray("http/1.1"));
    QVERIFY(s.client->tls);
    QVERIFY(s.client->tlsEstablished);
    QCOMPARE(s.client->tlsVersion, QByteArray("TLSv1.3"));
    QCOMPARE(s.client->sni, QByteArray("localhost"));
    QCOMPARE(s.client->alpn, QByteArray("http/1.1"));

    // Inside: a regular proxy request in absolute form.
    d.clientWrite("GET http://example.com/x?y=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
    d.run();
    QCOMPARE(d.opened.size(), size_t(1));
    QCOMPARE(d.opened[0]->peer, (Address{"example.com", 80}));
    QVERIFY(!d.opened[0]->tls);
    QVERIFY2(d.originReceived.startsWith("GET /x?y=1 HTTP/1.1\r\n"), d.originReceived.constData());
    d.originWrite(kResponse);
    d.run();
    QVERIFY2(d.clientReceived.startsWith("HTTP/1.1 200 OK\r\n"), d.clientReceived.constData());
    QVERIFY(d.clientReceived.endsWith("\r\n\r\nhello"));

    // The flow records that the client spoke TLS to the proxy.
    QVERIFY(!d.flows.empty());
    const HttpFlow& flow = d.flows.back();
    QCOMPARE(flow.request.scheme, QByteArray("http"));
    QCOMPARE(flow.request.host, QByteArray("example.com"));
    QVERIFY(flow.client.tls);
    QVERIFY(flow.client.tlsEstablished);
    QCOMPARE(flow.client.tlsVersion, QByteArray("TLSv1.3"));
    QCOMPARE(flow.client.sni, QByteArray("localhost"));

    // close_notify from the client ends it cleanly.
    outer->shutdown();
    d.run();
    QVERIFY2(d.clientClosed(), qPrintable(d.describeSeen()));
}

void SecureProxyTest::noSniGetsTheListeningAddress()
{
    // The client connected to 192.0.2.7 (say, the proxy's LAN address) without SNI: the leaf
    // names that address, which is what `curl --proxy https://192.0.2.7:8443` checks.
    ProxyPortStack s;
    QVERIFY(s.build(m_world, Address{"192.0.2.7", 8443}));
    TestTlsPeer::ClientConfig config;
    config.trust = m_world.ca->certificate();
    config.verifyIp = "192.0.2.7";
    config.maxVersion = TLS1_2_VERSION;
    auto outer = TestTlsPeer::client(config);
    SecureProxyDriver d{*s.pb, s.client, outer.get()};
    s.pb->feed(Start{});
    d.run();
    QVERIFY2(outer->done(), qPrintable(d.describeSeen()));
    QCOMPARE(outer->verifyResult(), long(X509_V_OK));
    X509Ptr leaf = peerCertificate(*outer);
    const CertificateNames names = certificateNames(leaf.get());
    QCOMPARE(names.commonName, QByteArray("192.0.2.7"));
    QCOMPARE(names.ipAddresses, QList<QByteArray>{"192.0.2.7"});
    QVERIFY(names.dnsNames.isEmpty());
    QVERIFY(outer->alpn().isEmpty()); // nothing offered, nothing answered
    QVERIFY(s.client->sni.isEmpty());
    QCOMPARE(s.client->tlsVersion, QByteArray("TLSv1.2"));

    d.clientWrite("GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n");
    d.run();
    d.originWrite(kResponse);
    d.run();
    QVERIFY(d.clientReceived.endsWith("hello"));
    QVERIFY(!d.flows.empty());
    QCOMPARE(d.flows.back().client.tlsVersion, QByteArray("TLSv1.2"));
}

void SecureProxyTest::h2OnlyOfferGetsNoAlpn()
{
    // HTTP/2 to the proxy itself is not spoken (CONNECT inside streams is not proxied yet).
    ProxyPortStack s;
    QVERIFY(s.build(m_world));
    auto outer = m_world.client("localhost", {"h2"});
    SecureProxyDriver d{*s.pb, s.client, outer.get()};
    s.pb->feed(Start{});
    d.run();
    QVERIFY2(outer->done(), qPrintable(d.describeSeen()));
    QVERIFY(outer->alpn().isEmpty());
    QVERIFY(s.client->alpn.isEmpty());
    d.clientWrite("GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n");
    d.run();
    QVERIFY(d.originReceived.startsWith("GET / HTTP/1.1\r\n"));
}

void SecureProxyTest::tlsThenConnectThenInnerTls()
{
    ProxyPortStack s;
    QVERIFY(s.build(m_world));
    auto outer = m_world.client("localhost", {"http/1.1"});
    auto origin = m_world.server({"http/1.1"});
    SecureProxyDriver d{*s.pb, s.client, outer.get()};
    d.originTls = origin.get();
    s.pb->feed(Start{});
    d.run();
    QVERIFY2(outer->done(), qPrintable(d.describeSeen()));

    d.clientWrite("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
    d.run();
    QVERIFY2(d.clientReceived.startsWith("HTTP/1.1 200"), d.clientReceived.constData());
    d.clientReceived.clear();

    // TLS to the origin inside the TLS to the proxy.
    auto inner = m_world.client("example.com", {"http/1.1"});
    d.inner = inner.get();
    d.run();
    QVERIFY2(inner->done(), qPrintable(d.describeSeen() + '\n' + d.logs()));
    QVERIFY(origin->done());
    QCOMPARE(origin->seenSni(), QByteArray("example.com"));
    QCOMPARE(inner->verifyResult(), long(X509_V_OK));
    X509Ptr innerLeaf = peerCertificate(*inner);
    QCOMPARE(certificateNames(innerLeaf.get()).commonName, QByteArray("example.com"));
    X509Ptr outerLeaf = peerCertificate(*outer);
    QCOMPARE(certificateNames(outerLeaf.get()).commonName, QByteArray("localhost"));

    d.clientWrite("GET /inner HTTP/1.1\r\nHost: example.com\r\n\r\n");
    d.run();
    QVERIFY2(d.originReceived.startsWith("GET /inner HTTP/1.1\r\n"), d.originReceived.constData());
    d.originWrite(kResponse);
    d.run();
    QCOMPARE(inner->alpn(), QByteArray("http/1.1"));
    QVERIFY2(d.clientReceived.startsWith("HTTP/1.1 200 OK\r\n"), d.clientReceived.constData());
    QVERIFY(d.clientReceived.endsWith("hello"));
    QVERIFY(!d.flows.empty());
    const HttpFlow& flow = d.flows.back();
    QCOMPARE(flow.request.scheme, QByteArray("https"));
    QCOMPARE(flow.request.path, QByteArray("/inner"));
    QVERIFY(flow.response.has_value());
    QCOMPARE(flow.response->statusCode, 200);
    QVERIFY(flow.client.tls);
    QCOMPARE(flow.client.sni, QByteArray("example.com")); // the inner session's facts
    // The CONNECT itself was made inside the TLS to the proxy, and says so.
    const auto connect = std::find_if(d.flows.begin(), d.flows.end(), [](const HttpFlow& f) {
        return f.request.method == "CONNECT";
    });
    QVERIFY(connect != d.flows.end());
    QVERIFY(connect->client.tls);
    QVERIFY(connect->client.tlsEstablished);
    QCOMPARE(connect->client.sni, QByteArray("localhost"));
    QCOMPARE(connect->client.alpn, QByteArray("http/1.1"));
    QVERIFY(!d.clientClosed());
}

void SecureProxyTest::tlsInsideTlsToTheProxyIsRefused()
{
    ProxyPortStack s;
    QVERIFY(s.build(m_world));
    auto outer = m_world.client("localhost", {"http/1.1"});
    SecureProxyDriver d{*s.pb, s.client, outer.get()};
    s.pb->feed(Start{});
    d.run();
    QVERIFY(outer->done());
    auto inner = m_world.client("localhost");
    d.inner = inner.get(); // a ClientHello straight to the proxy, inside its TLS
    d.run();
    QVERIFY2(d.clientClosed(), qPrintable(d.describeSeen()));
    QVERIFY2(d.logs().contains("only one TLS layer to the proxy"), qPrintable(d.logs()));
    QVERIFY(d.opened.empty());
    QVERIFY(outer->closeNotify()); // the outer TLS was closed properly
}

void SecureProxyTest::brokenClientHelloStillGets400()
{
    // A record that claims to be a ClientHello but is not one: not TLS to the proxy, so the
    // HTTP layer answers 400 as it did before TLS to the proxy was supported.
    ProxyPortStack s;
    QVERIFY(s.build(m_world));
    Playbook& pb = *s.pb;
    pb.feed(Start{});
    QVERIFY2(pb.expectNothing(), pb.why());
    pb.feed(DataReceived{s.client, QByteArray("\x16\x03\x01\x00\x08\x01\x00\x00\x04"
                                              "abcd",
                                              13)});
    QByteArray sent;
    bool closed = false;
    for (int i = 0; i < 50 && !pb.pending().empty(); ++i) {
        const Command c = pb.pending().front();
        pb.pending().pop_front();
        if (auto* h = std::get_if<Hook>(&c)) {
            QVERIFY(h->hook->kind != HookKind::TlsClientHello);
            pb.feed(HookCompleted{h->id, h->hook});
        } else if (auto* d = std::get_if<SendData>(&c)) {
            QCOMPARE(d->connection, s.client);
            sent += d->data;
        } else if (auto* x = std::get_if<CloseConnection>(&c)) {
            closed |= x->connection == s.client;
        }
    }
    QVERIFY2(sent.startsWith("HTTP/1.1 400 "), sent.constData());
    QVERIFY(closed);
    QVERIFY(!s.client->tls);
}

void SecureProxyTest::clientWhoDistrustsTheCaIsClosedCleanly()
{
    ProxyPortStack s;
    QVERIFY(s.build(m_world));
    TestTlsPeer::ClientConfig config;
    config.sni = "localhost";
    config.trust = m_world.upstreamCa->certificate(); // not ours
    config.verifyHost = "localhost";
    auto outer = TestTlsPeer::client(config);
    SecureProxyDriver d{*s.pb, s.client, outer.get()};
    s.pb->feed(Start{});
    d.run();
    QVERIFY(outer->failed());
    QVERIFY2(d.clientClosed(), qPrintable(d.describeSeen()));
    QVERIFY(d.hookSeen(HookKind::TlsFailedClient));
    QVERIFY2(d.logs().contains("the proxy itself") || d.logs().contains("localhost"),
             qPrintable(d.logs()));
    QVERIFY(d.opened.empty());
}

QTEST_GUILESS_MAIN(SecureProxyTest)
#include "secure_proxy_test.moc"
