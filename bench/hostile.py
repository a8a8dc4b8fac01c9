#!/usr/bin/env python3
"""Slow clients against a node: how many of their connections does the node close, and when.

    python3 bench/hostile.py --port 8766 --slow-headers 2000 --slow-bodies 1000 --seconds 40

Slow-header clients send a request head one byte per --interval seconds; slow-body clients send
a complete head announcing a 1 MiB body, then one byte per --interval seconds. Meanwhile GET
/health is timed once a second. Prints, per kind, how many connections opened, how many the node
answered 503 or refused, how many it closed (and the median and largest time to the close), and
how many were still open at the end.
"""
import argparse
import asyncio
import statistics
import time

HEAD = b"POST /api/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"


async def slow(kind, port, interval, seconds, results):
    start = time.monotonic()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        results[kind]["refused"] += 1
        return
    results[kind]["opened"] += 1
    if kind == "headers":
        payload = HEAD + b"X-Slow: " + b"a" * 10_000 + b"\r\n\r\n"
    else:
        writer.write(HEAD + b"Content-Length: 1048576\r\n\r\n")
        payload = b" " * 1_048_576
    closed_by_node = asyncio.ensure_future(reader.read(65536))
    i = 0
    try:
        while time.monotonic() - start < seconds:
            if closed_by_node.done():
                data = closed_by_node.result()
                if data.startswith(b"HTTP/1.1 503"):
                    results[kind]["503"] += 1
                results[kind]["closed"].append(time.monotonic() - start)
                return
            writer.write(payload[i:i + 1])
            i += 1
            try:
                await asyncio.wait_for(asyncio.shield(closed_by_node), timeout=interval)
            except asyncio.TimeoutError:
                pass
        results[kind]["open_at_end"] += 1
    except (ConnectionError, OSError):
        results[kind]["closed"].append(time.monotonic() - start)
    finally:
        closed_by_node.cancel()
        writer.close()


async def health(port, seconds, latencies):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            status = (await asyncio.wait_for(reader.read(64), 10)).split(b" ")[1].decode()
            writer.close()
            latencies.append((status, time.monotonic() - t))
        except (OSError, asyncio.TimeoutError, IndexError) as e:
            latencies.append(("failed", time.monotonic() - t))
        await asyncio.sleep(1)


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=8766)
    p.add_argument("--slow-headers", type=int, default=2000)
    p.add_argument("--slow-bodies", type=int, default=1000)
    p.add_argument("--interval", type=float, default=1.0)
    p.add_argument("--seconds", type=float, default=40)
    a = p.parse_args()
    results = {k: {"opened": 0, "refused": 0, "503": 0, "closed": [], "open_at_end": 0} for k in ("headers", "bodies")}
    latencies = []
    tasks = [slow("headers", a.port, a.interval, a.seconds, results) for _ in range(a.slow_headers)]
    tasks += [slow("bodies", a.port, a.interval, a.seconds, results) for _ in range(a.slow_bodies)]
    tasks.append(health(a.port, a.seconds, latencies))
    await asyncio.gather(*tasks)
    for kind, r in results.items():
        closed = r["closed"]
        print(f"slow {kind}: opened {r['opened']}, refused at connect {r['refused']}, answered 503 {r['503']},"
              f" closed by the node {len(closed)}"
              + (f" (median {statistics.median(closed):.1f} s, last {max(closed):.1f} s)" if closed else "")
              + f", still open after {a.seconds:.0f} s {r['open_at_end']}")
    ok = [t for s, t in latencies if s == "200"]
    print(f"/health during the attack: {len(ok)} of {len(latencies)} answered 200"
          + (f", slowest {max(ok) * 1000:.0f} ms" if ok else ""))


asyncio.run(main())
