#pragma once
// One line per finished flow for spyglass-dump's stdout:
//   CLIENT METHOD URL HTTPVERSION -> STATUS REASON SIZE DURATION
//   CLIENT METHOD URL HTTPVERSION -> error: MESSAGE
// A WebSocket connection (printed when it ends) adds its message count and how it closed:
//   ... -> 101 Switching Protocols 0b 3ms websocket 12 messages, closed by client 4000 "bye"
// A raw TCP flow: both ends, "tcp" ("tcp+tls" inside intercepted TLS), messages, bytes (both
// ways) and which side ended it (or its error, or "open"):
//   127.0.0.1:5000 <-> 127.0.0.1:25 tcp 4 messages, 120b, closed by server
// A client replay (HttpFlow::isReplay) prints "[replay]" instead of CLIENT, as mitmdump does:
//   [replay] GET http://example.com/ HTTP/1.1 -> 200 OK 12b 3ms
// Fields that are unknown (a request too broken to parse) are printed as "-".

#include "flow/flow.h"

#include <QString>

namespace spyglass {

// `showHost` (the showhost option): the URL names the Host header's host, as mitmproxy's
// pretty_url does.
QString dumpLine(const HttpFlow& flow, bool showHost = false);
// The TCP flow line above (flow.kind == FlowKind::Tcp).
QString tcpLine(const HttpFlow& flow);
// "websocket 12 messages, closed by client 4000 \"bye\""
QString webSocketSummary(const WebSocketData& ws);
// "512b", "1.0k", "3.2m", "1.1g"
QString humanSize(qint64 bytes);
// "3ms", "1.2s"
QString humanDuration(double seconds);

} // namespace spyglass
