#pragma once
// What every layer of one client connection shares (mitmproxy `proxy/context.py`): the client,
// the server the current layer talks to, the options in force, and services that are not I/O
// (the certificate store, the clock). A child layer gets a copy, possibly with another server.

#include "flow/connection.h"

#include <atomic>

#include <functional>
#include <memory>

namespace spyglass {
struct Options;
struct ProxyMode;
class CertStore;
class TlsContexts;
} // namespace spyglass

namespace spyglass::proxy {

enum class HookKind : quint8; // proxy/hook.h

struct Services
{
    CertStore* certs = nullptr;
    // The shared SSL_CTX objects (client-facing and upstream). TLS layers copy the pointer
    // when they start, so an options change that builds new contexts does not pull them away
    // from a handshake in progress.
    std::shared_ptr<const TlsContexts> tls;
    // Wall-clock seconds since the epoch. Injected so layers stay deterministic in tests.
    std::function<double()> clock;
    // Which hooks anybody listens to (bit n = HookKind n). A layer continues at once past a
    // hook nobody wants instead of waiting a round trip for its answer. The engine updates it
    // when listeners come and go (scripts load and unload); a hook skipped during the switch
    // is harmless, so relaxed ordering is enough.
    std::atomic<quint64> wantedHooks{~quint64(0)};

    bool wants(HookKind kind) const
    {
        return wantedHooks.load(std::memory_order_relaxed) & (quint64(1) << int(kind));
    }
    static quint64 bit(HookKind kind) { return quint64(1) << int(kind); }
    // Unpredictable 32-bit numbers (WebSocket masking keys, RFC 6455 5.3). Injected like the
    // clock; when unset, a layer that needs them seeds a PRNG of its own.
    std::function<quint32()> random;
};

struct Context
{
    ConnectionPtr client;
    ConnectionPtr server;
    std::shared_ptr<const Options> options;
    std::shared_ptr<Services> services;
    // The mode of the listener the client connected to (options/proxy_mode.h); null means
    // regular.
    std::shared_ptr<const ProxyMode> mode{};

    double now() const { return services && services->clock ? services->clock() : 0.0; }
    const Options& opts() const { return *options; }
    // A copy with a new, unconnected server connection to `address`.
    Context withServer(const Address& address) const;
};

} // namespace spyglass::proxy
