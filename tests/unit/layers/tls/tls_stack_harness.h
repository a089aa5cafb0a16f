#pragma once
// Shared by the TLS layer tests: two CAs on disk (Spyglass's own, and an "upstream" CA that
// signs the real server's certificate), the stack ServerTlsLayer(ClientTlsLayer(recorder))
// as the NextLayer builds it, and a driver that plays a REAL OpenSSL client and server
// (memory BIOs, test_tls_peer.h) against it through the Playbook until nothing moves.

#include "../../tls/test_tls_peer.h"

#include "layers/tls/client_tls_layer.h"
#include "layers/tls/server_tls_layer.h"
#include "options/options.h"
#include "playbook.h"
#include "tls/cert_store.h"
#include "tls/certificate_authority.h"
#include "tls/tls_contexts.h"
#include "tls/x509_util.h"

#include <QTemporaryDir>
#include <QtTest>

namespace spyglass::test {

// The innermost layer: records every event; `script` decides what it answers.
class RecordingLayer : public proxy::Layer
{
public:
    using Script = std::function<proxy::Commands(const proxy::Event&)>;

    explicit RecordingLayer(proxy::Context context) : Layer(std::move(context)) {}

    proxy::Commands handleEvent(const proxy::Event& event) override
    {
        events.push_back(event);
        if (auto* d = std::get_if<proxy::DataReceived>(&event)) {
            if (d->connection == m_context.client)
                clientData += d->data;
            else
                serverData += d->data;
        }
        return script ? script(event) : proxy::Commands{};
    }
    QString name() const override { return QStringLiteral("RecordingLayer"); }

    QStringList eventNames() const
    {
        QStringList out;
        for (const auto& e : events)
            out.append(proxy::describe(e));
        return out;
    }
    template <typename T> int count() const
    {
        int n = 0;
        for (const auto& e : events)
            n += std::holds_alternative<T>(e) ? 1 : 0;
        return n;
    }

    std::vector<proxy::Event> events;
    QByteArray clientData;
    QByteArray serverData;
    Script script;
};

// A relay script: what one side says goes to the other, closes are passed on.
inline RecordingLayer::Script relayScript(const ConnectionPtr& client, const ConnectionPtr& server)
{
    return [client, server](const proxy::Event& e) -> proxy::Commands {
        if (auto* d = std::get_if<proxy::DataReceived>(&e))
            return {proxy::SendData{d->connection == client ? server : client, d->data}};
        if (auto* c = std::get_if<proxy::ConnectionClosed>(&e))
            return {proxy::CloseConnection{c->connection == client ? server : client, false}};
        return {};
    };
}

// Certificates shared by all tests of one executable (RSA key generation is slow).
struct TlsWorld
{
    QTemporaryDir caDir;
    QTemporaryDir upstreamDir;
    std::shared_ptr<const CertificateAuthority> ca;
    std::shared_ptr<const CertificateAuthority> upstreamCa;
    std::unique_ptr<CertStore> upstreamCerts;
    SharedX509 upstreamLeaf; // the real server's certificate
    QString upstreamCaFile;

    bool init(QString* error)
    {
        ca = CertificateAuthority::loadOrCreate(caDir.path(), error);
        upstreamCa = CertificateAuthority::loadOrCreate(upstreamDir.path(), error);
        if (!ca || !upstreamCa)
            return false;
        upstreamCerts = std::make_unique<CertStore>(upstreamCa);
        upstreamLeaf = upstreamCerts->leafFor(
            {"example.com", "www.example.com", "10.0.0.1", "127.0.0.1"}, "Example Org", error);
        upstreamCaFile = upstreamCa->filePath(CertificateAuthority::kCaCertPemFile);
        return upstreamLeaf != nullptr;
    }

    // The real server: its certificate chains to the upstream CA.
    std::unique_ptr<TestTlsPeer> server(const QList<QByteArray>& alpn = {"http/1.1"},
                                        int maxVersion = TLS1_3_VERSION) const
    {
        TestTlsPeer::ServerConfig c;
        c.cert = upstreamLeaf.get();
        c.key = upstreamCa->leafKey();
        c.chain = upstreamCa->certificate();
        c.alpnSupported = alpn;
        c.maxVersion = maxVersion;
        return TestTlsPeer::server(c);
    }
    // A client that trusts the Spyglass CA and checks the name it asked for.
    std::unique_ptr<TestTlsPeer> client(const QByteArray& sni,
                                        const QList<QByteArray>& alpn = {"h2", "http/1.1"},
                                        int maxVersion = TLS1_3_VERSION,
                                        const QByteArray& tls13Suites = {}) const
    {
        TestTlsPeer::ClientConfig c;
        c.sni = sni;
        c.alpn = alpn;
        c.trust = ca->certificate();
        c.verifyHost = sni;
        c.maxVersion = maxVersion;
        c.tls13Suites = tls13Suites;
        return TestTlsPeer::client(c);
    }
};

struct TlsStack
{
    std::shared_ptr<Options> options = std::make_shared<Options>();
    std::shared_ptr<proxy::Services> services = std::make_shared<proxy::Services>();
    std::unique_ptr<CertStore> certs;
    proxy::Context context;
    ConnectionPtr client;
    ConnectionPtr server;
    RecordingLayer* inner = nullptr;
    std::unique_ptr<layers::tls::ServerTlsLayer> top;
    std::unique_ptr<Playbook> pb;
    static constexpr double kNow = 1700000000.5;

