// Connection hooks (docs/scripting.md): refuse some servers before they are contacted, and
// log how long each server connection lived.
//   spyglass-dump -s examples/scripts/server_connections.js
// A request to a refused server gets a 502 naming the reason; the server sees nothing.

var refused = ["blocked.example", "ads.example"];

function server_connect(data) {
    if (refused.indexOf(data.server.host) >= 0)
        data.server.error = "refused by server_connections.js";
}

function server_disconnected(data) {
    var s = data.server;
    spyglass.log.info(data.client.address + " -> " + s.address + ": open for " +
                      ((s.timestampEnd - s.timestampStart) * 1000).toFixed(0) + " ms");
}
