#!/usr/bin/python3
"""Big and slow transfers: 100 MB through the proxy (http and https) with bounded proxy memory,
a slow reader that must not make the proxy buffer the download, a slow writer, a slowly sent
response, and body_size_limit."""

import hashlib
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402

BIG = 100 * T.MiB
RSS_LIMIT_KIB = 64 * 1024

_baseline = {}


def big_proxy(env):
    """Shared proxy with default body options (mitmdump gets stream_large_bodies=10m from the
    harness, Spyglass's own default). Its memory at start is kept as the baseline."""
    p = env.proxy(env.trust_test_ca)
    if p.pid not in _baseline:
        _baseline[p.pid] = p.hwm_kib()
    return p


def memory_limit_kib(p):
    """Spyglass: peak RSS below 64 MiB, absolute. mitmdump (a Python process that starts near
    60 MiB): growth of the peak over its start-up peak below 64 MiB."""
    return RSS_LIMIT_KIB if T.SPYGLASS else _baseline[p.pid] + RSS_LIMIT_KIB


def check_memory(p, what):
    hwm = p.hwm_kib()
    check(hwm is not None, f"proxy process gone ({what})")
    limit = memory_limit_kib(p)
    check(hwm < limit, f"proxy peak RSS {hwm / 1024:.1f} MiB after {what}, limit "
          f"{limit / 1024:.1f} MiB (start-up peak {_baseline[p.pid] / 1024:.1f} MiB)")


