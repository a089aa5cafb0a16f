#!/usr/bin/python3
"""Transparent mode (Linux, --mode transparent) inside network namespaces this test makes
itself, with the iptables recipe of docs/transparent.md.

The file re-executes itself under `unshare -n`: that private namespace is the "router" (the
machine Spyglass runs on). A second namespace, the "client", is held open by a sleeping
process and joined with `nsenter`; a veth pair links the two (client 10.77.1.2, router
10.77.1.1, the client's default route via the router). The origins listen on 10.77.2.1, an
address of the router that the client reaches only through it, and a PREROUTING REDIRECT rule
on the router's veth sends every TCP connection to 10.77.2.0/24 to Spyglass's transparent
port. Spyglass learns the real destination from the socket (SO_ORIGINAL_DST).

Cases: plain HTTP with curl from the client namespace; HTTPS with and without SNI (curl
trusting the Spyglass CA; the certificate is checked to be minted by Spyglass, for the name
or the destination IP); a server-first SMTP-like origin (a TCP flow); the dump lines naming the
real destination; a connection to the transparent port that was not redirected (from the
client and from the router itself) refused with a clean error; an unreachable destination.

Nothing outlives the test: the router namespace ends with this process, the client namespace
with its holder (killed at the end, and by PR_SET_PDEATHSIG if this process dies), and the
iptables rules and links live only inside them. Without root, `unshare`, `ip`, `iptables` or
the kernel's NAT support, every case is reported as SKIP with the reason and the file exits
with 77 (ctest: skipped), never as a silent pass.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402

INNER = "SGTEST_TRANSPARENT_INNER"
SKIP_CODE = 77
ROUTER_IP = "10.77.1.1"
CLIENT_IP = "10.77.1.2"
ORIGIN_IP = "10.77.2.1"  # "the internet", reached through the router
LOCAL_IP = "10.77.3.1"  # for the router's own traffic (an OUTPUT rule)
ORIGIN_NAME = "origin.test"
ROUTER_IP6 = "fd77:1::1"
CLIENT_IP6 = "fd77:1::2"
ORIGIN_IP6 = "fd77:2::1"
TIMEOUT = 15

IP = shutil.which("ip") or "/usr/sbin/ip"
IPTABLES = shutil.which("iptables") or "/usr/sbin/iptables"
IP6TABLES = shutil.which("ip6tables") or "/usr/sbin/ip6tables"
UNSHARE = shutil.which("unshare") or "/usr/bin/unshare"
NSENTER = shutil.which("nsenter") or "/usr/bin/nsenter"


# --------------------------------------------------------------------------------------------
# Skipping with a reason

def skip_all(reason):
    """Every case SKIP with the reason, then exit 77 (SKIP_RETURN_CODE in tests/CMakeLists)."""
    print(f"# proxy under test: {T.KIND}", flush=True)
    n = 0
    for fn, _ in T._cases:
        print(f"SKIP {fn.__name__} ({reason})", flush=True)
        n += 1
    print(f"0 passed, 0 failed, {n} skipped", flush=True)
    sys.exit(SKIP_CODE)


def sh(argv, timeout=20):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                          env=T.clean_env())


def must(argv, what):
    """Runs a set-up command; a failure means the environment lacks the capability."""
    r = sh(argv)
    if r.returncode != 0:
        skip_all(f"{what}: `{' '.join(argv)}` failed: "
                 f"{r.stderr.decode(errors='replace').strip()[:200]}")
    return r


def outer_checks():
    """Before entering the private namespace: what is needed to make one."""
    if not sys.platform.startswith("linux"):
        skip_all("transparent mode is Linux only")
    if not T.SPYGLASS:
        skip_all("runs Spyglass only (mitmdump's transparent mode needs its own set-up)")
    if os.geteuid() != 0:
        skip_all("needs root for network namespaces and iptables")
    for tool in (IP, IPTABLES, IP6TABLES, UNSHARE, NSENTER):
        if not os.access(tool, os.X_OK):
            skip_all(f"{os.path.basename(tool)} is not installed (apt-get install iproute2 "
                     f"iptables util-linux)")
    r = sh([UNSHARE, "-n", "true"])
    if r.returncode != 0:
        skip_all(f"cannot make a network namespace: {r.stderr.decode(errors='replace').strip()}")


# --------------------------------------------------------------------------------------------
# The network

class Net:
    holder = None  # the process that keeps the client namespace alive

    @classmethod
    def setup(cls):
        must([IP, "link", "set", "lo", "up"], "loopback in the router namespace")
        cls.holder = subprocess.Popen([UNSHARE, "-n", "sleep", "3600"], stdin=subprocess.DEVNULL,
                                      preexec_fn=T._die_with_parent)
        # The holder is in its own namespace once unshare has exec'd sleep.
        for _ in range(100):
            try:
                if os.readlink(f"/proc/{cls.holder.pid}/ns/net") != os.readlink(
                        "/proc/self/ns/net") and \
                        open(f"/proc/{cls.holder.pid}/comm").read().strip() == "sleep":
                    break
            except OSError:
                pass
            time.sleep(0.02)
        pid = str(cls.holder.pid)
        must([IP, "link", "add", "sgtr0", "type", "veth", "peer", "name", "sgtc0"],
             "veth pair")
        must([IP, "link", "set", "sgtc0", "netns", pid], "moving the veth to the client")
        must([IP, "addr", "add", f"{ROUTER_IP}/24", "dev", "sgtr0"], "router address")
        must([IP, "link", "set", "sgtr0", "up"], "router link")
        must([IP, "-6", "addr", "add", f"{ROUTER_IP6}/64", "dev", "sgtr0", "nodad"],
             "router IPv6 address")
        must([IP, "addr", "add", f"{ORIGIN_IP}/32", "dev", "lo"], "origin address")
        must([IP, "addr", "add", f"{LOCAL_IP}/32", "dev", "lo"], "local-traffic address")
        must([IP, "-6", "addr", "add", f"{ORIGIN_IP6}/128", "dev", "lo"], "origin IPv6 address")
        for argv in (["link", "set", "lo", "up"],
                     ["addr", "add", f"{CLIENT_IP}/24", "dev", "sgtc0"],
                     ["-6", "addr", "add", f"{CLIENT_IP6}/64", "dev", "sgtc0", "nodad"],
                     ["link", "set", "sgtc0", "up"],
                     ["route", "add", "default", "via", ROUTER_IP],
                     ["-6", "route", "add", "default", "via", ROUTER_IP6]):
            must([NSENTER, "-t", pid, "-n", IP, *argv], "client namespace set-up")
        # The kernel's NAT: a rule that is removed again proves the table works here.
        for tool, dst in ((IPTABLES, "10.77.99.99"), (IP6TABLES, "fd77:99::99")):
            probe = ["-t", "nat", "-A", "PREROUTING", "-i", "sgtr0", "-p", "tcp", "-d", dst,
                     "-j", "REDIRECT", "--to-ports", "9"]
            name = os.path.basename(tool)
            must([tool, *probe], f"{name} NAT (REDIRECT) in this kernel")
            must([tool, *(["-D" if a == "-A" else a for a in probe])], f"{name} -D")

    @classmethod
    def redirect_to(cls, port):
        """docs/transparent.md's PREROUTING rule, for every port of the origin network."""
        for tool, net in ((IPTABLES, "10.77.2.0/24"), (IP6TABLES, "fd77:2::/64")):
            must([tool, "-t", "nat", "-A", "PREROUTING", "-i", "sgtr0", "-p", "tcp", "-d", net,
                  "-j", "REDIRECT", "--to-ports", str(port)], "REDIRECT rule")

    @classmethod
    def in_client(cls, argv, timeout=TIMEOUT + 5, input=None):
        return T.run([NSENTER, "-t", str(cls.holder.pid), "-n", *argv], timeout=timeout,
                     input=input)

    @classmethod
    def teardown(cls):
        if cls.holder is not None and cls.holder.poll() is None:
            cls.holder.kill()
            cls.holder.wait(10)


