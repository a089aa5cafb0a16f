#!/usr/bin/python3
"""The real window under a real X server (issue 6: "one test that runs the real app under Xvfb
with traffic through it and saves a screenshot").

Starts Xvfb on a free display, runs the built `spyglass` on it (its own QSettings and confdir
in a temporary HOME, listening on a free port, `-w` saving every finished flow), sends curl
requests through it to a local origin, waits until the window has them (the session that the
window writes from the same batches it shows), then takes a screenshot of the X screen with
ImageMagick's `import` and checks it: the window is mapped (xdotool finds it), the picture is
the screen's size and not blank, and `spyglass-dump -n -r` reads back exactly the requests
sent. The PNG is kept in SPYGLASS_SCREENSHOTS (when set) or the build directory's
app_xvfb.png, for a person to look at.

Without Xvfb, `import` or xdotool, or when the X server cannot start, it prints SKIP with the
reason and exits 77 (ctest: skipped).
"""

import http.server
import os
import select
import shutil
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time

SKIP_CODE = 77
HOST = "127.0.0.1"
PATHS = [f"/xvfb/item/{i}" for i in range(12)]


def skip(reason):
    print(f"SKIP test_app_xvfb: {reason}")
    sys.exit(SKIP_CODE)


def fail(reason, *logs):
    print(f"FAIL test_app_xvfb: {reason}", file=sys.stderr)
    for name in logs:
        if name and os.path.exists(name):
            with open(name, "rb") as f:
                print(f"--- {name}:\n" + f.read()[-3000:].decode("utf-8", "replace"),
                      file=sys.stderr)
    sys.exit(1)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ('{"path": "%s"}' % self.path).encode()
        self.send_response(200 if not self.path.endswith("/7") else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Origin(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_listening(port, proc, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def start_xvfb(tmp):
    xvfb = shutil.which("Xvfb") or "/usr/bin/Xvfb"
    if not os.access(xvfb, os.X_OK):
        skip("Xvfb is not installed (Debian package xvfb)")
    # -displayfd picks a free display and writes its number; stdout is that descriptor.
    log = open(os.path.join(tmp, "xvfb.log"), "wb")
    proc = subprocess.Popen([xvfb, "-displayfd", "1", "-screen", "0", "1440x900x24",
                             "-nolisten", "tcp", "-noreset"], stdout=subprocess.PIPE, stderr=log,
                            start_new_session=True)
    ready, _, _ = select.select([proc.stdout], [], [], 15)
    number = proc.stdout.readline().decode().strip() if ready else ""
    if not number.isdigit():
        proc.kill()
        proc.wait()
        skip("Xvfb did not start (no display number)")
    return proc, f":{number}"


def main():
    tools = {"import": "/usr/bin/import", "xdotool": "/usr/bin/xdotool",
             "convert": "/usr/bin/convert", "curl": shutil.which("curl") or "/usr/bin/curl"}
    for name, path in tools.items():
        if not os.access(path, os.X_OK):
            skip(f"{name} is not installed (packages imagemagick, xdotool, curl)")
    dump = os.environ.get("SPYGLASS_DUMP", "")
    app = os.path.join(os.path.dirname(dump), "spyglass") if dump else ""
    if not os.access(app, os.X_OK):
        fail(f"the spyglass binary is missing next to SPYGLASS_DUMP ({app!r})")

    tmp = tempfile.mkdtemp(prefix="sg_xvfb_")
    xvfb = origin = proc = None
    try:
        xvfb, display = start_xvfb(tmp)
        origin = Origin((HOST, 0), Handler)
        threading.Thread(target=origin.serve_forever, daemon=True).start()
        port = free_port()
        session = os.path.join(tmp, "seen.spyglass")
        home = os.path.join(tmp, "home")
        runtime = os.path.join(tmp, "runtime")
        os.makedirs(home)
        os.makedirs(runtime, mode=0o700)
        # A fresh confdir makes a new CA, and on the first start with an untrusted CA the
        # window offers the certificate wizard (ui/cert_wizard_prompt.h), which would cover
        # the screenshot: the user's "Don't show this at start again", set beforehand.
        settings = os.path.join(home, ".config", "Spyglass")
        os.makedirs(settings)
        with open(os.path.join(settings, "spyglass.conf"), "w") as f:
            f.write("[certWizard]\nshowOnFirstStart=false\n")
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env.update({"DISPLAY": display, "HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
                    "XDG_RUNTIME_DIR": runtime, "QT_QPA_PLATFORM": "xcb", "LC_ALL": "C.UTF-8",
                    "LANGUAGE": "en"})
        env.pop("WAYLAND_DISPLAY", None)
        app_log = os.path.join(tmp, "spyglass.log")
        with open(app_log, "wb") as log:
            proc = subprocess.Popen([app, "--listen-port", str(port), "--confdir",
                                     os.path.join(tmp, "conf"), "-w", session], env=env,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        if not wait_listening(port, proc):
            if proc.poll() is not None and b"could not connect to display" in open(app_log, "rb").read():
                skip("the app could not open the Xvfb display")
            fail("the app did not start listening", app_log)

        # Traffic: one curl process per request, as separate clients.
        base = f"http://{HOST}:{origin.server_address[1]}"
        for path in PATHS:
            r = subprocess.run([tools["curl"], "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                                "-x", f"http://{HOST}:{port}", base + path],
                               capture_output=True, timeout=20, env=env)
            want = "404" if path.endswith("/7") else "200"
            if r.stdout.decode() != want:
                fail(f"curl {path} through the app: {r.stdout!r} {r.stderr!r}", app_log)

        # The window has them when its -w session (written from the batches it shows) does.
        lines = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            r = subprocess.run([dump, "-n", "-r", session], capture_output=True, timeout=20,
                               env=env)
            lines = [ln for ln in r.stdout.decode("utf-8", "replace").splitlines() if "/xvfb/" in ln]
            if len(lines) >= len(PATHS):
                break
            time.sleep(0.3)
        if len(lines) != len(PATHS):
            fail(f"the window recorded {len(lines)} of {len(PATHS)} flows: {lines}", app_log)
        for path in PATHS:
            if not any(base + path in ln.split() for ln in lines):
                fail(f"{base + path} is not among the recorded flows: {lines}", app_log)

        r = subprocess.run([tools["xdotool"], "search", "--onlyvisible", "--name", "Spyglass"],
                           capture_output=True, timeout=10, env=env)
        if not r.stdout.strip():
            fail("no visible window named Spyglass on the display", app_log)
        time.sleep(1.0)  # the last batch painted (FlowHub emits every 30 ms)

        out_dir = os.environ.get("SPYGLASS_SCREENSHOTS") or os.getcwd()
        os.makedirs(out_dir, exist_ok=True)
        shot = os.path.join(out_dir, "app_xvfb.png")
        r = subprocess.run([tools["import"], "-window", "root", shot], capture_output=True,
                           timeout=30, env=env)
        if r.returncode != 0 or not os.path.exists(shot):
            fail(f"import failed: {r.stderr!r}", app_log)
        r = subprocess.run([tools["convert"], shot, "-format", "%w %h %k", "info:"],
                           capture_output=True, timeout=30)
        w, h, colours = (int(x) for x in r.stdout.decode().split())
        if (w, h) != (1440, 900):
            fail(f"screenshot is {w}x{h}, not the screen's 1440x900")
        if colours < 16:
            fail(f"screenshot has only {colours} colours: the window was not drawn", app_log)
        print(f"PASS test_app_xvfb: {len(lines)} flows shown by the window; screenshot {shot} "
              f"({w}x{h}, {colours} colours)")
    finally:
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if origin:
            origin.shutdown()
        if xvfb:
            xvfb.terminate()
            try:
                xvfb.wait(10)
            except subprocess.TimeoutExpired:
                xvfb.kill()
                xvfb.wait()
        if not os.environ.get("SGTEST_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
