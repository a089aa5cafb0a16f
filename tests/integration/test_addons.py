#!/usr/bin/python3
"""The options that act on flows (docs/options.md), through the real spyglass-dump with curl:
block_list (a status, and 444 closing without an answer), modify_headers, modify_body,
map_remote, map_local (no upstream connection at all, no path traversal), anticache,
anticomp, stickycookie, stickyauth, showhost; and a bad value of each is one stderr line and
exit 2."""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402


def dead_url(path):
    """A URL on a local port nobody listens on: reaching it would be a 502."""
    return f"http://{T.HOST}:{T.free_port()}{path}"


def echo_headers(r):
    check_eq(r.status, 200, f"echo status ({r!r})")
    data = json.loads(r.body)
    return {k.lower(): v for k, v in data["headers"]}, data


def set_args(*assignments):
    out = []
    for a in assignments:
        out += ["--set", a]
    return out


@case
def block_list_answers_with_status(env):
    p = env.new_proxy(set_args("block_list=/~u blocked/403"))
    url = dead_url("/blocked/page")
    r = T.curl(url, proxy=p)
    check_eq(r.status, 403, f"blocked request ({r!r})")
    check_eq(r.body, b"", "blocked body")
    T.wait_dump_line(p, url, error=False)
    ok = T.curl(env.origin.url("/echo/fine"), proxy=p)
    check_eq(ok.status, 200, "a request the filter does not match")


@case
def block_list_444_closes_without_answer(env):
    p = env.new_proxy(set_args("block_list=|~u secret|444"))
    url = dead_url("/secret")
    r = T.curl(url, proxy=p)
    check_eq(r.status, 0, f"no HTTP answer at all ({r!r})")
    check_eq(r.rc, 52, f"curl: empty reply from server ({r!r})")
    if T.SPYGLASS:
        m = T.wait_dump_line(p, url, error=True)[0]
        check("killed" in m.group("error"), f"dump line error: {m.group('error')!r}")


@case
def modify_headers_request_and_response(env):
    p = env.new_proxy(set_args("modify_headers=/~q/X-Added/hello",
                               "modify_headers=/~q/User-Agent/",
                               "modify_headers=/~s/X-From-Proxy/1"))
    r = T.curl(env.origin.url("/echo/h"), "-H", "User-Agent: curl-test", proxy=p)
    headers, _ = echo_headers(r)
    check_eq(headers.get("x-added"), "hello", "added request header")
    check("user-agent" not in headers, f"User-Agent was not removed: {headers}")
    check_eq(r.header("X-From-Proxy"), "1", "added response header")


@case
def modify_headers_value_from_file(env):
    path = os.path.join(env.tmp, "token.txt")
    with open(path, "w") as f:
        f.write("secret-token\n")
    p = env.new_proxy(set_args(f"modify_headers=|X-Token|@{path}"))
    headers, _ = echo_headers(T.curl(env.origin.url("/echo/f"), proxy=p))
    check_eq(headers.get("x-token"), "secret-token", "header from @file")


@case
def modify_body_request_and_response(env):
    p = env.new_proxy(set_args("modify_body=/~q/kitten/puppy", "modify_body=/~s/\"POST\"/\"CHANGED\""))
    r = T.curl(env.origin.url("/echo/b"), "--data-binary", "a kitten and a kitten", proxy=p)
    check_eq(r.status, 200, "status")
    data = json.loads(r.body)
    check_eq(data["body"], "a puppy and a puppy", "request body as the origin got it")
    check_eq(data["method"], "CHANGED", "response body as the client got it")


@case
def map_remote_sends_to_another_server(env):
    target = env.origin.url("/")
    p = env.new_proxy(set_args(f"map_remote=|^http://mapped\\.invalid/|{target}"))
    r = T.curl("http://mapped.invalid/echo/remote?x=1", proxy=p)
    headers, data = echo_headers(r)
    check_eq(data["path"], "/echo/remote?x=1", "path at the new server")
    check_eq(headers.get("host"), target.split("/")[2], "Host header follows the new URL")


@case
def map_local_serves_files_without_upstream(env):
    root = os.path.join(env.tmp, "site")
    os.makedirs(os.path.join(root, "css"), exist_ok=True)
    with open(os.path.join(root, "index.html"), "w") as f:
        f.write("<h1>local</h1>")
    with open(os.path.join(root, "css", "app.css"), "w") as f:
        f.write("body{}")
    with open(os.path.join(env.tmp, "outside.txt"), "w") as f:
        f.write("must not be served")
    port = T.free_port()  # nothing listens here: any upstream attempt would be a 502
    p = env.new_proxy(set_args(f"map_local=|{T.HOST}:{port}/static|{root}"))
    base = f"http://{T.HOST}:{port}/static"
    r = T.curl(base + "/css/app.css?v=2", proxy=p)
    check_eq(r.status, 200, f"file ({r!r})")
    check_eq(r.body, b"body{}", "file body")
    check_eq(r.header("Content-Type"), "text/css", "guessed content type")
    r = T.curl(base + "/", proxy=p)
    check_eq(r.body, b"<h1>local</h1>", "index.html for the directory")
    check_eq(T.curl(base + "/missing.js", proxy=p).status, 404, "missing file")
    r = T.curl(base + "/../outside.txt", "--path-as-is", proxy=p)
    check_eq(r.status, 404, f"path traversal ({r!r})")
    r = T.curl(base + "/%2e%2e/outside.txt", "--path-as-is", proxy=p)
    check_eq(r.status, 404, f"encoded path traversal ({r!r})")
    check("must not" not in r.body.decode("latin-1"), "outside file leaked")