# --------------------------------------------------------------------------------------------
# Origins on ORIGIN_IP

class NsOrigin(T.Origin):
    """sgtest's HTTP(S) origin, listening on the origin network's address."""

    def server_bind(self):
        self.server_address = (ORIGIN_IP, 0)
        super().server_bind()


class NsOrigin6(T.Origin):
    """The same on the origin network's IPv6 address."""
    address_family = socket.AF_INET6

    def server_bind(self):
        self.server_address = (ORIGIN_IP6, 0)
        super().server_bind()


class GreetingServer:
    """A server-first origin: greets, then answers each line with '250 ' + the line."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((ORIGIN_IP, 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.peers = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, peer = self.sock.accept()
            except OSError:
                return
            self.peers.append(peer)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    @staticmethod
    def _handle(conn):
        try:
            conn.settimeout(TIMEOUT)
            conn.sendall(b"220 origin.test ESMTP ready\r\n")
            buf = b""
            while True:
                data = conn.recv(4096)
                if not data:
                    break
                buf += data
                while b"\r\n" in buf:
                    line, buf = buf.split(b"\r\n", 1)
                    conn.sendall(b"250 " + line + b"\r\n")
        except OSError:
            pass
        finally:
            conn.close()


class World:
    """The proxy and origins, made once for all cases."""
    proxy = None
    http = None
    http6 = None
    https = None
    smtp = None
    leaf = None  # (cert, key) for DNS:origin.test, IP:10.77.2.1 from the test CA


def world(env):
    if World.proxy is None:
        ca = env.ca
        d = os.path.join(env.tmp, "origin-leaf")
        os.makedirs(d, exist_ok=True)
        key, csr, crt, ext = (os.path.join(d, n) for n in ("leaf.key", "leaf.csr", "leaf.pem",
                                                            "leaf.ext"))
        T.TestCA._ossl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", key, "-out", csr, "-subj", f"/CN={ORIGIN_NAME}"])
        with open(ext, "w") as f:
            f.write("basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n"
                    f"subjectAltName=DNS:{ORIGIN_NAME},IP:{ORIGIN_IP}\n")
        T.TestCA._ossl(["x509", "-req", "-in", csr, "-CA", ca.ca_pem, "-CAkey", ca.ca_key,
                        "-CAcreateserial", "-out", crt, "-days", "2", "-extfile", ext])
        World.leaf = (crt, key)
        World.http = NsOrigin()
        World.http6 = NsOrigin6()
        World.https = NsOrigin((crt, key))
        World.smtp = GreetingServer()
        # "*": one dual-stack socket, so IPv4 clients arrive as ::ffff:a.b.c.d, the case where
        # the IPv4 table must be asked although the socket is IPv6 (mitmproxy's linux.py).
        World.proxy = env.proxy(["--listen-host", "*", "--mode", "transparent",
                                 *env.trust_test_ca])
        Net.redirect_to(World.proxy.port)
    check(World.proxy.alive(), "proxy is running")
    return World.proxy


def client_curl(url, *args):
    """curl in the client namespace, -w %{json}; returns (rc, body, info, stderr)."""
    r = Net.in_client([T.CURL, "-q", "-sS", "--max-time", str(TIMEOUT), "-o", "-",
                       "-w", "\n@@%{json}", *args, url])
    out = r.stdout.decode(errors="replace")
    body, _, info = out.rpartition("\n@@")
    try:
        info = json.loads(info)
    except ValueError:
        info = {}
    return r.returncode, body, info, r.stderr.decode(errors="replace")


def cert_seen_by_client(port, servername=None):
    """The leaf certificate the client namespace is shown on ORIGIN_IP:port (PEM)."""
    argv = [T.OPENSSL, "s_client", "-connect", f"{ORIGIN_IP}:{port}", "-showcerts"]
    if servername:
        argv += ["-servername", servername]
    else:
        argv += ["-noservername"]
    r = Net.in_client(argv, input=b"")
    m = re.search(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", r.stdout, re.S)
    check(m, f"no certificate from s_client: {T._short(r.stderr)}")
    return m.group(0).decode()


def subject_of(pem_text):
    r = T.run([T.OPENSSL, "x509", "-noout", "-subject", "-nameopt", "RFC2253"],
              input=pem_text.encode())
    return r.stdout.decode().strip().removeprefix("subject=")


def check_minted_by_spyglass(proxy, pem, want_san):
    text = T.cert_text(pem)
    with open(proxy.ca_file) as f:
        ca_subject = subject_of(f.read())
    issuer = T.run([T.OPENSSL, "x509", "-noout", "-issuer", "-nameopt", "RFC2253"],
                   input=pem.encode()).stdout.decode().strip().removeprefix("issuer=")
    check_eq(issuer, ca_subject, "issuer of the certificate the client saw")
    check(want_san in text, f"{want_san!r} not in the minted certificate: {T._short(text, 800)}")
    leaf_path = os.path.join(T._env.tmp, "seen-leaf.pem")
    with open(leaf_path, "w") as f:
        f.write(pem)
    r = T.run([T.OPENSSL, "verify", "-CAfile", proxy.ca_file, leaf_path])
    check(r.returncode == 0, f"minted leaf does not verify: {T._short(r.stdout + r.stderr)}")


# --------------------------------------------------------------------------------------------
# Cases

@case(spyglass_only=True)
def plain_http_to_the_real_destination(env):
    p = world(env)
    o = World.http
    rc, body, info, err = client_curl(f"http://{ORIGIN_IP}:{o.port}/echo?t=1",
                                      "-H", "X-Through: transparent")
    check(rc == 0 and info.get("http_code") == 200, f"curl rc={rc} info={info} err={err}")
    echo = json.loads(body)
    headers = {k.lower(): v for k, v in echo["headers"]}
    check_eq(echo["path"], "/echo?t=1", "path at the origin")
    check_eq(headers.get("host"), f"{ORIGIN_IP}:{o.port}", "Host header (origin-form, kept)")
    check_eq(headers.get("x-through"), "transparent", "request header at the origin")
    # The dump line names the real destination and the real client.
    m = T.wait_dump_line(p, f"http://{ORIGIN_IP}:{o.port}/echo?t=1", error=False)[0]
    check(m.group("client").startswith(CLIENT_IP + ":"), f"client in the dump line: {m.string}")
    check_eq(m.group("status"), "200", "status in the dump line")


@case(spyglass_only=True)
def ipv6_destination(env):
    p = world(env)
    o = World.http6
    rc, body, info, err = client_curl(f"http://[{ORIGIN_IP6}]:{o.port}/echo")
    check(rc == 0 and info.get("http_code") == 200, f"curl rc={rc} info={info} err={err}")
    check_eq(json.loads(body)["path"], "/echo", "path at the origin")
    m = T.wait_dump_line(p, f"http://[{ORIGIN_IP6}]:{o.port}/echo", error=False)[0]
    check(m.group("client").startswith(f"[{CLIENT_IP6}]:"), f"client: {m.string}")
    # Straight to the proxy's IPv6 address: not redirected, refused as a loop.
    rc, body, info, err = client_curl(f"http://[{ROUTER_IP6}]:{p.port}/")
    check(rc != 0 and info.get("http_code") == 0, f"curl must get no answer: rc={rc} {info}")
    for _ in range(100):
        if f"[{ROUTER_IP6}]:{p.port} is the proxy itself" in p.stderr():
            break
        time.sleep(0.05)
    check(f"[{ROUTER_IP6}]:{p.port} is the proxy itself" in p.stderr(),
          f"IPv6 loop error: {T._short(p.stderr()[-600:], 600)}")


@case(spyglass_only=True)
def plain_http_keepalive_and_post(env):
    p = world(env)
    o = World.http
    rc, body, info, err = client_curl(f"http://{ORIGIN_IP}:{o.port}/bytes/100000")
    check(rc == 0 and info.get("size_download") == 100000, f"rc={rc} info={info} err={err}")
    rc, body, info, err = client_curl(f"http://{ORIGIN_IP}:{o.port}/echo",
                                      "--data-binary", "hello")
    check(rc == 0 and info.get("http_code") == 200, f"rc={rc} body={T._short(body)} err={err}")
    echo = json.loads(body)
    check_eq((echo["method"], echo["body_len"]), ("POST", 5), "method and body at the origin")
    T.wait_dump_line(p, f"http://{ORIGIN_IP}:{o.port}/echo", error=False)


@case(spyglass_only=True)
def https_with_sni_is_intercepted(env):
    p = world(env)
    o = World.https
    url = f"https://{ORIGIN_NAME}:{o.port}/echo"
    rc, body, info, err = client_curl(url, "--cacert", p.ca_file,
                                      "--resolve", f"{ORIGIN_NAME}:{o.port}:{ORIGIN_IP}")
    check(rc == 0 and info.get("http_code") == 200, f"curl rc={rc} info={info} err={err}")
    check(f'"{ORIGIN_NAME}:{o.port}"' in body, f"Host at the origin: {T._short(body)}")
    pem = cert_seen_by_client(o.port, ORIGIN_NAME)
    check_minted_by_spyglass(p, pem, f"DNS:{ORIGIN_NAME}")
    T.wait_dump_line(p, url, error=False)


@case(spyglass_only=True)
def https_without_sni_uses_the_destination_ip(env):
    p = world(env)
    o = World.https
    url = f"https://{ORIGIN_IP}:{o.port}/bytes/5000"
    rc, body, info, err = client_curl(url, "--cacert", p.ca_file)
    check(rc == 0 and info.get("http_code") == 200 and info.get("size_download") == 5000,
          f"curl rc={rc} info={info} err={err}")
    pem = cert_seen_by_client(o.port)
    check_minted_by_spyglass(p, pem, f"IP Address:{ORIGIN_IP}")
    T.wait_dump_line(p, url, error=False)
    # HTTP/2 between curl and Spyglass, HTTP/1.1 to the origin.
    rc, body, info, err = client_curl(url, "--cacert", p.ca_file, "--http2")
    check(rc == 0 and str(info.get("http_version")) == "2", f"h2: rc={rc} info={info} {err}")


@case(spyglass_only=True)
def server_first_protocol_is_a_tcp_flow(env):
    p = world(env)
    s = World.smtp
    script = (
        "import socket,sys\n"
        f"s=socket.create_connection(('{ORIGIN_IP}',{s.port}),timeout={TIMEOUT})\n"
        "f=s.makefile('rb')\n"
        "out=[f.readline()]\n"
        "for line in (b'EHLO client.test\\r\\n', b'QUIT\\r\\n'):\n"
        "    s.sendall(line); out.append(f.readline())\n"
        "s.shutdown(socket.SHUT_WR)\n"
        "sys.stdout.buffer.write(b''.join(out))\n")
    r = Net.in_client(["/usr/bin/python3", "-c", script])
    check(r.returncode == 0, f"client script failed: {T._short(r.stderr)}")
    check_eq(r.stdout, b"220 origin.test ESMTP ready\r\n250 EHLO client.test\r\n250 QUIT\r\n",
             "the SMTP-like exchange")
    m = p.wait_for_stdout(rf"^{re.escape(CLIENT_IP)}:\d+ <-> {re.escape(ORIGIN_IP)}:{s.port} tcp ",
                          timeout=TIMEOUT)[0]
    count = re.search(r" tcp (\d+) messages?, ", m.string)
    check(count and int(count.group(1)) >= 3, f"TCP dump line: {m.string!r}")


@case(spyglass_only=True)
def not_redirected_is_a_clean_error(env):
    p = world(env)
    before = p.stderr().count("is the proxy itself")
    # From the client, straight to the transparent port (no rule matches 10.77.1.1).
    rc, body, info, err = client_curl(f"http://{ROUTER_IP}:{p.port}/")
    check(rc != 0 and info.get("http_code") == 0, f"curl must get no answer: rc={rc} {info}")
    check("Empty reply" in err or "reset" in err.lower(), f"curl error: {err}")
    # From the router itself, over loopback.
    s = socket.create_connection(("127.0.0.1", p.port), timeout=TIMEOUT)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    got = T.recv_until_close(s, TIMEOUT)
    s.close()
    check_eq(got, b"", "bytes sent back on a refused connection")
    for _ in range(100):
        if p.stderr().count("is the proxy itself") >= before + 2:
            break
        time.sleep(0.05)
    err_text = p.stderr()
    check(err_text.count("is the proxy itself") >= before + 2,
          f"two loop errors on stderr: {T._short(err_text[-800:], 800)}")
    check(f"the original destination {ROUTER_IP}:{p.port} is the proxy itself" in err_text,
          f"error names the destination: {T._short(err_text[-800:], 800)}")
    check(p.alive(), "proxy still running")
    # And the proxy still serves redirected connections.
    rc, body, info, err = client_curl(f"http://{ORIGIN_IP}:{World.http.port}/status/204")
    check(rc == 0 and info.get("http_code") == 204, f"after the refusals: rc={rc} {info} {err}")


@case(spyglass_only=True)
def own_traffic_redirected_back_is_not_a_loop(env):
    """The local-traffic recipe WITHOUT its owner exclusion: Spyglass's own upstream
    connection is redirected back to it. It must refuse that, not connect again forever."""
    p = world(env)
    must([IPTABLES, "-t", "nat", "-A", "OUTPUT", "-p", "tcp", "-d", LOCAL_IP, "-j", "REDIRECT",
          "--to-ports", str(p.port)], "OUTPUT REDIRECT rule")
    try:
        s = socket.create_connection((LOCAL_IP, 25), timeout=TIMEOUT)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        got = T.recv_until_close(s, TIMEOUT)
        s.close()
        check(got == b"" or got.startswith(b"HTTP/1.1 502"), f"answer: {T._short(got)!r}")
        for _ in range(100):
            if "redirected back to it" in p.stderr():
                break
            time.sleep(0.05)
        err = p.stderr()
        check(f"this is Spyglass's own connection to {LOCAL_IP}:25, redirected back" in err,
              f"loop error: {T._short(err[-800:], 800)}")
        # Eager connect, then one more try for the request: each refused at the first level.
        time.sleep(1.0)
        refused = p.stderr().count("redirected back to it")
        check(1 <= refused <= 2, f"refused loop connections: {refused} (it must not grow)")
        check(p.alive(), "proxy still running")
    finally:
        must([IPTABLES, "-t", "nat", "-D", "OUTPUT", "-p", "tcp", "-d", LOCAL_IP, "-j",
              "REDIRECT", "--to-ports", str(p.port)], "removing the OUTPUT rule")


@case(spyglass_only=True)
def unreachable_destination_closes_the_client(env):
    p = world(env)
    closed = T.free_port()  # nothing listens there (on any address of the router)
    rc, body, info, err = client_curl(f"http://{ORIGIN_IP}:{closed}/")
    check(rc != 0 and info.get("http_code") == 0, f"curl must get no answer: rc={rc} {info}")
    for _ in range(100):
        if f"{ORIGIN_IP}:{closed}" in p.stderr():
            break
        time.sleep(0.05)
    check(f"cannot connect to the original destination {ORIGIN_IP}:{closed}" in p.stderr(),
          f"stderr: {T._short(p.stderr()[-600:], 600)}")
    check(p.alive(), "proxy still running")


def main():
    if os.environ.get(INNER) != "1":
        outer_checks()
        os.environ[INNER] = "1"
        sys.stdout.flush()
        os.execv(UNSHARE, [UNSHARE, "-n", "--", sys.executable, os.path.abspath(__file__),
                           *sys.argv[1:]])
    try:
        Net.setup()
        T.main()
    finally:
        Net.teardown()


if __name__ == "__main__":
    main()
