#!/usr/bin/env bash
# Runs the benchmarks of BENCHMARKS.md on this machine and writes each report as JSON under
# run/bench/. Needs target/syncnode.jar and a PostgreSQL at SYNCNODE_PG_HOST:SYNCNODE_PG_PORT
# (default 127.0.0.1:5432, user postgres); uses the databases syncnode_bench_single,
# syncnode_bench_reads and syncnode_bench_cluster, dropped and created again. Do not rebuild the jar while it runs.
#
#   bench/run-all.sh [single|cluster|all]   (default all)
#
# NODE_JAR=other.jar runs the nodes from another build (e.g. an earlier release) under the same
# load generator, for a before/after comparison; BENCH_OUT=dir writes the reports there instead;
# CORE_ONLY=1 leaves out the conflict and mixed scenarios (push, pull and diff only).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/syncnode.jar"
NODE_JAR="${NODE_JAR:-$JAR}"
OUT="${BENCH_OUT:-$ROOT/run/bench}"
PG_HOST="${SYNCNODE_PG_HOST:-127.0.0.1}"
PG_PORT="${SYNCNODE_PG_PORT:-5432}"
NODE_OPTS="-Xmx256m -Djava.net.preferIPv4Stack=true"
# The load generator's JVM options for pushes and for reads
. "$ROOT/bench/load-jvm.sh"
LOAD_OPTS=$PUSH_LOAD_OPTS
mkdir -p "$OUT"
[ -f "$JAR" ] || { echo "run: mvn -B -DskipTests package first" >&2; exit 2; }

fresh_db() {
  psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null
}

bench() {
  local name=$1 db=$2; shift 2
  echo "== $name"
  SYNCNODE_PG_DATABASE=$db java $LOAD_OPTS -jar "$JAR" bench --out "$OUT/$name.json" "$@" \
    | grep --line-buffered -v '^ *[0-9.]* s '
}

# The node's JIT compilations and compile time (s) so far
jit() {
  jstat -compiler "$1" | awk 'NR == 2 {print $1, $4}'
}

# bench, with what the node's JIT compiled while the run measured (from the tool's "measuring"
# line to its end) written to $OUT/<name>-jit.txt
bench_jit() {
  local name=$1 out="$OUT/$1.out" before="" pid status=0
  bench "$@" > "$out" &
  pid=$!
  while kill -0 $pid 2>/dev/null && ! grep -q '^measuring: ' "$out"; do sleep 0.1; done
  before=$(jit $NODE_PID)
  wait $pid || status=$?
  # shown before stopping, so that a failed run's error is seen
  cat "$out"
  [ $status -eq 0 ] || return $status
  echo "$before $(jit $NODE_PID)" | awk '{printf "while measuring: compilations %d, compile time %.2f s\n", $3 - $1, $4 - $2}' \
    | tee "$OUT/$name-jit.txt"
}

# so that the measured run does not pay for the warm-up's writes
checkpoint() {
  psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -qc CHECKPOINT
}

wait_ready() {
  for _ in $(seq 1 120); do curl -sf "$1/ready" >/dev/null && return 0; sleep 0.5; done
  echo "not ready: $1" >&2; return 1
}

start_node() {
  local db=$1
  fresh_db $db
  SYNCNODE_PG_DATABASE=$db java $NODE_OPTS -jar "$NODE_JAR" > "$OUT/$db.log" 2>&1 &
  NODE_PID=$!
  wait_ready http://127.0.0.1:8766
}

