#!/usr/bin/python3
"""spyglass-dump's trailing FILTER-EXPRESSION (docs/filters.md): only the flows that match are
printed, saved with -w and written with --har, live and with -n -r; a response body is matched
decoded from gzip; a bad expression is one line on stderr naming the position, and exit 2."""

import gzip
import http.server
import json
import os
import socketserver
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402


def dump_urls(text):
    """(method, url, status or 'error') of every dump line in `text`, in order."""
    out = []
    for ln in text.splitlines():
        m = T.DUMP_RE.match(ln)
        if m:
            out.append((m.group("method"), m.group("url"), m.group("status") or "error"))
    return out


def expect_bad_filter(r, what, *mentions):
    err = r.stderr.decode("utf-8", "replace")
    lines = [ln for ln in err.splitlines() if ln.strip()]
    check_eq(r.returncode, 2, f"{what}: exit code (stderr {err!r})")
    check_eq(len(lines), 1, f"{what}: number of stderr lines ({err!r})")
    for m in mentions:
        check(m in lines[0], f"{what}: the error does not say {m!r}: {lines[0]!r}")
    check_eq(r.stdout, b"", f"{what}: stdout")


class GzipOrigin(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """Serves /gz: a gzip-encoded text body, as a compressing server sends it."""
    daemon_threads = True

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            body = gzip.compress(b"<p>the hidden phrase lives inside gzip</p>" * 20)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def __init__(self):
        super().__init__((T.HOST, 0), GzipOrigin.Handler)
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1},
                         daemon=True).start()


def record_session(env, save):
    """Runs a proxy without a filter and saves five flows to `save`; returns their origin."""
    p, o = env.new_proxy(["-w", save]), env.origin
    for path, args, status in [("/bytes/10", [], 200), ("/status/404", [], 404),
                               ("/echo", ["--data-binary", "hello filter"], 200),
                               ("/status/500", [], 500), ("/bytes/20", ["-X", "PUT"], 200)]:
        r = T.curl(o.url(path), *args, proxy=p)
        check(r.rc == 0 and r.status == status, f"{path}: {r}")
        T.wait_dump_line(p, o.url(path))
    check_eq(p.stop(), 0, "exit code on SIGTERM")
    return o


@case(spyglass_only=True)
def method_post_only(env):
    p, o = env.new_proxy(filter_expr="~m POST"), env.origin
    for path, args in [("/bytes/10", []), ("/status/404", []),
                       ("/echo", ["--data-binary", "abc"])]:
        r = T.curl(o.url(path), *args, proxy=p)
        check(r.rc == 0, f"{path}: {r}")
    # Flows finish in order: once the POST is printed, the GETs before it would have been.
    T.wait_dump_line(p, o.url("/echo"))
    check_eq(dump_urls(p.stdout()), [("POST", o.url("/echo"), "200")], "printed flows")
    check("not applied" not in p.stderr(), f"stale notice on stderr: {p.stderr()!r}")


@case(spyglass_only=True)
def status_code_saved_and_har(env):
    har, save = os.path.join(env.tmp, "f404.har"), os.path.join(env.tmp, "f404.sgs")
    p, o = env.new_proxy(["--har", har, "-w", save], filter_expr="~s & ~c 404"), env.origin
    paths = ["/status/404?a=1", "/bytes/5", "/status/200", "/status/404?a=2", "/status/204"]
    for path in paths:
        r = T.curl(o.url(path), proxy=p)
        check(r.rc == 0, f"{path}: {r}")
    T.wait_dump_line(p, o.url("/status/404?a=2"))
    # /status/204 comes last and must not appear: give it the time the 404 before it took.
    T.curl(o.url("/status/404?a=3"), proxy=p)
    T.wait_dump_line(p, o.url("/status/404?a=3"))
    check_eq(p.stop(), 0, "exit code on SIGTERM")
    want = [("GET", o.url(f"/status/404?a={i}"), "404") for i in (1, 2, 3)]
    check_eq(dump_urls(p.stdout()), want, "printed flows")
    with open(har) as f:
        entries = json.load(f)["log"]["entries"]
    check_eq([(e["request"]["url"], e["response"]["status"]) for e in entries],
             [(u, 404) for _, u, _ in want], "HAR entries")
    r = T.run([T.proxy_exe(), "-n", "-r", save], timeout=30)
    check_eq(r.returncode, 0, f"-n -r of the filtered session (stderr {T._short(r.stderr)})")
    check_eq(dump_urls(r.stdout.decode()), want, "flows in the -w session")


