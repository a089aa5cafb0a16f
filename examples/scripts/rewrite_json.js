// Rewrite a JSON response body (mitmproxy examples/addons/http-modify-response... with json).
// Every JSON object in the response gets "rewritten": true, and a "greeting" field is
// changed from "world" to "script".
function response(flow) {
    var type = flow.response.headers.get("content-type") || "";
    if (type.indexOf("json") < 0)
        return;
    var data = flow.response.json();
    if (data !== null && typeof data === "object" && !Array.isArray(data)) {
        data.rewritten = true;
        if (typeof data.greeting === "string")
            data.greeting = data.greeting.replace("world", "script");
        flow.response.text = JSON.stringify(data);
    }
}
