#!/usr/bin/env python3
"""The pull of a contextfs client by since_timestamp: what it costs against the size of the table.
Device P first pulls the whole feed (pages of 10,000 by offset, so that the node has recorded its
position), then, 3 times: device W pushes NEW new memories (default 20,000, in pushes of 1,000), and
P pulls them as the client does (since_timestamp = the server_timestamp of its previous pull, limit
1,000, offset = next_offset while has_more). Prints the median time of the first page and of the
whole pull (s), and how many memories each pull served.

usage: bench/pull-by-time.py URL [NEW]
"""
import json
import statistics
import sys
import time
import urllib.request
import uuid

url = sys.argv[1].rstrip("/")
new = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
device = "pull-by-time-" + uuid.uuid4().hex[:8]


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
first_pages, wholes, served = [], [], []
for round in range(3):
    for start in range(0, new, 1000):
        memories = [{"id": f"{device}-{round}-{i}", "content": "new", "type": "fact", "tags": [], "namespace_id": "recent",
                     "vector_clock": {"w": 1}, "created_at": "2026-01-01T00:00:00Z",
                     "updated_at": "2026-01-01T00:00:00Z"} for i in range(start, min(new, start + 1000))]
        post("push", {"device_id": "w", "memories": memories, "sessions": [], "edges": []})
    started = time.perf_counter()
    page = pull(since, 1000, 0)
    first_pages.append(time.perf_counter() - started)
    count = len(page["memories"])
    while page["has_more"]:
        page = pull(since, 1000, page["next_offset"])
        count += len(page["memories"])
    wholes.append(time.perf_counter() - started)
    served.append(count)
    since = page["server_timestamp"]
print(f"pull_by_time_first_page_s={statistics.median(first_pages):.4f} whole_s={statistics.median(wholes):.3f}"
      f" served={'/'.join(map(str, served))}")
