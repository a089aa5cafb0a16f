#!/usr/bin/python3
"""Client replay (mitmdump -n -C FILE / --set client_replay=FILE): flows captured with -w are
replayed without a proxy port against the same local origins, which get the requests again
(plain HTTP and HTTPS verified against the test CA); the replayed flows are printed; a server
that cannot be verified, or that is gone, gives error lines, never a hang; bad files are a
one-line error and exit code 2; an upstream:URL mode sends replays through the parent."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402


def capture(env, name, requests, extra=()):
    """Runs a proxy with -w, sends `requests` (url, curl args) through it, returns the file."""
    save = os.path.join(env.tmp, f"{name}.sgs")
    p = env.new_proxy(["-w", save, *extra], name=name)
    for url, args in requests:
        r = T.curl(url, *args, proxy=p)
        check(r.rc == 0 and r.status == 200, f"capture {url}: {r}")
    for url, _ in requests:
        T.wait_dump_line(p, url)
    check_eq(p.stop(), 0, "exit code of the capturing proxy")
    return save


def replay(env, args, timeout=60):
    confdir = os.path.join(env.tmp, "confdir")
    return T.run([T.proxy_exe(), "--confdir", confdir, *args], timeout=timeout)


def printed(r):
    return [m for m in (T.DUMP_RE.match(ln) for ln in
                        r.stdout.decode("utf-8", "replace").splitlines()) if m]


def requests_seen(origin):
    with origin.lock:
        return sorted((q["method"], q["path"], q["body_len"]) for q in origin.requests)


@case(spyglass_only=True)
def http_replay_without_listener(env):
    o = env.origin
    flows = [(o.url("/echo?a=1"), []), (o.url("/echo"), ["--data-binary", "replay me"])]
    save = capture(env, "plain", flows)
    o.reset()
    r = replay(env, ["-n", "--set", f"client_replay={save}"])
    check_eq(r.returncode, 0, f"exit code of -n --set client_replay (stderr {T._short(r.stderr)})")
    check_eq(requests_seen(o), [("GET", "/echo?a=1", 0), ("POST", "/echo", 9)],
             "requests the origin got again")
    check_eq(sorted((m.group("method"), m.group("url"), m.group("status")) for m in printed(r)),
             [("GET", o.url("/echo?a=1"), "200"), ("POST", o.url("/echo"), "200")],
             "replayed flows printed")
    # mitmdump marks client-replayed flows: "[replay]" where the client address would be.
    check_eq([m.group("client") for m in printed(r)], ["[replay]", "[replay]"],
             "client field of replayed flows")
    check(b"listening" not in r.stderr, f"-n listened: {T._short(r.stderr)}")


@case(spyglass_only=True)
def https_replay_with_short_flag_and_concurrency(env):
    o = env.tls_origin
    url = o.url("/echo", host="localhost")
    ca = os.path.join(env.tmp, "confdir", "spyglass-ca-cert.pem")  # made by the first proxy
    flows = [(url + "?n=1", ["--cacert", ca]),
             (url + "?n=2", ["--cacert", ca, "--data-binary", "over tls"])]
    save = capture(env, "tls", flows, extra=env.trust_test_ca)
    o.reset()
    r = replay(env, ["-n", "-C", save, "--set", "client_replay_concurrency=-1",
                     *env.trust_test_ca])
    check_eq(r.returncode, 0, f"exit code of -n -C (stderr {T._short(r.stderr)})")
    check_eq(requests_seen(o), [("GET", "/echo?n=1", 0), ("POST", "/echo?n=2", 8)],
             "requests the TLS origin got again")
    check_eq(sorted(m.group("status") for m in printed(r)), ["200", "200"], "replayed statuses")

    # Without the test CA the origin's certificate is not trusted: error lines, no requests.
    o.reset()
    r = replay(env, ["-n", "-C", save])
    check_eq(r.returncode, 0, f"exit code (stderr {T._short(r.stderr)})")
    errors = [m for m in printed(r) if m.group("error")]
    check_eq(len(errors), 2, f"error lines for an untrusted server: {T._short(r.stdout)}")
    check_eq(requests_seen(o), [], "requests that reached the untrusted origin")


@case(spyglass_only=True)
def dead_server_is_an_error_line(env):
    o = T.Origin()
    save = capture(env, "gone", [(o.url("/echo"), [])])
    url = o.url("/echo")
    o.stop()  # nothing listens there any more
    r = replay(env, ["-n", "-C", save, "--set", "connect_timeout=5"], timeout=30)
    check_eq(r.returncode, 0, f"exit code (stderr {T._short(r.stderr)})")
    lines = printed(r)
    check(len(lines) == 1 and lines[0].group("url") == url and lines[0].group("error"),
          f"one error line for {url}: {T._short(r.stdout)}")


@case(spyglass_only=True)
def replay_while_proxying(env):
    # Without -n the proxy listens as usual and replays the file at start.
    o = env.origin
    save = capture(env, "live", [(o.url("/echo?live=1"), [])])
    o.reset()
    p = env.new_proxy(["-C", save], name="replaying")
    replayed = T.wait_dump_line(p, o.url("/echo?live=1"))
    check_eq(replayed[0].group("client"), "[replay]", "client field of the replayed flow")
    r = T.curl(o.url("/echo?live=2"), proxy=p)
    check(r.rc == 0 and r.status == 200, f"proxying while replaying: {r}")
    live = T.wait_dump_line(p, o.url("/echo?live=2"))
    check(live[0].group("client") != "[replay]", f"a proxied flow marked as replay: {live[0]}")
    check_eq(requests_seen(o), [("GET", "/echo?live=1", 0), ("GET", "/echo?live=2", 0)],
             "requests the origin got")


@case(spyglass_only=True)
def replay_through_upstream_parent(env):
    # An upstream:URL mode is honoured: the replay reaches the origin through the parent.
    o = env.origin
    save = capture(env, "viaparent", [(o.url("/echo?up=1"), [])])
    parent = env.new_proxy(name="parent")
    o.reset()
    r = replay(env, ["-n", "-C", save, "--mode", f"upstream:http://{T.HOST}:{parent.port}"])
    check_eq(r.returncode, 0, f"exit code (stderr {T._short(r.stderr)})")
    check_eq(requests_seen(o), [("GET", "/echo?up=1", 0)], "requests the origin got")
    T.wait_dump_line(parent, o.url("/echo?up=1"), error=False)


@case(spyglass_only=True)
def bad_files(env):
    missing = os.path.join(env.tmp, "missing.sgs")
    r = replay(env, ["-n", "-C", missing])
    check_eq(r.returncode, 2, "exit code for a missing file")
    err = r.stderr.decode("utf-8", "replace").strip()
    check(err.startswith("spyglass-dump: client_replay: ") and len(err.splitlines()) == 1,
          f"one error line: {err!r}")
    junk = os.path.join(env.tmp, "junk.sgs")
    with open(junk, "wb") as f:
        f.write(b"this is no session file at all")
    r = replay(env, ["-n", "--set", f"client_replay={junk}"])
    check_eq(r.returncode, 2, f"exit code for a junk file (stderr {T._short(r.stderr)})")
    r = replay(env, ["-n", "--set", "client_replay_concurrency=0"])
    check_eq(r.returncode, 2, "exit code for client_replay_concurrency=0")


if __name__ == "__main__":
    T.main()
