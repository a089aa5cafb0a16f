#!/usr/bin/python3
"""WebSocket interception: a real `websockets` (10.4, Debian's python3-websockets) client and
echo server talk through the proxy, ws:// through a CONNECT tunnel and wss:// intercepted with
the proxy's CA. Text, binary, a 100 KB message, compressed (permessage-deflate, the library's
default) and uncompressed connections, ping/pong, a close with code 4000 "bye" from the client
and one from the server; then the dump line, the -w session (read back with -r) and the --har
file must hold the messages. Also: with --set websocket=false the connection is relayed
untouched and no WebSocket message is recorded (the bytes become a raw TCP flow)."""

import asyncio
import base64
import json
import os
import random
import re
import ssl
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402

try:
    import websockets  # noqa: E402
except ImportError:  # reported as a failure of every case, with the remedy
    websockets = None

TIMEOUT = 15
BINARY = bytes(range(256)) * 2
BIG = random.Random(6455).randbytes(100 * 1000)
COMPRESSIBLE = "spyglass sees every frame " * 2000

WS_LINE = re.compile(
    r"^(?P<client>\S+:\d+) GET (?P<url>\S+) HTTP/1\.1 -> 101 Switching Protocols \S+ \S+"
    r"(?: websocket (?P<count>\d+) messages?(?:, closed by (?P<by>client|server) (?P<code>\d+)"
    r"(?: \"(?P<reason>.*)\")?)?)?$")


def need_websockets():
    check(websockets is not None,
          "python3-websockets is not installed (./dev.sh deps installs it)")


class EchoServer:
    """A websockets server on its own event loop thread: echoes every message; on the text
    "server-close" it closes with 4001 "server bye". Records the extensions it agreed."""

    def __init__(self, tls=None, compression="deflate"):
        self.extensions = []
        self.received = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        ctx = None
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
        self.scheme = "wss" if tls else "ws"
        fut = asyncio.run_coroutine_threadsafe(self._start(ctx, compression), self.loop)
        self.port = fut.result(TIMEOUT)

    async def _start(self, ctx, compression):
        self.server = await websockets.serve(self._handler, T.HOST, 0, ssl=ctx,
                                             compression=compression, max_size=None)
        return self.server.sockets[0].getsockname()[1]

    async def _handler(self, ws, path=None):
        self.extensions.append(ws.response_headers.get("Sec-WebSocket-Extensions"))
        try:
            async for message in ws:
                self.received.append(message)
                if message == "server-close":
                    await ws.close(4001, "server bye")
                    return
                await ws.send(message)
        except websockets.ConnectionClosed:
            pass  # codes other than 1000/1001 end the loop with an exception

    def stop(self):
        async def close():
            self.server.close()
            await self.server.wait_closed()
        try:
            asyncio.run_coroutine_threadsafe(close(), self.loop).result(TIMEOUT)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(TIMEOUT)


async def talk(proxy, host, server, compression="deflate", cafile=None, close_by="client"):
    """One WebSocket session through a CONNECT tunnel. Returns the client's view: the echoed
    messages and the close code/reason it saw."""
    sock = T.tunnel(proxy.port, host, server.port)
    sock.setblocking(False)
    ctx = ssl.create_default_context(cafile=cafile) if cafile else None
    uri = f"{server.scheme}://{host}:{server.port}/chat?room=1"
    kwargs = {"ssl": ctx, "server_hostname": host} if ctx else {}
    ws = await asyncio.wait_for(
        websockets.connect(uri, sock=sock, compression=compression, max_size=None,
                           open_timeout=TIMEOUT, close_timeout=TIMEOUT, **kwargs), TIMEOUT)
    echoed = []
    try:
        for message in ("hello", BINARY, BIG, COMPRESSIBLE):
            await ws.send(message)
            echoed.append(await asyncio.wait_for(ws.recv(), TIMEOUT))
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, TIMEOUT)
        if close_by == "client":
            await asyncio.wait_for(ws.close(4000, "bye"), TIMEOUT)
        else:
            await ws.send("server-close")
            await asyncio.wait_for(ws.wait_closed(), TIMEOUT)
    finally:
        await ws.close()
    return {"echoed": echoed, "code": ws.close_code, "reason": ws.close_reason,
            "extensions": ws.response_headers.get("Sec-WebSocket-Extensions")}


