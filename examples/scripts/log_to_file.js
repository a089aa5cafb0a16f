// Log every finished exchange to a file, one line each (mitmproxy examples/addons/
// io-write-flow-file.py, as text). The file is named by the option log_file (relative paths
// are taken from this script's directory).
//   spyglass-dump -s examples/scripts/log_to_file.js --set log_file=/tmp/flows.log
function load(loader) {
    loader.addOption("log_file", "str", "flows.log", "Where log_to_file.js appends its lines.");
}

function response(flow) {
    var line = [new Date(flow.request.timestampStart * 1000).toISOString(), flow.request.method,
                flow.request.url, flow.response.status, flow.response.content.byteLength].join(" ");
    spyglass.appendFile(spyglass.options.log_file, line + "\n");
}

function error(flow) {
    spyglass.appendFile(spyglass.options.log_file,
                        "error " + flow.request.url + " " + flow.error.message + "\n");
}
