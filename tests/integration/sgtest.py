"""Shared harness for the Spyglass integration tests (Python 3 standard library only).

The tests run the real proxy binary with real clients (curl, openssl s_client, raw sockets)
against real origins on 127.0.0.1. Which proxy runs is chosen by the environment:

  SPYGLASS_DUMP=/path/to/spyglass-dump    the binary under test (ctest sets it)
  SGTEST_PROXY=mitmdump                   run the same suite against /usr/bin/mitmdump instead,
                                          to prove the harness; Spyglass-only cases are skipped
  SGTEST_VERBOSE=1                        also print tracebacks of failed checks
  SGTEST_KEEP=1                           keep the temporary directory (proxy output, CA, ...)
  SGTEST_FILE_TIMEOUT=SECONDS             watchdog for a whole file (default 280)

A failed case prints the tail of the proxy's stdout/stderr on stderr. Naming cases on the
command line runs only those: `test_cli.py version quiet_prints_nothing`.

A test file declares cases with @case (or @case(spyglass_only=True)) and calls main(). Each
case receives the shared Env: a temporary directory, a test CA, origins and proxies, all
created lazily and torn down at exit. Every subprocess and every socket operation is bounded
by a timeout, and a watchdog ends the whole file if it ever runs too long.
"""

import hashlib
import http.server
import json
import os
import random
import re
import shutil
import signal
import socket
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

HOST = "127.0.0.1"
KIND = "mitmdump" if os.environ.get("SGTEST_PROXY", "") == "mitmdump" else "spyglass"
SPYGLASS = KIND == "spyglass"
MITMDUMP = "/usr/bin/mitmdump"
CURL = shutil.which("curl") or "/usr/bin/curl"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
FILE_TIMEOUT = float(os.environ.get("SGTEST_FILE_TIMEOUT", "280"))
MiB = 1024 * 1024


class TestFailure(AssertionError):
    pass


def check(cond, message):
    if not cond:
        raise TestFailure(message)


def check_eq(actual, expected, what):
    if actual != expected:
        raise TestFailure(f"{what}: expected {expected!r}, got {actual!r}")


def _short(data, limit=300):
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    return data if len(data) <= limit else data[:limit] + f"...[{len(data)} chars]"


# --------------------------------------------------------------------------------------------
# Subprocesses