def run_session(*args, **kwargs):
    return asyncio.run(talk(*args, **kwargs))


def check_echo(view):
    check_eq(len(view["echoed"]), 4, "echoed messages")
    check_eq(view["echoed"][0], "hello", "echoed text")
    check_eq(view["echoed"][1], BINARY, "echoed binary")
    check(view["echoed"][2] == BIG, "the 100 KB message came back changed")
    check(view["echoed"][3] == COMPRESSIBLE, "the compressible text came back changed")


def wait_ws_line(proxy, url, timeout=TIMEOUT):
    m = proxy.wait_for_stdout(r"-> 101 Switching Protocols .*websocket", timeout=timeout)
    lines = [WS_LINE.match(ln) for ln in proxy.lines()]
    found = [x for x in lines if x and x.group("url") == url and x.group("count")]
    check(found, f"no websocket dump line for {url}; stdout: {proxy.lines()[-5:]} ({m})")
    return found[-1]


def har_entry(path, url):
    with open(path) as f:
        har = json.load(f)
    entries = [e for e in har["log"]["entries"] if e["request"]["url"] == url]
    check_eq(len(entries), 1, f"HAR entries for {url}")
    return entries[0]


def check_har_messages(entry, messages=8):
    check_eq(entry.get("_resourceType"), "websocket", "_resourceType")
    msgs = entry["_webSocketMessages"]
    check_eq(len(msgs), messages, "_webSocketMessages")
    check_eq([m["type"] for m in msgs[:8]], ["send", "receive"] * 4, "message directions")
    check_eq([m["opcode"] for m in msgs[:8]], [1, 1, 2, 2, 2, 2, 1, 1], "message opcodes")
    check_eq(msgs[0]["data"], "hello", "first message")
    check_eq(base64.b64decode(msgs[3]["data"]), BINARY, "binary message (base64)")
    check(base64.b64decode(msgs[4]["data"]) == BIG, "the 100 KB message in the HAR differs")
    check_eq(msgs[7]["data"], COMPRESSIBLE, "decompressed text in the HAR")
    check(all(isinstance(m["time"], float) and m["time"] > 1.6e9 for m in msgs),
          "message times are seconds since the epoch")


@case
def ws_through_connect_compressed(env):
    need_websockets()
    har, save = os.path.join(env.tmp, "ws.har"), os.path.join(env.tmp, "ws.spyglass")
    p = env.new_proxy(["--har", har, "-w", save] if T.SPYGLASS else [])
    server = EchoServer()
    try:
        view = run_session(p, T.HOST, server)
        check_echo(view)
        check_eq((view["code"], view["reason"]), (4000, "bye"), "close seen by the client")
        check("permessage-deflate" in (view["extensions"] or ""),
              f"permessage-deflate was not negotiated: {view['extensions']!r}")
        check_eq(server.received, ["hello", BINARY, BIG, COMPRESSIBLE], "what the server got")
        if not T.SPYGLASS:
            return
        url = f"http://{T.HOST}:{server.port}/chat?room=1"
        line = wait_ws_line(p, url)
        check_eq(line.group("count"), "8", "messages on the dump line")
        check_eq((line.group("by"), line.group("code"), line.group("reason")),
                 ("client", "4000", "bye"), "close on the dump line")
        check_eq(p.stop(), 0, "exit code after SIGTERM")
        entry = har_entry(har, url)
        check_har_messages(entry)
        close = entry.get("_webSocketClose", {})
        check_eq((close.get("code"), close.get("reason"), close.get("closedByClient")),
                 (4000, "bye", True), "_webSocketClose")
        # The session file holds them too: read it back, print and convert it.
        har2 = os.path.join(env.tmp, "from-session.har")
        r = T.run([T.proxy_exe(), "-n", "-r", save, "--har", har2], timeout=30)
        check_eq(r.returncode, 0, f"-r exit code ({T._short(r.stderr)})")
        out = r.stdout.decode()
        check('websocket 8 messages, closed by client 4000 "bye"' in out,
              f"-r did not print the websocket line: {T._short(out)}")
        check_har_messages(har_entry(har2, url))
    finally:
        server.stop()


