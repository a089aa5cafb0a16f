#!/usr/bin/python3
"""Plain HTTP/1.1 through the proxy with curl and raw sockets: methods, bodies in every framing,
bodiless statuses, 100-continue, keep-alive and pipelining, Host-header fallback, and a dead
upstream."""

import hashlib
import io
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402


def upload_file(env, n):
    path = os.path.join(env.tmp, f"upload-{n}.bin")
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(T.body_bytes(n))
    return path


def sha(data):
    return hashlib.sha256(data).hexdigest()


@case
def get_body_intact(env):
    p, o = env.proxy(), env.origin
    for n in (0, 1, 1024, 200_000):
        r = T.curl(o.url(f"/bytes/{n}"), proxy=p)
        check(r.rc == 0 and r.status == 200, f"/bytes/{n}: {r}")
        check_eq(sha(r.body), T.body_sha256(n), f"sha256 of /bytes/{n}")
        check_eq(r.header("Content-Length"), str(n), f"Content-Length of /bytes/{n}")


@case
def post_with_body(env):
    p, o = env.proxy(), env.origin
    path = upload_file(env, 50_000)
    r = T.curl(o.url("/echo?x=1"), "--data-binary", f"@{path}",
               "-H", "Content-Type: application/octet-stream", "-H", "X-Test: post", proxy=p)
    check(r.rc == 0 and r.status == 200, f"{r}")
    echo = json.loads(r.body)
    check_eq(echo["method"], "POST", "method at the origin")
    check_eq(echo["path"], "/echo?x=1", "path at the origin")
    check_eq(echo["body_len"], 50_000, "body length at the origin")
    check_eq(echo["body_sha256"], T.body_sha256(50_000), "body sha256 at the origin")
    headers = {k.lower(): v for k, v in echo["headers"]}
    check_eq(headers.get("x-test"), "post", "custom request header at the origin")
    check_eq(headers.get("content-type"), "application/octet-stream", "Content-Type at origin")


@case
def chunked_upload(env):
    p, o = env.proxy(), env.origin
    path = upload_file(env, 300_000)
    r = T.curl(o.url("/echo"), "-H", "Transfer-Encoding: chunked", "--data-binary", f"@{path}",
               proxy=p)
    check(r.rc == 0 and r.status == 200, f"{r}")
    echo = json.loads(r.body)
    check_eq(echo["body_len"], 300_000, "body length at the origin")
    check_eq(echo["body_sha256"], T.body_sha256(300_000), "body sha256 at the origin")
    headers = {k.lower(): v for k, v in echo["headers"]}
    framed = ("chunked" in headers.get("transfer-encoding", "").lower()
              or headers.get("content-length") == "300000")
    check(framed, f"origin saw neither chunked nor a correct Content-Length: {headers}")


@case
def chunked_download(env):
    p, o = env.proxy(), env.origin
    for n in (0, 10, 300_000):
        r = T.curl(o.url(f"/chunked/{n}"), proxy=p)
        check(r.rc == 0 and r.status == 200, f"/chunked/{n}: {r}")
        check_eq(len(r.body), n, f"length of /chunked/{n}")
        check_eq(sha(r.body), T.body_sha256(n), f"sha256 of /chunked/{n}")


@case
def head_has_no_body(env):
    p, o = env.proxy(), env.origin
    o.reset()
    urls = [o.url("/bytes/5000"), o.url("/chunked/100"), o.url("/bytes/10")]
    r, infos, elapsed = T.curl_many(urls, "-I", "-D", "-", proxy=p, timeout=20)
    check(r.returncode == 0, f"curl -I failed: {r.stderr!r}")
    check_eq([i["http_code"] for i in infos], [200, 200, 200], "statuses")
    check(b"Content-Length: 5000" in r.stdout or b"content-length: 5000" in r.stdout,
          f"HEAD /bytes/5000 lost its Content-Length: {r.stdout[:400]!r}")
    check(elapsed < 5, f"HEAD took {elapsed:.1f}s: the proxy waited for a body")
    check_eq(sum(i["num_connects"] for i in infos), 1, "client connections for 3 HEADs")
    check_eq([q["method"] for q in o.requests], ["HEAD"] * 3, "methods at the origin")


@case
def bodiless_204_and_304(env):
    p, o = env.proxy(), env.origin
    urls = [o.url("/status/204"), o.url("/status/304"), o.url("/bytes/10"),
            o.url("/status/404")]
    r, infos, elapsed = T.curl_many(urls, proxy=p, timeout=20)
    check(r.returncode == 0, f"curl failed: {r.stderr!r}")
    check_eq([i["http_code"] for i in infos], [204, 304, 200, 404], "statuses")
    check_eq([i["size_download"] for i in infos], [0, 0, 10, 11], "body sizes")
    check(elapsed < 5, f"took {elapsed:.1f}s: the proxy waited for a 204/304 body")
    check_eq(sum(i["num_connects"] for i in infos), 1, "client connections for 4 requests")


@case
def expect_100_continue(env):
    p, o = env.proxy(), env.origin
    n = 2 * T.MiB
    path = upload_file(env, n)
    r = T.curl(o.url("/echo"), "-v", "-H", "Expect: 100-continue", "--expect100-timeout", "10",
               "--data-binary", f"@{path}", proxy=p, timeout=30)
    check(r.rc == 0 and r.status == 200, f"{r}")
    check(r.elapsed < 5, f"took {r.elapsed:.1f}s: no 100 Continue, curl waited out its timeout")
    check("< HTTP/1.1 100 Continue" in r.stderr, "curl never saw '100 Continue'")
    echo = json.loads(r.body)
    check_eq(echo["body_len"], n, "body length at the origin")
    check_eq(echo["body_sha256"], T.body_sha256(n), "body sha256 at the origin")


