#!/usr/bin/env python3
"""Key guessing against a node with auth.mode=api-key: one client, --clients connections, for --seconds.

    python3 bench/guess.py --port 8766 --seconds 10 [--repeat]

Each request carries a well-formed key of a random (or, with --repeat, always the same) unknown
key id. Prints the answers by status and the guesses per second that reached the key check.
"""
import argparse
import asyncio
import collections
import secrets
import time


async def guesser(port, end, repeat, counts):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    fixed = "snk_" + secrets.token_hex(8) + "_" + "A" * 43
    while time.monotonic() < end:
        key = fixed if repeat else "snk_" + secrets.token_hex(8) + "_" + "A" * 43
        writer.write(("POST /api/sync/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      f"X-API-Key: {key}\r\nContent-Length: 2\r\n\r\n{{}}").encode())
        head = await reader.readuntil(b"\r\n\r\n")
        status = head.split(b" ")[1].decode()
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        counts[status] += 1
        if b"connection: close" in head.lower():
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=8766)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--repeat", action="store_true")
    a = p.parse_args()
    counts = collections.Counter()
    end = time.monotonic() + a.seconds
    await asyncio.gather(*[guesser(a.port, end, a.repeat, counts) for _ in range(a.clients)])
    print(f"answers: {dict(counts)}; 401 per second: {counts['401'] / a.seconds:.0f}")


asyncio.run(main())
