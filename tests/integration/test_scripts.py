#!/usr/bin/python3
"""Scripts (docs/scripting.md) through the real spyglass-dump with curl and python websockets:
every example in examples/scripts/ is loaded with -s and its effect is checked on the wire (a
header set in `request` reaches the origin, a `response` rewrite reaches the client, an answer
made by a script needs no server); a throwing, a looping and a slow script each leave traffic
flowing and are reported with file and line; a script reloads when its file changes; a syntax
error at start-up is one stderr line and exit 2; script options show in --options."""

import asyncio
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402

try:
    import websockets  # noqa: E402
except ImportError:
    websockets = None

SRC = os.environ.get("SPYGLASS_SOURCE_DIR",
                     os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXAMPLES = os.path.join(SRC, "examples", "scripts")


def example(name):
    return os.path.join(EXAMPLES, name)


def scripts(*names, sets=()):
    out = []
    for n in names:
        out += ["-s", n if os.path.isabs(n) else example(n)]
    for s in sets:
        out += ["--set", s]
    return out


def echo_headers(r):
    check_eq(r.status, 200, f"echo status ({r!r})")
    data = json.loads(r.body)
    return {k.lower(): v for k, v in data["headers"]}, data


def dead_url(path, host=T.HOST):
    return f"http://{host}:{T.free_port()}{path}"


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def wait_for(predicate, what, timeout=10):
    deadline = time.monotonic() + timeout
    while not predicate():
        check(time.monotonic() < deadline, f"timed out waiting for {what}")
        time.sleep(0.1)


@case(spyglass_only=True)
def every_example_loads(env):
    names = sorted(n for n in os.listdir(EXAMPLES) if n.endswith(".js"))
    check(len(names) >= 10, f"at least ten examples: {names}")
    for n in names:
        # Nothing is written into the source tree (log_to_file.js's default is next to it).
        sets = [f"log_file={os.path.join(env.tmp, 'every.log')}"] if n == "log_to_file.js" else []
        p = env.new_proxy(scripts(n, sets=sets), name=n.replace(".js", ""))
        r = T.curl(env.origin.url("/echo/alive"), proxy=p)
        check_eq(r.status, 200, f"{n}: traffic flows ({r!r})")
        err = p.stderr()
        check("Error" not in err and ".js:" not in err, f"{n}: errors on stderr: {err!r}")
        p.stop()


@case(spyglass_only=True)
def add_header_reaches_origin_and_client(env):
    p = env.new_proxy(scripts("add_header.js"))
    r = T.curl(env.origin.url("/echo/h"), proxy=p)
    headers, _ = echo_headers(r)
    check_eq(headers.get("x-spyglass"), "hello from a script", "header set in request")
    check_eq(r.header("X-Response-Count"), "1", "header added in response")


@case(spyglass_only=True)
def block_host_answers_without_server(env):
    p = env.new_proxy(scripts("block_host.js", sets=["blocked_hosts=blocked.test,ads.test"]))
    r = T.curl(dead_url("/x", host="ads.test"), proxy=p)
    check_eq(r.status, 403, f"blocked host ({r!r})")
    check(b"Blocked by block_host.js" in r.body, f"body {r.body!r}")
    ok = T.curl(env.origin.url("/echo/fine"), proxy=p)
    check_eq(ok.status, 200, "other hosts pass")


@case(spyglass_only=True)
def rewrite_json_reaches_client(env):
    p = env.new_proxy(scripts("rewrite_json.js"))
    r = T.curl(env.origin.url("/echo/json"), proxy=p)
    check_eq(r.status, 200, f"status ({r!r})")
    data = json.loads(r.body)
    check_eq(data.get("rewritten"), True, "JSON rewritten by the script")
    check_eq(data.get("path"), "/echo/json", "the rest kept")


@case(spyglass_only=True)
def map_local_serves_file(env):
    p = env.new_proxy(scripts("map_local.js"))
    r = T.curl(dead_url("/files/local.txt"), proxy=p)
    check_eq(r.status, 200, f"mapped ({r!r})")
    with open(example("local.txt"), "rb") as f:
        check_eq(r.body, f.read(), "the local file")


@case(spyglass_only=True)
def log_to_file_writes_lines(env):
    log = os.path.join(env.tmp, "flows.log")
    p = env.new_proxy(scripts("log_to_file.js", sets=[f"log_file={log}"]))
    url = env.origin.url("/echo/logged")
    check_eq(T.curl(url, proxy=p).status, 200, "request")
    wait_for(lambda: os.path.exists(log) and url in open(log).read(), "the log line")
    line = open(log).read().splitlines()[0]
    check(f"GET {url} 200" in line, f"log line {line!r}")


@case(spyglass_only=True)
def count_hosts_counts(env):
    p = env.new_proxy(scripts("count_hosts.js"))
    counts = [T.curl(env.origin.url(f"/echo/{i}"), proxy=p).header("X-Host-Count")
              for i in range(3)]
    check_eq(counts, ["1", "2", "3"], "per-host counts")
    p.stop()
    check(f"count_hosts.js: {T.HOST} 3" in p.stderr(), f"done() totals: {p.stderr()!r}")


@case(spyglass_only=True)
def redirect_changes_destination(env):
    p = env.new_proxy(scripts("redirect.js", sets=[f"redirect_to={T.HOST}:{env.origin.port}"]))
    r = T.curl("http://redirect.test/echo/moved", proxy=p)
    headers, data = echo_headers(r)
    check_eq(data["path"], "/echo/moved", "reached the origin")
    check_eq(headers.get("host"), f"{T.HOST}:{env.origin.port}", "Host header follows")


@case(spyglass_only=True)
def answer_from_script(env):
    p = env.new_proxy(scripts("answer.js"))
    r = T.curl(dead_url("/spyglass/hello?name=tester"), proxy=p)
    check_eq(r.status, 200, f"answered ({r!r})")
    check_eq(json.loads(r.body), {"hello": "tester", "via": "answer.js"}, "JSON answer")
    check_eq(r.header("Content-Type"), "application/json", "content type")


@case(spyglass_only=True)
def custom_option_from_set(env):
    p = env.new_proxy(scripts("custom_option.js", sets=["add_header=yes-please"]))
    headers, _ = echo_headers(T.curl(env.origin.url("/echo/opt"), proxy=p))
    check_eq(headers.get("x-custom"), "yes-please", "option value in the header")
    r = T.run([T.proxy_exe(), "-s", example("custom_option.js"), "--options"])
    check("add_header (str, default: )" in r.stdout.decode(), "--options lists the script's option")


@case(spyglass_only=True)
def kill_flows_closes(env):
    p = env.new_proxy(scripts("kill_flows.js"))
    r = T.curl(dead_url("/kill/me"), proxy=p)
    check_eq(r.status, 0, f"no answer ({r!r})")
    check_eq(T.curl(env.origin.url("/echo/alive"), proxy=p).status, 200, "others pass")


@case(spyglass_only=True)
def mark_and_comment_loads(env):
    p = env.new_proxy(scripts("mark_and_comment.js"))
    check_eq(T.curl(env.origin.url("/status/503"), proxy=p).status, 503, "passes through")


class EchoServer:
    """A websockets echo server on its own event loop thread."""

    def __init__(self):
        self.received = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.port = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)

    async def _start(self):
        self.server = await websockets.serve(self._handler, T.HOST, 0)
        return self.server.sockets[0].getsockname()[1]

    async def _handler(self, ws, path=None):
        try:
            async for message in ws:
                self.received.append(message)
                await ws.send(message)
        except websockets.ConnectionClosed:
            pass

    def stop(self):
        async def close():
            self.server.close()
            await self.server.wait_closed()
        asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)