def clean_env(extra=None):
    """The environment for clients: no proxy variables that could reroute curl."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["LC_ALL"] = "C"
    if extra:
        env.update(extra)
    return env


def run(argv, timeout=30, input=None, env=None, cwd=None):
    """Runs a command to completion (bytes in, bytes out). A timeout is a test failure."""
    try:
        return subprocess.run(argv, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout, env=env or clean_env(), cwd=cwd)
    except subprocess.TimeoutExpired as e:
        raise TestFailure(f"timed out after {timeout}s: {' '.join(map(str, argv))[:200]}; "
                          f"stderr: {_short(e.stderr or b'')}")


def _die_with_parent():
    """preexec_fn: the proxy gets SIGKILL if the test process dies, so no proxy outlives a
    killed or crashed test run (it runs in its own session and would otherwise linger)."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def is_listening(port, pid=None):
    """True when a socket listens on PORT (owned by process `pid` if given), read from /proc
    so that no probe connection (which a proxy might record as a flow) is ever made."""
    want = f":{port:04X}"
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts[1].endswith(want) and parts[3] == "0A":
                        inodes.add(parts[9])
        except OSError:
            pass
    if not inodes or pid is None:
        return bool(inodes)
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:[") and link[8:-1] in inodes:
            return True
    return False


def proc_status_kib(pid, field):
    """VmRSS / VmHWM etc. of a process in KiB, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


# --------------------------------------------------------------------------------------------
# Deterministic bodies: /bytes/N and /chunked/N serve the same N bytes, different per 64 KiB
# block so that a dropped, repeated or reordered block changes the hash.

BLOCK = 64 * 1024
_sha_cache = {}


def body_blocks(n):
    for k, off in enumerate(range(0, n, BLOCK)):
        yield random.Random(n * 1_000_003 + k).randbytes(min(BLOCK, n - off))


def body_bytes(n):
    return b"".join(body_blocks(n))


def body_sha256(n):
    if n not in _sha_cache:
        h = hashlib.sha256()
        for b in body_blocks(n):
            h.update(b)
        _sha_cache[n] = h.hexdigest()
    return _sha_cache[n]


# --------------------------------------------------------------------------------------------
# Test CA and certificates, made with the openssl CLI

class TestCA:
    """A CA plus a leaf for DNS:localhost and IP:127.0.0.1 signed by it, and an unrelated
    self-signed certificate for the same names."""

    def __init__(self, directory):
        self.dir = directory
        os.makedirs(directory, exist_ok=True)
        p = lambda name: os.path.join(directory, name)  # noqa: E731
        self.ca_key, self.ca_pem = p("testca.key"), p("testca.pem")
        self.leaf_key, self.leaf_pem = p("leaf.key"), p("leaf.pem")
        self.self_key, self.self_pem = p("selfsigned.key"), p("selfsigned.pem")
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        self._ossl(["req", "-x509", *ec, "-keyout", self.ca_key, "-out", self.ca_pem,
                    "-days", "3", "-subj", "/CN=Spyglass Integration Test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        csr = p("leaf.csr")
        self._ossl(["req", *ec, "-keyout", self.leaf_key, "-out", csr, "-subj", "/CN=localhost"])
        ext = p("leaf.ext")
        with open(ext, "w") as f:
            f.write("basicConstraints=critical,CA:FALSE\n"
                    "keyUsage=critical,digitalSignature,keyEncipherment\n"
                    "extendedKeyUsage=serverAuth\n"
                    "subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        self._ossl(["x509", "-req", "-in", csr, "-CA", self.ca_pem, "-CAkey", self.ca_key,
                    "-CAcreateserial", "-out", self.leaf_pem, "-days", "2", "-extfile", ext])
        self._ossl(["req", "-x509", *ec, "-keyout", self.self_key, "-out", self.self_pem,
                    "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        with open(self.leaf_pem) as f:
            self.leaf_der = ssl.PEM_cert_to_DER_cert(f.read())
        with open(self.self_pem) as f:
            self.self_der = ssl.PEM_cert_to_DER_cert(f.read())

    @staticmethod
    def _ossl(args):
        r = run([OPENSSL, *args], timeout=30)
        check(r.returncode == 0, f"openssl {args[0]} failed: {_short(r.stderr)}")


def cert_text(pem_or_der):
    """`openssl x509 -text` of a certificate (PEM str/bytes or DER bytes)."""
    if isinstance(pem_or_der, bytes) and not pem_or_der.startswith(b"-----"):
        r = run([OPENSSL, "x509", "-inform", "DER", "-noout", "-text"], input=pem_or_der)
    else:
        data = pem_or_der.encode() if isinstance(pem_or_der, str) else pem_or_der
        r = run([OPENSSL, "x509", "-noout", "-text"], input=data)
    check(r.returncode == 0, f"openssl x509 failed: {_short(r.stderr)}")
    return r.stdout.decode()


# --------------------------------------------------------------------------------------------
# Origins: threaded HTTP/1.1 servers on 127.0.0.1 (plain or TLS), one handler for both

def read_chunked(rfile):
    """Decodes a chunked body from a file; returns (body, trailers as list of pairs)."""
    body = bytearray()
    while True:
        line = rfile.readline(65537)
        if not line:
            raise ConnectionError("connection closed inside a chunked body")
        size = int(line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            break
        data = rfile.read(size)
        if len(data) != size:
            raise ConnectionError("connection closed inside a chunk")
        body += data
        rfile.readline(3)
    trailers = []
    while True:
        line = rfile.readline(65537)
        if line in (b"\r\n", b"\n", b""):
            break
        k, _, v = line.decode("latin-1").partition(":")
        trailers.append((k.strip(), v.strip()))
    return bytes(body), trailers


class OriginHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30

    def version_string(self):
        return "sgtest-origin"

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            self.request.do_handshake()
        super().setup()
        with self.server.lock:
            self.server.connections += 1
            self.conn_id = self.server.connections

    def finish(self):
        super().finish()
        if isinstance(self.request, ssl.SSLSocket):
            try:  # a proper close_notify, so that a read-until-close body is not "truncated"
                self.request.settimeout(1)
                self.request.unwrap()
            except (OSError, ValueError):
                pass

    def log_message(self, *args):
        pass

    def _record(self, body_len):
        with self.server.lock:
            self.server.requests.append({
                "conn": self.conn_id, "method": self.command, "path": self.path,
                "version": self.request_version, "headers": list(self.headers.items()),
                "tls_resumed": self.request.session_reused
                if isinstance(self.request, ssl.SSLSocket) else None,
                "raw_headers": list(self.headers.raw_items())
                if hasattr(self.headers, "raw_items") else None,
                "body_len": body_len})

    def _read_body(self):
        te = self.headers.get("Transfer-Encoding", "")
        if "chunked" in te.lower():
            return read_chunked(self.rfile)
        n = int(self.headers.get("Content-Length", "0") or 0)
        data = self.rfile.read(n) if n else b""
        if len(data) != n:
            raise ConnectionError("request body truncated")
        return data, []

    def _send(self, status, body=b"", ctype="text/plain", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        if status not in (204, 304) and status >= 200:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(body)

    def _route(self):
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        query = dict(urllib.parse.parse_qsl(url.query))
        body, trailers = self._read_body()
        self._record(len(body))
        parts = path.strip("/").split("/")
        head = self.command == "HEAD"
        if parts[0] == "bytes" and len(parts) == 2:
            n = int(parts[1])
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(n))
            self.end_headers()
            if not head:
                for block in body_blocks(n):
                    self.wfile.write(block)
        elif parts[0] == "chunked" and len(parts) == 2:
            n = int(parts[1])
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if not head:
                data = body_bytes(n)
                off, size = 0, 1
                while off < n:  # uneven chunk sizes: 1, 8, 64, ... bytes, then 7 KiB pieces
                    piece = data[off:off + size]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    off += len(piece)
                    size = min(size * 8, 7 * 1024)
                self.wfile.write(b"0\r\n\r\n")
        elif parts[0] == "echo":
            out = {"method": self.command, "path": self.path, "version": self.request_version,
                   "headers": [[k, v] for k, v in self.headers.items()],
                   "body_len": len(body), "body_sha256": hashlib.sha256(body).hexdigest(),
                   "trailers": trailers}
            if len(body) <= 64 * 1024:
                out["body"] = body.decode("latin-1")
            self._send(200, json.dumps(out).encode(), "application/json")
        elif parts[0] == "status" and len(parts) == 2:
            n = int(parts[1])
            self._send(n, b"" if n in (204, 304) else f"status {n}\n".encode())
        elif parts[0] == "slow":
            total = int(query.get("n", 10 * 1024))
            piece = int(query.get("chunk", 1024))
            pause = int(query.get("ms", 50)) / 1000.0
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(total))
            self.end_headers()
            if not head:
                data = body_bytes(total)
                for off in range(0, total, piece):
                    self.wfile.write(data[off:off + piece])
                    self.wfile.flush()
                    time.sleep(pause)
        elif parts[0] == "trailers":
            data = b"hello, trailers" * 10
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Trailer", "X-Checksum")
            self.end_headers()
            if not head:
                for off in range(0, len(data), 50):
                    piece = data[off:off + 50]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                digest = hashlib.sha256(data).hexdigest().encode()
                self.wfile.write(b"0\r\nX-Checksum: " + digest + b"\r\n\r\n")
        elif parts[0] == "close":
            n = int(parts[1]) if len(parts) == 2 else 1000
            # No Content-Length, no chunking: the body ends when the connection closes.
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                             b"Connection: close\r\n\r\n")
            if not head:
                for block in body_blocks(n):
                    self.wfile.write(block)
            self.wfile.flush()
            self.close_connection = True
        elif parts[0] == "delay" and len(parts) == 2:
            ms = int(parts[1])
            time.sleep(ms / 1000.0)
            self._send(200, f"delayed {ms}\n".encode())
        else:
            self._send(404, b"no such endpoint\n")

    def _handle(self):
        try:
            self._route()
        except (ConnectionError, ssl.SSLError, OSError, ValueError) as e:
            with self.server.lock:
                self.server.errors.append(f"{self.command} {self.path}: {e!r}")
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _handle


class Origin(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """A threaded origin on 127.0.0.1. `tls` is (certfile, keyfile) or None."""
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, tls=None):
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = []
        self.errors = []
        self.ctx = None
        if tls:
            self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ctx.load_cert_chain(*tls)
        super().__init__((HOST, 0), OriginHandler)
        self.port = self.server_address[1]
        self.scheme = "https" if tls else "http"
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()

    def get_request(self):
        sock, addr = self.socket.accept()
        if self.ctx:
            sock = self.ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        with self.lock:
            self.errors.append(traceback.format_exc(limit=2))

    def url(self, path, host=HOST):
        return f"{self.scheme}://{host}:{self.port}{path}"

    def reset(self):
        with self.lock:
            self.connections = 0
            self.requests = []
            self.errors = []

    def stop(self):
        self.shutdown()
        self.server_close()


# --------------------------------------------------------------------------------------------
# The proxy under test

class Proxy:
    """spyglass-dump (or mitmdump) on 127.0.0.1:PORT with stdout/stderr captured to files."""

    def __init__(self, workdir, extra=(), confdir=None, filter_expr=None, name="proxy",
                 port=None, start=True):
        self.workdir = workdir
        self.confdir = confdir or os.path.join(workdir, "confdir")
        self.extra = list(extra)
        self.filter_expr = filter_expr
        self.name = name
        self.port = port
        self.proc = None
        self.returncode = None
        self.out_path = os.path.join(workdir, f"{name}.stdout")
        self.err_path = os.path.join(workdir, f"{name}.stderr")
        if start:
            self.start()

    @property
    def ca_file(self):
        fname = "spyglass-ca-cert.pem" if SPYGLASS else "mitmproxy-ca-cert.pem"
        return os.path.join(self.confdir, fname)

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    def argv(self, port):
        if SPYGLASS:
            exe = os.environ.get("SPYGLASS_DUMP")
            check(exe and os.access(exe, os.X_OK), "SPYGLASS_DUMP is not set to an executable "
                  "(or set SGTEST_PROXY=mitmdump)")
            argv = [exe, "--listen-host", HOST, "-p", str(port), "--confdir", self.confdir]
        else:
            # Spyglass streams bodies above 10m by default; give mitmdump the same setting so
            # the memory-bound tests compare like with like.
            argv = [MITMDUMP, "--listen-host", HOST, "-p", str(port),
                    "--set", f"confdir={self.confdir}"]
            if not any(a.startswith("stream_large_bodies=") for a in self.extra):
                argv += ["--set", "stream_large_bodies=10m"]
        argv += self.extra
        if self.filter_expr is not None:
            argv.append(self.filter_expr)
        return argv

    def start(self, timeout=30):
        # The confdir is not made here: the proxy must create it (and the CA) on first start.
        last_error = ""
        for attempt in range(3):
            port = self.port or free_port()
            out = open(self.out_path, "wb")
            err = open(self.err_path, "wb")
            self.proc = subprocess.Popen(self.argv(port), stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=err, env=clean_env(), start_new_session=True,
                                         preexec_fn=_die_with_parent)
            out.close()
            err.close()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                if is_listening(port, self.proc.pid) and os.path.exists(self.ca_file):
                    self.port = port
                    self.returncode = None
                    return self
                time.sleep(0.05)
            if self.proc.poll() is None:
                self.kill()
                raise TestFailure(f"{self.name} did not listen on {port} within {timeout}s; "
                                  f"stderr: {_short(self.stderr(), 600)}")
            last_error = self.stderr()
            self.returncode = self.proc.returncode
            if "in use" not in last_error.lower() or self.port:
                break  # only a lost race for a free port is worth another try
        raise TestFailure(f"{self.name} exited with {self.proc.returncode} at start; "
                          f"stderr: {_short(last_error, 600)}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self):
        return self.proc.pid

    def rss_kib(self):
        return proc_status_kib(self.proc.pid, "VmRSS")

    def hwm_kib(self):
        return proc_status_kib(self.proc.pid, "VmHWM")

    def stdout(self):
        with open(self.out_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stderr(self):
        with open(self.err_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def lines(self):
        return [ln for ln in self.stdout().splitlines() if ln.strip()]

    def wait_for_stdout(self, pattern, timeout=10, count=1):
        """Waits until `pattern` (regex) matches `count` stdout lines; returns those matches."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in (rx.search(ln) for ln in self.lines()) if m]
            if len(found) >= count or time.monotonic() > deadline:
                if len(found) < count:
                    raise TestFailure(f"{self.name}: expected {count} stdout line(s) matching "
                                      f"{pattern!r} within {timeout}s; stdout tail: "
                                      f"{_short(chr(10).join(self.lines()[-8:]), 800)}")
                return found
            time.sleep(0.05)

    def stop(self, timeout=15):
        """SIGTERM, then wait; SIGKILL if it does not end in time. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise TestFailure(f"{self.name} did not exit within {timeout}s of SIGTERM")
        self.returncode = self.proc.returncode
        return self.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        if self.proc is not None:
            self.returncode = self.proc.returncode


# --------------------------------------------------------------------------------------------
# Clients

class CurlResult:
    def __init__(self, completed, body, headers, elapsed):
        self.rc = completed.returncode
        self.body = body
        self.stderr = completed.stderr.decode("utf-8", "replace")
        self.elapsed = elapsed
        self.header_text = headers
        self.info = {}
        out = completed.stdout.decode("utf-8", "replace").strip()
        if out:
            try:
                self.info = json.loads(out)
            except ValueError:
                self.info = {"raw": out}

    @property
    def status(self):
        return int(self.info.get("http_code") or self.info.get("response_code") or 0)

    def header(self, name):
        """The last value of a response header (of the final response)."""
        value = None
        for block in re.split(r"\r?\n\r?\n", self.header_text):
            if not block.strip():
                continue
            for line in block.splitlines()[1:]:
                k, _, v = line.partition(":")
                if k.strip().lower() == name.lower():
                    value = v.strip()
        return value

    def __repr__(self):
        return (f"<curl rc={self.rc} status={self.status} body={_short(self.body, 120)!r} "
                f"stderr={_short(self.stderr, 300)!r}>")


def curl(url, *args, proxy=None, timeout=30, workdir=None):
    """One curl transfer: body to a file, headers to a file, `-w %{json}` to stdout."""
    d = workdir or tempfile.mkdtemp(prefix="curl", dir=_env.tmp if _env else None)
    body_path = os.path.join(d, f"body.{threading.get_ident()}.{time.monotonic_ns()}")
    head_path = body_path + ".head"
    argv = [CURL, "-q", "-sS", "-o", body_path, "-D", head_path, "-w", "%{json}"]
    if proxy is not None:
        argv += ["-x", proxy.url if isinstance(proxy, Proxy) else proxy]
    argv += [*args, url]
    t0 = time.monotonic()
    r = run(argv, timeout=timeout)
    elapsed = time.monotonic() - t0
    body = b""
    if os.path.exists(body_path):
        with open(body_path, "rb") as f:
            body = f.read()
        os.unlink(body_path)
    headers = ""
    if os.path.exists(head_path):
        with open(head_path, "rb") as f:
            headers = f.read().decode("latin-1")
        os.unlink(head_path)
    return CurlResult(r, body, headers, elapsed)


def curl_many(urls, *args, proxy=None, timeout=30):
    """Several URLs in one curl process (one client connection when it can be reused).
    Returns (completed process, list of per-URL dicts from -w, elapsed)."""
    argv = [CURL, "-q", "-sS", "-w", "\\n@@%{json}\\n"]
    if proxy is not None:
        argv += ["-x", proxy.url if isinstance(proxy, Proxy) else proxy]
    for u in urls:
        argv += ["-o", "/dev/null", u]
    argv[5:5] = list(args)
    t0 = time.monotonic()
    r = run(argv, timeout=timeout)
    infos = [json.loads(ln[2:]) for ln in r.stdout.decode().splitlines() if ln.startswith("@@")]
    return r, infos, time.monotonic() - t0


def connect(port, timeout=10):
    s = socket.create_connection((HOST, port), timeout=timeout)
    s.settimeout(timeout)
    return s


def recv_until_close(sock, timeout=10, limit=64 * MiB):
    """Reads until EOF; a timeout before EOF raises TestFailure with what was read."""
    sock.settimeout(timeout)
    data = bytearray()
    deadline = time.monotonic() + timeout
    while True:
        if time.monotonic() > deadline:
            raise TestFailure(f"connection not closed within {timeout}s; got {_short(bytes(data))!r}")
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            raise TestFailure(f"connection not closed within {timeout}s; got {_short(bytes(data))!r}")
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
        if len(data) > limit:
            raise TestFailure("more data than expected")
    return bytes(data)


class Response:
    def __init__(self, version, status, reason, headers, body, trailers=()):
        self.version, self.status, self.reason = version, status, reason
        self.headers, self.body, self.trailers = headers, body, list(trailers)

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return f"<{self.version} {self.status} {self.reason} body={_short(self.body, 120)!r}>"


class ResponseReader:
    """Parses HTTP/1.x responses from a socket, one at a time (pipelining-safe)."""

    def __init__(self, sock, timeout=10):
        sock.settimeout(timeout)
        self.f = sock.makefile("rb")

    def _line(self):
        line = self.f.readline(256 * 1024)
        if not line:
            raise EOFError("connection closed")
        return line

    def read(self, method="GET", skip_1xx=True):
        while True:
            status_line = self._line().decode("latin-1").rstrip("\r\n")
            m = re.match(r"(HTTP/\d\.\d) (\d{3})(?: (.*))?$", status_line)
            if not m:
                raise TestFailure(f"not an HTTP status line: {status_line!r}")
            headers = []
            while True:
                line = self._line().decode("latin-1").rstrip("\r\n")
                if not line:
                    break
                k, _, v = line.partition(":")
                headers.append((k.strip(), v.strip()))
            status = int(m.group(2))
            resp = Response(m.group(1), status, m.group(3) or "", headers, b"")
            if 100 <= status < 200 and skip_1xx:
                continue
            break
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return resp
        te = (resp.header("Transfer-Encoding") or "").lower()
        cl = resp.header("Content-Length")
        if "chunked" in te:
            resp.body, resp.trailers = read_chunked(self.f)
        elif cl is not None:
            n = int(cl)
            resp.body = self.f.read(n)
            if len(resp.body) != n:
                raise TestFailure(f"body truncated: {len(resp.body)} of {n}")
        else:
            resp.body = self.f.read()
        return resp


def raw_exchange(port, data, timeout=10):
    """Sends raw bytes to the proxy, reads until the proxy closes (or timeout)."""
    with connect(port, timeout) as s:
        s.sendall(data)
        return recv_until_close(s, timeout)


def parse_response_bytes(data, method="GET"):
    """Parses the first response of a raw byte string (no socket)."""
    a, b = socket.socketpair()
    try:
        threading.Thread(target=lambda: (a.sendall(data), a.close()), daemon=True).start()
        return ResponseReader(b).read(method)
    finally:
        b.close()


def tunnel(proxy_port, host, port, timeout=10):
    """CONNECT through the proxy; returns the socket once the proxy answered 2xx."""
    s = connect(proxy_port, timeout)
    s.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(1)
        if not chunk:
            s.close()
            raise TestFailure(f"proxy closed during CONNECT; got {head!r}")
        head += chunk
    check(re.match(rb"HTTP/1\.[01] 2\d\d", head), f"CONNECT refused: {head!r}")
    return s


def tls_through_proxy(proxy_port, host, port, cafile, server_hostname=None, tls_max=None):
    """CONNECT + TLS handshake (verified against `cafile`); returns the SSLSocket."""
    raw = tunnel(proxy_port, host, port)
    ctx = ssl.create_default_context(cafile=cafile)
    if tls_max:
        ctx.maximum_version = tls_max
    try:
        return ctx.wrap_socket(raw, server_hostname=server_hostname or host)
    except Exception:
        raw.close()
        raise


# --------------------------------------------------------------------------------------------
# Dump lines (Spyglass contract)

DUMP_RE = re.compile(
    r"^(?P<client>\[replay\]|\S+:\d+) (?P<method>\S+) (?P<url>\S+) (?P<version>HTTP/[\d.]+|-) -> "
    r"(?:error: (?P<error>.+)|(?P<status>\d{3}) (?:(?P<reason>.+?) )?"
    r"(?P<size>\d+(?:\.\d+)?[a-zA-Z]{0,3}) (?P<duration>\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|min)))$")


def dump_lines(proxy):
    """Every stdout line of the proxy that has the dump-line shape (regex matches)."""
    return [m for m in (DUMP_RE.match(ln) for ln in proxy.lines()) if m]


def wait_dump_line(proxy, url, timeout=10, error=None, count=1):
    """Waits for `count` dump lines for exactly `url`; error=True/False also requires an
    error line / a response line. Returns the matches."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in dump_lines(proxy) if m.group("url") == url
                 and (error is None or bool(m.group("error")) == error)]
        if len(found) >= count:
            return found
        if time.monotonic() > deadline or not proxy.alive():
            kind = {None: "", True: "error ", False: "response "}[error]
            raise TestFailure(f"no {kind}dump line for {url} within {timeout}s; stdout tail: "
                              f"{_short(chr(10).join(proxy.lines()[-6:]), 800)}")
        time.sleep(0.05)


