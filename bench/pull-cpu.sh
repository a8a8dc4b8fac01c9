#!/usr/bin/env bash
# Where the CPU of a pull goes: starts a node (-Xmx256m) on a fresh database, warms it up with
# pulls in pages of 200, runs a CHECKPOINT, then measures run-all.sh's pull (4 readers, pages of
# 1,000 by offset with a fixed since_timestamp, after the same warm-up of 3,000 pages) and prints
# the pull rate with the CPU the node, PostgreSQL (all its processes) and the load generator spent
# within the measured phase, per pulled memory. Nothing else should run meanwhile. Needs
# target/syncnode.jar (the load generator), PostgreSQL at 127.0.0.1:5432 (user postgres) and no
# node on port 8766.
#
#   bench/pull-cpu.sh [NODE_JAR] [OUT_DIR]     (defaults: target/syncnode.jar, run/bench/pull-cpu)
#   ROUNDS=40 bench/pull-cpu.sh ...             measures 40 pulls of the 100,000 memories instead of
#                                               10 (about 12 s instead of 3: less noise)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOAD="$ROOT/target/syncnode.jar"
NODE_JAR="${1:-$LOAD}"
OUT="${2:-$ROOT/run/bench/pull-cpu}"
DB=syncnode_bench_pull_cpu
URL=http://127.0.0.1:8766
mkdir -p "$OUT"

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
SYNCNODE_PG_DATABASE=$DB java -Xmx256m -Djava.net.preferIPv4Stack=true -jar "$NODE_JAR" > "$OUT/node.log" 2>&1 &
NODE=$!
trap 'kill $NODE 2>/dev/null; wait $NODE 2>/dev/null' EXIT
for _ in $(seq 1 120); do curl -sf $URL/ready >/dev/null && break; sleep 0.5; done

# the load generator's JVM as run-all.sh runs it for reads (LOAD_OPTS=... for other options, e.g.
# -XX:TieredStopAtLevel=1: C1 only, as for pushes)
. "$ROOT/bench/load-jvm.sh"
load() {
  SYNCNODE_PG_DATABASE=$DB java ${LOAD_OPTS-$READ_LOAD_OPTS} -jar "$LOAD" bench --url $URL --scenario pull "$@"
}
# clock ticks (utime + stime) of the given processes
ticks() {
  local total=0
  for pid in "$@"; do
    [ -r /proc/$pid/stat ] && total=$((total + $(awk '{print $14 + $15}' /proc/$pid/stat)))
  done
  echo $total
}

load --items 100000 --page 200 --rounds 10 --duration 90 > /dev/null
psql -h 127.0.0.1 -U postgres -qc CHECKPOINT
load --items 100000 --rounds ${ROUNDS:-10} --warmup 3000000 --duration 60 --out "$OUT/pull.json" > "$OUT/pull.txt" 2>&1 &
LOAD_PID=$!
for _ in $(seq 1 3000); do grep -q '^measuring' "$OUT/pull.txt" && break; sleep 0.2; done
# the node's connections are open by now: the same PostgreSQL processes are read before and after
PG_PIDS=$(pgrep -u postgres postgres)
LOAD_JAVA=$(pgrep -f -- "--out $OUT/pull.json" | xargs -r ps -o pid=,comm= -p | awk '$2 == "java" {print $1}')
node0=$(ticks $NODE); pg0=$(ticks $PG_PIDS); load0=$(ticks $LOAD_JAVA)
# the load generator's ticks are read until it ends: its /proc entry goes with it
load1=$load0
while kill -0 "$LOAD_JAVA" 2>/dev/null; do t=$(ticks $LOAD_JAVA); [ "$t" -gt 0 ] && load1=$t; sleep 0.1; done
wait $LOAD_PID
node1=$(ticks $NODE); pg1=$(ticks $PG_PIDS)

python3 - "$OUT/pull.json" "$(getconf CLK_TCK)" $node0 $node1 $pg0 $pg1 $load0 $load1 <<'PY'
import json, sys
report, hz = json.load(open(sys.argv[1])), int(sys.argv[2])
node, pg, load = ((int(sys.argv[i + 1]) - int(sys.argv[i])) / hz for i in (3, 5, 7))
items, seconds = report["items"], report["seconds"]
print(f"pull {report['items_per_second']:,.0f} memories/s over {seconds} s;"
      f" CPU per pulled memory: node {node * 1e6 / items:.2f} us ({node / seconds:.0%} of a core),"
      f" PostgreSQL {pg * 1e6 / items:.2f} us ({pg / seconds:.0%} of a core),"
      f" load generator {load * 1e6 / items:.2f} us (until it ends: its report too)")
PY