def download_hashed(url, *args, proxy, timeout=90):
    """curl to a pipe, hashed as it streams: (bytes, sha256 hex, curl rc, curl stderr)."""
    argv = [T.CURL, "-q", "-sS", "-x", proxy.url, *args, url]
    errfile = tempfile.TemporaryFile()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errfile, env=T.clean_env())
    h, n = hashlib.sha256(), 0
    deadline = time.monotonic() + timeout
    fd = proc.stdout.fileno()
    try:
        while True:
            left = deadline - time.monotonic()
            ready = select.select([fd], [], [], max(0, left))[0] if left > 0 else []
            if not ready:
                raise T.TestFailure(f"download not finished in {timeout}s ({n} bytes so far)")
            block = os.read(fd, 1 << 20)
            if not block:
                break
            h.update(block)
            n += len(block)
        proc.wait(timeout=max(1, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        errfile.seek(0)
        err = errfile.read().decode("utf-8", "replace")
        errfile.close()
    return n, h.hexdigest(), proc.returncode, err


@case
def download_100mb_http(env):
    p, o = big_proxy(env), env.origin
    t0 = time.monotonic()
    n, digest, rc, err = download_hashed(o.url(f"/bytes/{BIG}"), proxy=p)
    check(rc == 0, f"curl exit {rc}: {err}")
    check_eq(n, BIG, "bytes received")
    check_eq(digest, T.body_sha256(BIG), "sha256")
    T.note(f"{time.monotonic() - t0:.1f}s, proxy peak RSS {p.hwm_kib() / 1024:.1f} MiB")
    check_memory(p, "a 100 MB http download")


@case
def download_100mb_https(env):
    p, o = big_proxy(env), env.tls_origin
    t0 = time.monotonic()
    n, digest, rc, err = download_hashed(o.url(f"/bytes/{BIG}", host="localhost"),
                                         "--cacert", p.ca_file, proxy=p)
    check(rc == 0, f"curl exit {rc}: {err}")
    check_eq(n, BIG, "bytes received")
    check_eq(digest, T.body_sha256(BIG), "sha256")
    T.note(f"{time.monotonic() - t0:.1f}s, proxy peak RSS {p.hwm_kib() / 1024:.1f} MiB")
    check_memory(p, "a 100 MB https download")


@case
def slow_reader_bounded_memory(env):
    p, o = big_proxy(env), env.origin
    total = 2 * 1024 * T.MiB  # far more than could ever be buffered: the proxy must push back
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    s.settimeout(10)
    s.connect((T.HOST, p.port))
    got = bytearray()
    peak_rss = 0
    try:
        s.sendall(f"GET {o.url(f'/bytes/{total}')} HTTP/1.1\r\n"
                  f"Host: {T.HOST}:{o.port}\r\n\r\n".encode())
        t0 = time.monotonic()
        while time.monotonic() - t0 < 4:
            block = s.recv(64 * 1024)
            check(block, f"proxy closed the connection after {len(got)} bytes")
            got += block
            peak_rss = max(peak_rss, p.rss_kib() or 0)
            time.sleep(0.05)
    finally:
        s.close()
    head, _, body = bytes(got).partition(b"\r\n\r\n")
    check(head.startswith(b"HTTP/1.1 200"), f"bad response head: {head[:200]!r}")
    check(len(body) > 1 * T.MiB, f"only {len(body)} body bytes in 4s of slow reading")
    expected = b"".join(b for _, b in zip(range(len(body) // T.BLOCK + 1),
                                          T.body_blocks(total)))[:len(body)]
    check(body == expected, "slowly read body differs from what the origin sent")
    T.note(f"read {len(body) / T.MiB:.1f} MiB slowly, proxy RSS up to {peak_rss / 1024:.1f} MiB")
    check_memory(p, "a slow reader of a 2 GiB download")
    time.sleep(0.3)
    r = T.curl(o.url("/bytes/10"), proxy=p)
    check(r.rc == 0 and r.status == 200, f"proxy unusable after the slow reader left: {r}")


@case
def slow_writer_upload(env):
    p, o = big_proxy(env), env.origin
    body = T.body_bytes(256 * 1024)
    with T.connect(p.port, timeout=15) as s:
        s.sendall(f"POST {o.url('/echo?slow=1')} HTTP/1.1\r\nHost: {T.HOST}:{o.port}\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode())
        for off in range(0, len(body), 8192):  # 32 pieces, 50 ms apart: about 1.6 s
            s.sendall(body[off:off + 8192])
            time.sleep(0.05)
        resp = T.ResponseReader(s, timeout=15).read()
    check_eq(resp.status, 200, "status")
    echo = json.loads(resp.body)
    check_eq(echo["body_len"], len(body), "body length at the origin")
    check_eq(echo["body_sha256"], hashlib.sha256(body).hexdigest(), "body sha256 at the origin")


@case
def slowly_sent_response(env):
    p, o = big_proxy(env), env.origin
    r = T.curl(o.url("/slow?n=40000&chunk=2000&ms=50"), proxy=p, timeout=30)
    check(r.rc == 0 and r.status == 200, f"{r}")
    check_eq(r.body, T.body_bytes(40000), "slowly sent body")
    check(r.elapsed >= 0.9, f"took only {r.elapsed:.2f}s: the origin was not slow?")


@case
def body_size_limit(env):
    p, o = env.new_proxy(["--set", "body_size_limit=1k"]), env.origin
    r = T.curl(o.url("/bytes/2048"), proxy=p, timeout=30)
    full = r.rc == 0 and r.status == 200 and r.body == T.body_bytes(2048)
    check(not full, f"a 2k body passed a 1k body_size_limit: {r}")
    r = T.curl(o.url("/bytes/1000"), proxy=p)
    check(r.rc == 0 and r.status == 200 and r.body == T.body_bytes(1000),
          f"a body below the limit failed: {r}")
    if T.SPYGLASS:
        T.wait_dump_line(p, o.url("/bytes/2048"), error=True)
        T.wait_dump_line(p, o.url("/bytes/1000"), error=False)


@case
def proxy_still_alive(env):
    p = env.proxy(env.trust_test_ca, restart=False)
    check(p.alive(), f"proxy exited with {p.proc.returncode}")


if __name__ == "__main__":
    T.main()