@case(spyglass_only=True)
def read_session_with_filters(env):
    save = os.path.join(env.tmp, "all.sgs")
    o = record_session(env, save)
    u = o.url
    cases = [
        ("~m POST", [("POST", u("/echo"), "200")]),
        ("~m post", [("POST", u("/echo"), "200")]),  # case-insensitive
        ("!~c 200", [("GET", u("/status/404"), "404"), ("GET", u("/status/500"), "500")]),
        ("~c 404 | ~c 500", [("GET", u("/status/404"), "404"), ("GET", u("/status/500"), "500")]),
        ("~bq 'hello filter'", [("POST", u("/echo"), "200")]),
        ("~bs 'status 50\\d'", [("GET", u("/status/500"), "500")]),
        ("~u /bytes/ & !~m GET", [("PUT", u("/bytes/20"), "200")]),
        ("bytes ~m put", [("PUT", u("/bytes/20"), "200")]),
        ("~ts json", [("POST", u("/echo"), "200")]),
        ("~hs 'content-type: application/octet'",
         [("GET", u("/bytes/10"), "200"), ("PUT", u("/bytes/20"), "200")]),
        ("~d nosuchhost", []),
        ("~q", []),
        ("~all", None),  # every flow
    ]
    everything = None
    for expr, want in cases:
        r = T.run([T.proxy_exe(), "-n", "-r", save, expr], timeout=30)
        check_eq(r.returncode, 0, f"{expr}: exit code (stderr {T._short(r.stderr)})")
        got = dump_urls(r.stdout.decode())
        if want is None:
            everything = got
            check_eq(len(got), 5, f"{expr}: every flow")
        else:
            check_eq(got, want, f"flows printed for {expr!r}")
    # Words after the flags are joined with spaces, as mitmdump does: ~m POST unquoted.
    r = T.run([T.proxy_exe(), "-n", "-r", save, "~m", "POST"], timeout=30)
    check_eq(dump_urls(r.stdout.decode()), [("POST", u("/echo"), "200")], "~m POST as two words")
    # An empty filter is no filter.
    r = T.run([T.proxy_exe(), "-n", "-r", save, ""], timeout=30)
    check_eq(dump_urls(r.stdout.decode()), everything, "empty filter")


@case(spyglass_only=True)
def gzip_body_matched_decoded(env):
    origin = GzipOrigin()
    try:
        p = env.new_proxy(filter_expr="~bs 'hidden phrase'")
        gz_url = f"http://{T.HOST}:{origin.port}/gz"
        r1 = T.curl(env.origin.url("/bytes/100"), proxy=p)
        r2 = T.curl(gz_url, proxy=p)  # no --compressed: the body travels gzip'd
        check(r1.rc == 0 and r2.rc == 0 and r2.status == 200, f"{r1} {r2}")
        check(r2.body.startswith(b"\x1f\x8b"), "the origin did not send gzip")
        T.wait_dump_line(p, gz_url)
        check_eq([url for _, url, _ in dump_urls(p.stdout())], [gz_url], "printed flows")
    finally:
        origin.shutdown()
        origin.server_close()


@case(spyglass_only=True)
def bad_expression_exit_2(env):
    bad = [
        ("~s & (~c 404", ["at 12", "expected ')'", "~s & (~c 404"]),
        ("~foo", ["at 0", "unknown operator ~foo"]),
        ("~c abc", ["at 3", "status code"]),
        ("~u 'a(b'", ["at 7", "invalid regular expression"]),
        ("~m POST &", ["at 9", "expected a filter after '&'"]),
        ("~u \"unterminated", ["unterminated string"]),
    ]
    for expr, mentions in bad:
        # Without a server, and with one: the expression is checked before anything starts.
        r = T.run([T.proxy_exe(), "-n", expr], timeout=30)
        expect_bad_filter(r, f"-n {expr!r}", "filter", *mentions)
    confdir = os.path.join(env.tmp, "bad-filter-confdir")
    r = T.run([T.proxy_exe(), "--listen-host", T.HOST, "-p", str(T.free_port()), "--confdir",
               confdir, "~s &"], timeout=30)
    expect_bad_filter(r, "with a server", "at 4")
    check(not os.path.exists(confdir), "a bad filter must stop the start before the CA is made")


if __name__ == "__main__":
    T.main()
