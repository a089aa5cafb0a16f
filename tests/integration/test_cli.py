#!/usr/bin/python3
"""The spyglass-dump command line contract (DESIGN.md "Command line contract"): --version,
--options, exit code 2 with one stderr line for bad input, the confdir CA files, dump lines,
-q, --har and -w written on SIGTERM/SIGINT, -n -r, and a trailing filter expression."""

import json
import os
import re
import signal
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgtest as T  # noqa: E402
from sgtest import case, check, check_eq  # noqa: E402

CONTRACT_OPTIONS = ["ssl_insecure", "ssl_verify_upstream_trusted_ca", "stream_large_bodies",
                    "body_size_limit", "ignore_hosts", "allow_hosts", "connection_strategy",
                    "tcp_timeout", "upstream_cert", "mode"]
KNOWN_DEFAULTS = {"stream_large_bodies": "10m", "ssl_insecure": "false", "tcp_timeout": "600",
                  "connection_strategy": "eager", "upstream_cert": "true"}
TYPE_OF_HELPER = {"bool": "bool", "int": "int", "str": "str", "choice": "choice",
                  "regexList": "str list", "size": "size"}


def registry_options():
    """(name, type) of every option in engine/options/option_registry.cpp, when the source
    tree is known; the contract's list otherwise."""
    src = os.environ.get("SPYGLASS_SOURCE_DIR") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..")
    path = os.path.join(src, "engine", "options", "option_registry.cpp")
    found = {}
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
        for helper, name in re.findall(r"\b(\w+)Option\(\s*\"([a-z0-9_]+)\"", text):
            if helper in TYPE_OF_HELPER:
                found[name] = TYPE_OF_HELPER[helper]
    for name in CONTRACT_OPTIONS:
        found.setdefault(name, None)
    return found


def run_dump(env, *args, timeout=30):
    """Runs the binary with a private confdir and a free port; returns the completed process."""
    confdir = os.path.join(env.tmp, f"cli-confdir-{time.monotonic_ns()}")
    argv = [T.proxy_exe(), "--listen-host", T.HOST, "-p", str(T.free_port()),
            "--confdir", confdir, *args]
    return T.run(argv, timeout=timeout)


def expect_usage_error(r, what, mention=None):
    err = r.stderr.decode("utf-8", "replace")
    lines = [ln for ln in err.splitlines() if ln.strip()]
    check_eq(r.returncode, 2, f"{what}: exit code (stderr {err!r})")
    check_eq(len(lines), 1, f"{what}: number of stderr lines ({err!r})")
    if mention:
        check(mention in lines[0], f"{what}: the error does not name {mention!r}: {lines[0]!r}")
    return lines[0]


@case
def version(env):
    r = T.run([T.proxy_exe(), "--version"], timeout=30)
    out = r.stdout.decode("utf-8", "replace")
    check_eq(r.returncode, 0, "exit code")
    check(re.search(r"\d+\.\d+", out), f"no version number in {out!r}")
    if T.SPYGLASS:
        check("spyglass" in out.lower(), f"--version does not name the program: {out!r}")


@case(spyglass_only=True)
def options_lists_every_option(env):
    r = T.run([T.proxy_exe(), "--options"], timeout=30)
    check_eq(r.returncode, 0, "exit code")
    out = r.stdout.decode("utf-8", "replace")
    lines = out.splitlines()
    options = registry_options()
    check(len(options) >= len(CONTRACT_OPTIONS), "option list is too short")
    starts = {}
    for i, ln in enumerate(lines):
        m = re.match(r"^\s*-*([a-z][a-z0-9_]*)\b", ln)
        if m and m.group(1) in options and m.group(1) not in starts:
            starts[m.group(1)] = i
    missing = sorted(set(options) - set(starts))
    check(not missing, f"--options does not list {missing}")
    order = sorted(starts.values()) + [len(lines)]
    for name, typ in options.items():
        i = starts[name]
        entry = "\n".join(lines[i:order[order.index(i) + 1]])
        if typ:
            check(re.search(rf"\b{re.escape(typ)}\b", entry), f"{name}: type {typ!r} missing in "
                  f"{entry!r}")
        check("default" in entry.lower(), f"{name}: no default shown in {entry!r}")
        if name in KNOWN_DEFAULTS:
            check(re.search(rf"\b{re.escape(KNOWN_DEFAULTS[name])}\b", entry),
                  f"{name}: default {KNOWN_DEFAULTS[name]!r} not shown in {entry!r}")
        words = re.findall(r"[A-Za-z]{3,}", entry.replace(name, ""))
        check(len(words) >= 5, f"{name}: no help text in {entry!r}")


@case(spyglass_only=True)
def bad_flag_exit_2(env):
    expect_usage_error(run_dump(env, "--no-such-flag"), "unknown flag", "--no-such-flag")
    expect_usage_error(run_dump(env, "-p"), "-p without a value")


