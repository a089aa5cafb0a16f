#!/usr/bin/python3
"""spyglass-dump --export FORMAT (engine/io/flow_export.h): flows recorded through the proxy with
-w are printed with `-n -r FILE --export FORMAT [FILTER]`; the printed curl commands (and httpie
commands, where httpie is installed) are run in bash against the origin and must send the same
request again; raw formats are HTTP/1 bytes separated by a blank line; `--export har` writes HAR
to stdout; an unknown format is one line on stderr and exit 2; without -r, finished flows of
live traffic are printed in the format as they come."""

import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402

# Quotes, a dollar sign, a backtick and spaces in a header; quotes, '&', '%', a backslash and a
# newline in the bodies: everything a shell could take apart.
TOKEN = "a'b \"c\" $HOME `id`"
FORM_BODY = "name=spy glass&note=it's 100% ok"
TEXT_BODY = "line one\nline \\two\\ 50% $PATH 'q'\nline three"


def record(env, save):
    """Saves four flows to `save` through a proxy; returns the origin's echo of each POST."""
    p, o = env.new_proxy(["-w", save]), env.origin
    sent = {}
    r = T.curl(o.url("/bytes/10"), proxy=p)
    check(r.rc == 0 and r.status == 200, f"GET: {r}")
    r = T.curl(o.url("/echo?kind=form&x=1"), "-H", f"X-Token: {TOKEN}", "--data-binary",
               FORM_BODY, proxy=p)
    check(r.rc == 0 and r.status == 200, f"form POST: {r}")
    sent["form"] = json.loads(r.body)
    r = T.curl(o.url("/echo?kind=text"), "-H", "Content-Type: text/plain; charset=utf-8",
               "--data-binary", TEXT_BODY, proxy=p)
    check(r.rc == 0 and r.status == 200, f"text POST: {r}")
    sent["text"] = json.loads(r.body)
    r = T.curl(o.url("/status/404"), "-X", "DELETE", proxy=p)
    check(r.rc == 0 and r.status == 404, f"DELETE: {r}")
    T.wait_dump_line(p, o.url("/status/404"))
    check_eq(p.stop(), 0, "exit code on SIGTERM")
    return o, sent


def export(save, fmt, *filter_words, code=0):
    r = T.run([T.proxy_exe(), "-n", "-r", save, "--export", fmt, *filter_words], timeout=30)
    check_eq(r.returncode, code, f"--export {fmt} {filter_words}: exit code "
             f"(stderr {T._short(r.stderr)})")
    return r


def headers_of(echo):
    return {k.lower(): v for k, v in echo["headers"]}


def same_request(again, original, what, body_suffix=""):
    """The origin saw the same request: method, target, body and the headers that matter."""
    for key in ("method", "path"):
        check_eq(again[key], original[key], f"{what}: {key}")
    check_eq(again["body"], original["body"] + body_suffix, f"{what}: body")
    h0, h1 = headers_of(original), headers_of(again)
    for name in ("x-token", "content-type", "content-length", "host"):
        if name in h0:
            want = h0[name]
            if name == "content-length":
                want = str(int(want) + len(body_suffix))
            check_eq(h1.get(name), want, f"{what}: header {name}")


def run_in_bash(command, what):
    """Runs one exported command line in bash, as a user pasting it would."""
    env = T.clean_env({"HTTPIE_CONFIG_DIR": os.path.join(T._env.tmp, "httpie")})
    r = T.run(["/bin/bash", "-c", command], timeout=30, env=env)
    check_eq(r.returncode, 0, f"{what}: exit code of {command!r} (stderr {T._short(r.stderr)})")
    return json.loads(r.stdout)


@case(spyglass_only=True)
def curl_commands_reproduce_requests(env):
    save = os.path.join(env.tmp, "export.sgs")
    o, sent = record(env, save)
    r = export(save, "curl", "~m POST")
    lines = r.stdout.decode("utf-8").split("\n")
    check_eq(lines[-1], "", "the output ends with a newline")
    commands = lines[:-1]
    check_eq(len(commands), 2, f"one command per POST: {commands!r}")
    check(all(c.startswith("curl ") for c in commands), f"not curl commands: {commands!r}")
    check("printf" in commands[1], f"the body with newlines goes through printf: {commands[1]!r}")
    for command, kind in zip(commands, ("form", "text")):
        same_request(run_in_bash(command, kind), sent[kind], f"curl {kind}")
    # The filter is applied: every flow without it, none with a filter nothing matches.
    check_eq(len(export(save, "curl").stdout.decode().splitlines()), 4, "all four flows")
    check_eq(export(save, "curl", "~d", "nosuchhost").stdout, b"", "no match, no output")
    # The recorded GET as curl, run again: same path, and the origin answers the same bytes.
    get = export(save, "curl", "~m GET").stdout.decode().strip()
    check_eq(get.count("\n"), 0, f"one GET command: {get!r}")
    r = T.run(["/bin/bash", "-c", get + " -sS -o -"], timeout=30)
    check_eq(r.stdout, T.body_bytes(10), "the GET's answer")


