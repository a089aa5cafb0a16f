#!/usr/bin/python3
"""Memory of many idle keep-alive connections (docs/io_uring.md): starts spyglass-dump and an
asyncio origin, opens N connections through the proxy, each makes one request and then stays
open; prints the proxy's VmRSS and VmHWM before and 2 s after. The proxy holds 2N sockets
(ulimit -n must allow it). Usage: /usr/bin/python3 bench/idle_conns.py DUMP N
(SPYGLASS_IO_URING=0 in the environment: the epoll path)."""
import asyncio, os, signal, subprocess, sys, tempfile, time

DUMP, N = sys.argv[1], int(sys.argv[2])

async def origin_conn(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok")
            await writer.drain()
    except Exception:
        writer.close()

def status(pid):
    out = {}
    for line in open(f"/proc/{pid}/status"):
        k, _, v = line.partition(":")
        if k in ("VmRSS", "VmHWM", "Threads"):
            out[k] = v.strip()
    return out

async def client(port, oport, i, sem):
    async with sem:
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write(f"GET http://127.0.0.1:{oport}/{i} HTTP/1.1\r\nHost: 127.0.0.1:{oport}\r\n\r\n".encode())
        await w.drain()
        await r.readuntil(b"\r\n\r\n")
        await r.readexactly(2)
        return (r, w)

async def main():
    srv = await asyncio.start_server(origin_conn, "127.0.0.1", 0, backlog=4096)
    oport = srv.sockets[0].getsockname()[1]
    conf = tempfile.mkdtemp()
    import socket
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    p = subprocess.Popen([DUMP, "-q", "--listen-host", "127.0.0.1", "-p", str(port), "--confdir", conf,
                          "--set", "ssl_insecure=true"], stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            r, w = await asyncio.open_connection("127.0.0.1", port); w.close(); break
        except OSError:
            await asyncio.sleep(0.1)
    base = status(p.pid)
    sem = asyncio.Semaphore(200)
    t0 = time.time()
    conns = await asyncio.gather(*(client(port, oport, i, sem) for i in range(N)))
    await asyncio.sleep(2)
    st = status(p.pid)
    print(f"idle={N} setup_s={time.time()-t0:.1f} before: {base} after: {st}", flush=True)
    for r, w in conns:
        w.close()
    p.send_signal(signal.SIGTERM); p.wait(10)
    srv.close()

asyncio.run(main())