@case(spyglass_only=True)
def websocket_messages_modified(env):
    check(websockets is not None, "python3-websockets is not installed")
    server = EchoServer()
    try:
        p = env.new_proxy(scripts("websocket_upper.js"))

        async def talk():
            sock = T.tunnel(p.port, T.HOST, server.port)
            sock.setblocking(False)
            ws = await websockets.connect(f"ws://{T.HOST}:{server.port}/", sock=sock)
            await ws.send("hello")
            first = await asyncio.wait_for(ws.recv(), 10)
            await ws.send("drop me")
            await ws.send("again")
            second = await asyncio.wait_for(ws.recv(), 10)
            await ws.close()
            return first, second
        first, second = asyncio.run(talk())
        check_eq(first, "HELLO", "upper-cased on the way")
        check_eq(second, "AGAIN", "the dropped message never arrived")
        check_eq(server.received, ["HELLO", "AGAIN"], "what the server received")
    finally:
        server.stop()


@case(spyglass_only=True)
def failing_scripts_leave_traffic_flowing(env):
    throwing = os.path.join(env.tmp, "throwing.js")
    write(throwing, "function request(flow) {\n"
                    "  flow.request.headers.set('X-Half', 'done');\n"
                    "  throw new Error('boom');\n"
                    "}\n")
    looping = os.path.join(env.tmp, "looping.js")
    write(looping, "\nfunction request(flow) { while (true) {} }\n")
    slow = os.path.join(env.tmp, "slow.js")
    write(slow, "function response(flow) {\n"
                "  var t = Date.now(); while (Date.now() - t < 300) {}\n"
                "  flow.response.headers.set('X-Slow', 'yes');\n"
                "}\n")
    p = env.new_proxy(scripts(throwing, looping, slow, sets=["script_timeout=500"]))
    r = T.curl(env.origin.url("/echo/survive"), proxy=p)
    headers, _ = echo_headers(r)
    check("x-half" not in headers, "the throwing hook changed nothing")
    check_eq(r.header("X-Slow"), "yes", "a slow hook under the timeout still applies")
    wait_for(lambda: "throwing.js:3: request: Error: boom" in p.stderr(), "the exception report")
    wait_for(lambda: "looping.js:2: request ran longer than 500 ms" in p.stderr(),
             "the timeout report")
    check_eq(T.curl(env.origin.url("/echo/again"), proxy=p).status, 200, "still flowing")


