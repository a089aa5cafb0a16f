#!/usr/bin/python3
"""TLS to the proxy port itself, the "secure web proxy" (`curl --proxy https://...`): the
client gets a certificate for the proxy's own name or address from the proxy's CA, then speaks
HTTP to the proxy inside that TLS: absolute-form requests for http:// origins, CONNECT and a
second TLS session (TLS over TLS) for https:// origins. Plain HTTP clients keep working on the
same port of the same process, and broken TLS on the proxy port still gets a 400 or a clean
close."""

import hashlib
import json
import os
import socket
import ssl
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402


def verifying_proxy(env):
    """The shared proxy that trusts the test CA for upstream verification."""
    return env.proxy(env.trust_test_ca)


def https_proxy_url(p, host=T.HOST):
    return f"https://{host}:{p.port}"


def check_dump_ok(p, url, count=1):
    lines = T.wait_dump_line(p, url, count=count)
    for m in lines:
        check(not m.group("error"), f"error dump line for {url}: {m.group(0)}")
        check_eq(m.group("status"), "200", f"status in the dump line for {url}")
    return lines


@case
def http_origin_with_proxy_cacert(env):
    p, o = verifying_proxy(env), env.origin
    url = o.url("/bytes/70000")
    r = T.curl(url, "--proxy-cacert", p.ca_file, proxy=https_proxy_url(p))
    check(r.rc == 0 and r.status == 200, f"GET over TLS to the proxy: {r}")
    check_eq(hashlib.sha256(r.body).hexdigest(), T.body_sha256(70000), "sha256 of the body")
    check_eq(r.info.get("proxy_ssl_verify_result"), 0,
             "curl's verification of the proxy's own certificate")
    check_dump_ok(p, url)
    r = T.curl(o.url("/echo"), "--proxy-cacert", p.ca_file, "--data-binary", "to the proxy",
               proxy=https_proxy_url(p))
    check(r.rc == 0 and r.status == 200, f"POST over TLS to the proxy: {r}")
    echo = json.loads(r.body)
    check_eq((echo["method"], echo["body"]), ("POST", "to the proxy"), "echoed request")


@case
def https_origin_tls_over_tls(env):
    p, o = verifying_proxy(env), env.tls_origin
    url = o.url("/bytes/70000", host="localhost")
    r = T.curl(url, "-v", "--cacert", p.ca_file, "--proxy-cacert", p.ca_file,
               proxy=https_proxy_url(p))
    check(r.rc == 0 and r.status == 200, f"GET through CONNECT inside TLS: {r}")
    check_eq(hashlib.sha256(r.body).hexdigest(), T.body_sha256(70000), "sha256 of the body")
    check_eq(r.info.get("proxy_ssl_verify_result"), 0, "verification of the proxy certificate")
    check_eq(r.info.get("ssl_verify_result"), 0, "verification of the minted origin certificate")
    check("Proxy replied 200 to CONNECT request" in r.stderr or "CONNECT tunnel established"
          in r.stderr, "curl did not report the tunnel: "
          f"{[ln for ln in r.stderr.splitlines() if 'CONNECT' in ln][:5]}")
    check_dump_ok(p, url)


@case
def proxy_name_from_sni(env):
    """`--proxy https://localhost:PORT` sends SNI localhost: the certificate must name it."""
    p, o = verifying_proxy(env), env.origin
    url = o.url("/bytes/100")
    r = T.curl(url, "-v", "--proxy-cacert", p.ca_file, proxy=https_proxy_url(p, "localhost"))
    check(r.rc == 0 and r.status == 200, f"GET via https://localhost proxy: {r}")
    check_eq(r.body, T.body_bytes(100), "body")
    check("subject: CN=localhost" in r.stderr,
          f"proxy certificate subject: {[ln for ln in r.stderr.splitlines() if 'subject' in ln]}")
    # Without SNI (an IP literal), the certificate names the address the client connected to.
    ctx = ssl.create_default_context(cafile=p.ca_file)
    with T.connect(p.port) as raw, ctx.wrap_socket(raw, server_hostname=T.HOST) as s:
        cert = s.getpeercert()
        check(("IP Address", T.HOST) in cert.get("subjectAltName", ()),
              f"SAN of the proxy certificate without SNI: {cert.get('subjectAltName')}")
        check(s.selected_alpn_protocol() is None, "ALPN answered although none was offered")
        s.sendall(f"GET {url} HTTP/1.1\r\nHost: {T.HOST}:{o.port}\r\n"
                  f"Connection: close\r\n\r\n".encode())
        resp = T.ResponseReader(s).read()
    check_eq((resp.status, resp.body), (200, T.body_bytes(100)), "response over TLS, no SNI")


@case
def alpn_to_the_proxy_is_http11(env):
    p = verifying_proxy(env)
    ctx = ssl.create_default_context(cafile=p.ca_file)
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    with T.connect(p.port) as raw, ctx.wrap_socket(raw, server_hostname="localhost") as s:
        check_eq(s.selected_alpn_protocol(), "http/1.1", "ALPN answer of the proxy itself")


