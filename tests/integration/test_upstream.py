#!/usr/bin/python3
"""Upstream mode (--mode upstream:URL, mitmproxy 7 spelling): two spyglass-dump processes
chained, A in upstream mode in front of B. Plain HTTP goes to B in absolute-form over kept
connections (different hosts on one connection), HTTPS and WebSocket go through a CONNECT
that B answers, and both A and B intercept and print the flow; a large body crosses the
chain intact. upstream:socks5:// with B in socks5 mode, with and without B's proxyauth and
A's upstream_auth (a wrong password gives a 502). A tiny Python parent checks that
upstream_auth arrives as Proxy-Authorization on absolute-form requests and on CONNECT.
A dead parent gives a 502 at once."""

import asyncio
import base64
import hashlib
import os
import socket
import socketserver
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


def chain(env, parent_scheme="http", b_args=(), a_args=()):
    """B (regular, or socks5 for a socks5 parent) and A in upstream mode in front of it.
    Both share the harness confdir, so one CA: A trusts it for B's minted certificates and B
    trusts the test CA for the origins."""
    b_mode = ["--mode", "socks5"] if parent_scheme == "socks5" else []
    b = env.new_proxy([*b_mode, *env.trust_test_ca, *b_args], name="parentB")
    a = env.new_proxy(["--mode", f"upstream:{parent_scheme}://{T.HOST}:{b.port}",
                       "--set", f"ssl_verify_upstream_trusted_ca={b.ca_file}", *a_args],
                      name="childA")
    return a, b


def both_print(a, b, url, error=None):
    T.wait_dump_line(a, url, error=error)
    T.wait_dump_line(b, url, error=error)


def raw_requests(port, requests, timeout=10):
    """Sends each request on one connection to `port`, reading each response before the
    next; returns the responses."""
    s = T.connect(port, timeout)
    reader = T.ResponseReader(s, timeout)
    out = []
    for req in requests:
        s.sendall(req)
        out.append(reader.read())
    s.close()
    return out


@case(spyglass_only=True)
def http_through_http_parent(env):
    o = env.origin
    a, b = chain(env)
    r = T.curl(o.url("/echo?x=1"), proxy=a)
    check(r.rc == 0 and r.status == 200, f"{r}")
    check(b'"path": "/echo?x=1"' in r.body, f"origin saw origin-form from B: {r.body[:200]!r}")
    both_print(a, b, o.url("/echo?x=1"))


@case(spyglass_only=True)
def parent_connection_kept_across_hosts(env):
    o = env.origin
    a, b = chain(env)
    hosts = [f"127.0.0.1:{o.port}", f"localhost:{o.port}", f"127.0.0.1:{o.port}"]
    reqs = [f"GET http://{h}/bytes/{10 + i} HTTP/1.1\r\nHost: {h}\r\n\r\n".encode()
            for i, h in enumerate(hosts)]
    responses = raw_requests(a.port, reqs)
    check_eq([r.status for r in responses], [200, 200, 200], "statuses")
    check_eq([len(r.body) for r in responses], [10, 11, 12], "body sizes")
    lines = []
    deadline = time.monotonic() + 10
    while len(lines) < 3 and time.monotonic() < deadline:
        lines = [m for m in T.dump_lines(b) if "/bytes/" in m.group("url")]
        time.sleep(0.05)
    check_eq(len(lines), 3, "flows at B")
    check_eq(len({m.group("client") for m in lines}), 1,
             f"A used one connection to B for all hosts: {[m.group(0) for m in lines]}")


@case(spyglass_only=True)
def https_through_http_parent(env):
    o = env.tls_origin
    a, b = chain(env)
    url = f"https://localhost:{o.port}/echo"
    r = T.curl(url, "--cacert", a.ca_file, proxy=a)
    check(r.rc == 0 and r.status == 200, f"{r}")
    check(b'"path": "/echo"' in r.body, f"{r.body[:200]!r}")
    both_print(a, b, url)
    # HTTP/2 from the client to A; the chain still works.
    r = T.curl(f"https://localhost:{o.port}/bytes/5000", "--cacert", a.ca_file, "--http2",
               proxy=a)
    check(r.rc == 0 and r.status == 200 and len(r.body) == 5000, f"{r}")


