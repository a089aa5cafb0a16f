#!/usr/bin/python3
"""Malformed input over raw sockets. Each gets a 400, or a clean close where nothing can be
said; afterwards the proxy is still alive and a normal curl request still works."""

import os
import random
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402


def healthy(env, p):
    """The proxy is alive and serves a normal request."""
    o = env.origin
    time.sleep(0.1)
    check(p.alive(), f"proxy died (exit code {p.proc.returncode})")
    r = T.curl(o.url("/bytes/100"), proxy=p, timeout=15)
    check(r.rc == 0 and r.status == 200 and r.body == T.body_bytes(100),
          f"a normal request after the bad one failed: {r}")


def send_raw(port, data, half_close=False, timeout=5):
    """Sends bytes, optionally half-closes, and reads until the proxy closes.
    Returns (reply bytes, our local port)."""
    with T.connect(port, timeout) as s:
        local = s.getsockname()[1]
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the proxy may answer and close before it has read everything
        if half_close:
            s.shutdown(socket.SHUT_WR)
        return T.recv_until_close(s, timeout), local


def expect_400(reply, what):
    check(reply, f"{what}: connection closed without a 400")
    resp = T.parse_response_bytes(reply)
    check_eq(resp.status, 400, f"{what}: status")
    return resp


def expect_400_or_close(reply, what, strict):
    """`strict` (Spyglass): a 400 is required; otherwise a clean close is accepted too."""
    if not reply and not strict:
        return None
    return expect_400(reply, what)


def origin_saw(env, marker):
    return [q for q in env.origin.requests if marker in q["path"]]


def target(env, path):
    o = env.origin
    return o.url(path), f"Host: {T.HOST}:{o.port}\r\n"


@case
def garbage_request(env):
    p = env.proxy()
    reply, _ = send_raw(p.port, b"\x00\x01\x02garbage\xff\xfe\r\n\r\n")
    expect_400(reply, "garbage")
    healthy(env, p)


@case(spyglass_only=True)
def garbage_request_dump_error_line(env):
    p = env.proxy()
    _, local = send_raw(p.port, b"\x16garbage that is no request\r\n\r\n")
    rx = re.compile(rf"^127\.0\.0\.1:{local} (\S+) (\S+) (\S+) -> error: .+")
    deadline = time.monotonic() + 10
    while not any(rx.match(ln) for ln in p.lines()):
        check(time.monotonic() < deadline, f"no error dump line for client port {local}; "
              f"stdout tail: {p.lines()[-5:]}")
        time.sleep(0.05)
    healthy(env, p)


@case
def truncated_head_then_close(env):
    p = env.proxy()
    url, _ = target(env, "/echo?case=truncated")
    reply, _ = send_raw(p.port, f"GET {url} HTTP/1.1\r\nHost: 127".encode(), half_close=True)
    expect_400_or_close(reply, "truncated head", strict=False)
    check(not origin_saw(env, "case=truncated"), "a truncated head reached the origin")
    healthy(env, p)


@case
def bad_chunk_size(env):
    p = env.proxy()
    url, host = target(env, "/echo?case=badchunk")
    data = (f"POST {url} HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n\r\n"
            f"zz\r\nhello\r\n0\r\n\r\n").encode()
    reply, _ = send_raw(p.port, data)
    expect_400_or_close(reply, "bad chunk size", strict=T.SPYGLASS)
    check(not origin_saw(env, "case=badchunk"), "a broken chunked body reached the origin whole")
    healthy(env, p)


@case
def content_length_and_transfer_encoding(env):
    p = env.proxy()
    url, host = target(env, "/echo?case=clte")
    data = (f"POST {url} HTTP/1.1\r\n{host}Content-Length: 5\r\n"
            f"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n").encode()
    reply, _ = send_raw(p.port, data)
    expect_400(reply, "Content-Length with Transfer-Encoding")
    check(not origin_saw(env, "case=clte"), "an ambiguous request reached the origin")
    healthy(env, p)


