#!/usr/bin/python3
"""WebSocket over HTTP/2 (RFC 8441 extended CONNECT; mitmproxy lacks it, its issue #4607).
A python-h2 client speaks HTTP/2 to the proxy (CONNECT + TLS, ALPN h2), checks that the proxy
advertises SETTINGS_ENABLE_CONNECT_PROTOCOL, and opens a WebSocket with `:protocol websocket`
on one stream; the origin is a `websockets` echo server over TLS that speaks HTTP/1.1 only,
so the proxy translates the handshake (GET + Upgrade, 101 -> :status 200) and relays the
frames between the HTTP/2 stream and the HTTP/1.1 connection. The WebSocket side of the
client is websockets' own sans-I/O Connection (frames, masking, permessage-deflate).
Checked: text and binary echo, a 1 MiB message through both flow-control windows, a close
by the client and one by the server, a sibling stream on the same connection meanwhile, the
dump line and the HAR's _webSocketMessages; an upgrade the origin refuses (403 reaches the
client, recorded as an ordinary flow); with --set websocket=false the setting is not sent.
Against an HTTP/2 origin without RFC 8441 the WebSocket gets an HTTP/1.1 connection of its
own. Against an HTTP/2-only origin that enables RFC 8441 (python-h2): the extended CONNECT goes
upstream as it came, and (with http2_for_http1_clients) an HTTP/1.1 client's upgrade
(websockets) is translated into one. Without that option an HTTP/1.1 client's connection to
an origin speaking both versions stays HTTP/1.1 upstream."""

import asyncio
import base64
import http
import json
import os
import random
import re
import socket
import ssl
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402

import h2.config  # noqa: E402  (python3-h2, Debian's /usr/bin/python3)
import h2.connection  # noqa: E402
import h2.events  # noqa: E402
import h2.exceptions  # noqa: E402
import h2.settings  # noqa: E402

try:
    import websockets  # noqa: E402
    import websockets.connection as wsconn  # noqa: E402
    import websockets.frames as wsframes  # noqa: E402
    import websockets.headers as wsheaders  # noqa: E402
    from websockets.extensions.permessage_deflate import \
        ClientPerMessageDeflateFactory  # noqa: E402
except ImportError:
    websockets = None

TIMEOUT = 20
BINARY = bytes(range(256)) * 2
BIG = random.Random(8441).randbytes(1024 * 1024)
COMPRESSIBLE = "spyglass sees every frame " * 2000

WS_LINE = re.compile(
    r"^(?P<client>\S+:\d+) GET (?P<url>\S+) HTTP/2\.0 -> 101 Switching Protocols \S+ \S+"
    r" websocket (?P<count>\d+) messages?(?:, closed by (?P<by>client|server) (?P<code>\d+)"
    r"(?: \"(?P<reason>.*)\")?)?$")


def need_websockets():
    check(websockets is not None,
          "python3-websockets is not installed (./dev.sh deps installs it)")


class EchoServer:
    """A websockets server over TLS (HTTP/1.1, no ALPN) on its own event loop thread: echoes
    every message; on "server-close" it closes with 4001 "server bye". Path /forbidden is
    refused with 403."""

    def __init__(self, tls):
        self.received = []
        self.extensions = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(*tls)
        fut = asyncio.run_coroutine_threadsafe(self._start(ctx), self.loop)
        self.port = fut.result(TIMEOUT)

    async def _start(self, ctx):
        self.server = await websockets.serve(self._handler, T.HOST, 0, ssl=ctx, max_size=None,
                                             process_request=self._process_request)
        return self.server.sockets[0].getsockname()[1]

    async def _process_request(self, path, headers):
        if path.startswith("/forbidden"):
            return http.HTTPStatus.FORBIDDEN, [("Content-Type", "text/plain")], b"not here\n"
        return None

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
            pass

    def stop(self):
        async def close():
            self.server.close()
            await self.server.wait_closed()
        try:
            asyncio.run_coroutine_threadsafe(close(), self.loop).result(TIMEOUT)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(TIMEOUT)


