#!/usr/bin/python3
"""Importing other tools' captures with `spyglass-dump -r FILE` (engine/io/flow_file_reader.h):
a real mitmproxy flow file written by `mitmdump -w` (skipped, with a SKIP line, when
/usr/bin/mitmdump is not installed), a HAR and a Charles JSON session made here, each printed
with `-n -r FILE` and converted to a session with `-r FILE -w OUT`; a corrupt or unknown file is
one error line naming it and exit code 2."""

import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402


def read(path, *extra, code=0):
    r = T.run([T.proxy_exe(), "-n", "-r", path, *extra], timeout=60)
    check_eq(r.returncode, code, f"-r {os.path.basename(path)} {extra}: exit code "
             f"(stderr {T._short(r.stderr)})")
    return r


def lines(r):
    return [ln for ln in r.stdout.decode("utf-8", "replace").splitlines() if ln.strip()]


def has_line(out, *parts):
    return any(all(p in ln for p in parts) for ln in out)


def converts(env, path, expected_lines):
    """-r PATH -w OUT writes a session that prints the same lines."""
    out = os.path.join(env.tmp, os.path.basename(path) + ".spyglass")
    read(path, "-q", "-w", out)
    again = lines(read(out))
    check_eq(again, expected_lines, f"{os.path.basename(path)} -> session: printed lines")


def mitmdump_capture(env):
    o, tls = env.origin, env.tls_origin
    flow_file = os.path.join(env.tmp, "capture.mitm")
    port = T.free_port()
    log = open(os.path.join(env.tmp, "mitmdump.log"), "wb")
    proc = subprocess.Popen([T.MITMDUMP, "--listen-host", T.HOST, "-p", str(port), "-q",
                             "--set", f"confdir={os.path.join(env.tmp, 'mitm-conf')}",
                             "--ssl-insecure", "-w", flow_file],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                            env=T.clean_env())
    try:
        deadline = time.monotonic() + 60
        while not T.is_listening(port, proc.pid):
            check(proc.poll() is None, f"mitmdump exited with {proc.returncode}")
            check(time.monotonic() < deadline, "mitmdump did not start listening")
            time.sleep(0.1)
        proxy = f"http://{T.HOST}:{port}"
        r = T.curl(o.url("/bytes/1000"), "-x", proxy)
        check(r.rc == 0 and r.status == 200, f"GET through mitmdump: {r}")
        r = T.curl(o.url("/echo?from=import"), "--data-binary", "hello=mitm", "-x", proxy)
        check(r.rc == 0 and r.status == 200, f"POST through mitmdump: {r}")
        r = T.curl(o.url("/status/404"), "-x", proxy)
        check(r.rc == 0 and r.status == 404, f"404 through mitmdump: {r}")
        r = T.curl(tls.url("/bytes/10"), "-k", "-x", proxy)
        check(r.rc == 0 and r.status == 200, f"HTTPS through mitmdump: {r}")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    check(os.path.getsize(flow_file) > 0, "mitmdump wrote no flows")

    out = lines(read(flow_file))
    check_eq(len(out), 4, f"printed lines {out}")
    check(has_line(out, "GET", tls.url("/bytes/10"), "200"), f"HTTPS line: {out}")
    check(has_line(out, "GET", o.url("/bytes/1000"), "200", "1000b"), f"GET line: {out}")
    check(has_line(out, "POST", o.url("/echo?from=import"), "200"), f"POST line: {out}")
    check(has_line(out, "GET", o.url("/status/404"), "404"), f"404 line: {out}")

    # The bodies came across: --export har shows the POST body as sent.
    har = json.loads(read(flow_file, "--export", "har").stdout)
    posts = [e for e in har["log"]["entries"] if e["request"]["method"] == "POST"]
    check_eq(len(posts), 1, "POST entries in the HAR")
    check_eq(posts[0]["request"]["postData"]["text"], "hello=mitm", "POST body")
    https = [e for e in har["log"]["entries"] if e["request"]["url"].startswith("https:")]
    check_eq(len(https), 1, "HTTPS entries in the HAR")
    check_eq(https[0].get("serverIPAddress"), T.HOST, "HTTPS server address")

    # A filter applies to imported flows too.
    check_eq(len(lines(read(flow_file, "~m POST"))), 1, "lines matching ~m POST")
    converts(env, flow_file, out)

    # The same file cut short inside its last flow: the flows before it, and a warning.
    with open(flow_file, "rb") as f:
        data = f.read()
    cut = os.path.join(env.tmp, "cut.mitm")
    with open(cut, "wb") as f:
        f.write(data[:-40])
    r = read(cut)
    check_eq(len(lines(r)), 3, "flows before the cut")
    check(b"cut.mitm" in r.stderr and b"ends inside the flow" in r.stderr,
          f"warning: {T._short(r.stderr)}")


if os.path.exists(T.MITMDUMP):
    case(spyglass_only=True)(mitmdump_capture)
else:
    print(f"SKIP mitmdump_capture ({T.MITMDUMP} is not installed)", flush=True)


