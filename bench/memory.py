#!/usr/bin/env python3
"""Bounded-memory benchmark: against a node holding many memories (seed them with
`java -jar target/syncnode.jar bench --items 200000 --batch 500`), time a diff of a manifest
of every stored memory (all outdated, so every memory comes back), a diff of the same manifest
in sync, and a first full pull by the client's paging loop. Start the node with -Xmx256m and
watch its heap with `jstat -gc <pid> 100`.

usage: bench/memory.py URL DATABASE   (e.g. http://127.0.0.1:8766 syncnode)
"""
import json
import subprocess
import sys
import time
import urllib.request

url, database = sys.argv[1].rstrip("/"), sys.argv[2]


def post(path, body):
    data = json.dumps(body).encode()
    request = urllib.request.Request(url + "/api/sync/" + path, data=data, headers={"Content-Type": "application/json"})
    started = time.time()
    with urllib.request.urlopen(request, timeout=600) as response:
        raw = response.read()
    return json.loads(raw), time.time() - started, len(raw)


ids = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atc", "select id from memories"],
                     capture_output=True, text=True, check=True).stdout.split()
print("stored memories:", len(ids))
outdated = [{"id": i, "content_hash": None, "updated_at": "2020-01-01T00:00:00Z"} for i in ids]
result, seconds, size = post("diff", {"device_id": "memory-bench", "memories": outdated})
print("diff of %d entries, all outdated: %.2f s, %d bytes, %d missing" % (len(ids), seconds, size, result["total_missing"]))
result, seconds, size = post("diff", {"device_id": "memory-bench", "memories": [{"id": i} for i in ids]})
print("diff of %d entries, in sync: %.2f s, %d missing" % (len(ids), seconds, result["total_missing"]))
started, offset, pulled, pages = time.time(), 0, 0, 0
while True:
    result, _, _ = post("pull", {"device_id": "memory-bench", "since_timestamp": None, "limit": 10000, "offset": offset})
    pulled += len(result["memories"])
    pages += 1
    if not result["has_more"]:
        break
    offset = result["next_offset"]
elapsed = time.time() - started
print("full pull: %d memories in %d pages, %.2f s, %.0f memories/s" % (pulled, pages, elapsed, pulled / elapsed))
