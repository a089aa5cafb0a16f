// libFuzzer target for both SOCKS5 handshakes (CONVENTIONS 15): the proxy's side
// (Socks5Layer, what a SOCKS5 client sends us) and the client side we speak to a SOCKS5
// parent in upstream:socks5 mode (Socks5ClientHandshake, what the parent answers). The first
// input byte chooses the side and the configuration (proxyauth, eager or lazy connect, the
// server connection failing); the rest is the peer's byte stream.
//
// Oracles, besides the sanitizers: a layer never throws; every hook it emits is answered and
// nothing is sent to a client it closed; the client handshake's outcome (done and the
// tunnel's first bytes, or the error, and what it sent unless it failed) is the same whether
// the replies come whole or cut at random points, and it reports nothing after it finished.

#include "layers/modes/socks5_layer.h"
#include "layers/tunnel/socks5_client_handshake.h"
#include "options/options.h"
#include "proxy/context.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <random>

using namespace spyglass;
using namespace spyglass::proxy;

namespace {

[[noreturn]] void violated(const char* what)
{
    std::fprintf(stderr, "SOCKS5 invariant violated: %s\n", what);
    std::abort();
}

std::vector<qsizetype> cutsFor(const QByteArray& data)
{
    std::mt19937 rng(uint32_t(qHash(data)));
    std::vector<qsizetype> cuts;
    for (qsizetype at = 0; at < data.size();) {
        at += 1 + qsizetype(rng() % 7);
        cuts.push_back(std::min(at, data.size()));
    }
    return cuts;
}

void fuzzServerSide(const QByteArray& data, quint8 config)
{
    auto options = std::make_shared<Options>();
    if (config & 2)
        options->proxyauth = QStringLiteral("user:secret");
    options->connectionStrategy = (config & 4) ? QStringLiteral("lazy") : QStringLiteral("eager");
    const bool serverFails = config & 8;

    Context ctx;
    ctx.client = makeConnection(Connection::Role::Client);
    ctx.client->peer = {"127.0.0.1", 50000};
    ctx.client->state = ConnectionState::Open;
    ctx.options = options;
    ctx.services = std::make_shared<Services>();
    ctx.services->clock = [] { return 1000.0; };
    layers::Socks5Layer layer(ctx);

    std::deque<Event> queue{Start{}};
    bool clientClosed = false;
    auto pump = [&] {
        while (!queue.empty()) {
            const Event e = std::move(queue.front());
            queue.pop_front();
            Commands out;
            try {
                out = layer.handleEvent(e);
            } catch (...) {
                violated("the layer threw");
            }
            for (const Command& c : out) {
                if (const auto* send = std::get_if<SendData>(&c)) {
                    if (send->connection == ctx.client && clientClosed)
                        violated("data sent to a client the layer closed");
                } else if (const auto* close = std::get_if<CloseConnection>(&c)) {
                    if (close->connection == ctx.client && !close->halfClose)
                        clientClosed = true;
                } else if (const auto* open = std::get_if<OpenConnection>(&c)) {
                    if (serverFails) {
                        queue.push_back(OpenConnectionCompleted{open->id, open->connection,
                                                                QStringLiteral("refused")});
                    } else {
                        open->connection->state = ConnectionState::Open;
                        queue.push_back(OpenConnectionCompleted{open->id, open->connection, {}});
                    }
                } else if (const auto* hook = std::get_if<Hook>(&c)) {
                    queue.push_back(HookCompleted{hook->id, hook->hook});
                }
            }
        }
    };
    pump();
    qsizetype pos = 0;
    for (const qsizetype cut : cutsFor(data)) {
        if (clientClosed)
            break;
        queue.push_back(DataReceived{ctx.client, data.mid(pos, cut - pos)});
        pos = cut;
        pump();
    }
    if (!clientClosed) {
        ctx.client->state = ConnectionState::CanWrite;
        queue.push_back(ConnectionClosed{ctx.client});
        pump();
    }
}

struct Outcome
{
    bool done = false;
    QByteArray rest;
    QString error;
    QByteArray sent;
};

Outcome runClient(const QByteArray& data, quint8 config, const std::vector<qsizetype>& cuts)
{
    layers::tunnel::Socks5ClientHandshake hs(
        {"example.com", 443}, (config & 2) ? QByteArray("user:secret") : QByteArray(),
        {"127.0.0.1", 1080});
    Outcome o;
    layers::tunnel::HandshakeStep step = hs.start();
    o.sent += step.send;
    qsizetype pos = 0;
    for (const qsizetype cut : cuts) {
        if (step.done || !step.error.isEmpty())
            break;
        step = hs.receive(data.mid(pos, cut - pos));
        pos = cut;
        o.sent += step.send;
        if (step.done) {
            o.done = true;
            // Whatever followed the reply in this and later pieces is the tunnel's.
            o.rest = step.rest + data.mid(pos);
        }
        if (!step.error.isEmpty())
            o.error = step.error;
        if (o.done && !o.error.isEmpty())
            violated("done and failed at once");
    }
    return o;
}

void fuzzClientSide(const QByteArray& data, quint8 config)
{
    const Outcome whole = runClient(data, config, {data.size()});
    const Outcome cut = runClient(data, config, cutsFor(data));
    if (whole.done != cut.done || whole.rest != cut.rest || whole.error != cut.error)
        violated("the outcome depends on how the replies were cut");
    // What we send is the same too, unless the handshake failed: a step that fails carries no
    // bytes (the connection is useless), so a failure in the same piece as the parent's
    // method choice drops the request an earlier cut had already sent.
    if (whole.error.isEmpty() && whole.sent != cut.sent)
        violated("the bytes sent depend on how the replies were cut");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    if (size == 0)
        return 0;
    const quint8 config = bytes[0];
    const QByteArray data(reinterpret_cast<const char*>(bytes) + 1, qsizetype(size - 1));
    if (config & 1)
        fuzzClientSide(data, config);
    else
        fuzzServerSide(data, config);
    return 0;
}