def proxy_exe():
    """argv[0] of the proxy under test, for running it with flags of a test's own."""
    if SPYGLASS:
        exe = os.environ.get("SPYGLASS_DUMP")
        check(exe and os.access(exe, os.X_OK), "SPYGLASS_DUMP is not set to an executable")
        return exe
    return MITMDUMP


def cert_subject(pem_path):
    """The subject of a PEM certificate in the shape SSLSocket.getpeercert() uses."""
    return ssl._ssl._test_decode_cert(pem_path)["subject"]


# --------------------------------------------------------------------------------------------
# Env and the runner

class Env:
    """Per-file resources, made on first use and torn down at exit."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="sgtest-")
        self._ca = None
        self._origins = {}
        self._shared = {}
        self.proxies = []

    @property
    def ca(self):
        if self._ca is None:
            self._ca = TestCA(os.path.join(self.tmp, "testca"))
        return self._ca

    def _origin(self, key, tls):
        if key not in self._origins:
            self._origins[key] = Origin(tls)
        return self._origins[key]

    @property
    def origin(self):
        return self._origin("http", None)

    @property
    def tls_origin(self):
        """TLS origin with a leaf from the test CA (DNS:localhost, IP:127.0.0.1)."""
        return self._origin("https", (self.ca.leaf_pem, self.ca.leaf_key))

    @property
    def bad_tls_origin(self):
        """TLS origin with a self-signed certificate: upstream verification must fail."""
        return self._origin("https-selfsigned", (self.ca.self_pem, self.ca.self_key))

    @property
    def trust_test_ca(self):
        """The --set that makes the proxy trust the test CA for upstream verification."""
        return ["--set", f"ssl_verify_upstream_trusted_ca={self.ca.ca_pem}"]

    def new_proxy(self, extra=(), name=None, confdir=None, filter_expr=None, start=True):
        """A proxy of the case's own: killed when the case ends (unless stopped before)."""
        name = name or f"proxy{len(self.proxies) + 1}"
        p = Proxy(self.tmp, extra=extra, name=name,
                  confdir=confdir or os.path.join(self.tmp, "confdir"), filter_expr=filter_expr,
                  start=False)
        self.proxies.append(p)
        if start:
            p.start()
        return p

    def proxy(self, extra=(), restart=True):
        """A proxy shared by the cases of a file (one per set of extra args). One that died
        is started again (the case it died in has already failed for it, see main()), unless
        restart=False, which returns it as it is."""
        key = tuple(extra)
        p = self._shared.get(key)
        if p is not None and not p.alive() and restart:
            print(f"  note: {p.name} had exited with {p.proc.returncode}; starting a new one",
                  file=sys.stderr)
            p = None
        if p is None:
            p = self.new_proxy(extra, name=f"shared{len(self.proxies) + 1}")
            self._shared[key] = p
        return p

    def is_shared(self, p):
        return any(p is q for q in self._shared.values())

    def cleanup(self):
        for p in self.proxies:
            try:
                p.kill()
            except Exception:
                pass
        for o in self._origins.values():
            try:
                o.stop()
            except Exception:
                pass
        if os.environ.get("SGTEST_KEEP"):
            print(f"  kept {self.tmp}", file=sys.stderr)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