@case
def proxy_insecure_variant(env):
    p = verifying_proxy(env)
    o, t = env.origin, env.tls_origin
    r = T.curl(o.url("/bytes/1000"), "--proxy-insecure", proxy=https_proxy_url(p))
    check(r.rc == 0 and r.status == 200, f"http:// origin with --proxy-insecure: {r}")
    check_eq(r.body, T.body_bytes(1000), "body")
    check_dump_ok(p, o.url("/bytes/1000"))
    url = t.url("/chunked/5000", host="localhost")
    r = T.curl(url, "--proxy-insecure", "--cacert", p.ca_file, proxy=https_proxy_url(p))
    check(r.rc == 0 and r.status == 200, f"https:// origin with --proxy-insecure: {r}")
    check_eq(r.body, T.body_bytes(5000), "body")
    check_dump_ok(p, url)


@case
def several_requests_on_one_tls_connection(env):
    p, o = verifying_proxy(env), env.origin
    urls = [o.url(f"/bytes/{n}?reuse") for n in (10, 20, 30)]
    r, infos, _ = T.curl_many(urls, "--proxy-cacert", p.ca_file, proxy=https_proxy_url(p))
    check(r.returncode == 0, f"curl failed: {r.stderr.decode(errors='replace')[:300]}")
    check_eq([i.get("http_code") for i in infos], [200, 200, 200], "statuses")
    check_eq(sum(int(i.get("num_connects", 0)) for i in infos), 1,
             "connections to the proxy (curl reuses one)")
    for u in urls:
        check_dump_ok(p, u)


@case
def plain_and_tls_clients_on_the_same_port(env):
    p, o, t = verifying_proxy(env), env.origin, env.tls_origin
    plain = T.curl(o.url("/bytes/300?plain"), proxy=p)
    check(plain.rc == 0 and plain.status == 200, f"plain HTTP to the proxy: {plain}")
    tls = T.curl(o.url("/bytes/300?tls"), "--proxy-cacert", p.ca_file, proxy=https_proxy_url(p))
    check(tls.rc == 0 and tls.status == 200, f"TLS to the proxy: {tls}")
    check_eq((plain.body, tls.body), (T.body_bytes(300), T.body_bytes(300)), "bodies")
    tunnel = T.curl(t.url("/bytes/300?plain-connect", host="localhost"), "--cacert", p.ca_file,
                    proxy=p)
    check(tunnel.rc == 0 and tunnel.status == 200, f"plain CONNECT to the proxy: {tunnel}")
    check_dump_ok(p, o.url("/bytes/300?plain"))
    check_dump_ok(p, o.url("/bytes/300?tls"))
    check_dump_ok(p, t.url("/bytes/300?plain-connect", host="localhost"))


@case
def client_that_distrusts_the_ca(env):
    """A client without the proxy's CA fails its handshake; the proxy stays healthy."""
    p, o = verifying_proxy(env), env.origin
    r = T.curl(o.url("/bytes/10?distrust"), "--proxy-cacert", env.ca.ca_pem,
               proxy=https_proxy_url(p))
    check(r.rc in (35, 60), f"curl should reject the proxy certificate: {r}")
    check(p.alive(), "proxy died")
    r = T.curl(o.url("/bytes/10?after"), "--proxy-cacert", p.ca_file, proxy=https_proxy_url(p))
    check(r.rc == 0 and r.status == 200, f"a good request afterwards: {r}")


@case
def broken_tls_on_the_proxy_port(env):
    p, o = verifying_proxy(env), env.origin
    # A record that claims to be a ClientHello but is not one: a 400, as before.
    with T.connect(p.port) as s:
        s.sendall(b"\x16\x03\x01\x00\x08\x01\x00\x00\x04abcd")
        reply = T.recv_until_close(s)
    check_eq(T.parse_response_bytes(reply).status, 400, "status for a broken ClientHello")
    # A real ClientHello, then the client goes away: a clean close (perhaps after the
    # proxy's first flight); cut in the middle it is garbage again, and a 400 is fine too.
    ctx = ssl.create_default_context(cafile=p.ca_file)
    out = ssl.MemoryBIO()
    obj = ctx.wrap_bio(ssl.MemoryBIO(), out, server_hostname="localhost")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    hello = out.read()
    for data, what in ((hello, "whole ClientHello"), (hello[:60], "cut ClientHello")):
        with T.connect(p.port) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            reply = T.recv_until_close(s)
        if data is hello:
            check(not reply or reply[0] in (0x15, 0x16),
                  f"{what}: unexpected answer {reply[:80]!r}")
        else:
            check(not reply or T.parse_response_bytes(reply).status == 400,
                  f"{what}: unexpected answer {reply[:80]!r}")
    check(p.alive(), "proxy died")
    r = T.curl(o.url("/bytes/10?healthy"), "--proxy-cacert", p.ca_file, proxy=https_proxy_url(p))
    check(r.rc == 0 and r.status == 200, f"a good request afterwards: {r}")


if __name__ == "__main__":
    T.main()