class H2WebSocketClient:
    """python-h2 on a TLS socket through the proxy; one stream carries a WebSocket whose
    frames websockets' sans-I/O Connection makes and reads."""

    def __init__(self, proxy, host, port, cafile):
        raw = T.tunnel(proxy.port, host, port)
        ctx = ssl.create_default_context(cafile=cafile)
        ctx.set_alpn_protocols(["h2"])
        self.sock = ctx.wrap_socket(raw, server_hostname=host)
        self.sock.settimeout(TIMEOUT)
        check_eq(self.sock.selected_alpn_protocol(), "h2", "ALPN the proxy answered")
        self.authority = f"{host}:{port}"
        self.h2 = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.h2.initiate_connection()
        self.flush()
        self.settings_seen = False
        self.streams = {}  # id -> dict(headers, data, ended, reset)
        self.out = {}  # id -> bytearray waiting for the window
        self.end_after = set()  # streams to end once their bytes are out
        self.ws = None
        self.ws_stream = None
        deadline = time.monotonic() + TIMEOUT
        while not self.settings_seen:
            check(time.monotonic() < deadline, "no SETTINGS from the proxy")
            self.read_once()

    def flush(self):
        data = self.h2.data_to_send()
        if data:
            self.sock.sendall(data)

    @property
    def connect_protocol_enabled(self):
        return self.h2.remote_settings.enable_connect_protocol == 1

    def read_once(self):
        data = self.sock.recv(65536)
        check(data, "the proxy closed the connection")
        for ev in self.h2.receive_data(data):
            if isinstance(ev, h2.events.RemoteSettingsChanged):
                self.settings_seen = True
            elif isinstance(ev, h2.events.ResponseReceived):
                self.streams[ev.stream_id]["headers"] = dict(
                    (k.decode(), v.decode()) for k, v in ev.headers)
            elif isinstance(ev, h2.events.DataReceived):
                s = self.streams[ev.stream_id]
                s["data"] += ev.data
                self.h2.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
                if ev.stream_id == self.ws_stream and self.ws is not None:
                    self.ws.receive_data(ev.data)
                    self.queue(ev.stream_id, b"".join(self.ws.data_to_send()))
            elif isinstance(ev, h2.events.StreamEnded):
                self.streams[ev.stream_id]["ended"] = True
                if ev.stream_id == self.ws_stream and self.ws is not None:
                    self.ws.receive_eof()
            elif isinstance(ev, h2.events.StreamReset):
                self.streams[ev.stream_id]["reset"] = ev.error_code
        self.pump_out()
        self.flush()

    def queue(self, sid, data):
        if data:
            self.out.setdefault(sid, bytearray()).extend(data)

    def pump_out(self):
        for sid, buf in self.out.items():
            while buf:
                window = min(self.h2.local_flow_control_window(sid),
                             self.h2.max_outbound_frame_size)
                if window <= 0:
                    break
                self.h2.send_data(sid, bytes(buf[:window]))
                del buf[:window]
            if not buf and sid in self.end_after:
                self.end_after.discard(sid)
                self.h2.end_stream(sid)
        self.flush()

    def wait(self, cond, what):
        deadline = time.monotonic() + TIMEOUT
        while not cond():
            check(time.monotonic() < deadline, f"timed out waiting for {what}")
            self.read_once()

    def get(self, path):
        sid = self.h2.get_next_available_stream_id()
        self.streams[sid] = {"headers": None, "data": bytearray(), "ended": False, "reset": None}
        self.h2.send_headers(sid, [(":method", "GET"), (":scheme", "https"),
                                   (":authority", self.authority), (":path", path)],
                             end_stream=True)
        self.flush()
        return sid

    def open_websocket(self, path, deflate=True):
        """Sends the extended CONNECT; returns the response headers."""
        sid = self.h2.get_next_available_stream_id()
        self.streams[sid] = {"headers": None, "data": bytearray(), "ended": False, "reset": None}
        headers = [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "https"),
                   (":path", path), (":authority", self.authority),
                   ("sec-websocket-version", "13")]
        factory = ClientPerMessageDeflateFactory(client_max_window_bits=True)
        if deflate:
            headers.append(("sec-websocket-extensions", wsheaders.build_extension(
                [(factory.name, factory.get_request_params())])))
        self.h2.send_headers(sid, headers, end_stream=False)
        self.flush()
        self.ws_stream = sid
        self.wait(lambda: self.streams[sid]["headers"] is not None or self.streams[sid]["ended"]
                  or self.streams[sid]["reset"] is not None, "the answer to extended CONNECT")
        head = self.streams[sid]["headers"] or {}
        if head.get(":status") == "200":
            self.ws = wsconn.Connection(wsconn.Side.CLIENT, max_size=None)
            accepted = head.get("sec-websocket-extensions")
            if accepted:
                [(name, params)] = wsheaders.parse_extension(accepted)
                self.ws.extensions = [factory.process_response_params(params, [])]
        return head

    def send(self, message):
        if isinstance(message, str):
            self.ws.send_text(message.encode())
        else:
            self.ws.send_binary(message)
        self.queue(self.ws_stream, b"".join(self.ws.data_to_send()))
        self.pump_out()

    def recv(self):
        """The next data message (pings are answered by the Connection)."""
        while True:
            for ev in self.ws.events_received():
                if ev.opcode == wsframes.Opcode.TEXT:
                    return ev.data.decode()
                if ev.opcode == wsframes.Opcode.BINARY:
                    return ev.data
            check(self.ws.state != wsconn.State.CLOSED, "the WebSocket closed")
            self.read_once()

    def close(self, code, reason):
        self.ws.send_close(code, reason)
        self.queue(self.ws_stream, b"".join(self.ws.data_to_send()))
        self.pump_out()

    def wait_closed(self):
        """Reads until the WebSocket is closed and the stream has ended both ways."""
        def done():
            for ev in self.ws.events_received():
                pass
            out = self.ws.data_to_send()
            if out:
                # The answering Close (and SEND_EOF, b""): then the client ends its side.
                self.queue(self.ws_stream, b"".join(out))
                if b"" in out:
                    self.end_after.add(self.ws_stream)
                self.pump_out()
            s = self.streams[self.ws_stream]
            return self.ws.state == wsconn.State.CLOSED and s["ended"]
        self.wait(done, "the WebSocket's close")
        if self.ws_stream not in self.end_after and \
                self.h2.streams.get(self.ws_stream) is not None:
            try:
                self.h2.end_stream(self.ws_stream)
                self.flush()
            except h2.exceptions.StreamClosedError:
                pass

    def close_socket(self):
        try:
            self.h2.close_connection()
            self.flush()
        except Exception:
            pass
        self.sock.close()


