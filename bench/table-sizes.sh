#!/usr/bin/env bash
# Diff and Merkle cost against the number of stored rows. Starts one node per jar given (each on a
# database of its own, perf_sizes_1, perf_sizes_2, dropped at the end), fills each with the same
# memories of tenant default in namespaces of 20,000 (10,000, then 100,000, then 1,000,000 rows in
# all), and at each size, alternating between the nodes twice: a diff run of the bench tool (it
# pushes 20,000 memories into a namespace of its own and sends their whole manifest, --rounds 10,
# after --warmup 100000), then POST /api/sync/merkle for the namespace ns-0 and for all
# namespaces, without buckets (the summary) and with bucket 3 (summary and that bucket's entries):
# the median of 3 times, in seconds; and bench/pull-by-time.py: a device that has pulled everything
# pulls by since_timestamp, as contextfs does, the 20,000 memories another device pushed since. Needs a PostgreSQL at 127.0.0.1:5432 (user postgres).
#
#   bench/table-sizes.sh target/syncnode.jar [OTHER_JAR]      (SIZES="10000 100000" to stop earlier;
#                                                             PULL_ONLY=1 for the pulls by time alone)
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: bench/table-sizes.sh JAR [OTHER_JAR]" >&2; exit 2; }
JARS=("$@")
BENCH_JAR=$1
PSQL="psql -h 127.0.0.1 -U postgres -q"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  for i in "${!JARS[@]}"; do $PSQL -c "DROP DATABASE IF EXISTS perf_sizes_$((i + 1)) WITH (FORCE)"; done
}
trap cleanup EXIT
for i in "${!JARS[@]}"; do
  $PSQL -c "DROP DATABASE IF EXISTS perf_sizes_$((i + 1)) WITH (FORCE)"
  SYNCNODE_PG_DATABASE=perf_sizes_$((i + 1)) SYNCNODE_HTTP_PORT=$((8790 + i)) java -Xmx256m -jar "${JARS[$i]}" \
    > "/tmp/perf_sizes_$((i + 1)).log" 2>&1 &
  PIDS+=($!)
done
for i in "${!JARS[@]}"; do
  for _ in $(seq 1 240); do curl -sf http://127.0.0.1:$((8790 + i))/ready >/dev/null && break; sleep 0.5; done
done
merkle() {
  for _ in 1 2 3; do
    curl -s -o /dev/null -w '%{time_total}\n' -H 'Content-Type: application/json' -d "$2" "$1/api/sync/merkle"
  done | sort -n | sed -n 2p
}
prev=0
for n in ${SIZES:-10000 100000 1000000}; do
  for i in "${!JARS[@]}"; do
    $PSQL -d perf_sizes_$((i + 1)) -c "INSERT INTO memories (tenant_id, id, vector_clock, content_hash, created_at,
        updated_at, last_modified_by, content, type, tags, namespace_id, metadata, change_pos, changed_at)
      SELECT 'default', 'gen-' || (g / 20000) || '-' || g, '{\"d\": 1}', substr(md5(g::text), 1, 16), now(), now(),
        'd', repeat('x', 300), 'fact', '{}', 'ns-' || (g / 20000), '{}', g, now()
      FROM generate_series($((prev + 1)), $n) g" -c "VACUUM ANALYZE memories"
  done
  prev=$n
  for round in 1 2; do
    for i in "${!JARS[@]}"; do
      url=http://127.0.0.1:$((8790 + i))
      rows=$($PSQL -d perf_sizes_$((i + 1)) -Atc "SELECT count(*) FROM memories")
      if [ -n "${PULL_ONLY:-}" ]; then
        echo "${JARS[$i]} rows=$rows round=$round $(python3 "$(dirname "$0")/pull-by-time.py" $url)"
        continue
      fi
      out=/tmp/perf_sizes_diff.json
      java -XX:TieredStopAtLevel=1 -jar "$BENCH_JAR" bench --url $url --scenario diff --items 20000 --rounds 10 \
        --warmup 100000 --duration 60 --out $out > /dev/null
      diff=$(python3 -c "import json; print(round(json.load(open('$out'))['items_per_second']))")
      echo "${JARS[$i]} rows=$rows round=$round diff_entries_per_s=$diff" \
        "merkle_ns0_summary_s=$(merkle $url '{"device_id":"m","namespace_ids":["ns-0"],"buckets":[]}')" \
        "merkle_ns0_bucket3_s=$(merkle $url '{"device_id":"m","namespace_ids":["ns-0"],"buckets":[3]}')" \
        "merkle_all_summary_s=$(merkle $url '{"device_id":"m","namespace_ids":null,"buckets":[]}')" \
        "merkle_all_bucket3_s=$(merkle $url '{"device_id":"m","namespace_ids":null,"buckets":[3]}')" \
        "$(python3 "$(dirname "$0")/pull-by-time.py" $url)"
    done
  done
done
