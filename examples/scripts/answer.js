// Answer from the script without a server (mitmproxy examples/addons/http-reply-from-proxy.py):
// requests to /spyglass/hello get a JSON answer made here.
function request(flow) {
    if (flow.request.path.split("?")[0] !== "/spyglass/hello")
        return;
    var name = flow.request.query.name || "world";
    flow.response = Response.make(200, {hello: name, via: "answer.js"});
}