def wait_ws_line(proxy, url):
    proxy.wait_for_stdout(r"HTTP/2\.0 -> 101 Switching Protocols .*websocket .*closed by",
                          timeout=TIMEOUT)
    found = [m for m in (WS_LINE.match(ln) for ln in proxy.lines())
             if m and m.group("url") == url]
    check(found, f"no websocket dump line for {url}; stdout: {proxy.lines()[-5:]}")
    return found[-1]


def har_entry(path, url):
    with open(path) as f:
        har = json.load(f)
    entries = [e for e in har["log"]["entries"] if e["request"]["url"] == url]
    check_eq(len(entries), 1, f"HAR entries for {url}")
    return entries[0]


def echo_session(client):
    client.send("hello")
    check_eq(client.recv(), "hello", "echoed text")
    client.send(BINARY)
    check_eq(client.recv(), BINARY, "echoed binary")
    client.send(BIG)
    check(client.recv() == BIG, "the 1 MiB message came back changed")
    client.send(COMPRESSIBLE)
    check_eq(client.recv(), COMPRESSIBLE, "echoed compressible text")


@case(mitmdump_gap="no WebSocket over HTTP/2 (mitmproxy issue #4607)")
def h2_websocket_echo_closed_by_client(env):
    need_websockets()
    har = os.path.join(env.tmp, "h2ws.har")
    p = env.new_proxy(["--har", har, *env.trust_test_ca])
    server = EchoServer((env.ca.leaf_pem, env.ca.leaf_key))
    try:
        c = H2WebSocketClient(p, "localhost", server.port, p.ca_file)
        check(c.connect_protocol_enabled, "the proxy did not send SETTINGS_ENABLE_CONNECT_PROTOCOL")
        head = c.open_websocket("/chat?room=1")
        check_eq(head.get(":status"), "200", f"answer to extended CONNECT {head}")
        check("permessage-deflate" in head.get("sec-websocket-extensions", ""),
              f"permessage-deflate not negotiated: {head}")
        check("sec-websocket-accept" not in head, f"an HTTP/1.1-only field reached h2: {head}")
        echo_session(c)
        # A sibling stream on the same connection works while the WebSocket is open.
        sid = c.get("/plain")
        c.wait(lambda: c.streams[sid]["ended"] or c.streams[sid]["reset"] is not None,
               "the sibling GET")
        check(c.streams[sid]["headers"] is not None, "the sibling GET got no answer")
        c.close(4000, "bye")
        c.wait_closed()
        check_eq((c.ws.close_rcvd.code, c.ws.close_rcvd.reason), (4000, "bye"),
                 "the server's answering Close")
        c.close_socket()
        check_eq(server.received, ["hello", BINARY, BIG, COMPRESSIBLE], "what the server got")
        check(server.extensions and "permessage-deflate" in server.extensions[0],
              f"the origin did not agree to permessage-deflate: {server.extensions}")
        url = f"https://localhost:{server.port}/chat?room=1"
        line = wait_ws_line(p, url)
        check_eq(line.group("count"), "8", "messages on the dump line")
        check_eq((line.group("by"), line.group("code"), line.group("reason")),
                 ("client", "4000", "bye"), "close on the dump line")
        check_eq(p.stop(), 0, "exit code after SIGTERM")
        entry = har_entry(har, url)
        check_eq(entry.get("_resourceType"), "websocket", "_resourceType")
        check_eq(entry["request"]["method"], "GET", "HAR request method")
        check_eq(entry["response"]["status"], 101, "HAR response status")
        msgs = entry["_webSocketMessages"]
        check_eq(len(msgs), 8, "_webSocketMessages")
        check_eq([m["type"] for m in msgs], ["send", "receive"] * 4, "message directions")
        check_eq(msgs[0]["data"], "hello", "first message")
        check_eq(base64.b64decode(msgs[3]["data"]), BINARY, "binary message (base64)")
        check(base64.b64decode(msgs[4]["data"]) == BIG, "the 1 MiB message in the HAR differs")
        check_eq(msgs[7]["data"], COMPRESSIBLE, "decompressed text in the HAR")
    finally:
        server.stop()


