// Modify WebSocket messages (mitmproxy examples/addons/websocket-simple.py): text from the
// client is upper-cased on its way to the server, and a message "drop me" is not forwarded.
function websocket_message(flow) {
    var messages = flow.websocket.messages;
    var message = messages[messages.length - 1];
    if (!message.isText)
        return;
    if (message.text === "drop me")
        message.drop();
    else if (message.fromClient)
        message.text = message.text.toUpperCase();
}
