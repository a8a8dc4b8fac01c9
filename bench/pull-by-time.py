#!/usr/bin/env python3
"""The pull of a contextfs client that syncs often: what one pull by since_timestamp costs when only a
few rows changed since, whatever the size of the table. Device P first pulls the whole feed (pages
of 10,000 by offset, so that the node has recorded its position), then, 5 times: device W pushes 10
new memories, and P pulls with since_timestamp = the server_timestamp of its previous pull and
limit 1,000, as the client does. Prints the median time of those pulls (s) and the rows they served.

usage: bench/pull-by-time.py URL [--device P]
"""
import json
import statistics
import sys
import time
import urllib.request
import uuid

url = sys.argv[1].rstrip("/")
device = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--device" else "pull-by-time-" + uuid.uuid4().hex[:8]


def post(endpoint, body):
    request = urllib.request.Request(f"{url}/api/sync/{endpoint}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.load(response)


def pull(since, limit, offset):
    return post("pull", {"device_id": device, "since_timestamp": since, "limit": limit, "offset": offset})


offset, since = 0, None
while True:
    page = pull(None, 10000, offset)
    if not page["has_more"]:
        since = page["server_timestamp"]
        break
    offset = page["next_offset"]
times, served = [], []
for round in range(5):
    memories = [{"id": f"{device}-{round}-{i}", "content": "new", "type": "fact", "tags": [], "namespace_id": "recent",
                 "vector_clock": {"w": 1}, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
                for i in range(10)]
    post("push", {"device_id": "w", "memories": memories, "sessions": [], "edges": []})
    started = time.perf_counter()
    page = pull(since, 1000, 0)
    times.append(time.perf_counter() - started)
    served.append(len(page["memories"]))
    since = page["server_timestamp"]
print(f"pull_by_time_s={statistics.median(times):.4f} served={'/'.join(map(str, served))}")