@case
def map_local_single_file(env):
    path = os.path.join(env.tmp, "api.json")
    with open(path, "w") as f:
        f.write('{"mocked": true}')
    p = env.new_proxy(set_args(f"map_local=|~m GET|mock\\.invalid/api|{path}"))
    r = T.curl("http://mock.invalid/api/users/7", proxy=p)
    check_eq(r.status, 200, f"mocked ({r!r})")
    check_eq(json.loads(r.body), {"mocked": True}, "body")
    check_eq(r.header("Content-Type"), "application/json", "content type")


@case
def anticache_and_anticomp(env):
    p = env.new_proxy(set_args("anticache=true", "anticomp=true"))
    r = T.curl(env.origin.url("/echo/c"), "-H", "If-None-Match: \"x\"",
               "-H", "If-Modified-Since: Mon, 01 Jan 2024 00:00:00 GMT",
               "-H", "Accept-Encoding: gzip, br", proxy=p)
    headers, _ = echo_headers(r)
    check("if-none-match" not in headers, f"If-None-Match kept: {headers}")
    check("if-modified-since" not in headers, f"If-Modified-Since kept: {headers}")
    check_eq(headers.get("accept-encoding"), "identity", "Accept-Encoding")
    plain = env.new_proxy()
    headers, _ = echo_headers(T.curl(env.origin.url("/echo/c"), "-H", "If-None-Match: \"x\"",
                                     proxy=plain))
    check_eq(headers.get("if-none-match"), "\"x\"", "without anticache the header stays")


@case
def stickycookie_adds_remembered_cookies(env):
    # The origin's /echo sets no cookie: modify_headers gives the first response one, and
    # stickycookie (after modify_headers in the addon order) remembers it.
    p = env.new_proxy(set_args("stickycookie=~all",
                               "modify_headers=/~s & ~u login/Set-Cookie/sid=42; Path=/"))
    T.curl(env.origin.url("/echo/login"), proxy=p)
    headers, _ = echo_headers(T.curl(env.origin.url("/echo/later"), proxy=p))
    check_eq(headers.get("cookie"), "sid=42", "sticky cookie on a later request")


@case
def stickyauth_adds_remembered_authorization(env):
    p = env.new_proxy(set_args("stickyauth=~q"))
    headers, _ = echo_headers(T.curl(env.origin.url("/echo/a1"), "-u", "user:pw", proxy=p))
    check("authorization" in headers, "first request carries it")
    headers, _ = echo_headers(T.curl(env.origin.url("/echo/a2"), proxy=p))
    check_eq(headers.get("authorization"), "Basic dXNlcjpwdw==", "remembered Authorization")


@case(spyglass_only=True)
def showhost_uses_the_host_header(env):
    p = env.new_proxy(set_args("showhost=true"))
    r = T.curl(env.origin.url("/echo/sh"), "-H", "Host: shown.example", proxy=p)
    check_eq(r.status, 200, "status")
    T.wait_dump_line(p, "http://shown.example/echo/sh", error=False)
    q = env.new_proxy()
    T.curl(env.origin.url("/echo/sh"), "-H", "Host: shown.example", proxy=q)
    T.wait_dump_line(q, env.origin.url("/echo/sh"), error=False)


@case(spyglass_only=True)
def bad_values_exit_2(env):
    for assignment, mention in [
        ("block_list=/~d example.com/abc", "block_list"),
        ("block_list=/~d example.com", "block_list"),
        ("modify_headers=/X", "modify_headers"),
        ("modify_headers=|X|@/nonexistent/file", "modify_headers"),
        ("modify_body=/(unclosed/x", "modify_body"),
        ("map_remote=/~bogus/a/b", "map_remote"),
        ("map_local=|x|/nonexistent/dir", "map_local"),
        ("stickycookie=(~q", "stickycookie"),
        ("anticache=maybe", "anticache"),
    ]:
        argv = [T.proxy_exe(), "--listen-host", T.HOST, "-p", str(T.free_port()),
                "--confdir", os.path.join(env.tmp, "bad-confdir"), "--set", assignment]
        r = T.run(argv, timeout=30)
        err = r.stderr.decode("utf-8", "replace")
        lines = [ln for ln in err.splitlines() if ln.strip()]
        check_eq(r.returncode, 2, f"{assignment}: exit code (stderr {err!r})")
        check_eq(len(lines), 1, f"{assignment}: one stderr line ({err!r})")
        check(mention in lines[0], f"{assignment}: error does not name {mention}: {lines[0]!r}")


@case(spyglass_only=True)
def options_lists_the_addon_options(env):
    r = T.run([T.proxy_exe(), "--options"], timeout=30)
    text = r.stdout.decode()
    for name in ["block_global (bool, default: true)", "block_private (bool, default: false)",
                 "block_list (str list", "modify_headers (str list", "modify_body (str list",
                 "map_remote (str list", "map_local (str list", "anticache (bool",
                 "anticomp (bool", "stickycookie (str", "stickyauth (str", "showhost (bool"]:
        check(name in text, f"--options lacks {name!r}")


if __name__ == "__main__":
    T.main()