@case(mitmdump_gap="no WebSocket over HTTP/2 (mitmproxy issue #4607)")
def h2_websocket_closed_by_server(env):
    need_websockets()
    p = env.new_proxy(env.trust_test_ca)
    server = EchoServer((env.ca.leaf_pem, env.ca.leaf_key))
    try:
        c = H2WebSocketClient(p, "localhost", server.port, p.ca_file)
        head = c.open_websocket("/chat?room=2", deflate=False)
        check_eq(head.get(":status"), "200", f"answer to extended CONNECT {head}")
        c.send("hello")
        check_eq(c.recv(), "hello", "echoed text")
        c.send("server-close")
        c.wait_closed()
        check_eq((c.ws.close_rcvd.code, c.ws.close_rcvd.reason), (4001, "server bye"),
                 "the server's Close")
        c.close_socket()
        url = f"https://localhost:{server.port}/chat?room=2"
        line = wait_ws_line(p, url)
        check_eq(line.group("count"), "3", "messages (hello both ways, server-close)")
        check_eq((line.group("by"), line.group("code"), line.group("reason")),
                 ("server", "4001", "server bye"), "close on the dump line")
    finally:
        server.stop()


@case(mitmdump_gap="no WebSocket over HTTP/2 (mitmproxy issue #4607)")
def h2_websocket_refused_upstream(env):
    need_websockets()
    p = env.new_proxy(env.trust_test_ca)
    server = EchoServer((env.ca.leaf_pem, env.ca.leaf_key))
    try:
        c = H2WebSocketClient(p, "localhost", server.port, p.ca_file)
        head = c.open_websocket("/forbidden", deflate=False)
        check_eq(head.get(":status"), "403", f"answer to a refused upgrade {head}")
        sid = c.ws_stream
        c.wait(lambda: c.streams[sid]["ended"], "the end of the refusal")
        check_eq(bytes(c.streams[sid]["data"]), b"not here\n", "the refusal's body")
        c.close_socket()
        url = f"https://localhost:{server.port}/forbidden"
        p.wait_for_stdout(r"GET \S+/forbidden HTTP/2\.0 -> 403", timeout=TIMEOUT)
        check(not any("websocket" in ln for ln in p.lines() if "/forbidden" in ln),
              f"a refused upgrade was recorded as a WebSocket: {p.lines()[-3:]}")
        check(any(url in ln for ln in p.lines()), f"no dump line for {url}")
    finally:
        server.stop()