@case(spyglass_only=True)
def reload_on_change(env):
    path = os.path.join(env.tmp, "reload.js")
    write(path, "function request(flow) { flow.request.headers.set('X-Version', '1'); }\n")
    p = env.new_proxy(scripts(path))
    headers, _ = echo_headers(T.curl(env.origin.url("/echo/v1"), proxy=p))
    check_eq(headers.get("x-version"), "1", "first version")
    time.sleep(0.2)
    write(path, "function request(flow) { flow.request.headers.set('X-Version', '2'); }\n")

    def second():
        h, _ = echo_headers(T.curl(env.origin.url("/echo/v2"), proxy=p))
        return h.get("x-version") == "2"
    wait_for(second, "the reloaded version")


@case(spyglass_only=True)
def syntax_error_at_startup(env):
    path = os.path.join(env.tmp, "broken.js")
    write(path, "function ok() {}\nfunction request(flow {\n")
    r = T.run([T.proxy_exe(), "-s", path, "-p", "0"], timeout=30)
    err = r.stderr.decode()
    lines = [ln for ln in err.splitlines() if ln.strip()]
    check_eq(r.returncode, 2, f"exit code ({err!r})")
    check_eq(len(lines), 1, f"one line ({err!r})")
    check(f"{path}:2: SyntaxError" in lines[0], f"file and line: {lines[0]!r}")
    r = T.run([T.proxy_exe(), "--set", "no_such_option=1", "-s", example("add_header.js"),
               "-p", "0"], timeout=30)
    check_eq(r.returncode, 2, "an option no script adds is still an error")
    check("no_such_option" in r.stderr.decode(), f"names it: {r.stderr!r}")


def curl_in_background(url, proxy, timeout=30):
    """Starts curl on a thread; returns (thread, result dict filled with "r" when it ends)."""
    out = {}

    def go():
        out["r"] = T.curl(url, proxy=proxy, timeout=timeout)
    t = threading.Thread(target=go, daemon=True)
    t.start()
    return t, out


