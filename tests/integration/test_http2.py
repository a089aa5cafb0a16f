#!/usr/bin/python3
"""HTTP/2 through the proxy: h2->h2, h2->h1 and h1->h2 translation (ALPN decided as DESIGN
says), prior-knowledge h2c on the proxy port, many concurrent streams, a 10 MB upload through
flow control, a stream reset while its siblings finish, GOAWAY, and the HTTP version in the
dump line, the session file and HAR. Real clients (curl --http2, python-h2) and real origins
(nginx speaking h2 and HTTP/1.1, the harness's HTTP/1.1 origin)."""

import hashlib
import json
import os
import socket
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402

import h2.config  # noqa: E402  (python3-h2, Debian's /usr/bin/python3)
import h2.connection  # noqa: E402
import h2.events  # noqa: E402
import h2.settings  # noqa: E402

NGINX = "/usr/sbin/nginx"
FILES = {"1k": 1024, "100k": 100 * 1024, "1m": T.MiB}


class Nginx:
    """nginx as an origin: TLS with HTTP/2 and HTTP/1.1 (ALPN), TLS with HTTP/1.1 only, and
    cleartext HTTP/2 (prior knowledge). Static files /1k /100k /1m with the harness's
    deterministic bytes; PUT /dav/NAME stores a file (WebDAV) to read back."""

    def __init__(self, env):
        self.dir = os.path.join(env.tmp, "nginx")
        self.root = os.path.join(self.dir, "root")
        os.makedirs(os.path.join(self.root, "dav"), exist_ok=True)
        for name, n in FILES.items():
            with open(os.path.join(self.root, name), "wb") as f:
                f.write(T.body_bytes(n))
        self.h2_port, self.h1_port, self.h2c_port = T.free_port(), T.free_port(), T.free_port()
        conf = os.path.join(self.dir, "nginx.conf")
        tmp = lambda name: os.path.join(self.dir, name)  # noqa: E731
        with open(conf, "w") as f:
            f.write(f"""
daemon off;
master_process off;
worker_processes 1;
pid {tmp("nginx.pid")};
error_log {tmp("error.log")} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp("body")};
    proxy_temp_path {tmp("proxy")};
    fastcgi_temp_path {tmp("fastcgi")};
    uwsgi_temp_path {tmp("uwsgi")};
    scgi_temp_path {tmp("scgi")};
    default_type application/octet-stream;
    ssl_certificate {env.ca.leaf_pem};
    ssl_certificate_key {env.ca.leaf_key};
    http2_max_concurrent_streams 256;
    client_max_body_size 64m;
    server {{
        listen 127.0.0.1:{self.h2_port} ssl http2;
        listen 127.0.0.1:{self.h2c_port} http2;
        root {self.root};
        location /dav/ {{ dav_methods PUT; create_full_put_path on; }}
    }}
    server {{
        listen 127.0.0.1:{self.h1_port} ssl;
        root {self.root};
    }}
}}
""")
        self.proc = subprocess.Popen([NGINX, "-c", conf, "-p", self.dir],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while not all(T.is_listening(p) for p in (self.h2_port, self.h1_port, self.h2c_port)):
            check(self.proc.poll() is None, f"nginx exited: {self.proc.stderr.read()!r}")
            check(time.monotonic() < deadline, "nginx did not start listening")
            time.sleep(0.05)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


_nginx = None


def nginx(env):
    global _nginx
    if _nginx is None:
        _nginx = Nginx(env)
    return _nginx


def proxy(env):
    return env.proxy(env.trust_test_ca)


class H2Client:
    """A python-h2 client on a socket (TLS through CONNECT, or cleartext prior knowledge)."""

    def __init__(self, sock):
        self.sock = sock
        self.sock.settimeout(20)
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.conn.initiate_connection()
        self.flush()
        self.responses = {}  # stream id -> dict(headers, body, ended, reset)
        self.goaway = None
        self.held = {}  # stream id -> bytes received but not acknowledged (a slow reader)

    @classmethod
    def through_proxy(cls, proxy_port, host, port, cafile):
        raw = T.tunnel(proxy_port, host, port)
        ctx = ssl.create_default_context(cafile=cafile)
        ctx.set_alpn_protocols(["h2"])
        tls = ctx.wrap_socket(raw, server_hostname=host)
        check_eq(tls.selected_alpn_protocol(), "h2", "ALPN the proxy answered")
        return cls(tls)

    def flush(self):
        data = self.conn.data_to_send()
        if data:
            self.sock.sendall(data)

    def request(self, method, authority, path, scheme="https", headers=(), body=None):
        sid = self.conn.get_next_available_stream_id()
        hdrs = [(":method", method), (":authority", authority), (":scheme", scheme),
                (":path", path), *headers]
        self.conn.send_headers(sid, hdrs, end_stream=body is None)
        self.responses[sid] = {"headers": None, "body": bytearray(), "ended": False,
                               "reset": None, "upload": body or b"", "sent": 0}
        self.flush()
        self.pump_uploads()
        return sid

    def pump_uploads(self):
        for sid, r in self.responses.items():
            data = r["upload"]
            while r["sent"] < len(data) and r["reset"] is None:
                window = min(self.conn.local_flow_control_window(sid),
                             self.conn.max_outbound_frame_size)
                if window <= 0:
                    break
                piece = data[r["sent"]:r["sent"] + window]
                r["sent"] += len(piece)
                self.conn.send_data(sid, piece, end_stream=r["sent"] == len(data))
            self.flush()

    def hold(self, sid):
        self.held[sid] = 0

    def release(self, sid):
        n = self.held.pop(sid)
        if n:
            self.conn.increment_flow_control_window(n, stream_id=sid)
            self.flush()

    def reset(self, sid):
        self.conn.reset_stream(sid)
        self.responses[sid]["reset"] = "by us"
        self.flush()

    def done(self, sids):
        return all(self.responses[s]["ended"] or self.responses[s]["reset"] for s in sids)

    def run(self, sids=None, timeout=20):
        sids = list(self.responses) if sids is None else sids
        deadline = time.monotonic() + timeout
        while not self.done(sids):
            check(time.monotonic() < deadline, f"streams not done in {timeout}s: "
                  f"{[(s, self.responses[s]['ended'], len(self.responses[s]['body'])) for s in sids]}")
            data = self.sock.recv(65536)
            check(data, "the proxy closed the HTTP/2 connection")
            for ev in self.conn.receive_data(data):
                self.on_event(ev)
            self.pump_uploads()
            self.flush()
        return [self.responses[s] for s in sids]

    def on_event(self, ev):
        r = self.responses.get(getattr(ev, "stream_id", None) or 0)
        if isinstance(ev, h2.events.ResponseReceived):
            r["headers"] = dict((k.decode(), v.decode()) for k, v in ev.headers)
        elif isinstance(ev, h2.events.DataReceived):
            r["body"] += ev.data
            if ev.stream_id in self.held:
                # A slow reader of this stream only: the connection window stays open.
                self.held[ev.stream_id] += ev.flow_controlled_length
                if ev.flow_controlled_length:
                    self.conn.increment_flow_control_window(ev.flow_controlled_length)
            else:
                self.conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
        elif isinstance(ev, h2.events.TrailersReceived):
            r["trailers"] = dict((k.decode(), v.decode()) for k, v in ev.headers)
        elif isinstance(ev, h2.events.StreamEnded):
            r["ended"] = True
        elif isinstance(ev, h2.events.StreamReset):
            if r is not None:
                r["reset"] = ev.error_code
        elif isinstance(ev, h2.events.ConnectionTerminated):
            self.goaway = ev

    def close(self):
        try:
            self.conn.close_connection()
            self.flush()
        except Exception:
            pass
        self.sock.close()


def versions_in_dump(p, url):
    m = T.wait_dump_line(p, url)[-1]
    return m.group("version"), m.group("status")


@case(spyglass_only=True)
def curl_h2_to_h2_origin(env):
    p, n = proxy(env), nginx(env)
    url = f"https://localhost:{n.h2_port}/100k"
    r = T.curl(url, "--http2", "--cacert", p.ca_file, proxy=p)
    check(r.rc == 0 and r.status == 200, f"curl: {r}")
    check_eq(r.info.get("http_version"), "2", "HTTP version curl spoke with the proxy")
    check_eq(hashlib.sha256(r.body).hexdigest(), T.body_sha256(100 * 1024), "body")
    check_eq(versions_in_dump(p, url), ("HTTP/2.0", "200"), "dump line")


@case(spyglass_only=True)
def curl_h2_to_h1_only_origin(env):
    # The origin speaks only HTTP/1.1: the client still gets HTTP/2 from the proxy.
    p, n = proxy(env), nginx(env)
    url = f"https://localhost:{n.h1_port}/1m"
    r = T.curl(url, "--http2", "--cacert", p.ca_file, proxy=p)
    check(r.rc == 0 and r.status == 200, f"curl: {r}")
    check_eq(r.info.get("http_version"), "2", "HTTP version between curl and the proxy")
    check_eq(hashlib.sha256(r.body).hexdigest(), T.body_sha256(T.MiB), "body")
    check_eq(versions_in_dump(p, url), ("HTTP/2.0", "200"), "dump line")


@case(spyglass_only=True)
def curl_h1_to_h2_origin(env):
    p, n = proxy(env), nginx(env)
    url = f"https://localhost:{n.h2_port}/1k"
    r = T.curl(url, "--http1.1", "--cacert", p.ca_file, proxy=p)
    check(r.rc == 0 and r.status == 200, f"curl: {r}")
    check_eq(r.info.get("http_version"), "1.1", "HTTP version between curl and the proxy")
    check_eq(r.body, T.body_bytes(1024), "body")
    check_eq(versions_in_dump(p, url), ("HTTP/1.1", "200"), "dump line (client's version)")


@case(spyglass_only=True)
def hundred_concurrent_streams(env):
    p, n = proxy(env), nginx(env)
    c = H2Client.through_proxy(p.port, "localhost", n.h2_port, p.ca_file)
    try:
        authority = f"localhost:{n.h2_port}"
        sids = [c.request("GET", authority, "/100k" if i % 10 == 0 else "/1k")
                for i in range(100)]
        results = c.run(sids, timeout=60)
        for i, r in enumerate(results):
            check_eq(r["headers"].get(":status"), "200", f"status of stream {sids[i]}")
            check_eq(len(r["body"]), 100 * 1024 if i % 10 == 0 else 1024,
                     f"body size of stream {sids[i]}")
    finally:
        c.close()
    T.wait_dump_line(p, f"https://localhost:{n.h2_port}/1k", count=90)


@case(spyglass_only=True)
def hundred_streams_to_h1_origin(env):
    # An HTTP/1.1-only server behind an HTTP/2 client: every stream still completes.
    p, n = proxy(env), nginx(env)
    c = H2Client.through_proxy(p.port, "localhost", n.h1_port, p.ca_file)
    try:
        sids = [c.request("GET", f"localhost:{n.h1_port}", "/1k") for _ in range(100)]
        for sid, r in zip(sids, c.run(sids, timeout=60)):
            check_eq((r["headers"].get(":status"), len(r["body"])), ("200", 1024),
                     f"stream {sid}")
    finally:
        c.close()


@case(spyglass_only=True)
def slow_stream_does_not_stall_siblings(env):
    # HTTP/2 client, HTTP/1.1-only server: while one stream trickles for two seconds, its
    # siblings run on other connections to the same server and finish first.
    p, o = proxy(env), env.tls_origin
    c = H2Client.through_proxy(p.port, "localhost", o.port, p.ca_file)
    try:
        authority = f"localhost:{o.port}"
        slow = c.request("GET", authority, "/slow?n=100000&chunk=1000&ms=20")
        time.sleep(0.2)
        fast = [c.request("GET", authority, f"/bytes/{1000 + i}") for i in range(5)]
        t0 = time.monotonic()
        results = c.run(fast, timeout=20)
        elapsed = time.monotonic() - t0
        check(not c.responses[slow]["ended"], "the slow stream ended before its siblings")
        check(elapsed < 1.5, f"siblings took {elapsed:.2f}s: they waited for the slow stream")
        for i, r in enumerate(results):
            check_eq(len(r["body"]), 1000 + i, f"sibling {i}")
        (r,) = c.run([slow], timeout=20)
        check_eq(len(r["body"]), 100000, "the slow stream in the end")
    finally:
        c.close()


@case(spyglass_only=True)
def unread_download_is_held_back_not_buffered(env):
    # One stream's 64 MB download is not read by the client (its window stays shut): the proxy
    # stops reading that server instead of buffering it, siblings finish, and the stream
    # completes once the client reads again.
    p, o = env.new_proxy(env.trust_test_ca), env.tls_origin
    n = 64 * T.MiB
    c = H2Client.through_proxy(p.port, "localhost", o.port, p.ca_file)
    try:
        authority = f"localhost:{o.port}"
        big = c.request("GET", authority, f"/bytes/{n}")
        c.hold(big)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:  # let the window fill and the proxy stall
            c.sock.settimeout(0.2)
            try:
                data = c.sock.recv(65536)
            except (socket.timeout, ssl.SSLWantReadError):
                continue
            for ev in c.conn.receive_data(data):
                c.on_event(ev)
            c.flush()
        c.sock.settimeout(20)
        received_while_held = len(c.responses[big]["body"])
        rss_mib = p.rss_kib() / 1024
        T.note(f"held: {received_while_held} bytes arrived, proxy RSS {rss_mib:.0f} MiB")
        siblings = [c.request("GET", authority, "/bytes/2000") for _ in range(3)]
        for sid, r in zip(siblings, c.run(siblings)):
            check_eq(len(r["body"]), 2000, f"sibling {sid} while one stream is held")
        check(received_while_held < 4 * T.MiB,
              f"{received_while_held} bytes arrived although the client read nothing")
        check(rss_mib < 48, f"proxy RSS {rss_mib:.0f} MiB while a 64 MB download is held")
        c.release(big)
        c.held.clear()
        (r,) = c.run([big], timeout=120)
        check_eq(len(r["body"]), n, "the held download in the end")
    finally:
        c.close()


@case(spyglass_only=True)
def ten_megabyte_upload_h2_to_h1(env):
    p, o = proxy(env), env.tls_origin
    body = os.urandom(10 * T.MiB)
    c = H2Client.through_proxy(p.port, "localhost", o.port, p.ca_file)
    try:
        sid = c.request("POST", f"localhost:{o.port}", "/echo", body=body,
                        headers=[("content-type", "application/octet-stream")])
        (r,) = c.run([sid], timeout=60)
    finally:
        c.close()
    check_eq(r["headers"].get(":status"), "200", "status")
    echo = json.loads(bytes(r["body"]))
    check_eq((echo["body_len"], echo["body_sha256"]),
             (len(body), hashlib.sha256(body).hexdigest()), "what the origin received")


@case(spyglass_only=True)
def ten_megabyte_upload_h2_to_h2(env):
    p, n = proxy(env), nginx(env)
    body = os.urandom(10 * T.MiB)
    c = H2Client.through_proxy(p.port, "localhost", n.h2_port, p.ca_file)
    try:
        authority = f"localhost:{n.h2_port}"
        sid = c.request("PUT", authority, "/dav/upload.bin", body=body)
        (r,) = c.run([sid], timeout=60)
        check(r["headers"].get(":status") in ("201", "204"), f"PUT status: {r['headers']}")
        sid = c.request("GET", authority, "/dav/upload.bin")
        (r,) = c.run([sid], timeout=60)
    finally:
        c.close()
    check_eq(hashlib.sha256(bytes(r["body"])).hexdigest(), hashlib.sha256(body).hexdigest(),
             "the file read back")


@case(spyglass_only=True)
def reset_one_stream_others_finish(env):
    p, o = proxy(env), env.tls_origin
    c = H2Client.through_proxy(p.port, "localhost", o.port, p.ca_file)
    try:
        authority = f"localhost:{o.port}"
        slow = c.request("GET", authority, "/slow?n=200000&chunk=1000&ms=20")
        fast = [c.request("GET", authority, "/bytes/5000") for _ in range(3)]
        time.sleep(0.3)
        c.reset(slow)
        for sid, r in zip(fast, c.run(fast, timeout=30)):
            check_eq((r["headers"].get(":status"), len(r["body"])), ("200", 5000),
                     f"sibling stream {sid}")
        # The connection is still good for new streams.
        sid = c.request("GET", authority, "/bytes/10")
        (r,) = c.run([sid])
        check_eq(len(r["body"]), 10, "a stream after the reset")
    finally:
        c.close()
    url = f"https://localhost:{o.port}/slow?n=200000&chunk=1000&ms=20"
    T.wait_dump_line(p, url, error=True)


@case(spyglass_only=True)
def goaway_from_client(env):
    p, n = proxy(env), nginx(env)
    c = H2Client.through_proxy(p.port, "localhost", n.h2_port, p.ca_file)
    sid = c.request("GET", f"localhost:{n.h2_port}", "/1k")
    (r,) = c.run([sid])
    check_eq(len(r["body"]), 1024, "body before GOAWAY")
    c.conn.close_connection()
    c.flush()
    # The proxy answers by closing the connection (after its own GOAWAY, if any).
    c.sock.settimeout(10)
    rest = b""
    try:
        while True:
            data = c.sock.recv(65536)
            if not data:
                break
            rest += data
    except (ConnectionResetError, ssl.SSLError):
        pass
    c.sock.close()
    check(p.alive(), "the proxy survived a GOAWAY")


@case(spyglass_only=True)
def malformed_frame_ends_only_that_connection(env):
    p, n = proxy(env), nginx(env)
    good = H2Client.through_proxy(p.port, "localhost", n.h2_port, p.ca_file)
    bad = H2Client.through_proxy(p.port, "localhost", n.h2_port, p.ca_file)
    try:
        # A SETTINGS frame on stream 1 is a connection error (RFC 9113 6.5).
        bad.sock.sendall(bytes.fromhex("000000040000000001"))
        bad.sock.settimeout(10)
        got = b""
        try:
            while True:
                data = bad.sock.recv(65536)
                if not data:
                    break
                got += data
        except (ConnectionResetError, ssl.SSLError):
            pass
        events = bad.conn.receive_data(got) if got else []
        check(any(isinstance(e, h2.events.ConnectionTerminated) for e in events),
              f"no GOAWAY before the close: {events}")
        sid = good.request("GET", f"localhost:{n.h2_port}", "/1k")
        (r,) = good.run([sid])
        check_eq(len(r["body"]), 1024, "another connection after the bad one")
    finally:
        good.close()
        bad.sock.close()


@case(spyglass_only=True)
def h2c_prior_knowledge_on_proxy_port(env):
    # gRPC-style cleartext HTTP/2 to the proxy port itself (mitmproxy refuses this); the
    # proxy speaks prior-knowledge HTTP/2 upstream too, as gRPC servers need.
    p, n = proxy(env), nginx(env)
    c = H2Client(T.connect(p.port))
    try:
        authority = f"127.0.0.1:{n.h2c_port}"
        sids = [c.request("GET", authority, path, scheme="http") for path in ("/1k", "/100k")]
        sids.append(c.request("PUT", authority, "/dav/h2c.bin", scheme="http", body=b"hi h2c"))
        results = c.run(sids)
        sid = c.request("GET", authority, "/dav/h2c.bin", scheme="http")
        (back,) = c.run([sid])
    finally:
        c.close()
    check_eq([len(r["body"]) for r in results[:2]], [1024, 100 * 1024], "bodies")
    check(results[2]["headers"].get(":status") in ("201", "204"), f"PUT: {results[2]}")
    check_eq(bytes(back["body"]), b"hi h2c", "the uploaded file read back")
    check_eq(versions_in_dump(p, f"http://127.0.0.1:{n.h2c_port}/1k"), ("HTTP/2.0", "200"),
             "dump line")


@case(spyglass_only=True)
def h2c_in_reverse_mode(env):
    # A gRPC-style h2c client in front of a reverse proxy to an h2c server.
    n = nginx(env)
    p = env.new_proxy(["--mode", f"reverse:http://127.0.0.1:{n.h2c_port}"])
    c = H2Client(T.connect(p.port))
    try:
        sids = [c.request("GET", f"127.0.0.1:{p.port}", path, scheme="http")
                for path in ("/1k", "/100k")]
        results = c.run(sids)
    finally:
        c.close()
    check_eq([len(r["body"]) for r in results], [1024, 100 * 1024], "bodies")
    check_eq(versions_in_dump(p, f"http://127.0.0.1:{n.h2c_port}/1k"), ("HTTP/2.0", "200"),
             "dump line")


@case(spyglass_only=True)
def nghttp_client_h2c(env):
    # nghttp (nghttp2-client) speaking prior-knowledge HTTP/2 to the proxy port, :authority
    # naming the h2c origin, ten requests on one connection.
    p, n = proxy(env), nginx(env)
    r = T.run(["nghttp", "-n", "-s", "-m", "10", "-H", f":authority: 127.0.0.1:{n.h2c_port}",
               f"http://127.0.0.1:{p.port}/100k"], timeout=30)
    check(r.returncode == 0, f"nghttp failed: {r.stderr!r} {r.stdout[-300:]!r}")
    T.wait_dump_line(p, f"http://127.0.0.1:{n.h2c_port}/100k", count=10)


@case(spyglass_only=True)
def http2_off_keeps_http11(env):
    p, n = env.proxy([*env.trust_test_ca, "--set", "http2=false"]), nginx(env)
    r = T.curl(f"https://localhost:{n.h2_port}/1k", "--http2", "--cacert", p.ca_file, proxy=p)
    check(r.rc == 0 and r.status == 200, f"curl: {r}")
    check_eq(r.info.get("http_version"), "1.1", "HTTP version with http2=false")


@case(spyglass_only=True)
def version_in_session_and_har(env):
    n = nginx(env)
    session = os.path.join(env.tmp, "h2.sgsession")
    har = os.path.join(env.tmp, "h2.har")
    p = env.new_proxy([*env.trust_test_ca, "-w", session, "--har", har])
    url = f"https://localhost:{n.h2_port}/1k"
    r = T.curl(url, "--http2", "--cacert", p.ca_file, proxy=p)
    check(r.rc == 0, f"curl: {r}")
    T.wait_dump_line(p, url)
    p.stop()
    with open(har) as f:
        entries = json.load(f)["log"]["entries"]
    e = [e for e in entries if e["request"]["url"] == url][0]
    check_eq((e["request"]["httpVersion"], e["response"]["httpVersion"]),
             ("HTTP/2.0", "HTTP/2.0"), "HAR versions")
    out = T.run([T.proxy_exe(), "-n", "-r", session], timeout=30).stdout.decode()
    check(f"GET {url} HTTP/2.0 -> 200" in out, f"session read back: {out!r}")


if __name__ == "__main__":
    try:
        T.main()
    finally:
        if _nginx is not None:
            _nginx.stop()
