#!/usr/bin/python3
"""HTTPS interception: CONNECT, a certificate minted by the proxy's CA with the right names,
TLS 1.2 and 1.3, openssl s_client through the proxy, upstream verification (against the test
CA, failing for a self-signed origin, skipped with ssl_insecure), and ignore_hosts passthrough."""

import hashlib
import json
import os
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402


def verifying_proxy(env):
    """The shared proxy that trusts the test CA for upstream verification."""
    return env.proxy(env.trust_test_ca)


@case
def https_get_and_post(env):
    p, o = verifying_proxy(env), env.tls_origin
    r = T.curl(o.url("/bytes/70000", host="localhost"), "--cacert", p.ca_file, proxy=p)
    check(r.rc == 0 and r.status == 200, f"GET: {r}")
    check_eq(hashlib.sha256(r.body).hexdigest(), T.body_sha256(70000), "sha256 of the body")
    r = T.curl(o.url("/echo", host="localhost"), "--cacert", p.ca_file,
               "--data-binary", "hello over tls", proxy=p)
    check(r.rc == 0 and r.status == 200, f"POST: {r}")
    echo = json.loads(r.body)
    check_eq((echo["method"], echo["body"]), ("POST", "hello over tls"), "echoed request")
    check_eq(r.info.get("ssl_verify_result"), 0, "curl's verification of the proxy's certificate")


@case
def minted_certificate_names_and_issuer(env):
    p, o = verifying_proxy(env), env.tls_origin
    ca_subject = T.cert_subject(p.ca_file)
    for host, san in (("localhost", ("DNS", "localhost")),
                      ("127.0.0.1", ("IP Address", "127.0.0.1"))):
        # Verified against the proxy's CA alone: the test CA's leaf would not pass.
        with T.tls_through_proxy(p.port, host, o.port, p.ca_file) as s:
            cert = s.getpeercert()
            der = s.getpeercert(binary_form=True)
            s.sendall(f"GET /echo HTTP/1.1\r\nHost: {host}:{o.port}\r\n"
                      f"Connection: close\r\n\r\n".encode())
            resp = T.ResponseReader(s).read()
        check_eq(cert["issuer"], ca_subject, f"issuer of the certificate for {host}")
        check(san in cert.get("subjectAltName", ()),
              f"certificate for {host} lacks SAN {san}: {cert.get('subjectAltName')}")
        check(der != env.ca.leaf_der, "the client got the origin's certificate, not a minted one")
        check_eq(resp.status, 200, f"status of a request over the intercepted tunnel to {host}")


@case
def tls12_and_tls13(env):
    p, o = verifying_proxy(env), env.tls_origin
    for flags, version in ((["--tlsv1.2", "--tls-max", "1.2"], "TLSv1.2"),
                           (["--tlsv1.3"], "TLSv1.3")):
        r = T.curl(o.url("/bytes/1000", host="localhost"), "-v", "--cacert", p.ca_file, *flags,
                   proxy=p)
        check(r.rc == 0 and r.status == 200, f"{version}: {r}")
        check_eq(r.body, T.body_bytes(1000), f"body over {version}")
        check(f"SSL connection using {version}" in r.stderr,
              f"curl did not negotiate {version}: "
              f"{[ln for ln in r.stderr.splitlines() if 'SSL connection' in ln]}")


@case
def openssl_s_client_typed_request(env):
    p, o = verifying_proxy(env), env.tls_origin
    request = (f"GET /echo?typed=1 HTTP/1.1\r\nHost: localhost:{o.port}\r\n"
               f"Connection: close\r\n\r\n").encode()
    r = T.run([T.OPENSSL, "s_client", "-proxy", f"{T.HOST}:{p.port}",
               "-connect", f"localhost:{o.port}", "-servername", "localhost",
               "-CAfile", p.ca_file, "-ign_eof"], input=request, timeout=20)
    out = r.stdout.decode("utf-8", "replace")
    check("Verify return code: 0 (ok)" in out,
          f"s_client could not verify the proxy's certificate: "
          f"{[ln for ln in out.splitlines() if 'Verify return' in ln]}; {T._short(r.stderr)}")
    check("HTTP/1.1 200 OK" in out, f"no 200 in s_client output: {T._short(out, 600)}")
    check('"path": "/echo?typed=1"' in out, "the typed request did not reach the origin")


@case
def selfsigned_upstream_gives_502(env):
    p, bad = verifying_proxy(env), env.bad_tls_origin
    bad.reset()
    # HTTP/1.1 only: this case is about the error response, not about ALPN.
    r = T.curl(bad.url("/echo", host="localhost"), "--http1.1", "--cacert", p.ca_file, proxy=p,
               timeout=30)
    check(r.rc == 0, f"curl failed instead of getting a 502: {r}")
    check_eq(r.status, 502, "status")
    text = r.body.decode("utf-8", "replace")
    check(any(w in text.lower() for w in ("certificate", "verif", "self-signed", "self signed")),
          f"502 body does not explain the certificate problem: {text[:300]!r}")
    check_eq(bad.requests, [], "requests the untrusted origin received")


