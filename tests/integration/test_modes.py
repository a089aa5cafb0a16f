#!/usr/bin/python3
"""Proxy modes (--mode, mitmproxy 7 spelling): reverse:http/https/tcp with curl and raw sockets,
Host rewritten to the target unless keep_host_header, TLS from the client and/or to the server,
SOCKS5 with curl (--socks5-hostname, --socks5, with and without credentials), several modes on
their own ports at once, and bad mode specs refused with exit code 2."""

import json
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402


def echo_headers(r):
    check(r.rc == 0 and r.status == 200, f"{r}")
    echo = json.loads(r.body)
    return echo, {k.lower(): v for k, v in echo["headers"]}


def reverse_proxy(env, target, *more):
    """A proxy whose only mode is `target`, on the port the harness gives it (-p)."""
    p = env.new_proxy(["--mode", target, *more])
    return p, p.port


@case(spyglass_only=True)
def reverse_http_rewrites_host(env):
    o = env.origin
    p, port = reverse_proxy(env, f"reverse:http://127.0.0.1:{o.port}")
    r = T.curl(f"http://127.0.0.1:{port}/echo?x=1")
    echo, headers = echo_headers(r)
    check_eq(echo["path"], "/echo?x=1", "path at the origin")
    check_eq(headers.get("host"), f"127.0.0.1:{o.port}", "Host header at the origin")
    T.wait_dump_line(p, f"http://127.0.0.1:{o.port}/echo?x=1")


@case(spyglass_only=True)
def reverse_http_keep_host_header(env):
    o = env.origin
    p, port = reverse_proxy(env, f"reverse:http://127.0.0.1:{o.port}",
                            "--set", "keep_host_header=true")
    r = T.curl(f"http://127.0.0.1:{port}/echo", "-H", "Host: front.example")
    _, headers = echo_headers(r)
    check_eq(headers.get("host"), "front.example", "Host header kept")


@case(spyglass_only=True)
def reverse_http_keepalive_and_post(env):
    o = env.origin
    p, port = reverse_proxy(env, f"reverse:http://127.0.0.1:{o.port}")
    done, infos, _ = T.curl_many([f"http://127.0.0.1:{port}/bytes/{n}" for n in (10, 100_000, 0)])
    check(done.returncode == 0, f"curl: {done.stderr!r}")
    check_eq([i.get("http_code") for i in infos], [200, 200, 200], "statuses")
    check_eq([i.get("size_download") for i in infos], [10, 100_000, 0], "sizes")
    check_eq(sum(i.get("num_connects", 0) for i in infos), 1, "client connections (keep-alive)")
    r = T.curl(f"http://127.0.0.1:{port}/echo", "--data-binary", "hello")
    echo, _ = echo_headers(r)
    check_eq(echo["method"], "POST", "method")
    check_eq(echo["body_len"], 5, "body length")


@case(spyglass_only=True)
def reverse_https_client_tls_and_server_tls(env):
    o = env.tls_origin
    p, port = reverse_proxy(env, f"reverse:https://localhost:{o.port}", *env.trust_test_ca)
    r = T.curl(f"https://localhost:{port}/echo", "--cacert", p.ca_file)
    _, headers = echo_headers(r)
    check_eq(headers.get("host"), f"localhost:{o.port}", "Host header at the origin")
    # HTTP/2 from the client, HTTP/1.1 to the origin.
    r = T.curl(f"https://localhost:{port}/bytes/5000", "--cacert", p.ca_file, "--http2")
    check(r.rc == 0 and r.status == 200 and len(r.body) == 5000, f"{r}")
    check_eq(str(r.info.get("http_version")), "2", "HTTP version between curl and the proxy")
    # A client that speaks plain HTTP to a reverse https:// proxy: TLS only to the server.
    r = T.curl(f"http://127.0.0.1:{port}/echo")
    _, headers = echo_headers(r)
    check_eq(headers.get("host"), f"localhost:{o.port}", "Host header (plain client)")


@case(spyglass_only=True)
def reverse_http_with_tls_client(env):
    o = env.origin
    p, port = reverse_proxy(env, f"reverse:http://127.0.0.1:{o.port}")
    # curl sends no SNI for an IP: the certificate is minted for the reverse target's IP.
    r = T.curl(f"https://127.0.0.1:{port}/echo", "--cacert", p.ca_file)
    _, headers = echo_headers(r)
    check_eq(headers.get("host"), f"127.0.0.1:{o.port}", "Host header at the plain origin")


