#pragma once
// One HTTP exchange: the proxy logic between a request arriving from the client and its
// response going back (mitmproxy `layers/http/__init__.py` HttpStream). It is version-neutral:
// it sees HttpEvents, never bytes, so the same code serves HTTP/1 and HTTP/2 on either side.
//
// Request side:  headers -> [requestheaders hook] -> body buffered (or streamed beyond
//                stream_large_bodies) -> [request hook] -> server connection -> forwarded
//                What the request hook leaves is what happens: the (edited) request goes
//                upstream; a response set there is answered without a server; an error set
//                there (a killed flow) closes the client without an answer.
// Response side: headers -> [responseheaders hook] -> body buffered (or streamed) ->
//                [response hook] -> forwarded to the client
// CONNECT (regular mode): [http_connect hook] -> server connection (eager) -> 200 -> tunnel.
// A 2xx response set in the http_connect hook skips the server connection (onboarding).
// WebSocket over HTTP/2 (RFC 8441): an extended CONNECT from an HTTP/2 client (an event
// with `protocol` "websocket") is recorded as the HTTP/1.1 upgrade it stands for: GET with
// Upgrade: websocket, Connection: Upgrade and a fresh Sec-WebSocket-Key added, answered 101
// (the codecs translate 101 <-> 200 at the HTTP/2 wire). An HTTP/1.1 server gets exactly
// that request; an HTTP/2 server gets the extended CONNECT if its SETTINGS (waited for, on a
// fresh connection) enabled RFC 8441, else the stream gets an HTTP/1.1 connection of its own
// to the same server (HttpLayer::requestHttp1Server), as a browser would without the proxy. After
// the 101 the stream hands itself to HttpLayer's per-stream WebSocket (startStreamWebSocket) with
// what either side sent meanwhile; any other answer goes to the client as an ordinary response (a
// 2xx that is no 101 becomes 502). The reverse: an HTTP/1.1 client's WebSocket upgrade to an HTTP/2
// server goes as extended CONNECT when the server enables RFC 8441 (its 200 becomes a 101 with the
// Sec-WebSocket-Accept the client's key calls for) and the client's connection then belongs
// to that stream's WebSocket; without RFC 8441 it goes as before (a plain GET over HTTP/2).
// While a hook or a connection is pending, later events for this stream wait in a queue
// (CONVENTIONS 3): sibling streams carry on.

#include "flow/flow.h"
#include "layers/http/http_events.h"
#include "proxy/event.h"

#include <deque>

namespace spyglass::layers {

class HttpLayer;

class HttpStream
{
public:
    HttpStream(HttpLayer& layer, int streamId);

    int streamId() const { return m_streamId; }
    const HttpFlowPtr& flow() const { return m_flow; }
    bool finished() const { return m_done; }
    ConnectionPtr serverConnection() const { return m_server; }

    // An HttpEvent from the client codec (requests) or this stream's server codec (responses).
    void deliver(const http::HttpEvent& event);
    // The reply to a command this stream issued (HookCompleted, OpenConnectionCompleted).
    void deliverReply(const proxy::Event& event);
    // A server connection for this stream is ready (error empty) or could not be had.
    void onServerConnection(const ConnectionPtr& conn, const QString& error);
    // The client went away; the exchange is abandoned.
    void onClientGone(const QString& why);

private:
    enum class Wait : quint8
    {
        Nothing,
        Hook,
        Connection
    };

    void process(const http::HttpEvent& event);
    void drain();

    void onRequestHeaders(const http::RequestHeaders& e);
    void afterRequestHeadersHook();
    void onRequestData(const QByteArray& data);
    void onRequestTrailers(const Headers& trailers);
    void onRequestEnd();
    void afterRequestHook();
    void onResponseHeaders(const http::ResponseHeaders& e);
    void afterResponseHeadersHook();
    void onResponseData(const QByteArray& data);
    void onResponseEnd();
    void afterResponseHook();
    void afterErrorHook();

    void startRequestStreaming();
    void startResponseStreaming();
    void connectToServer();
    void sendRequestHead();
    void sendBufferedRequest();
    void sendResponseToClient();
    void sendConnectEstablished();
    bool resolveDestination(QString& error);
    // RFC 8441: the extended CONNECT's request becomes the HTTP/1.1 upgrade (see the top).
    bool startExtendedConnect();
    void onTunnelData(const http::HttpEvent& event);

    // Ends the exchange with an error: tells the client (status != 0, if it can still be
    // told anything), records the error on the flow and runs the error hook.
    void fail(const QString& message, int status);
    // A hook set flow->error (an addon killed the flow): end it without answering.
    void kill();
    void runHook(proxy::HookKind kind);
    bool wantsHook(proxy::HookKind kind) const;
    bool authorize();
    void finish();

    HttpLayer& m_layer;
    const int m_streamId;
    HttpFlowPtr m_flow;
    ConnectionPtr m_server;

    Wait m_wait = Wait::Nothing;
    proxy::HookKind m_pendingHook = proxy::HookKind::RequestHeaders;
    std::deque<http::HttpEvent> m_queue;

    bool m_requestComplete = false; // the whole request arrived from the client
    bool m_requestHookDone = false;
    bool m_requestStreaming = false;
    bool m_requestHeadSent = false;     // the head went upstream
    bool m_requestSentComplete = false; // everything went upstream
    bool m_responseStreaming = false;
    bool m_responseHeadSent = false; // the response head went to the client
    bool m_responseComplete = false;
    bool m_isConnect = false;
    bool m_failed = false;
    bool m_done = false;
    QByteArray m_pendingRequestData; // body bytes waiting for the upstream connection
    QByteArray m_protocol;           // an extended CONNECT's :protocol (RFC 8441)
    QByteArray m_earlyTunnelData;    // ... and what its client sent before the answer
    bool m_tunnelClientEnded = false;
    QByteArray m_earlyServerData; // an HTTP/2 server's WebSocket bytes before the hand-over
    bool m_tunnelServerEnded = false;
    bool m_reverseUpgrade = false; // an HTTP/1.1 client's upgrade sent as extended CONNECT
    QString m_serverGoneError;     // the server closed while our events were queued
    // Where the request was going when the hooks got it; one may change it (map_remote).
    QByteArray m_hookedScheme;
    QByteArray m_hookedHost;
    quint16 m_hookedPort = 0;
};

} // namespace spyglass::layers
