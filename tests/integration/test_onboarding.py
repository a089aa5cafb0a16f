#!/usr/bin/python3
"""The onboarding app (engine/addons/onboarding.h, mitmproxy's mitm.it): spyglass-dump answers
http://spyglass.proxy/ itself, with the CA in every format, over plain proxying and through
CONNECT + TLS (a certificate minted by the Spyglass CA), without any upstream connection;
onboarding_host renames it and onboarding=false turns it off."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402

FILES = {
    "pem": ("spyglass-ca-cert.pem", "application/x-x509-ca-cert"),
    "cer": ("spyglass-ca-cert.cer", "application/x-x509-ca-cert"),
    "p12": ("spyglass-ca-cert.p12", "application/x-pkcs12"),
}


def confdir_file(proxy, name):
    with open(os.path.join(proxy.confdir, name), "rb") as f:
        return f.read()


def check_downloads(proxy, base, *curl_args):
    for fmt, (name, ctype) in FILES.items():
        r = T.curl(f"{base}/cert/{fmt}", *curl_args, proxy=proxy)
        check_eq(r.status, 200, f"{fmt} status ({r.stderr})")
        check_eq(r.header("content-type"), ctype, f"{fmt} content type")
        check_eq(r.header("content-disposition"), f'attachment; filename="{name}"',
                 f"{fmt} content disposition")
        check(r.body == confdir_file(proxy, name), f"/cert/{fmt} differs from the confdir's {name}")


@case(spyglass_only=True)
def page_over_plain_http(env):
    p = env.new_proxy()
    r = T.curl("http://spyglass.proxy/", proxy=p)
    check_eq(r.status, 200, f"status ({r.stderr})")
    check(r.header("content-type").startswith("text/html"), "html content type")
    text = r.body.decode()
    for needle in ("/cert/pem", "/cert/cer", "/cert/p12", "Windows", "macOS", "Linux",
                   "Firefox", "Android", "iOS"):
        check(needle in text, f"the page lacks {needle!r}")
    check_downloads(p, "http://spyglass.proxy")
    missing = T.curl("http://spyglass.proxy/nothing-here", proxy=p)
    check_eq(missing.status, 404, "unknown path")


@case(spyglass_only=True)
def page_through_connect_and_tls(env):
    p = env.new_proxy()
    for version in ("--http1.1", "--http2"):
        r = T.curl("https://spyglass.proxy/", "--cacert", p.ca_file, version, proxy=p)
        check_eq(r.status, 200, f"{version} status ({r.stderr})")
        check(b"Install the Spyglass certificate" in r.body, "the page over https")
        check_downloads(p, "https://spyglass.proxy", "--cacert", p.ca_file, version)
    # Without the CA the minted certificate is refused: it really is TLS from our CA.
    r = T.curl("https://spyglass.proxy/", proxy=p)
    check(r.rc != 0, "curl accepted the certificate without --cacert")


@case(spyglass_only=True)
def lazy_strategy_too(env):
    p = env.new_proxy(["--set", "connection_strategy=lazy"])
    r = T.curl("https://spyglass.proxy/cert/pem", "--cacert", p.ca_file, proxy=p)
    check_eq(r.status, 200, f"status ({r.stderr})")
    check(r.body == confdir_file(p, "spyglass-ca-cert.pem"), "pem over lazy https")


@case(spyglass_only=True)
def renamed_or_turned_off(env):
    p = env.new_proxy(["--set", "onboarding_host=mitm.it"])
    r = T.curl("http://mitm.it/cert/pem", proxy=p)
    check_eq(r.status, 200, f"renamed host ({r.stderr})")
    check(r.body == confdir_file(p, "spyglass-ca-cert.pem"), "pem on the renamed host")
    r = T.curl("https://mitm.it/", "--cacert", p.ca_file, proxy=p)
    check_eq(r.status, 200, f"renamed host over https ({r.stderr})")
    off = env.new_proxy(["--set", "onboarding=false"], name="off")
    r = T.curl("http://spyglass.proxy/", proxy=off)
    check(r.status != 200, f"onboarding=false still answered ({r.status})")


if __name__ == "__main__":
    T.main()
