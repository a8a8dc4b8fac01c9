#!/usr/bin/env python3
"""Many event streams of one tenant against a running node: does a push reach all of them, and
does another tenant's pull latency change while they are open and while a change fans out?

    bench/live-streams.py PORT KEY_OF_STREAMING_TENANT KEY_OF_OTHER_TENANT [STREAMS]

The node needs auth.mode=api-key and live.maxConnectionsPerTenant >= STREAMS (default 2000).
Prints the other tenant's pull latencies (median, p95, max of 30 sequential pulls) with no stream
open, with the streams idle, and during the fan-out of one push, then how many streams got it.
Talks to 127.0.0.1 only; every wait is bounded.
"""
import json, selectors, socket, statistics, sys, threading, time, urllib.request, uuid

port, key_a, key_b = int(sys.argv[1]), sys.argv[2], sys.argv[3]
streams = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
base = f"http://127.0.0.1:{port}"


def post(path, body, key):
    req = urllib.request.Request(base + path, json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "X-API-Key": key})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def pull_latencies(n=30):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        post("/api/sync/pull", {"device_id": "other-reader", "limit": 1000}, key_b)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return f"median {statistics.median(times):.1f} ms, p95 {times[int(0.95 * len(times)) - 1]:.1f} ms, max {times[-1]:.1f} ms"


post("/api/sync/push", {"device_id": "other-writer", "memories": [
    {"id": f"o{i}", "content": "other tenant " + str(i), "vector_clock": {"other-writer": 1}} for i in range(200)]}, key_b)
print("no streams:        ", pull_latencies())

sel = selectors.DefaultSelector()
received = {}
for i in range(streams):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(f"GET /api/sync/events HTTP/1.1\r\nHost: x\r\nX-API-Key: {key_a}\r\nAccept: text/event-stream\r\n\r\n".encode())
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, i)
    received[i] = b""

stop = threading.Event()


def reader():
    while not stop.is_set():
        for key, _ in sel.select(timeout=0.2):
            try:
                data = key.fileobj.recv(65536)
            except (BlockingIOError, ConnectionError):
                continue
            if data:
                received[key.data] += data


t = threading.Thread(target=reader, daemon=True)
t.start()
deadline = time.time() + 60
while time.time() < deadline and sum(1 for v in received.values() if b" 200 " in v[:20]) < streams:
    time.sleep(0.5)
print("streams open:      ", sum(1 for v in received.values() if b" 200 " in v[:20]), "of", streams)
time.sleep(2)
print("streams idle:      ", pull_latencies())

marker = "fanout-" + uuid.uuid4().hex[:8]
lat = {}
th = threading.Thread(target=lambda: lat.setdefault("v", pull_latencies()))
started = time.time()
post("/api/sync/push", {"device_id": "writer", "memories": [
    {"id": marker, "content": "to every stream", "vector_clock": {"writer": 1}}]}, key_a)
th.start()
deadline = time.time() + 60
while time.time() < deadline and sum(1 for v in received.values() if marker.encode() in v) < streams:
    time.sleep(0.1)
got = sum(1 for v in received.values() if marker.encode() in v)
print(f"push reached:       {got} of {streams} streams in {time.time() - started:.2f} s")
th.join(120)
print("during the fan-out:", lat.get("v"))
stop.set()
t.join(5)
for key in list(sel.get_map().values()):
    key.fileobj.close()
