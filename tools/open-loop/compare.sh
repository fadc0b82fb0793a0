#!/usr/bin/env bash
# The harness's open model against the smallest honest open-loop client (open_loop_get.c, compiled here), in
# alternating runs against the same redis-server: GET of 512-byte values over 100k uniformly chosen keys, at the
# same rate, on one connection, both timing each request from its intended start. Prints each run's percentiles
# (and its service time: from the actual send, the request path apart from how late each client sends) and, per
# round, bench's p99 over the C client's. BENCH_WARMUP=<seconds> (default 3) sets bench's warm-up.
#   tools/open-loop/compare.sh [rounds=3] [rate=5000] [seconds=20] [client=lean|stackexchange]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
rate="${2:-5000}"
seconds="${3:-20}"
client="${4:-lean}"
command -v cc >/dev/null || { echo "a C compiler is needed: sudo apt-get install -y gcc" >&2; exit 2; }
source tools/local-redis.sh
cc -O2 -Wall -Wextra -o "$work/open_loop_get" tools/open-loop/open_loop_get.c
cat > "$work/open.yaml" <<YAML
name: open-get
store: { kind: redis, connection: "127.0.0.1:$port", connections: 1, client: $client }
data: { keys: 100000, keyPrefix: "key:", value: { kind: bytes, bytes: 512 } }
workload: { distribution: uniform, mix: [ { op: get } ] }
load: { executor: constant-arrival-rate, rate: $rate/s, duration: ${seconds}s, warmup: ${BENCH_WARMUP:-3}s }
YAML

bench_run() {
  $bench run "$work/open.yaml" --out "$work/out" >/dev/null || true
  python3 - "$work/out/open-get/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); t = r["total"]; c = t["latency"]["corrected"]; u = t["latency"]["uncorrected"]; g = r["generator"]
print(f"count={t['count']} p50={c['p50']:.3f} p90={c['p90']:.3f} p99={c['p99']:.3f} p99.9={c['p99.9']:.3f} max={c['max']:.3f}"
      f" service p50={u['p50']:.3f} p99={u['p99']:.3f} p99.9={u['p99.9']:.3f}"
      f" (lag p99 {g['schedulingLag']['p99']:.3f}, GCs {sum(g['gcCollections'].values())}, GC pauses {g['gcPauseMs']:.1f} ms)")
PY
}

echo "open model, GET 512 B, $rate/s, ${seconds} s, one connection, bench client=$client, $(nproc) cores"
ratios=()
for round in $(seq "$rounds"); do
  b=$(bench_run)
  c=$("$work/open_loop_get" 127.0.0.1 "$port" "$rate" "$seconds" 100000 key:)
  echo "round $round bench: $b"
  echo "round $round C:     $c"
  ratio=$(python3 -c "import re,sys; p=lambda s: float(re.search(r'p99=([0-9.]+)', s).group(1)); print(f'{p(sys.argv[1])/p(sys.argv[2]):.2f}')" "$b" "$c")
  echo "round $round p99 bench/C: $ratio"
  ratios+=("$ratio")
done
tools/rounds-median.py "p99 bench/C" --within 1.5 "${ratios[@]}"
