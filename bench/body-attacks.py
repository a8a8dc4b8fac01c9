#!/usr/bin/env python3
"""Request-body attacks on a running node: gzip bombs, plain bodies at the limit, corrupt gzip.

Sends N concurrent requests while /health is polled every 0.2 s, and prints the answers and how /health fared:
  bench/body-attacks.py PORT bomb|plain|corrupt N DECODED_BYTES [PATH]   (PATH default /api/sync/push)
e.g. on a node started with java -Xmx512m -jar target/syncnode.jar (SYNCNODE_HTTP_DECOMPRESSION=true to let gzip in):
  bench/body-attacks.py 8766 bomb 16 67108864
"""
import gzip, http.client, sys, threading, time, json

host, port = "127.0.0.1", int(sys.argv[1])
kind = sys.argv[2]            # bomb | plain | corrupt
n = int(sys.argv[3])          # concurrent requests
size = int(sys.argv[4])       # inflated / plain bytes
path = sys.argv[5] if len(sys.argv) > 5 else "/api/sync/push"

prefix = b'{"device_id":"b","memories":['
if kind == "bomb":
    body = gzip.compress(prefix + b" " * size + b"]}", 9)
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
elif kind == "corrupt":
    good = gzip.compress(prefix + b"]}")
    body = good[:10] + b"\x00garbage-not-deflate" * 50
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
else:
    body = prefix + b" " * (size - len(prefix) - 2) + b"]}"
    headers = {"Content-Type": "application/json"}
print(f"{kind}: {n} x {len(body):,} bytes on the wire, {size:,} bytes decoded, to {path}")

results, health = [], []
def send(i):
    t0 = time.time()
    try:
        c = http.client.HTTPConnection(host, port, timeout=300)
        c.request("POST", path, body=body, headers=headers)
        r = c.getresponse(); data = r.read()
        results.append((r.status, data[:120].decode(errors="replace"), round(time.time() - t0, 2)))
    except Exception as e:
        results.append(("no answer", repr(e)[:120], round(time.time() - t0, 2)))

stop = False
def poll():
    while not stop:
        t0 = time.time()
        try:
            c = http.client.HTTPConnection(host, port, timeout=5)
            c.request("GET", "/health"); r = c.getresponse(); r.read()
            health.append((r.status, time.time() - t0))
        except Exception as e:
            health.append(("fail", time.time() - t0))
        time.sleep(0.2)

p = threading.Thread(target=poll); p.start()
threads = [threading.Thread(target=send, args=(i,)) for i in range(n)]
t0 = time.time()
for t in threads: t.start()
for t in threads: t.join()
stop = True; p.join()
from collections import Counter
print("answers:", dict(Counter((r[0]) for r in results)), "in", round(time.time() - t0, 1), "s")
for r in results[:3]: print("  ", r)
ok = [h for h in health if h[0] == 200]
print(f"/health meanwhile: {len(ok)}/{len(health)} answered 200, slowest {max([h[1] for h in health] or [0]):.2f} s")
