// Answer requests to some hosts with 403 without contacting them (mitmproxy's
// examples/addons/filter-flows and the block_list option, as a script).
//   spyglass-dump -s examples/scripts/block_host.js --set blocked_hosts=ads.example,tracker.test
function load(loader) {
    loader.addOption("blocked_hosts", "str", "blocked.test",
                     "Comma-separated host names that block_host.js answers with 403.");
}

function request(flow) {
    var blocked = spyglass.options.blocked_hosts.split(",").map(function (h) { return h.trim(); });
    if (blocked.indexOf(flow.request.host) >= 0) {
        flow.response = Response.make(403, "Blocked by block_host.js\n",
                                      {"Content-Type": "text/plain"});
    }
}
