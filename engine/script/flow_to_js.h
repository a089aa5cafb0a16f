#pragma once
// Conversions between the engine's flow values and the plain "raw" objects the prelude
// (prelude.js) wraps in its classes: a hook's input goes out as raw objects; what the hook
// changed comes back as raw objects and becomes a change to make on the flow's worker.
//
// Bytes: header names and values, methods, paths and hosts travel as Latin-1 strings, so any
// byte survives the round trip unchanged; bodies and message contents are ArrayBuffers.

#include "proxy/hook.h"
#include "script/flow_change.h"

#include <QJSValue>
#include <functional>

class QJSEngine;

namespace spyglass::script {

class JsCache;

class FlowToJs
{
public:
    // Header fields go out flat: [name0, value0, name1, value1, ...] (Message in prelude.js).
    static QJSValue flow(JsCache& js, const HttpFlow& flow);
    static QJSValue connection(JsCache& js, const Connection& connection);
    static QJSValue clientHello(JsCache& js, const proxy::ClientHelloData& hello,
                                const Connection* client);
    static QJSValue websocketMessage(QJSEngine& engine, const WebSocketMessage& message);
    static QJSValue tcpMessage(QJSEngine& engine, const TcpMessage& message);

    // `before` with the fields of a raw request (Request._rawOut) applied where they differ;
    // the body only when the raw says it changed. A field the raw leaves out (undefined) is
    // left as it was: a hook's answer (prelude invoke) carries only what the script touched.
    static Request requestFromJs(const QJSValue& raw, const Request& before);

    // What `result` (prelude invoke's answer for a flow hook) changed compared with
    // `before`, the copy the hook saw; empty when nothing did.
    static FlowChange flowChange(const QJSValue& result, const HttpFlow& before,
                                 proxy::HookKind kind);
};

} // namespace spyglass::script
