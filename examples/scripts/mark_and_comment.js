// Mark and comment flows (mitmproxy's flow.marked and flow.comment): errors get a red mark,
// slow responses a comment with their duration, so the window shows them at a glance.
function response(flow) {
    var seconds = flow.response.timestampEnd - flow.request.timestampStart;
    if (flow.response.status >= 500)
        flow.marked = ":red_circle:";
    if (seconds > 1)
        flow.comment = "slow: " + seconds.toFixed(2) + " s";
}