@case(spyglass_only=True)
def intercept_from_script_holds_until_resumed(env):
    # flow.intercept() holds /held; another request passes meanwhile; a request for /release
    # resumes it from its own hook (flow.resume() on the kept flow), and the first curl ends
    # with the header the intercepting hook set.
    path = os.path.join(env.tmp, "hold.js")
    write(path, "var held = [];\n"
                "function request(flow) {\n"
                "  var p = flow.request.path;\n"
                "  if (p.indexOf('/echo/held') === 0) {\n"
                "    flow.request.headers.set('X-Held', 'yes');\n"
                "    flow.intercept();\n"
                "    held.push(flow);\n"
                "    spyglass.log.warn('holding ' + p);\n"
                "  } else if (p.indexOf('/echo/release') === 0) {\n"
                "    held.forEach(function (f) {\n"
                "      spyglass.log.warn('was held ' + f.intercepted + ', resumed ' + f.resume());\n"
                "    });\n"
                "    held = [];\n"
                "  }\n"
                "}\n")
    p = env.new_proxy(scripts(path))
    held_url = env.origin.url("/echo/held")
    t, out = curl_in_background(held_url, p)
    wait_for(lambda: "holding /echo/held" in p.stderr(), "the script to hold the flow")
    other = T.curl(env.origin.url("/echo/other"), proxy=p, timeout=10)
    check_eq(other.status, 200, f"another request passes while one is held ({other!r})")
    time.sleep(0.3)
    check(t.is_alive(), "the held request is still waiting")
    check(not any(m.group("url") == held_url for m in T.dump_lines(p)), "not printed yet")
    check_eq(T.curl(env.origin.url("/echo/release"), proxy=p, timeout=10).status, 200,
             "the releasing request")
    t.join(20)
    check(not t.is_alive(), "the held request completed after the resume")
    headers, _ = echo_headers(out["r"])
    check_eq(headers.get("x-held"), "yes", "the intercepting hook's change reached the origin")
    check("was held true, resumed true" in p.stderr(), f"resume() reported: {p.stderr()!r}")
    # The dump line comes once the finished flow reaches the main thread, a moment after curl.
    wait_for(lambda: any(m.group("url") == held_url for m in T.dump_lines(p)),
             "the held flow's dump line")
    urls = [m.group("url") for m in T.dump_lines(p)]
    check(urls.index(env.origin.url("/echo/other")) < urls.index(held_url),
          f"the other flow finished first: {urls}")


@case(spyglass_only=True)
def intercept_from_script_then_intercept_option_after_resume(env):
    # A script holds the flow and resumes it from a later hook of another script; the
    # `intercept` option (which runs after the scripts) then holds the same flow again, and
    # SIGTERM releases what is still held without hanging.
    holder = os.path.join(env.tmp, "holder.js")
    write(holder, "function request(flow) {\n"
                  "  if (flow.request.path === '/echo/twice') { flow.intercept(); held = flow; }\n"
                  "}\n"
                  "var held = null;\n"
                  "function response(flow) {\n"
                  "  if (held && flow.request.path === '/echo/go') {\n"
                  "    spyglass.log.warn('go ' + held.resume());\n"
                  "    held = null;\n"
                  "  }\n"
                  "}\n")
    p = env.new_proxy(scripts(holder, sets=["intercept=~q & ~u /echo/twice"]))
    t, out = curl_in_background(env.origin.url("/echo/twice"), p, timeout=20)
    time.sleep(0.5)
    check_eq(T.curl(env.origin.url("/echo/go"), proxy=p, timeout=10).status, 200, "go")
    wait_for(lambda: "go true" in p.stderr(), "the resume from a response hook")
    time.sleep(0.3)
    check(t.is_alive(), "held again by the intercept option after the script released it")
    check_eq(p.stop(), 0, "exit code with a held flow")
    t.join(20)
    check(not t.is_alive(), "the held client is let go at exit")


