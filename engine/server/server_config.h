#pragma once
// What a ProxyServer and each of its ConnectionHandlers need from the application: the
// options in force, shared services, the factory for the first layer of every client
// connection (the mode layer: regular, reverse, socks5, ...), the hook runner and a log sink.
// The facade fills one in; tests fill one in with their own small layers.
//
// Threads: `rootLayer`, `hooks->run` and `log` are called on worker threads, concurrently
// from several of them; they must be thread-safe.

#include "options/options.h"
#include "options/proxy_mode.h"
#include "proxy/command.h"
#include "proxy/context.h"
#include "proxy/layer.h"

#include <QString>
#include <functional>
#include <memory>

namespace spyglass {

class HookRunner;
class LiveFlows;

struct ServerConfig
{
    std::shared_ptr<const Options> options;    // null: defaults
    std::shared_ptr<proxy::Services> services; // null, or no clock: the wall clock
    std::function<std::unique_ptr<proxy::Layer>(proxy::Context)> rootLayer;
    // The listener's mode, copied into each connection's Context (null: regular).
    std::shared_ptr<const ProxyMode> mode;
    HookRunner* hooks = nullptr;                              // null: every hook completes at once
    std::function<void(proxy::LogLevel, const QString&)> log; // null: logs are dropped
    // Where handlers list their live WebSocket and TCP flows for injection (live_flows.h);
    // null: nothing is listed.
    std::shared_ptr<LiveFlows> liveFlows;
};

} // namespace spyglass
