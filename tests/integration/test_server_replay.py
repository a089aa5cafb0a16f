#!/usr/bin/python3
"""Server replay (mitmproxy's server_replay): flows recorded with `-w` through a local origin
are answered from the file once that origin is down: plain HTTP, HTTPS through CONNECT with the
default connection_strategy=eager, server_replay_extra for what was not recorded, `-S FILE`,
each answer used once unless server_replay_reuse, and a bad file as a one-line error."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402


def record_http(env, name):
    """Records three exchanges with a private origin, then stops the origin. Returns the
    session file, the (now dead) origin and what curl got for each URL."""
    save = os.path.join(env.tmp, f"{name}.spy")
    origin = T.Origin()
    p = env.new_proxy(["-w", save], name=f"{name}-record")
    got = {}
    for path in ("/echo?n=1", "/status/201"):
        r = T.curl(origin.url(path), proxy=p)
        check(r.rc == 0, f"recording {path}: {r}")
        got[path] = r
    r = T.curl(origin.url("/echo?form=1"), "--data-binary", "a=1&b=2", proxy=p)
    check(r.rc == 0 and r.status == 200, f"recording the POST: {r}")
    got["POST /echo?form=1"] = r
    T.wait_dump_line(p, origin.url("/echo?form=1"))
    check_eq(p.stop(), 0, "exit code of the recording proxy")
    seen = len(origin.requests)
    origin.stop()
    check_eq(seen, 3, "requests the origin answered while recording")
    return save, origin, got


@case(spyglass_only=True)
def http_answers_come_from_the_file(env):
    save, origin, got = record_http(env, "plain")
    p = env.new_proxy(["--set", f"server_replay={save}"], name="plain-replay")
    r = T.curl(origin.url("/echo?n=1"), proxy=p)
    check(r.rc == 0 and r.status == 200, f"replayed GET: {r}")
    check_eq(r.body, got["/echo?n=1"].body, "replayed body")
    check_eq(json.loads(r.body)["path"], "/echo?n=1", "path the origin once echoed")
    check_eq(r.header("server"), got["/echo?n=1"].header("server"), "replayed Server header")
    r = T.curl(origin.url("/status/201"), proxy=p)
    check_eq((r.rc, r.status, r.body), (0, 201, b"status 201\n"), "replayed 201")
    r = T.curl(origin.url("/echo?form=1"), "--data-binary", "a=1&b=2", proxy=p)
    check_eq((r.status, r.body), (200, got["POST /echo?form=1"].body), "replayed POST")
    # Another body is another key: forwarded (server_replay_extra=forward), and the origin
    # is down.
    r = T.curl(origin.url("/echo?form=1"), "--data-binary", "a=1&b=3", proxy=p)
    check_eq(r.status, 502, f"a POST with another body ({r})")
    # Each answer is used once: the second GET goes upstream too.
    r = T.curl(origin.url("/echo?n=1"), proxy=p)
    check_eq(r.status, 502, f"the same GET a second time ({r})")


@case(spyglass_only=True)
def replays_filter_and_reuse(env):
    save, origin, got = record_http(env, "reuse")
    p = env.new_proxy(["-S", save, "--set", "server_replay_reuse=true"], name="reuse-replay",
                      filter_expr="~replays")
    for _ in range(3):
        r = T.curl(origin.url("/echo?n=1"), proxy=p)
        check_eq((r.status, r.body), (200, got["/echo?n=1"].body), "reused answer")
    # Printed lines are limited to ~replays: the three replayed flows, not the forwarded one.
    r = T.curl(origin.url("/not-recorded"), proxy=p)
    check_eq(r.status, 502, f"unrecorded URL with the origin down ({r})")
    T.wait_dump_line(p, origin.url("/echo?n=1"), count=3)
    check(not any(m.group("url") == origin.url("/not-recorded") for m in T.dump_lines(p)),
          f"a forwarded flow matched ~replays: {p.lines()[-5:]}")


@case(spyglass_only=True)
def extra_404_for_unknown_urls(env):
    save, origin, got = record_http(env, "extra")
    p = env.new_proxy(["-S", save, "--set", "server_replay_extra=404"], name="extra-replay")
    r = T.curl(origin.url("/never/seen"), proxy=p)
    check_eq((r.rc, r.status, r.body), (0, 404, b""), "unknown URL")
    r = T.curl(origin.url("/status/201"), proxy=p)
    check_eq(r.status, 201, "recorded URL")
    p2 = env.new_proxy(["-S", save, "--set", "server_replay_extra=kill"], name="kill-replay")
    r = T.curl(origin.url("/never/seen"), proxy=p2)
    check(r.rc != 0 and r.status in (0, None), f"a killed request gets no answer: {r}")


@case(spyglass_only=True)
def https_through_connect_with_origin_down(env):
    save = os.path.join(env.tmp, "tls.spy")
    origin = T.Origin((env.ca.leaf_pem, env.ca.leaf_key))
    p = env.new_proxy(["-w", save, *env.trust_test_ca], name="tls-record")
    url = origin.url("/echo?tls=1", host="localhost")
    r = T.curl(url, "--cacert", p.ca_file, proxy=p)
    check(r.rc == 0 and r.status == 200, f"recording over TLS: {r}")
    recorded = r.body
    T.wait_dump_line(p, url)
    check_eq(p.stop(), 0, "exit code of the recording proxy")
    origin.stop()
    # connection_strategy stays eager (the default): the proxy must not need the server.
    for n, flags in enumerate(([], ["--http1.1"])):
        p = env.new_proxy(["--set", f"server_replay={save}"], name=f"tls-replay{n}")
        r = T.curl(url, "--cacert", p.ca_file, *flags, proxy=p)
        check(r.rc == 0 and r.status == 200, f"replayed HTTPS {flags}: {r}")
        check_eq(r.body, recorded, f"replayed HTTPS body {flags}")
        # Used up: the same request again goes upstream, where nobody listens now.
        r = T.curl(url, "--cacert", p.ca_file, *flags, proxy=p)
        check(r.status == 502 or r.rc != 0, f"second request {flags}: {r}")
    # A host:port that is not in the recording still goes upstream (and fails: nobody there).
    other = f"https://localhost:{T.free_port()}/x"
    r = T.curl(other, "--cacert", p.ca_file, "--http1.1", proxy=p)
    check(r.status == 502 or r.rc != 0, f"unrecorded HTTPS destination: {r}")


@case(spyglass_only=True)
def unrecorded_request_in_a_replayed_tunnel_goes_upstream(env):
    save = os.path.join(env.tmp, "tls-live.spy")
    origin = T.Origin((env.ca.leaf_pem, env.ca.leaf_key))
    p = env.new_proxy(["-w", save, *env.trust_test_ca], name="live-record")
    recorded_url = origin.url("/echo?rec=1", host="localhost")
    r = T.curl(recorded_url, "--cacert", p.ca_file, proxy=p)
    check(r.rc == 0 and r.status == 200, f"recording over TLS: {r}")
    T.wait_dump_line(p, recorded_url)
    check_eq(p.stop(), 0, "exit code of the recording proxy")
    origin.reset()
    # The tunnel opens without the server; the unrecorded request opens it afterwards
    # (the client negotiated h2 with the proxy alone; the origin speaks HTTP/1.1).
    live_url = origin.url("/echo?live=1", host="localhost")
    for n, flags in enumerate(([], ["--http1.1"])):
        p = env.new_proxy(["-S", save, *env.trust_test_ca], name=f"live-replay{n}")
        connections = origin.connections
        r = T.curl(recorded_url, "--cacert", p.ca_file, *flags, proxy=p)
        check(r.rc == 0 and r.status == 200, f"replayed {flags}: {r}")
        check_eq(origin.connections, connections, f"connections to the origin for a replay {flags}")
        r = T.curl(live_url, "--cacert", p.ca_file, *flags, proxy=p)
        check(r.rc == 0 and r.status == 200, f"forwarded {flags}: {r}")
        check_eq(json.loads(r.body)["path"], "/echo?live=1", "path at the origin")
        p.stop()
    check_eq([q["path"] for q in origin.requests], ["/echo?live=1"] * 2,
             "requests that reached the origin")
    origin.stop()


@case(spyglass_only=True)
def unreadable_file_is_a_one_line_error(env):
    bad = os.path.join(env.tmp, "garbage.spy")
    with open(bad, "wb") as f:
        f.write(b"this is not a session file")
    for argv, word in ((["-S", bad], "garbage.spy"),
                       (["--set", "server_replay=" + os.path.join(env.tmp, "missing.spy")],
                        "missing.spy")):
        r = T.run([T.proxy_exe(), "--confdir", os.path.join(env.tmp, "confdir"), "-p",
                   str(T.free_port()), *argv], timeout=30)
        check_eq(r.returncode, 2, f"exit code for {argv}")
        err = r.stderr.decode("utf-8", "replace").strip()
        check(word in err and len(err.splitlines()) == 1, f"stderr for {argv}: {err!r}")


if __name__ == "__main__":
    T.main()