class H2WebSocketOrigin:
    """An HTTP/2-only origin over TLS (ALPN h2) that enables RFC 8441 and echoes WebSocket
    messages on every extended CONNECT stream (python-h2 + websockets' sans-I/O Connection).
    Records the :protocol and header fields of each extended CONNECT it gets."""

    def __init__(self, tls):
        self.requests = []
        self.received = []
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(*tls)
        self.ctx.set_alpn_protocols(["h2"])
        self.sock = socket.socket()
        self.sock.bind((T.HOST, 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.stopping = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopping:
            try:
                raw, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(raw,), daemon=True).start()

    def _serve(self, raw):
        try:
            s = self.ctx.wrap_socket(raw, server_side=True)
            s.settimeout(TIMEOUT)
            conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
            conn.initiate_connection()
            conn.update_settings({h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL: 1})
            s.sendall(conn.data_to_send())
            sockets = {}
            while True:
                data = s.recv(65536)
                if not data:
                    return
                for ev in conn.receive_data(data):
                    if isinstance(ev, h2.events.RequestReceived):
                        head = dict((k.decode(), v.decode()) for k, v in ev.headers)
                        self.requests.append(head)
                        conn.send_headers(ev.stream_id, [(":status", "200")])
                        sockets[ev.stream_id] = wsconn.Connection(wsconn.Side.SERVER,
                                                                  max_size=None)
                    elif isinstance(ev, h2.events.DataReceived):
                        conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
                        ws = sockets[ev.stream_id]
                        ws.receive_data(ev.data)
                        for m in ws.events_received():
                            if m.opcode == wsframes.Opcode.TEXT:
                                self.received.append(m.data.decode())
                                ws.send_text(m.data)
                            elif m.opcode == wsframes.Opcode.BINARY:
                                self.received.append(m.data)
                                ws.send_binary(m.data)
                        out = ws.data_to_send()
                        payload = b"".join(out)
                        if payload:
                            conn.send_data(ev.stream_id, payload)
                        if b"" in out:
                            conn.end_stream(ev.stream_id)
                    elif isinstance(ev, h2.events.StreamEnded):
                        ws = sockets.get(ev.stream_id)
                        if ws is not None:
                            ws.receive_eof()
                s.sendall(conn.data_to_send())
        except (OSError, h2.exceptions.ProtocolError, ssl.SSLError):
            pass

    def stop(self):
        self.stopping = True
        self.sock.close()


@case(mitmdump_gap="no WebSocket over HTTP/2 (mitmproxy issue #4607)")
def h2_websocket_to_an_rfc8441_origin(env):
    """HTTP/2 on both sides: the extended CONNECT goes upstream as it came."""
    need_websockets()
    p = env.new_proxy(env.trust_test_ca)
    origin = H2WebSocketOrigin((env.ca.leaf_pem, env.ca.leaf_key))
    try:
        c = H2WebSocketClient(p, "localhost", origin.port, p.ca_file)
        head = c.open_websocket("/h2chat", deflate=False)
        check_eq(head.get(":status"), "200", f"answer to extended CONNECT {head}")
        c.send("hello")
        check_eq(c.recv(), "hello", "echoed text")
        c.send(BINARY)
        check_eq(c.recv(), BINARY, "echoed binary")
        c.close(1000, "")
        c.wait_closed()
        c.close_socket()
        check_eq(len(origin.requests), 1, "extended CONNECTs at the origin")
        got = origin.requests[0]
        check_eq((got.get(":method"), got.get(":protocol"), got.get(":path")),
                 ("CONNECT", "websocket", "/h2chat"), "what the origin got")
        check("sec-websocket-key" not in got, f"an HTTP/1.1-only field went upstream: {got}")
        url = f"https://localhost:{origin.port}/h2chat"
        line = wait_ws_line(p, url)
        check_eq(line.group("count"), "4", "messages on the dump line")
    finally:
        origin.stop()


def h1_websocket_echo(p, port, path):
    """An HTTP/1.1 WebSocket client (websockets, TLS with ALPN http/1.1 only) through a
    CONNECT tunnel of proxy p to localhost:port: sends "hello", returns what came back."""
    async def talk():
        sock = T.tunnel(p.port, "localhost", port)
        sock.setblocking(False)
        ctx = ssl.create_default_context(cafile=p.ca_file)
        ctx.set_alpn_protocols(["http/1.1"])
        ws = await asyncio.wait_for(websockets.connect(
            f"wss://localhost:{port}{path}", sock=sock, ssl=ctx,
            server_hostname="localhost", compression=None, open_timeout=TIMEOUT,
            close_timeout=TIMEOUT), TIMEOUT)
        try:
            await ws.send("hello")
            echoed = await asyncio.wait_for(ws.recv(), TIMEOUT)
            await asyncio.wait_for(ws.close(1000, "done"), TIMEOUT)
        finally:
            await ws.close()
        return echoed

    return asyncio.run(talk())


@case(mitmdump_gap="no WebSocket over HTTP/2 (mitmproxy issue #4607)")
def h1_websocket_to_an_rfc8441_origin(env):
    """The reverse: an HTTP/1.1 client (websockets) reaches an HTTP/2-only origin, when
    http2_for_http1_clients lets the proxy offer h2 for it."""
    need_websockets()
    p = env.new_proxy(env.trust_test_ca + ["--set", "http2_for_http1_clients=true"])
    origin = H2WebSocketOrigin((env.ca.leaf_pem, env.ca.leaf_key))
    try:
        check_eq(h1_websocket_echo(p, origin.port, "/h1chat"), "hello", "echoed text")
        check_eq(origin.requests[0].get(":protocol"), "websocket", "what the origin got")
        p.wait_for_stdout(r"GET https://localhost:\d+/h1chat HTTP/1\.1 -> 101 .*websocket "
                          r"2 messages, closed by client 1000", timeout=TIMEOUT)
    finally:
        origin.stop()


class DualOrigin:
    """An origin over TLS that offers ALPN h2 and http/1.1, like most web servers: HTTP/2
    without RFC 8441 (python-h2 answers 200 "h2" to anything), and WebSocket echo over
    HTTP/1.1 only (websockets' sans-I/O ServerConnection). Records which ALPN each
    connection chose."""

    def __init__(self, tls):
        self.alpns = []
        self.received = []
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(*tls)
        self.ctx.set_alpn_protocols(["h2", "http/1.1"])
        self.sock = socket.socket()
        self.sock.bind((T.HOST, 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                raw, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(raw,), daemon=True).start()

    def _serve(self, raw):
        try:
            s = self.ctx.wrap_socket(raw, server_side=True)
            s.settimeout(TIMEOUT)
            alpn = s.selected_alpn_protocol()
            self.alpns.append(alpn)
            if alpn == "h2":
                self._h2(s)
            else:
                self._ws(s)
        except (OSError, h2.exceptions.ProtocolError, ssl.SSLError):
            pass

    def _h2(self, s):
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        conn.initiate_connection()
        s.sendall(conn.data_to_send())
        while True:
            data = s.recv(65536)
            if not data:
                return
            for ev in conn.receive_data(data):
                if isinstance(ev, h2.events.RequestReceived):
                    conn.send_headers(ev.stream_id, [(":status", "200")])
                    conn.send_data(ev.stream_id, b"h2", end_stream=True)
            s.sendall(conn.data_to_send())

    def _ws(self, s):
        from websockets.server import ServerConnection
        ws = ServerConnection(max_size=None)
        while True:
            data = s.recv(65536)
            if not data:
                return
            ws.receive_data(data)
            for ev in ws.events_received():
                if isinstance(ev, websockets.http11.Request):
                    ws.send_response(ws.accept(ev))
                elif ev.opcode == wsframes.Opcode.TEXT:
                    self.received.append(ev.data.decode())
                    ws.send_text(ev.data)
            out = ws.data_to_send()
            if out:
                s.sendall(b"".join(out))
            if b"" in out:
                return

    def stop(self):
        self.sock.close()


@case(mitmdump_gap="no WebSocket over HTTP/2 (mitmproxy issue #4607)")
def h2_websocket_falls_back_to_http1(env):
    """An origin that speaks HTTP/2 without RFC 8441: the stream's WebSocket gets an HTTP/1.1
    connection of its own (TLS, ALPN http/1.1), while plain requests stay on HTTP/2."""
    need_websockets()
    import websockets.http11  # noqa: F401
    p = env.new_proxy(env.trust_test_ca)
    origin = DualOrigin((env.ca.leaf_pem, env.ca.leaf_key))
    try:
        c = H2WebSocketClient(p, "localhost", origin.port, p.ca_file)
        head = c.open_websocket("/fallback", deflate=False)
        check_eq(head.get(":status"), "200", f"answer to extended CONNECT {head}")
        c.send("hello")
        check_eq(c.recv(), "hello", "echoed text")
        sid = c.get("/plain")
        c.wait(lambda: c.streams[sid]["ended"], "the plain GET")
        check_eq(bytes(c.streams[sid]["data"]), b"h2", "the plain GET went over HTTP/2")
        c.close(1000, "")
        c.wait_closed()
        c.close_socket()
        check_eq(sorted(origin.alpns), ["h2", "http/1.1"], "ALPN of the origin's connections")
        check_eq(origin.received, ["hello"], "what the origin's WebSocket got")
        line = wait_ws_line(p, f"https://localhost:{origin.port}/fallback")
        check_eq(line.group("count"), "2", "messages on the dump line")
    finally:
        origin.stop()


@case
def h1_client_keeps_http1_upstream(env):
    """An HTTP/1.1 client (ALPN http/1.1 only) to an origin that speaks both versions: the
    origin is offered the client's version only (as by mitmproxy), so it sees HTTP/1.1."""
    need_websockets()
    import websockets.http11  # noqa: F401
    p = env.new_proxy(env.trust_test_ca)
    origin = DualOrigin((env.ca.leaf_pem, env.ca.leaf_key))
    try:
        check_eq(h1_websocket_echo(p, origin.port, "/keep"), "hello", "echoed text")
        check_eq(origin.alpns, ["http/1.1"], "ALPN of the origin's connections")
        check_eq(origin.received, ["hello"], "what the origin's WebSocket got")
    finally:
        origin.stop()


@case(spyglass_only=True)
def h1_client_to_http2_when_asked(env):
    """With http2_for_http1_clients the same client's offer goes upstream with h2, and the
    origin chooses it; its WebSocket, which that origin does not carry over HTTP/2, gets an
    HTTP/1.1 connection of its own."""
    need_websockets()
    import websockets.http11  # noqa: F401
    p = env.new_proxy(env.trust_test_ca + ["--set", "http2_for_http1_clients=true"])
    origin = DualOrigin((env.ca.leaf_pem, env.ca.leaf_key))
    try:
        check_eq(h1_websocket_echo(p, origin.port, "/asked"), "hello", "echoed text")
        check_eq(sorted(origin.alpns), ["h2", "http/1.1"], "ALPN of the origin's connections")
        check_eq(origin.received, ["hello"], "what the origin's WebSocket got")
    finally:
        origin.stop()


@case(spyglass_only=True)
def h2_websocket_option_off(env):
    p = env.new_proxy(env.trust_test_ca + ["--set", "websocket=false"])
    origin = env.tls_origin
    c = H2WebSocketClient(p, "localhost", origin.port, p.ca_file)
    check(not c.connect_protocol_enabled,
          "SETTINGS_ENABLE_CONNECT_PROTOCOL was sent with websocket=false")
    c.close_socket()


if __name__ == "__main__":
    T.main()