@case(spyglass_only=True)
def selfsigned_upstream_dump_error_line(env):
    p, bad = verifying_proxy(env), env.bad_tls_origin
    url = bad.url("/dump-error", host="localhost")
    r = T.curl(url, "--http1.1", "--cacert", p.ca_file, proxy=p, timeout=30)
    check_eq(r.status, 502, "status")
    # The error may be reported on the request or on its CONNECT: match host:port only.
    where = f"localhost:{bad.port}"
    deadline = time.monotonic() + 10
    while True:
        errors = [m for m in T.dump_lines(p) if m.group("error") and where in m.group("url")]
        if errors or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    check(errors, f"no error dump line for {where}; stdout tail: {p.lines()[-5:]}")
    check(any(w in errors[-1].group("error").lower() for w in ("certificate", "verif")),
          f"dump error does not mention the certificate: {errors[-1].group(0)!r}")


@case
def ssl_insecure_accepts_selfsigned(env):
    p, bad = env.new_proxy(["--set", "ssl_insecure=true"]), env.bad_tls_origin
    r = T.curl(bad.url("/echo?insecure=1", host="localhost"), "--cacert", p.ca_file, proxy=p)
    check(r.rc == 0 and r.status == 200, f"{r}")
    check_eq(json.loads(r.body)["path"], "/echo?insecure=1", "path at the origin")


@case
def upstream_verification_is_on_by_default(env):
    # No ssl_verify_upstream_trusted_ca: the test CA is unknown, so the origin is refused.
    p, o = env.proxy(), env.tls_origin
    r = T.curl(o.url("/echo", host="localhost"), "--http1.1", "--cacert", p.ca_file, proxy=p,
               timeout=30)
    check_eq(r.status, 502, f"status without the trusted-CA option ({r})")


@case
def ignore_hosts_passes_tls_through(env):
    o, bad = env.tls_origin, env.bad_tls_origin
    # Matches "localhost:PORT" (Spyglass: regex over host:port) and also "localhost"
    # (mitmproxy 8 matches the host alone); 127.0.0.1 stays intercepted either way.
    p = env.new_proxy(["--set", f"ignore_hosts=^localhost(:{o.port})?$"])
    ctx = ssl.create_default_context(cafile=env.ca.ca_pem)
    raw = T.tunnel(p.port, "localhost", o.port)
    with ctx.wrap_socket(raw, server_hostname="localhost") as s:
        check_eq(s.getpeercert(binary_form=True), env.ca.leaf_der,
                 "certificate seen through an ignored host (must be the origin's own)")
        s.sendall(f"GET /echo?passthrough=1 HTTP/1.1\r\nHost: localhost:{o.port}\r\n"
                  f"Connection: close\r\n\r\n".encode())
        resp = T.ResponseReader(s).read()
    check_eq(resp.status, 200, "status through the passthrough tunnel")
    check_eq(json.loads(resp.body)["path"], "/echo?passthrough=1", "path at the origin")
    r = T.curl(o.url("/bytes/300", host="localhost"), "--cacert", env.ca.ca_pem, proxy=p)
    check(r.rc == 0 and r.status == 200 and r.body == T.body_bytes(300),
          f"curl trusting only the test CA through the passthrough: {r}")
    # Not ignored: intercepted, and the proxy (no trusted-CA option here) refuses the origin.
    with T.tls_through_proxy(p.port, "127.0.0.1", o.port, p.ca_file) as s:
        check_eq(s.getpeercert()["issuer"], T.cert_subject(p.ca_file),
                 "issuer for a host that is not ignored")
    if T.SPYGLASS:  # the port is part of the match: another port on localhost is intercepted
        with T.tls_through_proxy(p.port, "localhost", bad.port, p.ca_file) as s:
            check_eq(s.getpeercert()["issuer"], T.cert_subject(p.ca_file),
                     "issuer for localhost on a port that is not ignored")


@case(spyglass_only=True)
def upstream_tls_sessions_are_resumed(env):
    """A new connection to a server resumes the TLS session an earlier one got
    (engine/tls/upstream_session_cache.h), and still knows the server's certificate: the leaf
    minted for the client carries the names copied from it (upstream_cert) as after a full
    handshake."""
    p, o = env.new_proxy(env.trust_test_ca), env.tls_origin
    sans = []
    for i in range(3):
        with T.tls_through_proxy(p.port, "localhost", o.port, p.ca_file) as s:
            sans.append(s.getpeercert().get("subjectAltName"))
            s.sendall(f"GET /echo?resume={i} HTTP/1.1\r\nHost: localhost:{o.port}\r\n"
                      f"Connection: close\r\n\r\n".encode())
            check_eq(T.ResponseReader(s).read().status, 200, f"status on connection {i + 1}")
    seen = {r["path"]: r["tls_resumed"] for r in o.requests if "resume=" in r["path"]}
    check_eq([seen.get(f"/echo?resume={i}") for i in range(3)], [False, True, True],
             "the origin's view: was the handshake resumed")
    check(("DNS", "localhost") in (sans[0] or ()), f"minted SANs {sans[0]}")
    check_eq(sans[1:], [sans[0], sans[0]], "SANs of the leaves minted after resumed handshakes")


@case
def proxy_still_alive(env):
    p = env.proxy(env.trust_test_ca, restart=False)
    check(p.alive(), f"proxy exited with {p.proc.returncode}")


if __name__ == "__main__":
    T.main()
