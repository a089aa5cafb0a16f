#pragma once
// Client replay, one flow (mitmproxy `addons/clientplayback.py` ReplayHandler): a connection
// handler whose client is virtual. A copy of the recorded (or edited) request is fed to an
// HttpLayer as if a client had sent it (layers/http/replay_client_codec.h); the layer opens
// the server connection itself (TLS for https, through the parent proxy in upstream mode),
// the hooks run as for any flow (addons, the intercept), and the flow is published by the
// engine's hooks like any other, marked as a replay (HttpFlow::isReplay, `~replayq`).
// Its server connection gets server_connect / server_connected / server_disconnected from the
// ConnectionHandler like any other (a server_connect error refuses it); the virtual client
// has no socket, so no client_connected / client_disconnected.
//
//   UpstreamProxyLayer (upstream mode only) -> ServerTlsLayer (https only)
//     -> HttpLayer(Transparent, ReplayClientCodec)      context.server = the request's host
//
// The request goes where it says (scheme, host, port), whatever the listeners' modes, except
// that an upstream:URL mode (the first one in `mode`) is honoured, as mitmproxy does. Server
// connections follow the options in force: connect_timeout, ssl_insecure, tcp_timeout.
// An HTTP/2 request goes as HTTP/1.1 with its :authority as Host (mitmproxy issue 2197).
//
// Threads: check() and prepare() anywhere; run() on the worker thread that `home` lives in.

#include "flow/flow.h"
#include "server/server_config.h"
#include "server/server_stats.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>

class QObject;

namespace spyglass {

class ReplayHandler
{
public:
    // Why `flow` cannot be replayed (mitmproxy ClientPlayback.check), or empty.
    static QString check(const HttpFlow& flow);
    // A new flow to replay `flow` into: a new id, marked as a replay, live, the request
    // copied (timestamps cleared, HTTP/2 made HTTP/1.1), no response, no error.
    static HttpFlowPtr prepare(const HttpFlow& flow);
    // Starts the replay of `flow` (from prepare()) on this worker: a ConnectionHandler with
    // a virtual client, parented by `home`. `done` runs on this thread once the handler is
    // gone, with the flow as it ended and `unfinished` true when it ended without a response
    // or an error (the handler was stopped first): it then has the error "replay ended
    // before an answer" and no hook has published it.
    using Done = std::function<void(const HttpFlowPtr& flow, bool unfinished)>;
    static void run(const HttpFlowPtr& flow, const ServerConfig& config,
                    const std::shared_ptr<ServerStats>& stats, QObject* home, Done done);
    // The flows of a file to replay (client_replay): a session file (-w) or a HAR file (told
    // by its first byte, '{'). False with `error` when nothing can be read.
    static bool readFile(const QString& path, QList<HttpFlow>* flows, QStringList* warnings,
                         QString* error);
};

} // namespace spyglass