@case(spyglass_only=True)
def http2_parallel_lazy_and_ignored_hosts(env):
    t = env.tls_origin
    # HTTP/2 from the client, several streams at once, through the CONNECT tunnel to B.
    a, b = chain(env)
    urls = [f"https://localhost:{t.port}/delay/{200 + i}" for i in range(4)]
    done, infos, _ = T.curl_many(urls, "--http2", "--parallel", "--cacert", a.ca_file, proxy=a)
    check(done.returncode == 0, f"curl: {done.stderr!r}")
    check_eq([i.get("http_code") for i in infos], [200] * 4, "statuses")
    for u in urls:
        both_print(a, b, u)
    # connection_strategy=lazy: A answers CONNECT itself and opens the tunnel later.
    lazy = env.new_proxy(["--mode", f"upstream:http://{T.HOST}:{b.port}",
                          "--set", "connection_strategy=lazy",
                          "--set", f"ssl_verify_upstream_trusted_ca={b.ca_file}"], name="lazy")
    url = f"https://localhost:{t.port}/bytes/1234"
    r = T.curl(url, "--cacert", lazy.ca_file, proxy=lazy)
    check(r.rc == 0 and r.status == 200 and len(r.body) == 1234, f"{r}")
    T.wait_dump_line(lazy, url)
    # ignore_hosts: A relays the TLS untouched through the tunnel; B still intercepts it.
    ign = env.new_proxy(["--mode", f"upstream:http://{T.HOST}:{b.port}",
                         "--set", "ignore_hosts=localhost"], name="ignoring")
    url = f"https://localhost:{t.port}/bytes/4321"
    r = T.curl(url, "--cacert", ign.ca_file, proxy=ign)
    check(r.rc == 0 and r.status == 200 and len(r.body) == 4321, f"{r}")
    T.wait_dump_line(b, url)
    check(not [m for m in T.dump_lines(ign) if m.group("url") == url],
          "A did not intercept the ignored host")


@case(spyglass_only=True)
def large_bodies_through_the_chain(env):
    o = env.tls_origin
    a, b = chain(env)
    n = 24 * T.MiB
    r = T.curl(f"https://localhost:{o.port}/bytes/{n}", "--cacert", a.ca_file, proxy=a,
               timeout=60)
    check(r.rc == 0 and r.status == 200, f"{r}")
    check_eq(hashlib.sha256(r.body).hexdigest(), T.body_sha256(n), "downloaded body")
    upload = os.path.join(env.tmp, "upload.bin")
    with open(upload, "wb") as f:
        f.write(T.body_bytes(3 * T.MiB))
    r = T.curl(env.origin.url("/echo"), "--data-binary",
               f"@{upload}", proxy=a, timeout=60)
    check(r.rc == 0 and r.status == 200, f"{r}")
    check(f'"body_len": {3 * T.MiB}'.encode() in r.body, f"upload size: {r.body[:200]!r}")