@case(spyglass_only=True)
def replay_from_request_hook(env):
    # spyglass.replay in `request` sends the edited request again as a new flow marked as a
    # replay; the replay's own hook sees flow.isReplay === "request" and does not replay again.
    path = os.path.join(env.tmp, "replay.js")
    write(path, "function request(flow) {\n"
                "  if (flow.isReplay) {\n"
                "    flow.request.headers.set('X-Replay-Kind', flow.isReplay);\n"
                "    return;\n"
                "  }\n"
                "  if (flow.request.path.indexOf('/echo/replayme') !== 0) return;\n"
                "  flow.request.headers.set('X-Edited', 'before the replay');\n"
                "  spyglass.log.warn('replay id ' + spyglass.replay(flow));\n"
                "}\n")
    save = os.path.join(env.tmp, "replayed.sgs")
    env.origin.reset()
    p = env.new_proxy(scripts(path) + ["-w", save])
    url = env.origin.url("/echo/replayme")
    r = T.curl(url, "--data-binary", "body kept", proxy=p)
    headers, data = echo_headers(r)
    check_eq(headers.get("x-edited"), "before the replay", "the original flow")
    check("x-replay-kind" not in headers, "the original is not a replay")
    T.wait_dump_line(p, url, count=2, error=False)
    wait_for(lambda: "replay id " in p.stderr(), "the id logged")
    time.sleep(0.3)
    check_eq(len(T.wait_dump_line(p, url)), 2, "exactly one replay (no loop)")
    with env.origin.lock:
        got = [q for q in env.origin.requests if q["path"] == "/echo/replayme"]
    check_eq(len(got), 2, "the origin got the request twice")
    kinds = sorted(dict((k.lower(), v) for k, v in q["headers"]).get("x-replay-kind", "-")
                   for q in got)
    check_eq(kinds, ["-", "request"], "one of them is the replay")
    check(all(dict((k.lower(), v) for k, v in q["headers"]).get("x-edited") == "before the replay"
              for q in got), "the replay carries the edit made before spyglass.replay")
    check(all(q["body_len"] == len("body kept") for q in got), "bodies")
    check_eq(p.stop(), 0, "exit code")
    replays = T.run([T.proxy_exe(), "-n", "-r", save, "~replayq"])
    lines = [m for m in (T.DUMP_RE.match(ln) for ln in replays.stdout.decode().splitlines()) if m]
    check_eq([m.group("url") for m in lines], [url], "the session holds one replay")
    originals = T.run([T.proxy_exe(), "-n", "-r", save, "!~replayq"])
    lines = [m for m in (T.DUMP_RE.match(ln) for ln in originals.stdout.decode().splitlines()) if m]
    check_eq([m.group("url") for m in lines], [url], "and one original")


@case(spyglass_only=True)
def two_scripts_both_edit_the_request(env):
    # The second script runs on the flow as the first one left it: both headers arrive.
    first = os.path.join(env.tmp, "first.js")
    write(first, "function request(flow) { flow.request.headers.set('X-First', '1'); }\n")
    second = os.path.join(env.tmp, "second.js")
    write(second, "function request(flow) {\n"
                  "  flow.request.headers.set('X-Second', 'saw ' + flow.request.headers.get('X-First'));\n"
                  "}\n")
    p = env.new_proxy(scripts(first, second))
    headers, _ = echo_headers(T.curl(env.origin.url("/echo/both"), proxy=p))
    check_eq(headers.get("x-first"), "1", "the first script's header")
    check_eq(headers.get("x-second"), "saw 1", "the second script saw it")


@case(spyglass_only=True)
def hold_until_release_example(env):
    p = env.new_proxy(scripts("hold_until_release.js", sets=["hold_prefix=/echo/slow"]))
    t, out = curl_in_background(env.origin.url("/echo/slow/1"), p)
    time.sleep(0.5)
    check_eq(T.curl(env.origin.url("/echo/fast"), proxy=p, timeout=10).status, 200, "fast passes")
    check(t.is_alive(), "the slow one is held")
    r = T.curl(env.origin.url("/release"), proxy=p, timeout=10)
    check_eq((r.status, r.body), (200, b"released 1\n"), "the release answer")
    t.join(20)
    check(not t.is_alive() and out["r"].status == 200, "the held request completed")


