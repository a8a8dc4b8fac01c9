#!/usr/bin/env python3
"""Where the CPU of a push goes: starts a node with -Xmx256m on a fresh database, warms it up as
bench/run-all.sh does, runs a CHECKPOINT, then runs run-all.sh's measured push (--pg-ceiling) and
reads the CPU time of the node, of the load generator and of the whole machine from /proc at the
load generator's phase lines. PostgreSQL is what the machine spent besides those two (nothing
else should run meanwhile). With --profiler PATH (async-profiler's libasyncProfiler.so) the node
is profiled every 2 s and the profiles within the measured push are merged into one collapsed
file.

usage: bench/push-cpu.py [--jar target/syncnode.jar] [--database syncnode_bench_cpu]
                         [--out run/bench/cpu] [--profiler PATH]
Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and no node on port 8766.
"""
import argparse
import collections
import datetime
import glob
import json
import os
import subprocess
import time
import urllib.request

PUSH = ["--scenario", "push", "--items", "300000", "--batch", "200", "--devices", "4", "--concurrency", "4",
        "--warmup", "300000", "--pg-ceiling"]
CEILING_ROWS = 200000  # what --pg-ceiling measures of --items 300000
BENCH_JVM = ["java", "-XX:TieredStopAtLevel=1", "-jar"]
TICK_US = 1_000_000 / os.sysconf("SC_CLK_TCK")

parser = argparse.ArgumentParser()
parser.add_argument("--jar", default="target/syncnode.jar")
parser.add_argument("--database", default="syncnode_bench_cpu")
parser.add_argument("--out", default="run/bench/cpu")
parser.add_argument("--profiler")
args = parser.parse_args()
os.makedirs(args.out, exist_ok=True)
env = dict(os.environ, SYNCNODE_PG_DATABASE=args.database)


def psql(sql):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True)


def process_ticks(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def machine_ticks():
    with open("/proc/stat") as stat:
        fields = [int(f) for f in stat.readline().split()[1:]]
    return fields[0] + fields[1] + fields[2] + fields[5] + fields[6]  # user, nice, system, irq, softirq


def wait_ready():
    for _ in range(240):
        try:
            urllib.request.urlopen("http://127.0.0.1:8766/ready", timeout=1)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the node did not get ready")


psql(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
node_cmd = ["java", "-Xmx256m", "-Djava.net.preferIPv4Stack=true"]
if args.profiler:
    os.makedirs(f"{args.out}/ap", exist_ok=True)
    node_cmd.append(f"-agentpath:{args.profiler}=start,event=cpu,interval=1ms,loop=2s,"
                    f"file={os.path.abspath(args.out)}/ap/prof-%t.collapsed")
with open(f"{args.out}/node.log", "w") as node_log:
    node = subprocess.Popen(node_cmd + ["-jar", args.jar], env=env, stdout=node_log, stderr=subprocess.STDOUT)
try:
    wait_ready()
    print("warming up the node: 1,000,000 memories in batches of 50", flush=True)
    subprocess.run(BENCH_JVM + [args.jar, "bench", "--scenario", "push", "--items", "1000000", "--batch", "50",
                                "--duration", "120"], env=env, check=True, stdout=subprocess.DEVNULL)
    psql("CHECKPOINT")
    bench = subprocess.Popen(BENCH_JVM + [args.jar, "bench", "--out", f"{args.out}/push.json"] + PUSH, env=env,
                             stdout=subprocess.PIPE, text=True)
    marks = {}
    phases = {"measuring PostgreSQL alone": "ceiling", "warming up: ": "ceiling_end", "measuring: ": "push",
              "scenario push against": "push_end"}
    for line in bench.stdout:
        for text, phase in phases.items():
            if line.startswith(text) and phase not in marks:
                marks[phase] = (process_ticks(node.pid), process_ticks(bench.pid), machine_ticks(), time.time())
                print(line.rstrip(), flush=True)
    bench.wait()
finally:
    node.terminate()
    node.wait()

report = json.load(open(f"{args.out}/push.json"))


def per_item(start, end, count):
    node_us, bench_us, machine_us = ((marks[end][i] - marks[start][i]) * TICK_US / count for i in range(3))
    return {"node": round(node_us, 1), "load generator": round(bench_us, 1),
            "postgresql (the rest)": round(machine_us - node_us - bench_us, 1), "machine": round(machine_us, 1)}


result = {
    "push items/s": report["items_per_second"],
    "ceiling rows/s": report["pg_ceiling_rows_per_second"],
    "push / ceiling": report["fraction_of_pg_ceiling"],
    "p99 ms": report["latency_ms"]["p99"],
    "CPU µs per ceiling row": per_item("ceiling", "ceiling_end", CEILING_ROWS),
    "CPU µs per pushed memory": per_item("push", "push_end", report["items"]),
}
print(json.dumps(result, indent=2, ensure_ascii=False))

if args.profiler:
    start, end = marks["push"][3], marks["push_end"][3]
    stacks = collections.Counter()
    for path in glob.glob(f"{args.out}/ap/prof-*.collapsed"):
        stamp = os.path.basename(path)[5:20]
        began = datetime.datetime.strptime(stamp, "%Y%m%d-%H%M%S").timestamp()
        if began >= start - 0.5 and began + 2 <= end + 0.5:
            for line in open(path):
                stack, count = line.rsplit(" ", 1)
                stacks[stack] += int(count)
    with open(f"{args.out}/push.collapsed", "w") as merged:
        for stack, count in stacks.items():
            merged.write(f"{stack} {count}\n")
    print(f"node profile of the measured push: {args.out}/push.collapsed ({sum(stacks.values())} samples)")
