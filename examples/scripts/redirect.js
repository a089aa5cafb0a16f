// Redirect requests to another server (mitmproxy examples/addons/http-redirect-requests.py):
// requests to redirect.test go to the host and port given by the option redirect_to.
//   spyglass-dump -s examples/scripts/redirect.js --set redirect_to=127.0.0.1:8000
function load(loader) {
    loader.addOption("redirect_to", "str", "127.0.0.1:80",
                     "host:port that redirect.js sends requests for redirect.test to.");
}

function request(flow) {
    if (flow.request.host !== "redirect.test")
        return;
    var target = spyglass.options.redirect_to.split(":");
    flow.request.host = target[0];
    flow.request.port = Number(target[1] || 80);
}