@case(spyglass_only=True)
def reverse_tcp_relays_bytes(env):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    target = srv.getsockname()[1]
    p, port = reverse_proxy(env, f"reverse:tcp://127.0.0.1:{target}")
    c = T.connect(port)
    c.sendall(b"\x00\x01hello raw\xff")
    srv.settimeout(10)
    s, _ = srv.accept()
    s.settimeout(10)
    got = b""
    while len(got) < 12:
        chunk = s.recv(100)
        if not chunk:
            break
        got += chunk
    check_eq(got, b"\x00\x01hello raw\xff", "bytes at the server")
    s.sendall(b"pong")
    s.close()
    check_eq(T.recv_until_close(c), b"pong", "bytes back at the client")
    c.close()
    srv.close()


@case(spyglass_only=True)
def several_modes_at_once(env):
    o = env.origin
    reverse = T.free_port()
    p = env.new_proxy(["--mode", "regular",
                       "--mode", f"reverse:http://127.0.0.1:{o.port}@{reverse}"])
    regular = p.port
    check(T.is_listening(reverse, p.pid), "the reverse listener listens")
    r = T.curl(o.url("/echo"), proxy=f"http://127.0.0.1:{regular}")
    echo_headers(r)
    r = T.curl(f"http://127.0.0.1:{reverse}/echo")
    echo_headers(r)
    check(f"mode reverse:http://127.0.0.1:{o.port}@{reverse} listening" in p.stderr(),
          f"startup lines: {p.stderr()}")


@case(spyglass_only=True)
def socks5_plain_and_https(env):
    o, t = env.origin, env.tls_origin
    p = env.new_proxy(["--mode", "socks5", *env.trust_test_ca])
    # --socks5-hostname: the proxy resolves the name; --socks5: curl sends an IPv4 address.
    for flag in ("--socks5-hostname", "--socks5"):
        r = T.curl(o.url("/echo?s=1"), flag, f"127.0.0.1:{p.port}")
        echo, headers = echo_headers(r)
        check_eq(echo["path"], "/echo?s=1", f"path at the origin ({flag})")
        check_eq(headers.get("host"), f"127.0.0.1:{o.port}", f"Host at the origin ({flag})")
    r = T.curl(f"https://localhost:{t.port}/bytes/3000", "--socks5-hostname",
               f"127.0.0.1:{p.port}", "--cacert", p.ca_file)
    check(r.rc == 0 and r.status == 200 and len(r.body) == 3000, f"HTTPS through SOCKS5: {r}")
    T.wait_dump_line(p, f"https://localhost:{t.port}/bytes/3000")


@case(spyglass_only=True)
def socks5_with_credentials(env):
    o = env.origin
    p = env.new_proxy(["--mode", "socks5", "--set", "proxyauth=alice:s3cret"])
    r = T.curl(o.url("/echo"), "-x", f"socks5h://alice:s3cret@127.0.0.1:{p.port}")
    echo_headers(r)
    r = T.curl(o.url("/echo"), "-x", f"socks5h://alice:wrong@127.0.0.1:{p.port}")
    check(r.rc != 0, f"a wrong password is refused: {r}")
    r = T.curl(o.url("/echo"), "-x", f"socks5h://127.0.0.1:{p.port}")
    check(r.rc != 0, f"no credentials is refused: {r}")
    check(p.alive(), "proxy still running")


@case(spyglass_only=True)
def bad_modes_exit_2(env):
    exe = os.environ.get("SPYGLASS_DUMP")
    cases = [
        (["--mode", "sideways"], "unknown mode 'sideways'"),
        (["--mode", "reverse:ftp://x.com"], "scheme 'ftp'"),
        (["--mode", "reverse:tcp://x.com"], "needs a port"),
        (["--mode", "wireguard"], "not supported"),
        (["--mode", "upstream:ftp://127.0.0.1:3128"], "scheme 'ftp'"),
        (["--set", "proxyauth=@/nonexistent/htpasswd"], "cannot read the htpasswd file"),
        (["--mode", "regular", "--mode", "reverse:http://x.com"], "both listen on port"),
    ]
    for args, message in cases:
        r = subprocess.run([exe, "-p", str(T.free_port()), "--confdir",
                            os.path.join(env.tmp, "badconf"), *args],
                           capture_output=True, timeout=20)
        err = r.stderr.decode(errors="replace")
        check_eq(r.returncode, 2, f"exit code for {args} (stderr: {err})")
        check(message in err, f"{args}: stderr {err!r} names the problem ({message!r})")


if __name__ == "__main__":
    T.main()
