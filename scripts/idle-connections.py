#!/usr/bin/env python3
"""Opens N idle connections to a running `skillpass serve` and prints the server's RSS while the
server closes them (docs/BENCHMARKS.md, "Idle connections"). Half the connections send half a
request head and stop; the other half send nothing.

    ulimit -n 20000; python3 scripts/idle-connections.py SERVER_PID PORT 10000
"""
import selectors
import socket
import subprocess
import sys
import time

pid, port, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])


def rss():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return line.split()[1] + " kB"


def established():
    out = subprocess.run(
        ["ss", "-Htn", "state", "established", f"sport = :{port}"],
        capture_output=True, text=True,
    ).stdout
    return len(out.splitlines())


t0 = time.time()
print(f"before: RSS {rss()}", flush=True)
socks = []
for i in range(n):
    s = socket.socket()
    s.connect(("127.0.0.1", port))
    socks.append(s)
    if i % 2:
        s.send(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # never finished
print(f"t={time.time()-t0:.1f}s opened {n}: RSS {rss()}, "
      f"server-side established {established()}", flush=True)
sel = selectors.DefaultSelector()
for s in socks:
    sel.register(s, selectors.EVENT_READ)
still_open, last = set(socks), time.time()
while still_open and time.time() - t0 < 120:
    for key, _ in sel.select(1):
        s = key.fileobj
        try:
            data = s.recv(4096)
        except OSError:
            data = b""
        if data == b"":
            still_open.discard(s)
            sel.unregister(s)
    if time.time() - last >= 5:
        last = time.time()
        print(f"t={time.time()-t0:.1f}s still open {len(still_open)}: RSS {rss()}", flush=True)
print(f"t={time.time()-t0:.1f}s {n-len(still_open)} of {n} closed by the server: RSS {rss()}",
      flush=True)
for s in socks:
    s.close()
time.sleep(3)
print(f"after (+3s): RSS {rss()}", flush=True)