@case(spyglass_only=True)
def set_unknown_option_exit_2(env):
    expect_usage_error(run_dump(env, "--set", "nope=1"), "--set nope=1", "nope")


@case(spyglass_only=True)
def set_bad_value_exit_2(env):
    expect_usage_error(run_dump(env, "--set", "tcp_timeout=abc"), "--set tcp_timeout=abc",
                       "tcp_timeout")
    expect_usage_error(run_dump(env, "--set", "ssl_insecure=maybe"), "--set ssl_insecure=maybe",
                       "ssl_insecure")
    expect_usage_error(run_dump(env, "--set", "stream_large_bodies=lots"),
                       "--set stream_large_bodies=lots", "stream_large_bodies")


@case(spyglass_only=True)
def read_missing_file_exit_2(env):
    missing = os.path.join(env.tmp, "no-such-session.sgs")
    expect_usage_error(run_dump(env, "-n", "-r", missing), "-r of a missing file",
                       "no-such-session.sgs")


@case(spyglass_only=True)
def read_garbage_file_exit_2(env):
    path = os.path.join(env.tmp, "garbage.sgs")
    with open(path, "wb") as f:
        f.write(b"\x00\xffnot a session at all\n" + bytes(range(256)) * 40)
    line = expect_usage_error(run_dump(env, "-n", "-r", path), "-r of a garbage file")
    check(len(line) > 10, f"message too short: {line!r}")


@case(spyglass_only=True)
def confdir_ca_files(env):
    confdir = os.path.join(env.tmp, "fresh", "confdir")  # parent does not exist either
    p = env.new_proxy(confdir=confdir)
    names = ["spyglass-ca.pem", "spyglass-ca-cert.pem", "spyglass-ca-cert.cer",
             "spyglass-ca-cert.p12"]
    for n in names:
        check(os.path.isfile(os.path.join(confdir, n)), f"{n} missing in confdir "
              f"(has {sorted(os.listdir(confdir))})")
    key_file = os.path.join(confdir, "spyglass-ca.pem")
    mode = stat.S_IMODE(os.stat(key_file).st_mode)
    check_eq(oct(mode), oct(0o600), "mode of spyglass-ca.pem")
    with open(key_file) as f:
        key_pem = f.read()
    check("PRIVATE KEY-----" in key_pem and "CERTIFICATE-----" in key_pem,
          "spyglass-ca.pem must hold the key and the certificate")
    with open(p.ca_file) as f:
        cert_pem = f.read()
    check("PRIVATE KEY" not in cert_pem, "spyglass-ca-cert.pem leaks the private key")
    text = T.cert_text(cert_pem)
    check(re.search(r"CA:TRUE", text), "the CA certificate is not a CA (basicConstraints)")
    with open(os.path.join(confdir, "spyglass-ca-cert.cer"), "rb") as f:
        cer = f.read()
    check_eq(T.cert_text(cer), text, "the .cer file holds the same certificate")
    p12 = [T.OPENSSL, "pkcs12", "-in", os.path.join(confdir, "spyglass-ca-cert.p12"),
           "-nokeys", "-passin", "pass:"]
    r = T.run(p12, timeout=15)
    if r.returncode != 0:  # written with the pre-OpenSSL-3 algorithms (RC2/3DES)
        r = T.run(p12 + ["-legacy"], timeout=15)
    check(r.returncode == 0 and b"CERTIFICATE" in r.stdout,
          f"the .p12 does not open with an empty password: {T._short(r.stderr)}")
    check_eq(p.stop(), 0, "exit code on SIGTERM")
    # A second start keeps the CA it made the first time.
    p2 = env.new_proxy(confdir=confdir)
    with open(p2.ca_file) as f:
        check_eq(f.read(), cert_pem, "CA certificate after a restart")


@case(spyglass_only=True)
def dump_lines_for_flows(env):
    p, o = env.new_proxy(), env.origin
    r1 = T.curl(o.url("/bytes/1024"), proxy=p)
    r2 = T.curl(o.url("/status/404"), proxy=p)
    r3 = T.curl(o.url("/echo"), "--data-binary", "abc", proxy=p)
    check(all(r.rc == 0 for r in (r1, r2, r3)), f"curl failed: {r1} {r2} {r3}")
    expect = [(r1, "GET", "/bytes/1024", "200", "OK"), (r2, "GET", "/status/404", "404",
                                                         "Not Found"),
              (r3, "POST", "/echo", "200", "OK")]
    for r, method, path, status, reason in expect:
        m = T.wait_dump_line(p, o.url(path), error=False)[0]
        check_eq(m.group("client"), f"127.0.0.1:{r.info['local_port']}", f"client of {path}")
        check_eq((m.group("method"), m.group("version"), m.group("status"), m.group("reason")),
                 (method, "HTTP/1.1", status, reason), f"fields of the line for {path}")
    line = T.wait_dump_line(p, o.url("/bytes/1024"))[0]
    check_eq(line.group("size"), "1.0k", "size of a 1024-byte body")
    check_eq(len(T.dump_lines(p)), 3, f"dump lines for 3 flows ({p.lines()})")


