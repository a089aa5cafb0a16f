// Kill requests whose path contains /kill (mitmproxy's flow.kill()): the client gets no
// answer and the server is never asked.
function request(flow) {
    if (flow.request.path.indexOf("/kill") >= 0)
        flow.kill();
}
