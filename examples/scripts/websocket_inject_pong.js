// Inject WebSocket messages (mitmproxy examples/addons/websocket-inject-message.py and its
// inject.websocket command): every text message "ping" from the client is answered by the
// proxy itself with "pong", injected towards the client; the ping still goes on to the server.
function websocket_message(flow) {
    var message = flow.websocket.lastMessage;
    if (message.fromClient && message.isText && message.text === "ping")
        spyglass.inject.websocket(flow, true, "pong");
}