@case(spyglass_only=True)
def intercept_resumed_by_a_timer(env):
    # flow.intercept() with spyglass.setTimeout(flow.resume): the request is held about a
    # second while another one passes at once.
    path = os.path.join(env.tmp, "delay.js")
    write(path, "function request(flow) {\n"
                "  if (flow.request.path !== '/echo/delayed') return;\n"
                "  flow.intercept();\n"
                "  spyglass.setTimeout(function () { flow.resume(); }, 1000);\n"
                "}\n")
    p = env.new_proxy(scripts(path))
    start = time.monotonic()
    t, out = curl_in_background(env.origin.url("/echo/delayed"), p)
    time.sleep(0.2)
    quick = T.curl(env.origin.url("/echo/quick"), proxy=p, timeout=10)
    check(quick.status == 200 and time.monotonic() - start < 0.9, f"others pass at once ({quick!r})")
    t.join(20)
    took = time.monotonic() - start
    check(not t.is_alive() and out["r"].status == 200, "the delayed request completed")
    check(took >= 0.95, f"held about a second ({took:.2f}s)")
CONNECTION_HOOKS_JS = """
function client_connected(client) { spyglass.log.warn("hook client_connected #" + client.id); }
function server_connect(data) {
    spyglass.log.warn("hook server_connect " + data.server.address + " for #" + data.client.id);
    if (data.server.port === REFUSED_PORT)
        data.server.error = "refused by connection_hooks.js";
}
function server_connected(data) { spyglass.log.warn("hook server_connected " + data.server.address); }
function server_disconnected(data) {
    spyglass.log.warn("hook server_disconnected " + data.server.address +
                      (data.server.timestampEnd > 0 ? " ended" : " open"));
}
function client_disconnected(client) { spyglass.log.warn("hook client_disconnected #" + client.id); }
"""


def hook_lines(p):
    return [ln[ln.index("hook "):] for ln in p.stderr().splitlines() if "hook " in ln]


@case(spyglass_only=True)
def connection_hooks_in_order(env):
    path = os.path.join(env.tmp, "connection_hooks.js")
    write(path, CONNECTION_HOOKS_JS.replace("REFUSED_PORT", "0"))
    p = env.new_proxy(scripts(path))
    urls = [env.origin.url("/echo/first"), env.origin.url("/echo/second")]
    r, infos, _ = T.curl_many(urls, proxy=p)
    check_eq([i.get("http_code") for i in infos], [200, 200], f"both answered ({r.stderr!r})")
    wait_for(lambda: any("client_disconnected" in ln for ln in hook_lines(p)),
             "client_disconnected")
    lines = hook_lines(p)
    server = f"{T.HOST}:{env.origin.port}"
    client_id = lines[0].rsplit("#", 1)[-1]
    check_eq(lines, [f"hook client_connected #{client_id}",
                     f"hook server_connect {server} for #{client_id}",
                     f"hook server_connected {server}",
                     f"hook server_disconnected {server} ended",
                     f"hook client_disconnected #{client_id}"],
             "one keep-alive connection, two requests: each hook once, in order")


@case(spyglass_only=True)
def server_connect_error_refuses(env):
    path = os.path.join(env.tmp, "connection_hooks.js")
    write(path, CONNECTION_HOOKS_JS.replace("REFUSED_PORT", str(env.origin.port)))
    p = env.new_proxy(scripts(path))
    r = T.curl(env.origin.url("/echo/refused"), proxy=p)
    check_eq(r.status, 502, f"refused ({r!r})")
    check(b"refused by connection_hooks.js" in r.body, f"the script's message: {r!r}")
    wait_for(lambda: any("client_disconnected" in ln for ln in hook_lines(p)),
             "client_disconnected")
    kinds = [ln.split()[1] for ln in hook_lines(p)]
    check_eq(kinds, ["client_connected", "server_connect", "client_disconnected"],
             "a refused connect never connects, so never disconnects")
    dead = dead_url("/dead")
    r = T.curl(dead, proxy=p)
    check_eq(r.status, 502, f"a dead upstream ({r!r})")


if __name__ == "__main__":
    T.main()
