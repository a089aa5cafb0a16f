// Change raw TCP traffic on the wire (mitmproxy examples/addons/tcp-simple.py): every chunk
// the server sends has "foo" replaced by "bar", and a chunk the client sends that starts with
// "DROP" is not forwarded.
function tcp_message(flow) {
    var message = flow.tcp.lastMessage;
    if (message.fromClient) {
        if (message.text.indexOf("DROP") === 0)
            message.drop();
    } else {
        message.text = message.text.split("foo").join("bar");
    }
}