_cases = []
_env = None
_notes = []


def note(text):
    """Adds a measurement to the current case's result line."""
    _notes.append(text)


def case(fn=None, *, spyglass_only=False, mitmdump_gap=None):
    """Declares a test case.
    spyglass_only: checks the Spyglass contract (dump format, flags, files, exit codes);
        skipped when the suite runs against mitmdump.
    mitmdump_gap: standard behaviour that mitmproxy 8 itself lacks (the reason is printed);
        skipped against mitmdump, run against Spyglass."""
    def deco(f):
        reason = "Spyglass-only" if spyglass_only else (
            f"mitmproxy 8 gap: {mitmdump_gap}" if mitmdump_gap else None)
        _cases.append((f, reason))
        return f
    return deco(fn) if fn is not None else deco


def _tail(text, n=12):
    return "\n".join("    | " + ln for ln in text.splitlines()[-n:])


def main():
    """Runs the declared cases in order (or those named on the command line)."""
    global _env
    only = set(sys.argv[1:])
    _env = Env()
    counts = {"passed": 0, "failed": 0, "skipped": 0}

    def summary():
        return f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped"

    def watchdog():
        counts["failed"] += 1
        print(f"FAIL watchdog: {os.path.basename(sys.argv[0])} ran longer than "
              f"{FILE_TIMEOUT:.0f}s", flush=True)
        for p in _env.proxies:
            p.kill()
        print(summary(), flush=True)
        if not os.environ.get("SGTEST_KEEP"):
            shutil.rmtree(_env.tmp, ignore_errors=True)
        os._exit(1)

    def terminated(signum, frame):
        print(f"FAIL interrupted by signal {signum}", flush=True)
        for p in _env.proxies:
            p.kill()
        if not os.environ.get("SGTEST_KEEP"):
            shutil.rmtree(_env.tmp, ignore_errors=True)
        os._exit(1)

    signal.signal(signal.SIGTERM, terminated)
    timer = threading.Timer(FILE_TIMEOUT, watchdog)
    timer.daemon = True
    timer.start()
    print(f"# proxy under test: {KIND}", flush=True)
    try:
        for fn, skip_reason in _cases:
            name = fn.__name__
            if only and name not in only:
                continue
            if skip_reason and not SPYGLASS:
                counts["skipped"] += 1
                print(f"SKIP {name} ({skip_reason})", flush=True)
                continue
            before = len(_env.proxies)
            _notes.clear()
            t0 = time.monotonic()
            dead_before = {id(p) for p in _env._shared.values() if not p.alive()}
            try:
                fn(_env)
                died = [p for p in _env._shared.values()
                        if not p.alive() and id(p) not in dead_before]
                check(not died, "proxy exited during the case: " + ", ".join(
                    f"{p.name} (exit code {p.proc.returncode})" for p in died))
            except Exception as e:  # noqa: BLE001 - every failure is reported, never raised
                counts["failed"] += 1
                kind = "" if isinstance(e, TestFailure) else type(e).__name__ + ": "
                msg = str(e).replace("\n", " | ")
                extra = "".join(f" [{n}]" for n in _notes)
                print(f"FAIL {name} ({time.monotonic() - t0:.1f}s): {kind}{msg}{extra}",
                      flush=True)
                if not isinstance(e, TestFailure) or os.environ.get("SGTEST_VERBOSE"):
                    traceback.print_exc(limit=4, file=sys.stderr)
                involved = _env.proxies[before:] or list(_env._shared.values())
                for p in involved:
                    if os.path.exists(p.err_path):
                        print(f"  {p.name} stderr:\n{_tail(p.stderr())}", file=sys.stderr)
                        print(f"  {p.name} stdout:\n{_tail(p.stdout())}", file=sys.stderr)
                sys.stderr.flush()
            else:
                counts["passed"] += 1
                extra = "".join(f" [{n}]" for n in _notes)
                print(f"PASS {name} ({time.monotonic() - t0:.1f}s){extra}", flush=True)
            finally:
                for p in _env.proxies[before:]:
                    if not _env.is_shared(p):
                        p.kill()
    finally:
        timer.cancel()
        _env.cleanup()
    print(summary(), flush=True)
    ran = counts["passed"] + counts["failed"] + counts["skipped"]
    sys.exit(1 if counts["failed"] or ran == 0 else 0)