@case
def invalid_content_length(env):
    p = env.proxy()
    url, host = target(env, "/echo?case=badcl")
    for value in ("abc", "-5", "5, 6"):
        data = f"POST {url} HTTP/1.1\r\n{host}Content-Length: {value}\r\n\r\nhello".encode()
        reply, _ = send_raw(p.port, data)
        expect_400(reply, f"Content-Length: {value}")
    check(not origin_saw(env, "case=badcl"), "a request with a bad Content-Length was forwarded")
    healthy(env, p)


@case(mitmdump_gap="forwards the obs-fold verbatim (CRLF inside a header value)")
def obs_fold_header(env):
    p = env.proxy()
    url, host = target(env, "/echo?case=obsfold")
    data = (f"GET {url} HTTP/1.1\r\n{host}X-Folded: first\r\n second\r\n"
            f"Connection: close\r\n\r\n").encode()
    reply, _ = send_raw(p.port, data)
    # RFC 9112 5.2: reject with 400, or replace each obs-fold with SP before forwarding.
    seen = origin_saw(env, "case=obsfold")
    if seen:
        values = [v for k, v in seen[-1]["headers"] if k.lower() == "x-folded"]
        check(values and all("\r" not in v and "\n" not in v for v in values),
              f"obs-fold forwarded verbatim: {values!r}")
        check_eq(T.parse_response_bytes(reply).status, 200, "status of the unfolded request")
    else:
        expect_400(reply, "obs-fold")
    healthy(env, p)


@case
def huge_header(env):
    p = env.proxy()
    url, host = target(env, "/echo?case=hugeheader")
    data = (f"GET {url} HTTP/1.1\r\n{host}X-Big: {'a' * 100 * 1024}\r\n"
            f"Connection: close\r\n\r\n").encode()
    reply, _ = send_raw(p.port, data)
    check(reply, "connection closed without a response")
    resp = T.parse_response_bytes(reply)
    check(resp.status in (400, 431), f"status {resp.status}, expected 400 or 431")
    if T.SPYGLASS:  # its head limit is 64 KiB: the proxy answers itself
        check(not origin_saw(env, "case=hugeheader"), "a 100 KiB header reached the origin")
    healthy(env, p)


@case
def garbage_client_hello_after_connect(env):
    p, o = env.proxy(), env.tls_origin
    junk = random.Random(7).randbytes(200)
    # Complete records (0xcc = 204 bytes: a 4-byte handshake header and 200 bytes of body).
    hellos = (
        b"\x16\x03\x01\x00\xcc\x01\x00\x00\xc8" + junk,              # ClientHello, junk body
        b"\x16\x03\x01\x00\xcc\x01\x00\x00\xc8\x03\x03" + junk[:198],  # junk after version
        b"\x16\x03\x01\x00\x08\x01\x00\x00\x04abcd",                 # far too short
    )
    for hello in hellos:
        s = T.tunnel(p.port, "localhost", o.port)
        with s:
            s.sendall(hello)
            reply = T.recv_until_close(s, timeout=5)
        # Nothing HTTP can be said inside a TLS stream: a close (perhaps after a TLS alert).
        check(not reply.startswith(b"HTTP/"), f"HTTP answer inside a TLS tunnel: {reply[:80]!r}")
        check(not reply or reply[0] == 0x15, f"unexpected bytes instead of a TLS alert: "
              f"{reply[:40]!r}")
    healthy(env, p)


@case
def client_vanishes_mid_body(env):
    p = env.proxy()
    url, host = target(env, "/echo?case=vanish")
    with T.connect(p.port) as s:
        s.sendall(f"POST {url} HTTP/1.1\r\n{host}Content-Length: 100000\r\n\r\n".encode()
                  + b"x" * 1000)
        time.sleep(0.2)
    time.sleep(0.3)
    check(not origin_saw(env, "case=vanish"), "a truncated body reached the origin as complete")
    healthy(env, p)


@case
def many_bad_connections_then_good(env):
    p = env.proxy()
    for i in range(30):
        with T.connect(p.port) as s:
            s.sendall(random.Random(i).randbytes(50 + i * 7))
    for i in range(10):
        with T.connect(p.port):
            pass  # connect and leave at once
    healthy(env, p)


if __name__ == "__main__":
    T.main()
