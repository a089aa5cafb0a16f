#!/usr/bin/python3
"""Raw TCP flows: a server-first, SMTP-like origin (a plain socket server that greets with
"220 hello\\r\\n", then echoes each line) reached through a CONNECT tunnel is relayed and
recorded as a TCP flow (default connection_strategy=eager): the dump line, the -w session
read back with -n -r, and a filter. Also: tcp_hosts records an HTTP origin's exchange as raw
TCP, rawtcp=false closes what is neither TLS nor HTTP, ignore_hosts stays an unrecorded relay,
and a non-HTTP protocol inside intercepted TLS (python ssl through CONNECT, trusting the
proxy's CA, to a TLS echo origin) is a TCP flow too."""

import os
import re
import socket
import ssl
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402

TIMEOUT = 15

TCP_LINE = re.compile(
    r"^(?P<client>\S+:\d+) <-> (?P<server>\S+:\d+) (?P<proto>tcp(?:\+tls)?) "
    r"(?P<count>\d+) messages?, (?P<size>\S+), (?P<end>closed by (?:client|server)|open|error: .*)$")


class LineServer:
    """Accepts connections; on each: optionally sends `greeting`, then echoes what it reads
    until the client ends its side, then closes. With `tls`, wraps each connection first."""

    def __init__(self, greeting=b"220 hello\r\n", tls=None):
        self.greeting = greeting
        self.ctx = None
        if tls:
            self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ctx.load_cert_chain(*tls)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((T.HOST, 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.received = []
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        try:
            conn.settimeout(TIMEOUT)
            if self.ctx:
                conn = self.ctx.wrap_socket(conn, server_side=True)
            if self.greeting:
                conn.sendall(self.greeting)
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                self.received.append(data)
                conn.sendall(data)
        except (OSError, ssl.SSLError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def stop(self):
        self.sock.close()


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        check(chunk, f"connection closed after {data!r}, expected {n} bytes")
        data += chunk
    return data


def smtp_session(proxy, server):
    """Greeting, two echoed lines, then the client ends its side; returns what it got."""
    s = T.tunnel(proxy.port, T.HOST, server.port)
    got = recv_exact(s, len(b"220 hello\r\n"))
    for line in (b"HELO x\r\n", b"QUIT\r\n"):
        s.sendall(line)
        got += recv_exact(s, len(line))
    s.shutdown(socket.SHUT_WR)
    got += T.recv_until_close(s, TIMEOUT)
    s.close()
    return got


def wait_tcp_line(proxy, server_port, timeout=TIMEOUT):
    m = proxy.wait_for_stdout(rf" <-> {re.escape(T.HOST)}:{server_port} tcp", timeout)[0]
    line = m.string
    parsed = TCP_LINE.match(line)
    check(parsed, f"unexpected TCP dump line: {line!r}")
    return parsed


@case(spyglass_only=True)
def server_first_through_connect(env):
    save = os.path.join(env.tmp, "tcp.spyglass")
    p = env.new_proxy(["-w", save])
    server = LineServer()
    try:
        got = smtp_session(p, server)
        check_eq(got, b"220 hello\r\nHELO x\r\nQUIT\r\n", "what the client got")
        check_eq(server.received, [b"HELO x\r\n", b"QUIT\r\n"], "what the server got")
        line = wait_tcp_line(p, server.port)
        check_eq(line.group("proto"), "tcp", "protocol on the dump line")
        check_eq(line.group("count"), "5", "messages on the dump line")
        check_eq(line.group("size"), "39b", "bytes on the dump line")
        check_eq(line.group("end"), "closed by client", "how it ended")
        check(not [ln for ln in p.lines() if " CONNECT " in ln and "tcp" in ln],
              "the CONNECT line must not count as the TCP flow")
        check_eq(p.stop(), 0, "exit code after SIGTERM")
        # The session keeps the messages: -n -r prints the same line.
        r = T.run([T.proxy_exe(), "-n", "-r", save], timeout=30)
        check_eq(r.returncode, 0, f"-r exit code ({T._short(r.stderr)})")
        lines = [TCP_LINE.match(ln) for ln in r.stdout.decode().splitlines()]
        lines = [m for m in lines if m]
        check_eq(len(lines), 1, f"TCP lines read back: {T._short(r.stdout)}")
        check_eq((lines[0].group("count"), lines[0].group("size"), lines[0].group("end")),
                 ("5", "39b", "closed by client"), "the read-back line")
        # The filter sees TCP flows and their messages.
        for expr, n in (("~tcp", 1), ("~http & ~tcp", 0), ("~bs 220", 1), ("~bq 220", 0),
                        ("~bq QUIT", 1)):
            r = T.run([T.proxy_exe(), "-n", "-r", save, expr], timeout=30)
            found = [ln for ln in r.stdout.decode().splitlines() if TCP_LINE.match(ln)]
            check_eq(len(found), n, f"TCP lines for filter {expr!r}")
    finally:
        server.stop()


@case(spyglass_only=True)
def tcp_hosts_records_http_as_tcp(env):
    origin = env.origin
    p = env.new_proxy(["--set", f"tcp_hosts=^{re.escape(T.HOST)}:{origin.port}$"])
    s = T.tunnel(p.port, T.HOST, origin.port)
    s.sendall(f"GET /bytes/10 HTTP/1.1\r\nHost: {T.HOST}:{origin.port}\r\n"
              "Connection: close\r\n\r\n".encode())
    got = T.recv_until_close(s, TIMEOUT)
    s.close()
    check(got.startswith(b"HTTP/1.1 200"), f"answer through the TCP relay: {T._short(got)!r}")
    line = wait_tcp_line(p, origin.port)
    check(int(line.group("count")) >= 2, f"messages: {line.group('count')}")
    check(not [ln for ln in p.lines() if "/bytes/10" in ln],
          "the exchange was also recorded as HTTP")


@case(spyglass_only=True)
def rawtcp_off_closes(env):
    p = env.new_proxy(["--set", "rawtcp=false"])
    server = LineServer()
    try:
        s = T.tunnel(p.port, T.HOST, server.port)
        got = T.recv_until_close(s, TIMEOUT)
        s.close()
        check_eq(got, b"", "bytes relayed with rawtcp=false")
        # HTTP still works with rawtcp off.
        r = T.curl(env.origin.url("/bytes/5"), proxy=p)
        check_eq(len(r.body), 5, "body through the proxy with rawtcp=false")
        check(not [ln for ln in p.lines() if TCP_LINE.match(ln)], "a TCP flow was recorded")
    finally:
        server.stop()


@case(spyglass_only=True)
def ignored_host_is_an_unrecorded_relay(env):
    server = LineServer()
    p = env.new_proxy(["--set", f"ignore_hosts=^{re.escape(T.HOST)}:{server.port}$"])
    try:
        got = smtp_session(p, server)
        check_eq(got, b"220 hello\r\nHELO x\r\nQUIT\r\n", "what the client got")
        check_eq(p.stop(), 0, "exit code after SIGTERM")
        check(not [ln for ln in p.lines() if TCP_LINE.match(ln)],
              f"an ignored host was recorded: {p.lines()}")
    finally:
        server.stop()


@case(spyglass_only=True)
def tcp_inside_tls(env):
    server = LineServer(greeting=None, tls=(env.ca.leaf_pem, env.ca.leaf_key))
    p = env.new_proxy(env.trust_test_ca)
    try:
        raw = T.tunnel(p.port, T.HOST, server.port)
        ctx = ssl.create_default_context(cafile=p.ca_file)
        s = ctx.wrap_socket(raw, server_hostname=T.HOST)
        for line in (b"hello over tls\r\n", b"\x00\x01\x02 binary\r\n"):
            s.sendall(line)
            check_eq(recv_exact(s, len(line)), line, "echo through intercepted TLS")
        s.close()
        line = wait_tcp_line(p, server.port)
        check_eq(line.group("proto"), "tcp+tls", "protocol on the dump line")
        check_eq(line.group("count"), "4", "messages on the dump line")
        check_eq(server.received, [b"hello over tls\r\n", b"\x00\x01\x02 binary\r\n"],
                 "what the TLS server got")
    finally:
        server.stop()


@case(spyglass_only=True)
def script_rewrites_tcp_messages(env):
    # examples/scripts/tcp_rewrite.js holds each message in tcp_message and changes it on the
    # wire: the server's "foo" becomes "bar", a client chunk starting with DROP is not sent.
    example = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples",
                           "scripts", "tcp_rewrite.js")
    p = env.new_proxy(["-s", example])
    server = LineServer(greeting=b"220 foo ready\r\n")
    try:
        s = T.tunnel(p.port, T.HOST, server.port)
        check_eq(recv_exact(s, len(b"220 bar ready\r\n")), b"220 bar ready\r\n",
                 "the greeting, rewritten")
        s.sendall(b"DROP this\r\n")
        time.sleep(0.5)  # two reads, two messages: only the first one is dropped
        s.sendall(b"say foo\r\n")
        check_eq(recv_exact(s, len(b"say bar\r\n")), b"say bar\r\n", "the echo, rewritten")
        s.shutdown(socket.SHUT_WR)
        T.recv_until_close(s, TIMEOUT)
        s.close()
        check_eq(b"".join(server.received), b"say foo\r\n", "what the server got")
        line = wait_tcp_line(p, server.port)
        check_eq(line.group("count"), "4", "messages on the dump line (the dropped one too)")
    finally:
        server.stop()


if __name__ == "__main__":
    T.main()
