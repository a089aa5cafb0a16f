// A custom option (mitmproxy examples/addons/options-simple.py and options-configure.py): the
// option shows in --options, takes --set, and `configure` sees every change.
//   spyglass-dump -s examples/scripts/custom_option.js --set add_header=yes-please
var value = null;

function load(loader) {
    loader.addOption("add_header", "str", "", "When set, custom_option.js adds X-Custom with this value.");
}

function configure(updated) {
    if (updated.indexOf("add_header") >= 0) {
        value = spyglass.options.add_header;
        spyglass.log.info("custom_option.js: add_header is now '" + value + "'");
    }
}

function request(flow) {
    if (value)
        flow.request.headers.set("X-Custom", value);
}