@case(spyglass_only=True)
def httpie_commands_reproduce_requests(env):
    save = os.path.join(env.tmp, "export-httpie.sgs")
    o, sent = record(env, save)
    r = export(save, "httpie", "~m POST")
    commands = r.stdout.decode("utf-8").splitlines()
    check_eq(len(commands), 2, f"one command per POST: {commands!r}")
    check(all(c.startswith("http POST ") for c in commands), f"not httpie commands: {commands!r}")
    if shutil.which("http") is None:
        T.note("httpie is not installed: its commands were not run")
        return
    for command, kind in zip(commands, ("form", "text")):
        # A here-string (<<<) ends in a newline, which httpie sends along (mitmproxy's too).
        same_request(run_in_bash(command, kind), sent[kind], f"httpie {kind}", body_suffix="\n")


@case(spyglass_only=True)
def raw_and_har_formats(env):
    save = os.path.join(env.tmp, "export-raw.sgs")
    o, sent = record(env, save)
    raw = export(save, "raw_request", "~m POST").stdout
    parts = raw.split(b"\r\n\r\n")
    # Two requests, each a head and a body, one blank line between the two flows.
    check_eq(len(parts), 4, f"raw requests: {raw!r}")
    check(parts[0].startswith(b"POST /echo?kind=form&x=1 HTTP/1.1\r\n"), f"first: {parts[0]!r}")
    check_eq(parts[1], FORM_BODY.encode(), "first body")
    check(b"\r\nX-Token: " + TOKEN.encode() + b"\r\n" in parts[0] + b"\r\n", "X-Token header")
    check(parts[2].startswith(b"POST /echo?kind=text HTTP/1.1\r\n"), f"second: {parts[2]!r}")
    check_eq(parts[3], TEXT_BODY.encode(), "second body")

    resp = export(save, "raw_response", "~c 404").stdout
    check(resp.startswith(b"HTTP/1.1 404 "), f"raw_response: {resp!r}")
    check(resp.endswith(b"\r\n\r\nstatus 404\n"), f"raw_response body: {resp!r}")
    both = export(save, "raw", "~c 404").stdout
    check(both.startswith(b"DELETE /status/404 HTTP/1.1\r\n") and both.endswith(resp),
          f"raw: {both!r}")

    har = json.loads(export(save, "har", "~m POST").stdout)
    entries = har["log"]["entries"]
    check_eq([e["request"]["url"] for e in entries],
             [o.url("/echo?kind=form&x=1"), o.url("/echo?kind=text")], "HAR entries")
    check_eq(entries[1]["request"]["postData"]["text"], TEXT_BODY, "HAR request body")

    # Every flow has a response: four, one blank line between each two.
    r = export(save, "raw_response")
    check_eq(r.stdout.count(b"HTTP/1.1 "), 4, "four responses")
    check(b"}\r\n\r\nHTTP/1.1 200 " in r.stdout, f"separator after an echo: {r.stdout!r}")
    check(b"}\r\n\r\nHTTP/1.1 404 " in r.stdout, f"separator before the 404: {r.stdout!r}")


@case(spyglass_only=True)
def unexportable_flow_named_exit_1(env):
    save = os.path.join(env.tmp, "export-refused.sgs")
    p, o = env.new_proxy(["-w", save]), env.origin
    refused = f"http://{T.HOST}:{T.free_port()}/nothing"
    T.curl(refused, proxy=p)  # connection refused: a flow with an error and no response
    r = T.curl(o.url("/status/404"), proxy=p)
    check(r.rc == 0 and r.status == 404, f"404: {r}")
    T.wait_dump_line(p, o.url("/status/404"))
    check_eq(p.stop(), 0, "exit code on SIGTERM")
    r = export(save, "raw_response", code=1)
    err = [ln for ln in r.stderr.decode().splitlines() if ln.strip()]
    check_eq(len(err), 1, f"one stderr line: {err!r}")
    check(refused in err[0] and "Can't export flow with no response." in err[0], err[0])
    check(r.stdout.startswith(b"HTTP/1.1 404 "), f"the other flow is printed: {r.stdout!r}")
    # curl takes both: the refused request can be sent again.
    check_eq(len(export(save, "curl").stdout.decode().splitlines()), 2, "two curl commands")


@case(spyglass_only=True)
def bad_format_and_live_export(env):
    for fmt in ("nope", "CURL", ""):
        r = T.run([T.proxy_exe(), "-n", "--export", fmt], timeout=30)
        err = r.stderr.decode("utf-8", "replace")
        lines = [ln for ln in err.splitlines() if ln.strip()]
        check_eq(r.returncode, 2, f"--export {fmt!r}: exit code (stderr {err!r})")
        check_eq(len(lines), 1, f"--export {fmt!r}: one stderr line ({err!r})")
        check("unknown export format" in lines[0] and "curl" in lines[0],
              f"--export {fmt!r}: {lines[0]!r}")
        check_eq(r.stdout, b"", f"--export {fmt!r}: stdout")

    # Live: finished flows are printed as curl commands instead of dump lines.
    p, o = env.new_proxy(["--export", "curl"], filter_expr="~m PUT"), env.origin
    T.curl(o.url("/bytes/3"), proxy=p)
    r = T.curl(o.url("/echo?live=1"), "-X", "PUT", "--data-binary", "live body", proxy=p)
    check(r.rc == 0 and r.status == 200, f"PUT: {r}")
    (m,) = p.wait_for_stdout(r"^curl .*-X PUT")
    check_eq(len(p.lines()), 1, f"only the PUT is printed: {p.lines()!r}")
    again = run_in_bash(m.string, "live PUT")
    same_request(again, json.loads(r.body), "live PUT")
    check_eq(p.stop(), 0, "exit code on SIGTERM")


if __name__ == "__main__":
    T.main()
