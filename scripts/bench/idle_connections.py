#!/usr/bin/env python3
"""Opens N keep-alive connections to HOST:PORT, sends one request on each, reads the answer, then holds them idle
until killed (SIGTERM). Prints "ready N" once all are open."""
import resource
import signal
import socket
import sys
import time

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
request = f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
sockets = []
for index in range(count):
    s = socket.create_connection((host, port))
    s.sendall(request)
    sockets.append(s)
for s in sockets:
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)
    assert data.startswith(b"HTTP/1.1 200"), data[:40]
print(f"ready {len(sockets)}", flush=True)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
while True:
    time.sleep(1)
