// Serve a local file instead of the server's answer (mitmproxy's map_local option, as a
// script): a request whose path ends in /local.txt is answered with local.txt, read from
// next to this script.
function request(flow) {
    if (!/\/local\.txt$/.test(flow.request.path.split("?")[0]))
        return;
    var body = spyglass.readFile("local.txt");
    if (body === null) {
        spyglass.log.warn("map_local.js: local.txt is missing");
        return;
    }
    flow.response = Response.make(200, body, {"Content-Type": "text/plain; charset=utf-8"});
}