@case(spyglass_only=True)
def har_file(env):
    har = {"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
                   "pages": [], "entries": [{
                       "startedDateTime": "2024-03-01T10:00:00.000Z", "time": 120.5,
                       "request": {"method": "GET", "url": "https://har.example/api?x=1",
                                   "httpVersion": "http/2.0", "headers": [
                                       {"name": ":authority", "value": "har.example"},
                                       {"name": "accept", "value": "*/*"}],
                                   "queryString": [{"name": "x", "value": "1"}],
                                   "cookies": [], "headersSize": -1, "bodySize": 0},
                       "response": {"status": 200, "statusText": "", "httpVersion": "http/2.0",
                                    "headers": [{"name": "content-type",
                                                 "value": "application/json"}],
                                    "cookies": [], "content": {"size": 11,
                                                               "mimeType": "application/json",
                                                               "text": "{\"ok\":true}"},
                                    "redirectURL": "", "headersSize": -1, "bodySize": 11},
                       "cache": {}, "timings": {"blocked": 1, "dns": -1, "ssl": -1,
                                                "connect": -1, "send": 0.5, "wait": 100,
                                                "receive": 19}}]}}
    path = os.path.join(env.tmp, "browser.har")
    with open(path, "w") as f:
        json.dump(har, f)
    out = lines(read(path))
    check_eq(len(out), 1, f"printed lines {out}")
    check(has_line(out, "GET", "https://har.example/api?x=1", "200"), f"line: {out}")
    converts(env, path, out)


CHARLES = [
    {"status": "COMPLETE", "method": "GET", "protocolVersion": "HTTP/1.1", "scheme": "https",
     "host": "charles.example", "port": 443, "actualPort": 443, "path": "/items",
     "query": "page=1", "tunnel": False, "keptAlive": False, "webSocket": False,
     "remoteAddress": "charles.example/203.0.113.9", "clientAddress": "/127.0.0.1",
     "clientPort": 50001,
     "times": {"start": "2024-03-01T11:00:00.000+01:00",
               "requestBegin": "2024-03-01T11:00:00.010+01:00",
               "requestComplete": "2024-03-01T11:00:00.011+01:00",
               "responseBegin": "2024-03-01T11:00:00.090+01:00",
               "end": "2024-03-01T11:00:00.100+01:00"},
     "durations": {"total": 100, "dns": 0, "connect": 5, "ssl": 10, "request": 1,
                   "response": 10, "latency": 79},
     "speeds": {"overall": 3000, "request": 0, "response": 3000}, "totalSize": 300,
     "ssl": {"protocol": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256"},
     "request": {"sizes": {"headers": 80, "body": 0}, "mimeType": None, "charset": None,
                 "contentEncoding": None,
                 "header": {"firstLine": "GET /items?page=1 HTTP/1.1",
                            "headers": [{"name": "Host", "value": "charles.example"}]}},
     "response": {"status": 200, "sizes": {"headers": 100, "body": 13},
                  "mimeType": "text/plain", "charset": "utf-8", "contentEncoding": None,
                  "header": {"firstLine": "HTTP/1.1 200 OK",
                             "headers": [{"name": "Content-Type", "value": "text/plain"},
                                         {"name": "Content-Length", "value": "13"}]},
                  "body": {"text": "hello charles", "charset": "utf-8"}}},
    {"status": "COMPLETE", "method": "POST", "protocolVersion": "HTTP/1.1", "scheme": "http",
     "host": "charles.example", "port": 8080, "path": "/upload", "query": None,
     "tunnel": False, "times": {"start": "2024-03-01T11:00:01.000+01:00",
                                "end": "2024-03-01T11:00:01.050+01:00"},
     "request": {"header": {"firstLine": "POST /upload HTTP/1.1", "headers": []},
                 "body": {"encoding": "base64", "encoded": "AAECAw=="}},
     "response": {"status": 201, "header": {"firstLine": "HTTP/1.1 201 Created",
                                            "headers": []}}},
]


@case(spyglass_only=True)
def charles_file(env):
    path = os.path.join(env.tmp, "session.chlsj")
    with open(path, "w") as f:
        json.dump(CHARLES, f, indent=2)
    out = lines(read(path))
    check_eq(len(out), 2, f"printed lines {out}")
    check(has_line(out, "GET", "https://charles.example/items?page=1", "200", "13b"),
          f"GET line: {out}")
    check(has_line(out, "POST", "http://charles.example:8080/upload", "201"), f"POST line: {out}")
    converts(env, path, out)


def tnet_dict(fields):
    """A tnetstring dictionary of text keys and already encoded values."""
    body = b"".join(b"%d:%s;%s" % (len(k), k.encode(), v) for k, v in fields.items())
    return b"%d:%s}" % (len(body), body)


@case(spyglass_only=True)
def corrupt_files(env):
    for name, data, words in [
            ("broken.mitm", b"57:4:type;4:http;7:version;2:17#" + b"x" * 10, b"broken.mitm"),
            ("garbage.bin", b"\x00\x01 this is nothing we know", b"garbage.bin"),
            ("bad.chlsj", b"[{\"host\": \"a\",", b"bad.chlsj"),
            ("toonew.mitm", tnet_dict({"version": b"2:99#", "type": b"4:http;"}),
             b"version 99")]:
        path = os.path.join(env.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        r = read(path, code=2)
        err = r.stderr.strip()
        check(words in err, f"{name}: stderr names it: {T._short(err)}")
        check_eq(len(err.splitlines()), 1, f"{name}: one error line")
        check_eq(r.stdout, b"", f"{name}: nothing printed")


T.main()