single() {
  local url=http://127.0.0.1:8766
  # pushes, on a database of their own
  start_node syncnode_bench_single
  trap 'kill -TERM $NODE_PID 2>/dev/null || true' RETURN
  # Code that runs once per request reaches the JIT's last tier only after some 10,000 requests:
  # batches of 50 make the warm-up's million memories 20,000 requests.
  bench warmup syncnode_bench_single --url $url --scenario push --items 1000000 --batch 50 --duration 120 > /dev/null
  checkpoint
  # --warmup: the same process warms up (PostgreSQL alone first, then the node) before measuring
  bench_jit single-push syncnode_bench_single --url $url --scenario push --items 300000 --batch 200 --devices 4 \
    --concurrency 4 --warmup 300000 --pg-ceiling
  [ -n "${CORE_ONLY:-}" ] || bench single-conflict syncnode_bench_single --url $url --scenario conflict --items 100000 --batch 200 \
    --warmup 100000 --duration 60
  jstat -gc $NODE_PID | tail -1 > "$OUT/single-push-heap.txt"
  kill -TERM $NODE_PID; wait $NODE_PID || true
  # reads, on a database that holds what they read: one unmeasured run first (the node's JIT needs
  # longer than one run's warm-up; pages of 200 make it 20,000 requests, as many as the pushing
  # node's warm-up, so that per-request code is compiled too), then each measured run reads its
  # data 5 times to warm up first
  start_node syncnode_bench_reads
  LOAD_OPTS=$READ_LOAD_OPTS
  bench warmup syncnode_bench_reads --url $url --scenario pull --items 100000 --page 200 --rounds 40 \
    --duration 240 > /dev/null
  # PostgreSQL would otherwise still be writing back the pushes above while the reads are measured
  checkpoint
  # as contextfs clients pull: pages of 1,000 by offset with a fixed since_timestamp. The run first
  # pushes what it reads, which sends the node's JIT back to compiling (the push path, and the pull
  # code those pushes deoptimize): 3,000 pages of warm-up let it settle before measuring.
  bench_jit single-pull syncnode_bench_reads --url $url --scenario pull --items 100000 --rounds 20 \
    --warmup 3000000 --duration 60
  # syncnode's own large pages: by cursor, 10,000 a page
  bench single-pull-cursor syncnode_bench_reads --url $url --scenario pull --items 100000 --pull-mode cursor \
    --page 10000 --rounds 10 --warmup 500000 --duration 60
  bench single-diff syncnode_bench_reads --url $url --scenario diff --items 100000 --rounds 20 \
    --warmup 500000 --duration 60
  [ -n "${CORE_ONLY:-}" ] || bench single-mixed syncnode_bench_reads --url $url --scenario mixed --items 100000 --batch 200 --rounds 20 \
    --warmup 200000 --duration 60
  jstat -gc $NODE_PID | tail -1 > "$OUT/single-reads-heap.txt"
  LOAD_OPTS=$PUSH_LOAD_OPTS
}

cluster() {
  local mode=$1 round=$2 db=syncnode_bench_cluster urls=http://127.0.0.1:8766,http://127.0.0.1:8767,http://127.0.0.1:8768
  fresh_db $db
  SYNCNODE_PG_DATABASE=$db SYNCNODE_LOCKS_MODE=$mode JAVA_OPTS="$NODE_OPTS" \
    "$ROOT/bin/cluster" start 3
  trap '"$ROOT/bin/cluster" stop >/dev/null || true' RETURN
  for port in 8766 8767 8768; do wait_ready http://127.0.0.1:$port; done
  bench warmup $db --url $urls --scenario push --items 1000000 --batch 50 --concurrency 6 --duration 120 > /dev/null
  checkpoint
  bench cluster-$mode-push-$round $db --url $urls --scenario push --items 300000 --batch 200 --devices 6 \
    --concurrency 6 --warmup 300000 --pg-ceiling
  # the lock's share of push latency: lock wait and release against the push route's response time
  for port in 8766 8767 8768; do curl -sf http://127.0.0.1:$port/metrics; done \
    | grep -E '^syncnode_lock_(wait|release)_seconds_(sum|count)|^vertx_http_server_response_time_seconds_sum.*/api/sync/push' \
    > "$OUT/cluster-$mode-push-$round.metrics"
}

# locks none and cluster on the same 3 nodes' setup, alternating, so that both see the same machine
clusters() {
  for round in 1 2; do cluster none $round; cluster cluster $round; done
  python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
for r in (1, 2):
    rate = {m: json.load(open(f"{out}/cluster-{m}-push-{r}.json"))["items_per_second"] for m in ("none", "cluster")}
    share = {}
    for line in open(f"{out}/cluster-cluster-push-{r}.metrics"):
        name, value = line.rsplit(" ", 1)
        key = "push" if "response_time" in name else name.split("{")[0]
        share[key] = share.get(key, 0) + float(value)
    lock = share.get("syncnode_lock_wait_seconds_sum", 0) + share.get("syncnode_lock_release_seconds_sum", 0)
    print(f"round {r}: cluster {rate['cluster']:,.0f} / none {rate['none']:,.0f} items/s = "
          f"{rate['cluster'] / rate['none']:.2f}; lock share of push latency {lock / share['push']:.3f}")
PY
}

case "${1:-all}" in
  single) single ;;
  cluster) clusters ;;
  all) single; clusters ;;
  *) echo "usage: bench/run-all.sh [single|cluster|all]" >&2; exit 2 ;;
esac
