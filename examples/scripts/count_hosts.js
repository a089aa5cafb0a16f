// Count requests per host and report the counts (mitmproxy examples/addons/anatomy.py, which
// counts flows). Each response carries the count so far in X-Host-Count; `done` logs the
// totals when the proxy stops.
var counts = {};

function request(flow) {
    var host = flow.request.host;
    counts[host] = (counts[host] || 0) + 1;
    flow.metadata.count = counts[host];
}

function response(flow) {
    flow.response.headers.set("X-Host-Count", String(flow.metadata.count));
}

function done() {
    Object.keys(counts).forEach(function (host) {
        spyglass.log.warn("count_hosts.js: " + host + " " + counts[host]);
    });
}