@case
def quiet_prints_nothing(env):
    p, o = env.new_proxy(["-q"]), env.origin
    for path in ("/bytes/10", "/status/404"):
        r = T.curl(o.url(path), proxy=p)
        check(r.rc == 0 and r.status in (200, 404), f"{r}")
    time.sleep(0.5)
    p.stop()
    check_eq(p.stdout(), "", "stdout with -q")


def heap_region_kib(pid):
    """(KiB of heap regions, KiB of it resident) of a process: the writable mappings advised
    MADV_NOHUGEPAGE ("nh" in /proc/PID/smaps VmFlags) that are not thread stacks, which glibc
    also advises so and which sit right above their guard page."""
    regions = resident = 0
    guard_end = None  # end address of the last inaccessible mapping seen
    mapping = None  # [start, perms, size, rss] of the mapping being read

    def close():
        nonlocal regions, resident
        if mapping and mapping[4] and "w" in mapping[1] and mapping[0] != guard_end:
            regions += mapping[2]
            resident += mapping[3]

    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) (\S+)", line)
            if m:
                close()
                if mapping and mapping[1].startswith("---"):
                    guard_end = mapping[5]
                mapping = [int(m.group(1), 16), m.group(3), 0, 0, False, int(m.group(2), 16)]
            elif mapping and line.startswith("Size:"):
                mapping[2] = int(line.split()[1])
            elif mapping and line.startswith("Rss:"):
                mapping[3] = int(line.split()[1])
            elif mapping and line.startswith("VmFlags:"):
                mapping[4] = "nh" in line.split()[1:]
    close()
    return regions, resident


def thread_names(pid):
    names = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                names.append(f.read().strip())
        except OSError:
            pass  # the thread ended
    return names


@case(spyglass_only=True)
def heap_grows_from_a_reserve(env):
    """Recording flows grows the heap all the time; with tcmalloc on Linux it grows in 2 MiB
    regions that a thread of its own ("spyglass-heap") faults in ahead of need, advised to stay
    in 4 KiB pages (app/common/heap_reserve.h), unless SPYGLASS_NO_HEAP_RESERVE is set. How
    much of the reserve is resident when we look depends on how idle the machine is, so that
    is only printed."""
    p, o = env.new_proxy(["-q"]), env.origin
    with open(f"/proc/{p.pid}/maps") as f:
        if "tcmalloc" not in f.read():
            print("  (nothing to check: built without tcmalloc)")
            p.stop()
            return
    for _ in range(20):
        r = T.curl(o.url("/bytes/65536"), proxy=p)
        check(r.rc == 0 and r.status == 200, f"{r}")
    # The advice exists only where the kernel has transparent huge pages at all.
    thp = os.path.isdir("/sys/kernel/mm/transparent_hugepage")
    advised, resident = heap_region_kib(p.pid)
    print(f"  {advised} KiB of heap regions, {resident} KiB of it resident")
    if thp:
        check(advised >= 2048, f"{advised} KiB of memory in heap regions")
    check("spyglass-heap" in thread_names(p.pid), f"threads {thread_names(p.pid)}")
    p.stop()

    os.environ["SPYGLASS_NO_HEAP_RESERVE"] = "1"
    try:
        q = env.new_proxy(["-q"])
    finally:
        del os.environ["SPYGLASS_NO_HEAP_RESERVE"]
    for _ in range(20):
        r = T.curl(o.url("/bytes/65536"), proxy=q)
        check(r.rc == 0 and r.status == 200, f"{r}")
    if thp:
        check_eq(heap_region_kib(q.pid)[0], 0,
                 "KiB of heap regions with SPYGLASS_NO_HEAP_RESERVE=1")
    check("spyglass-heap" not in thread_names(q.pid), f"threads {thread_names(q.pid)}")
    q.stop()