@case
def read_until_close_body(env):
    p, o = env.proxy(), env.origin
    for path, n in (("/close", 1000), ("/close/300000", 300_000)):
        r = T.curl(o.url(path), proxy=p)
        check(r.rc == 0 and r.status == 200, f"{path}: {r}")
        check_eq(len(r.body), n, f"length of {path}")
        check_eq(sha(r.body), T.body_sha256(n), f"sha256 of {path}")
    r = T.curl(o.url("/bytes/7"), proxy=p)
    check(r.rc == 0 and r.status == 200 and len(r.body) == 7, f"request after /close: {r}")


@case(mitmdump_gap="HTTP/1 trailers raise NotImplementedError and the flow hangs")
def trailers_forwarded(env):
    p, o = env.proxy(), env.origin
    data = b"hello, trailers" * 10
    r = T.curl(o.url("/trailers"), "--raw", proxy=p, timeout=15)
    check(r.rc == 0 and r.status == 200, f"{r}")
    check_eq((r.header("Transfer-Encoding") or "").lower(), "chunked", "Transfer-Encoding")
    raw = r.body
    want = b"0\r\nX-Checksum: " + sha(data).encode() + b"\r\n\r\n"
    check(raw.endswith(want), f"raw body does not end with the trailer: ...{raw[-120:]!r}")
    decoded, trailers = T.read_chunked(io.BytesIO(raw))
    check_eq(decoded, data, "decoded body")
    check_eq(trailers, [("X-Checksum", sha(data))], "trailers")


@case
def keep_alive_reuses_upstream(env):
    p, o = env.proxy(), env.origin
    o.reset()
    urls = [o.url("/bytes/100"), o.url("/echo"), o.url("/chunked/50"), o.url("/status/404")]
    r, infos, _ = T.curl_many(urls, proxy=p)
    check(r.returncode == 0, f"curl failed: {r.stderr!r}")
    check_eq([i["http_code"] for i in infos], [200, 200, 200, 404], "statuses")
    check_eq(sum(i["num_connects"] for i in infos), 1, "client connections (curl side)")
    check_eq(len(o.requests), 4, "requests at the origin")
    check_eq(o.connections, 1, "connections the origin saw")


@case
def pipelined_requests_in_order(env):
    p, o = env.proxy(), env.origin
    host = f"Host: {T.HOST}:{o.port}\r\n"
    reqs = (f"GET {o.url('/delay/300?i=1')} HTTP/1.1\r\n{host}\r\n"
            f"GET {o.url('/echo?i=2')} HTTP/1.1\r\n{host}\r\n"
            f"GET {o.url('/bytes/7?i=3')} HTTP/1.1\r\n{host}Connection: close\r\n\r\n")
    with T.connect(p.port) as s:
        s.sendall(reqs.encode())
        reader = T.ResponseReader(s, timeout=10)
        r1, r2, r3 = reader.read(), reader.read(), reader.read()
    check_eq((r1.status, r1.body), (200, b"delayed 300\n"), "first response")
    check_eq(r2.status, 200, "second status")
    check_eq(json.loads(r2.body)["path"], "/echo?i=2", "second response's request path")
    check_eq((r3.status, r3.body), (200, T.body_bytes(7)), "third response")


@case
def origin_form_uses_host_header(env):
    p, o = env.proxy(), env.origin
    req = (f"GET /echo?fallback=1 HTTP/1.1\r\nHost: {T.HOST}:{o.port}\r\n"
           f"Connection: close\r\n\r\n").encode()
    resp = T.parse_response_bytes(T.raw_exchange(p.port, req))
    check_eq(resp.status, 200, "status")
    echo = json.loads(resp.body)
    check_eq(echo["path"], "/echo?fallback=1", "path at the origin")
    headers = {k.lower(): v for k, v in echo["headers"]}
    check_eq(headers.get("host"), f"{T.HOST}:{o.port}", "Host at the origin")


@case
def dead_upstream_gives_502(env):
    p = env.proxy()
    dead = T.free_port()
    r = T.curl(f"http://{T.HOST}:{dead}/nothing-here", proxy=p, timeout=40)
    check(r.rc == 0, f"curl failed instead of getting a response: {r}")
    check_eq(r.status, 502, "status")
    try:
        text = r.body.decode("utf-8")
    except UnicodeDecodeError:
        raise T.TestFailure(f"502 body is not UTF-8 text: {r.body[:200]!r}")
    check(len(text.strip()) > 10, f"502 body is empty or too short: {text!r}")
    check(any(w in text.lower() for w in ("refused", "connect", "unreachable")),
          f"502 body does not say what went wrong: {text[:300]!r}")
    r2 = T.curl(env.origin.url("/bytes/5"), proxy=p)
    check(r2.rc == 0 and r2.status == 200, f"proxy unusable after a 502: {r2}")


@case(spyglass_only=True)
def dead_upstream_dump_error_line(env):
    p = env.proxy()
    dead = T.free_port()
    url = f"http://{T.HOST}:{dead}/gone"
    r = T.curl(url, proxy=p, timeout=40)
    check_eq(r.status, 502, "status")
    m = T.wait_dump_line(p, url, error=True)[0]
    check_eq((m.group("method"), m.group("version")), ("GET", "HTTP/1.1"), "method and version")
    check_eq(m.group("client"), f"127.0.0.1:{r.info.get('local_port')}", "client address")


@case
def proxy_still_alive(env):
    p = env.proxy(restart=False)
    check(p.alive(), f"proxy exited with {p.proc.returncode}")


if __name__ == "__main__":
    T.main()
