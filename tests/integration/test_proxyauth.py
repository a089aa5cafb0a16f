#!/usr/bin/python3
"""proxyauth (mitmproxy's proxyauth addon) with curl against the real spyglass-dump: 407 and
Proxy-Authenticate on the HTTP proxy port until Basic credentials come, for plain requests and
CONNECT; the header does not reach the origin; a retry on the same connection works; `any`;
an htpasswd file with bcrypt and {SHA} entries (also for SOCKS5); reverse mode answers 401 and
checks Authorization; a missing htpasswd file is exit code 2."""

import base64
import hashlib
import json
import os
import sys
import warnings

with warnings.catch_warnings():  # deprecated in 3.11, the simplest bcrypt maker here
    warnings.simplefilter("ignore", DeprecationWarning)
    import crypt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402


def headers_at_origin(r):
    check(r.rc == 0 and r.status == 200, f"{r}")
    return {k.lower(): v for k, v in json.loads(r.body)["headers"]}


def htpasswd(env):
    path = os.path.join(env.tmp, "htpasswd")
    bcrypt = crypt.crypt("wonder", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=2 ** 5))
    sha = base64.b64encode(hashlib.sha1(b"builder").digest()).decode()
    with open(path, "w") as f:
        f.write(f"# made by test_proxyauth\nalice:{bcrypt}\nbob:{{SHA}}{sha}\n")
    return path


@case(spyglass_only=True)
def plain_requests_need_credentials(env):
    o = env.origin
    p = env.new_proxy(["--set", "proxyauth=user:pass"])
    r = T.curl(o.url("/echo"), "-x", f"http://127.0.0.1:{p.port}")
    check_eq(r.status, 407, "status without credentials")
    check_eq(r.header("proxy-authenticate"), 'Basic realm="spyglass"', "challenge")
    r = T.curl(o.url("/echo"), "-x", f"http://user:wrong@127.0.0.1:{p.port}")
    check_eq(r.status, 407, "status with a wrong password")
    r = T.curl(o.url("/echo"), "-x", f"http://user:pass@127.0.0.1:{p.port}")
    check("proxy-authorization" not in headers_at_origin(r), "credentials kept from the origin")
    p.wait_for_stdout("-> 407 Proxy Authentication Required", count=2)
    # curl first asks without credentials, then retries on the same connection.
    r = T.curl(o.url("/echo"), "--proxy-anyauth", "-x", f"http://user:pass@127.0.0.1:{p.port}")
    headers_at_origin(r)
    check_eq(r.info.get("num_connects"), 1, "one connection for the 407 and the retry")


@case(spyglass_only=True)
def connect_needs_credentials(env):
    t = env.tls_origin
    p = env.new_proxy(["--set", "proxyauth=any", *env.trust_test_ca])
    url = f"https://localhost:{t.port}/bytes/2000"
    r = T.curl(url, "-x", f"http://127.0.0.1:{p.port}", "--cacert", p.ca_file)
    check(r.rc != 0, f"no tunnel without credentials: {r}")
    check_eq(r.info.get("http_connect"), 407, "CONNECT answer")
    r = T.curl(url, "-x", f"http://anyone:anything@127.0.0.1:{p.port}", "--cacert", p.ca_file)
    check(r.rc == 0 and r.status == 200 and len(r.body) == 2000, f"through the tunnel: {r}")
    T.wait_dump_line(p, url)


@case(spyglass_only=True)
def htpasswd_file_http_and_socks5(env):
    o = env.origin
    spec = "proxyauth=@" + htpasswd(env)
    p = env.new_proxy(["--set", spec])
    for user, password, status in (("alice", "wonder", 200), ("alice", "nope", 407),
                                   ("bob", "builder", 200), ("carol", "builder", 407)):
        r = T.curl(o.url("/echo"), "-x", f"http://{user}:{password}@127.0.0.1:{p.port}")
        check_eq(r.status, status, f"{user}:{password}")
    s = env.new_proxy(["--mode", "socks5", "--set", spec])
    r = T.curl(o.url("/echo"), "-x", f"socks5h://bob:builder@127.0.0.1:{s.port}")
    headers_at_origin(r)
    r = T.curl(o.url("/echo"), "-x", f"socks5h://bob:wrong@127.0.0.1:{s.port}")
    check(r.rc != 0, f"SOCKS5 with a wrong password: {r}")


@case(spyglass_only=True)
def reverse_mode_asks_with_401(env):
    o = env.origin
    p = env.new_proxy(["--mode", f"reverse:http://127.0.0.1:{o.port}",
                       "--set", "proxyauth=user:pass"])
    r = T.curl(f"http://127.0.0.1:{p.port}/echo")
    check_eq(r.status, 401, "status without credentials")
    check_eq(r.header("www-authenticate"), 'Basic realm="spyglass"', "challenge")
    r = T.curl(f"http://user:pass@127.0.0.1:{p.port}/echo")
    check("authorization" not in headers_at_origin(r), "credentials kept from the origin")


@case(spyglass_only=True)
def missing_htpasswd_is_exit_2(env):
    r = T.run([os.environ.get("SPYGLASS_DUMP"), "-p", str(T.free_port()), "--confdir", os.path.join(env.tmp, "c"),
               "--set", "proxyauth=@" + os.path.join(env.tmp, "missing")], timeout=20)
    check_eq(r.returncode, 2, "exit code")
    check("cannot read the htpasswd file" in r.stderr.decode(), f"stderr: {r.stderr!r}")


if __name__ == "__main__":
    T.main()
