// Holds requests until a "release" request arrives (mitmproxy's flow.intercept() and
// flow.resume()): a request whose path starts with `hold_prefix` is held (the window lists it
// as intercepted, and can resume, edit or kill it there), every other request passes, and a
// request for `release_path` lets every held one go. Handy to test how an app copes with one
// slow endpoint while the rest answers.
//   spyglass-dump -s examples/scripts/hold_until_release.js --set hold_prefix=/api/slow
//   curl -x localhost:8080 http://example.com/release      # lets them go
var held = [];

function load(loader) {
    loader.addOption("hold_prefix", "str", "/hold", "hold_until_release.js holds requests whose path starts with this.");
    loader.addOption("release_path", "str", "/release", "A request for this path lets every held request go.");
}

function request(flow) {
    var path = flow.request.path;
    if (path === spyglass.options.release_path) {
        var n = 0;
        held.forEach(function (f) { if (f.resume()) n++; }); // false: the window let it go already
        held = [];
        spyglass.log.info("released " + n + " held request(s)");
        flow.response = Response.make(200, "released " + n + "\n", {"Content-Type": "text/plain"});
    } else if (spyglass.options.hold_prefix && path.indexOf(spyglass.options.hold_prefix) === 0) {
        flow.intercept();
        held.push(flow);
    }
}
