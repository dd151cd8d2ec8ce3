# Opens N connections at once (they wait in the accept queue), then sends one request on each and prints
# when each response arrived, in connect order. Usage: connection-burst.py PORT N [SECONDS_BEFORE_SENDING]
import socket, time, sys, selectors
port = int(sys.argv[1]); n = int(sys.argv[2])
req = b"GET /small HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
body = b"0123456789012345678901234567890123456789012345678901234567890123"
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]  # all land in the accept queue
time.sleep(float(sys.argv[3]) if len(sys.argv) > 3 else 0)
t0 = time.perf_counter()
for s in socks: s.sendall(req)
sel = selectors.DefaultSelector(); got = {}; bufs = {}
for i, s in enumerate(socks): sel.register(s, selectors.EVENT_READ, i); bufs[i] = b""
while len(got) < n and time.perf_counter() - t0 < 5:
    for key, _ in sel.select(1):
        i = key.data; bufs[i] += key.fileobj.recv(4096)
        if body in bufs[i] and i not in got:
            got[i] = (time.perf_counter() - t0) * 1000; sel.unregister(key.fileobj)
L = [got.get(i, 9999) for i in range(n)]
print(f"{n} connections opened at once, one request each: responses by {[round(L[i],1) for i in range(0, n, max(1, n//8))]} ms (in connect order), last {max(L):.1f} ms")
for s in socks: s.close()