@case
def ws_uncompressed_closed_by_server(env):
    need_websockets()
    p = env.new_proxy()
    server = EchoServer(compression=None)
    try:
        view = run_session(p, T.HOST, server, compression=None, close_by="server")
        check_echo(view)
        check_eq((view["code"], view["reason"]), (4001, "server bye"), "close seen by the client")
        check_eq(view["extensions"], None, "extensions")
        if not T.SPYGLASS:
            return
        url = f"http://{T.HOST}:{server.port}/chat?room=1"
        line = wait_ws_line(p, url)
        check_eq(line.group("count"), "9", "messages (the 4 echoes, 4 sent, server-close)")
        check_eq((line.group("by"), line.group("code"), line.group("reason")),
                 ("server", "4001", "server bye"), "close on the dump line")
    finally:
        server.stop()


@case
def wss_intercepted(env):
    need_websockets()
    har = os.path.join(env.tmp, "wss.har")
    p = env.new_proxy(["--har", har, *env.trust_test_ca] if T.SPYGLASS else env.trust_test_ca)
    server = EchoServer(tls=(env.ca.leaf_pem, env.ca.leaf_key))
    try:
        view = run_session(p, "localhost", server, cafile=p.ca_file)
        check_echo(view)
        check_eq((view["code"], view["reason"]), (4000, "bye"), "close seen by the client")
        if not T.SPYGLASS:
            return
        url = f"https://localhost:{server.port}/chat?room=1"
        line = wait_ws_line(p, url)
        check_eq(line.group("count"), "8", "messages on the dump line")
        check_eq(p.stop(), 0, "exit code after SIGTERM")
        check_har_messages(har_entry(har, url))
    finally:
        server.stop()


@case(spyglass_only=True)
def websocket_option_off_relays(env):
    need_websockets()
    har = os.path.join(env.tmp, "off.har")
    p = env.new_proxy(["--set", "websocket=false", "--har", har])
    server = EchoServer()
    try:
        view = run_session(p, T.HOST, server)
        check_echo(view)
        check_eq((view["code"], view["reason"]), (4000, "bye"), "close seen by the client")
        url = f"http://{T.HOST}:{server.port}/chat?room=1"
        p.wait_for_stdout(r"-> 101 Switching Protocols", timeout=TIMEOUT)
        check(not any("websocket" in ln for ln in p.lines()),
              f"messages were recorded with websocket=false: {p.lines()[-3:]}")
        check_eq(p.stop(), 0, "exit code after SIGTERM")
        check("_webSocketMessages" not in har_entry(har, url), "HAR has messages")
    finally:
        server.stop()


@case(spyglass_only=True)
def script_injects_pong(env):
    # examples/scripts/websocket_inject_pong.js: a "ping" text from the client is answered by
    # the proxy itself (spyglass.inject.websocket), compressed under permessage-deflate as
    # the client agreed; the ping still reaches the server, whose echo follows.
    need_websockets()
    example = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples",
                           "scripts", "websocket_inject_pong.js")
    p = env.new_proxy(["-s", example])
    server = EchoServer()
    try:
        async def session():
            sock = T.tunnel(p.port, T.HOST, server.port)
            sock.setblocking(False)
            ws = await asyncio.wait_for(
                websockets.connect(f"ws://{T.HOST}:{server.port}/inject", sock=sock,
                                   open_timeout=TIMEOUT, close_timeout=TIMEOUT), TIMEOUT)
            got = []
            try:
                await ws.send("ping")
                got.append(await asyncio.wait_for(ws.recv(), TIMEOUT))
                got.append(await asyncio.wait_for(ws.recv(), TIMEOUT))
                await ws.send("hello")
                got.append(await asyncio.wait_for(ws.recv(), TIMEOUT))
                await asyncio.wait_for(ws.close(1000, "done"), TIMEOUT)
            finally:
                await ws.close()
            return got, ws.response_headers.get("Sec-WebSocket-Extensions")
        got, extensions = asyncio.run(session())
        check("permessage-deflate" in (extensions or ""), f"compression agreed: {extensions}")
        check_eq(got, ["pong", "ping", "hello"], "what the client received")
        check_eq(server.received, ["ping", "hello"], "what the server received")
        url = f"http://{T.HOST}:{server.port}/inject"
        line = wait_ws_line(p, url)
        check_eq(line.group("count"), "5", "messages on the dump line (the injected one too)")
    finally:
        server.stop()


if __name__ == "__main__":
    T.main()
