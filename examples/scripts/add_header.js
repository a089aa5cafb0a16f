// Add a header to every request and every response (mitmproxy examples/addons/http-add-header.py).
//   spyglass-dump -s examples/scripts/add_header.js
var count = 0;

function request(flow) {
    flow.request.headers.set("X-Spyglass", "hello from a script");
}

function response(flow) {
    count += 1;
    flow.response.headers.add("X-Response-Count", String(count));
}
