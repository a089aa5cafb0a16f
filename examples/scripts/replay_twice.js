// Sends matching requests a second time (mitmproxy's client replay from an addon): each
// request whose path starts with `replay_prefix` is replayed once, with X-Replay-Check: 1, as
// a new flow marked as a replay (`~replayq` in filters). Replays skip this hook, or the script
// would replay its own replays forever. Useful to check that an endpoint is idempotent.
//   spyglass-dump -s examples/scripts/replay_twice.js --set replay_prefix=/api/
function load(loader) {
    loader.addOption("replay_prefix", "str", "", "replay_twice.js replays requests whose path starts with this (empty: none).");
}

function request(flow) {
    var prefix = spyglass.options.replay_prefix;
    if (flow.isReplay || !prefix || flow.request.path.indexOf(prefix) !== 0)
        return;
    var original = flow.request.headers.get("X-Replay-Check");
    flow.request.headers.set("X-Replay-Check", "1");
    var id = spyglass.replay(flow); // a copy of the request as it is now
    flow.request.headers.set("X-Replay-Check", original); // null removes it: the original is unchanged
    spyglass.log.info("replayed " + flow.request.url + " as " + id);
}