@case(spyglass_only=True)
def har_and_save_on_sigterm_then_read(env):
    har, save = os.path.join(env.tmp, "flows.har"), os.path.join(env.tmp, "flows.sgs")
    p, o = env.new_proxy(["--har", har, "-w", save]), env.origin
    flows = [("/bytes/1024", [], 200), ("/status/404", [], 404),
             ("/echo", ["--data-binary", "hello"], 200)]
    for path, args, status in flows:
        r = T.curl(o.url(path), *args, proxy=p)
        check(r.rc == 0 and r.status == status, f"{path}: {r}")
    for path, _, _ in flows:
        T.wait_dump_line(p, o.url(path))
    check_eq(p.stop(), 0, "exit code on SIGTERM")
    with open(har) as f:
        doc = json.load(f)
    entries = doc["log"]["entries"]
    check_eq(doc["log"].get("version"), "1.2", "HAR version")
    check_eq(len(entries), len(flows), "HAR entries")
    got = sorted((e["request"]["url"], e["request"]["method"], e["request"]["httpVersion"],
                  e["response"]["status"]) for e in entries)
    want = sorted((o.url(path), "POST" if args else "GET", "HTTP/1.1", status)
                  for path, args, status in flows)
    check_eq(got, want, "HAR entries (url, method, httpVersion, status)")
    check(os.path.getsize(save) > 0, "-w file is empty")
    # Read the saved session back without a proxy: the same flows, printed again.
    r = T.run([T.proxy_exe(), "-n", "-r", save], timeout=30)
    check_eq(r.returncode, 0, f"exit code of -n -r (stderr {T._short(r.stderr)})")
    lines = [m for m in (T.DUMP_RE.match(ln) for ln in
                         r.stdout.decode("utf-8", "replace").splitlines()) if m]
    check_eq(sorted((m.group("url"), m.group("status")) for m in lines),
             sorted((o.url(path), str(status)) for path, _, status in flows),
             "flows printed by -n -r")


@case(spyglass_only=True)
def har_on_sigint(env):
    har = os.path.join(env.tmp, "sigint.har")
    p, o = env.new_proxy(["--har", har]), env.origin
    r = T.curl(o.url("/bytes/10"), proxy=p)
    check(r.rc == 0 and r.status == 200, f"{r}")
    T.wait_dump_line(p, o.url("/bytes/10"))
    p.proc.send_signal(signal.SIGINT)
    try:
        p.proc.wait(15)
    except Exception:
        raise T.TestFailure("no exit within 15s of SIGINT")
    check_eq(p.proc.returncode, 0, "exit code on SIGINT")
    with open(har) as f:
        check_eq(len(json.load(f)["log"]["entries"]), 1, "HAR entries after SIGINT")


@case(spyglass_only=True)
def app_closes_and_writes_har_on_sigterm(env):
    # The window closes as if the user closed it (layout saved, --har written), exit code 0.
    app = os.path.join(os.path.dirname(T.proxy_exe()), "spyglass")
    check(os.access(app, os.X_OK), f"{app} is not built")
    har = os.path.join(env.tmp, "app.har")
    port = T.free_port()
    o = env.origin
    run_env = T.clean_env({"QT_QPA_PLATFORM": "offscreen", "HOME": env.tmp,
                           "XDG_CONFIG_HOME": os.path.join(env.tmp, "xdg")})
    with open(os.path.join(env.tmp, "app.log"), "wb") as log:
        argv = [app, "-p", str(port), "--confdir", os.path.join(env.tmp, "appconf"),
                "--har", har]
        proc = subprocess.Popen(argv, stdout=log, stderr=log, env=run_env)
    try:
        deadline = time.monotonic() + 20
        while not T.is_listening(port, proc.pid):
            check(proc.poll() is None and time.monotonic() < deadline,
                  "the app did not start listening")
            time.sleep(0.1)
        r = T.curl(o.url("/bytes/10"), proxy=f"http://127.0.0.1:{port}")
        check(r.rc == 0 and r.status == 200, f"{r}")
        time.sleep(0.3)  # the flow reaches the window in the hub's next batch (30 ms)
        proc.send_signal(signal.SIGTERM)
        check_eq(proc.wait(15), 0, "exit code on SIGTERM")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with open(har) as f:
        entries = json.load(f)["log"]["entries"]
    check_eq([e["request"]["url"] for e in entries], [o.url("/bytes/10")], "HAR entries")


@case
def trailing_filter_expression(env):
    # Flags before the filter must still apply, the proxy must work, and only the matching
    # flows are printed (tests/integration/test_filter_cli.py has the rest of the filter).
    extra = ["--set", "connection_strategy=lazy"]
    if T.SPYGLASS:
        extra += ["--set", "tcp_timeout=30"]
    p, o = env.new_proxy(extra, filter_expr="~u /bytes/"), env.origin
    for path in ("/bytes/10", "/status/404", "/bytes/20"):
        r = T.curl(o.url(path), proxy=p)
        check(r.rc == 0 and r.status in (200, 404), f"{path}: {r}")
    time.sleep(0.5)
    out = p.stdout()
    check(o.url("/bytes/10") in out and o.url("/bytes/20") in out,
          f"matching flows not printed: {out[-500:]!r}")
    check(o.url("/status/404") not in out, f"a flow that does not match was printed: "
          f"{out[-500:]!r}")


if __name__ == "__main__":
    T.main()