    // `configure` adjusts options before the TLS contexts are built.
    bool build(const TlsWorld& world, const Address& serverAddress,
               const std::function<void(Options&)>& configure = {})
    {
        options->sslVerifyUpstreamTrustedCa = world.upstreamCaFile;
        if (configure)
            configure(*options);
        QString error;
        auto contexts = TlsContexts::create(*options, &error);
        if (!contexts) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        certs = std::make_unique<CertStore>(world.ca);
        services->certs = certs.get();
        services->tls = contexts;
        services->clock = [] { return kNow; };
        client = makeConnection(Connection::Role::Client);
        client->peer = Address{"127.0.0.1", 50000};
        client->sockname = Address{"127.0.0.1", 8080};
        client->state = ConnectionState::Open;
        context.client = client;
        context.options = options;
        context.services = services;
        context = context.withServer(serverAddress);
        server = context.server;
        auto recorder = std::make_unique<RecordingLayer>(context);
        inner = recorder.get();
        top = std::make_unique<layers::tls::ServerTlsLayer>(
            context, std::make_unique<layers::tls::ClientTlsLayer>(context, std::move(recorder)));
        pb = std::make_unique<Playbook>(*top);
        return true;
    }
};

// Plays the peers against the stack: SendData goes to the matching peer, peers' output comes
// back as DataReceived, OpenConnection succeeds (or fails with `openError`), the ClientHello
// hook is answered. Everything it consumed stays in `seen` for assertions.
struct TlsDriver
{
    TlsDriver(Playbook& playbook, ConnectionPtr clientConnection, ConnectionPtr serverConnection,
              TestTlsPeer* clientSide, TestTlsPeer* serverSide)
        : pb(playbook), client(std::move(clientConnection)), server(std::move(serverConnection)),
          clientPeer(clientSide), serverPeer(serverSide)
    {
    }

    Playbook& pb;
    ConnectionPtr client;
    ConnectionPtr server;
    TestTlsPeer* clientPeer = nullptr;
    TestTlsPeer* serverPeer = nullptr;
    QString openError;
    std::function<void(proxy::ClientHelloData&)> onClientHello;
    std::vector<proxy::Command> seen;

    void run()
    {
        for (int round = 0; round < 100; ++round) {
            bool progress = false;
            while (!pb.pending().empty()) {
                const proxy::Command c = pb.pending().front();
                pb.pending().pop_front();
                seen.push_back(c);
                progress = true;
                handle(c);
            }
            progress |= pump(clientPeer, client);
            progress |= pump(serverPeer, server);
            if (!progress)
                return;
        }
        QFAIL("the TLS exchange did not settle");
    }

    template <typename T> std::vector<T> seenOf() const
    {
        std::vector<T> out;
        for (const auto& c : seen)
            if (auto* t = std::get_if<T>(&c))
                out.push_back(*t);
        return out;
    }
    std::vector<proxy::Hook> hooks(proxy::HookKind kind) const
    {
        std::vector<proxy::Hook> out;
        for (const auto& h : seenOf<proxy::Hook>())
            if (h.hook && h.hook->kind == kind)
                out.push_back(h);
        return out;
    }
    QString logs() const
    {
        QStringList out;
        for (const auto& l : seenOf<proxy::Log>())
            out.append(l.message);
        return out.join('\n');
    }
    bool closed(const ConnectionPtr& conn) const
    {
        for (const auto& c : seenOf<proxy::CloseConnection>())
            if (c.connection == conn && !c.halfClose)
                return true;
        return false;
    }
    QString describeSeen() const
    {
        QStringList out;
        for (const auto& c : seen)
            out.append(proxy::describe(c));
        return out.join('\n');
    }

private:
    void handle(const proxy::Command& c)
    {
        using namespace proxy;
        if (auto* s = std::get_if<SendData>(&c)) {
            if (s->connection == client && clientPeer)
                clientPeer->feed(s->data);
            else if (s->connection == server && serverPeer)
                serverPeer->feed(s->data);
        } else if (auto* o = std::get_if<OpenConnection>(&c)) {
            o->connection->state =
                openError.isEmpty() ? ConnectionState::Open : ConnectionState::Closed;
            o->connection->error = openError;
            pb.feed(OpenConnectionCompleted{o->id, o->connection, openError});
        } else if (auto* h = std::get_if<Hook>(&c)) {
            if (h->hook->kind == HookKind::TlsClientHello) {
                if (onClientHello)
                    onClientHello(*h->hook->clientHello);
                pb.feed(HookCompleted{h->id, h->hook});
            }
        }
    }
    bool pump(TestTlsPeer* peer, const ConnectionPtr& conn)
    {
        if (!peer)
            return false;
        if (!peer->done() && !peer->failed())
            peer->handshake();
        const QByteArray out = peer->take();
        if (out.isEmpty())
            return false;
        pb.feed(proxy::DataReceived{conn, out});
        return true;
    }
};

} // namespace spyglass::test