class WsEcho:
    """A websockets echo server on its own loop thread."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.port = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(15)

    async def _start(self):
        self.server = await websockets.serve(self._handler, T.HOST, 0, max_size=None)
        return self.server.sockets[0].getsockname()[1]

    async def _handler(self, ws, path=None):
        async for message in ws:
            await ws.send(message)

    def stop(self):
        async def close():
            self.server.close()
            await self.server.wait_closed()
        asyncio.run_coroutine_threadsafe(close(), self.loop).result(15)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(15)


@case(spyglass_only=True)
def websocket_through_the_chain(env):
    check(websockets is not None, "python3-websockets is not installed")
    a, b = chain(env)
    server = WsEcho()
    big = os.urandom(200 * 1000)

    async def talk():
        sock = T.tunnel(a.port, T.HOST, server.port)
        sock.setblocking(False)
        async with websockets.connect(f"ws://{T.HOST}:{server.port}/chat", sock=sock,
                                      max_size=None, open_timeout=15) as ws:
            got = []
            for m in ("hello", big):
                await ws.send(m)
                got.append(await asyncio.wait_for(ws.recv(), 15))
            return got

    try:
        got = asyncio.run(talk())
        check_eq(got[0], "hello", "text echo")
        check(got[1] == big, "the 200 KB binary message came back changed")
        url = f"http://{T.HOST}:{server.port}/chat"
        for p in (a, b):
            p.wait_for_stdout(r"GET " + url.replace(".", r"\.") + r" HTTP/1\.1 -> 101 .*websocket",
                              timeout=15)
    finally:
        server.stop()


@case(spyglass_only=True)
def https_parent(env):
    """upstream:https://: TLS to B (B's port also takes TLS, a secure web proxy); plain
    requests go in absolute-form inside it, HTTPS is TLS inside TLS."""
    o, t = env.origin, env.tls_origin
    a, b = chain(env, "https")
    r = T.curl(o.url("/echo"), proxy=a)
    check(r.rc == 0 and r.status == 200, f"{r}")
    both_print(a, b, o.url("/echo"))
    url = f"https://localhost:{t.port}/bytes/70000"
    r = T.curl(url, "--cacert", a.ca_file, proxy=a)
    check(r.rc == 0 and r.status == 200 and len(r.body) == 70000, f"{r}")
    check_eq(r.body, T.body_bytes(70000), "body through TLS inside TLS")
    both_print(a, b, url)
    n = 16 * T.MiB  # back-pressure and big writes through the mapped parent connection
    r = T.curl(f"https://localhost:{t.port}/bytes/{n}", "--cacert", a.ca_file, proxy=a,
               timeout=60)
    check(r.rc == 0 and r.status == 200, f"{r}")
    check_eq(hashlib.sha256(r.body).hexdigest(), T.body_sha256(n), "16 MiB through TLS in TLS")
    # A parent whose certificate A does not trust: a 502 that says why.
    c = env.new_proxy(["--mode", f"upstream:https://{T.HOST}:{b.port}"], name="untrusting",
                      confdir=os.path.join(env.tmp, "otherconf"))
    r = T.curl(o.url("/echo"), proxy=c)
    check_eq(r.status, 502, f"plain request, untrusted parent: {r}")
    r = T.curl(url, "--cacert", c.ca_file, proxy=c)
    check_eq(r.info.get("http_connect"), 502, f"CONNECT, untrusted parent: {r}")
    line = T.wait_dump_line(c, f"localhost:{t.port}", error=True)[0]
    check("cannot reach the upstream proxy" in line.group("error"), line.group(0))


@case(spyglass_only=True)
def socks5_parent(env):
    o, t = env.origin, env.tls_origin
    a, b = chain(env, "socks5")
    r = T.curl(o.url("/echo"), proxy=a)
    check(r.rc == 0 and r.status == 200, f"{r}")
    both_print(a, b, o.url("/echo"))
    url = f"https://localhost:{t.port}/bytes/3000"
    r = T.curl(url, "--cacert", a.ca_file, proxy=a)
    check(r.rc == 0 and r.status == 200 and len(r.body) == 3000, f"{r}")
    both_print(a, b, url)


@case(spyglass_only=True)
def socks5_parent_with_credentials(env):
    o = env.origin
    a, b = chain(env, "socks5", b_args=["--set", "proxyauth=u:p"],
                 a_args=["--set", "upstream_auth=u:p"])
    r = T.curl(o.url("/echo"), proxy=a)
    check(r.rc == 0 and r.status == 200, f"{r}")
    both_print(a, b, o.url("/echo"))
    wrong = env.new_proxy(["--mode", f"upstream:socks5://{T.HOST}:{b.port}",
                           "--set", "upstream_auth=u:wrong"], name="wrongpass")
    t0 = time.monotonic()
    r = T.curl(o.url("/echo"), proxy=wrong)
    check_eq(r.status, 502, f"status with a wrong password: {r}")
    check(b"rejected the user name or password" in r.body, f"reason: {r.body!r}")
    check(time.monotonic() - t0 < 5, "the 502 came quickly")
    line = T.wait_dump_line(wrong, o.url("/echo"), error=True)[0]
    check("rejected the user name or password" in line.group("error"), line.group(0))
    none = env.new_proxy(["--mode", f"upstream:socks5://{T.HOST}:{b.port}"], name="nopass")
    r = T.curl(o.url("/echo"), proxy=none)
    check_eq(r.status, 502, f"status without credentials: {r}")
    check(b"requires authentication: set upstream_auth" in r.body, f"reason: {r.body!r}")


class ParentHandler(socketserver.StreamRequestHandler):
    """A minimal HTTP parent proxy: requires Proxy-Authorization, answers absolute-form GETs
    itself (echoing what it received), relays CONNECT tunnels."""

    def handle(self):
        while True:
            line = self.rfile.readline()
            if not line:
                return
            headers = {}
            while True:
                h = self.rfile.readline()
                if h in (b"\r\n", b"\n", b""):
                    break
                k, _, v = h.decode().partition(":")
                headers[k.strip().lower()] = v.strip()
            self.server.seen.append((line.decode().strip(), headers.get("proxy-authorization")))
            if headers.get("proxy-authorization") != self.server.expected:
                body = b"who are you?"
                self.wfile.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                                 b"Proxy-Authenticate: Basic realm=\"t\"\r\n"
                                 b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
                continue
            method, target, _ = line.decode().split(" ", 2)
            if method == "CONNECT":
                host, _, port = target.rpartition(":")
                up = socket.create_connection((host, int(port)), timeout=10)
                self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self.wfile.flush()
                self._relay(up)
                return
            body = f"parent got {line.decode().strip()}".encode()
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s"
                             % (len(body), body))

    def _relay(self, up):
        def pump(src, dst):
            try:
                while True:
                    data = src.recv(65536)
                    if not data:
                        break
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
        t = threading.Thread(target=pump, args=(up, self.connection), daemon=True)
        t.start()
        pump(self.connection, up)
        t.join(10)
        up.close()


class Parent(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, user_pass):
        super().__init__((T.HOST, 0), ParentHandler)
        self.expected = "Basic " + base64.b64encode(user_pass.encode()).decode()
        self.seen = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self):
        return self.server_address[1]


@case(spyglass_only=True)
def upstream_auth_to_http_parent(env):
    parent = Parent("alice:s3cret")
    try:
        a = env.new_proxy(["--mode", f"upstream:http://{T.HOST}:{parent.port}",
                           "--set", "upstream_auth=alice:s3cret", *env.trust_test_ca])
        r = T.curl("http://unresolvable.example/x?y=1", proxy=a)
        check(r.rc == 0 and r.status == 200, f"{r}")
        check_eq(r.body, b"parent got GET http://unresolvable.example/x?y=1 HTTP/1.1",
                 "absolute-form at the parent")
        check_eq(parent.seen[-1][1], parent.expected, "Proxy-Authorization on the request")
        # CONNECT carries it too; then TLS interception through the parent's tunnel.
        t = env.tls_origin
        r = T.curl(f"https://localhost:{t.port}/bytes/100", "--cacert", a.ca_file, proxy=a)
        check(r.rc == 0 and r.status == 200 and len(r.body) == 100, f"{r}")
        check_eq(parent.seen[-1], (f"CONNECT localhost:{t.port} HTTP/1.1", parent.expected),
                 "CONNECT at the parent")
        # Wrong credentials: the parent's 407 to a plain request reaches the client as it is;
        # to CONNECT it becomes a 502 that says so.
        bad = env.new_proxy(["--mode", f"upstream:http://{T.HOST}:{parent.port}",
                             "--set", "upstream_auth=alice:nope"], name="badauth")
        r = T.curl("http://unresolvable.example/", proxy=bad)
        check_eq(r.status, 407, f"plain request with wrong credentials: {r}")
        r = T.curl(f"https://localhost:{t.port}/", "--cacert", bad.ca_file, proxy=bad)
        check_eq(r.info.get("http_connect"), 502, f"CONNECT with wrong credentials: {r}")
        line = T.wait_dump_line(bad, f"localhost:{t.port}", error=True)[0]
        check("407 Proxy Authentication Required" in line.group("error"), line.group(0))
    finally:
        parent.shutdown()
        parent.server_close()


@case(spyglass_only=True)
def dead_parent_gives_502(env):
    dead = T.free_port()
    for scheme in ("http", "socks5"):
        a = env.new_proxy(["--mode", f"upstream:{scheme}://{T.HOST}:{dead}"], name=f"dead{scheme}")
        t0 = time.monotonic()
        r = T.curl(env.origin.url("/echo"), proxy=a)
        check_eq(r.status, 502, f"{scheme}: plain request: {r}")
        check(f"{T.HOST}:{dead}".encode() in r.body, f"{scheme}: reason names the parent: "
              f"{r.body!r}")
        r = T.curl(f"https://localhost:{env.tls_origin.port}/", "--cacert", a.ca_file, proxy=a)
        check_eq(r.info.get("http_connect"), 502, f"{scheme}: CONNECT: {r}")
        check(time.monotonic() - t0 < 5, f"{scheme}: the 502s came quickly")
        T.wait_dump_line(a, env.origin.url("/echo"), error=True)
        T.wait_dump_line(a, f"localhost:{env.tls_origin.port}", error=True)
        check(a.alive(), "proxy still running")


if __name__ == "__main__":
    T.main()
