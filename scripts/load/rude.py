"""Clients that hang up mid-request: a half-sent header block, or a body cut short, closed with a
reset. Runs for a bounded time against one loopback address and prints how many it sent."""
import socket
import struct
import sys
import time

host, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
partials = [
    b"OPTIONS /items/ HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:3000\r\nAccess-Contr",
    b"POST /items/ HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:3000\r\n"
    b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":",
    b"GET /account HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + b"a" * 60000,
]
sent = 0
deadline = time.monotonic() + seconds
while time.monotonic() < deadline and sent < 200_000:
    with socket.create_connection((host, port), timeout=2) as connection:
        # close with a reset rather than a polite FIN
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        try:
            connection.sendall(partials[sent % len(partials)])
        except OSError:
            pass
    sent += 1
print(sent)
