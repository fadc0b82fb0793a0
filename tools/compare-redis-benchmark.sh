#!/usr/bin/env bash
# The harness and redis-benchmark side by side, closed loop, against the same redis-server:
# same number of connections, one request in flight per connection, GET of 512-byte values
# over 100k uniformly chosen keys. Prints throughput and p50/p99 of both and their ratio.
#   tools/compare-redis-benchmark.sh [connections=4] [seconds=10] [client=stackexchange|lean] [pipeline=1]
# With pipeline P > 1, every request is a batch of P GETs (the harness's `pipeline` operation, redis-benchmark -P P);
# throughput is then in GETs per second for both.
set -euo pipefail
cd "$(dirname "$0")/.."
connections="${1:-4}"
seconds="${2:-10}"
client="${3:-stackexchange}"
pipeline="${4:-1}"
source tools/local-redis.sh

cat > "$work/get.yaml" <<YAML
name: closed-get
store: { kind: redis, connection: "127.0.0.1:$port", connections: $connections, client: $client }
data: { keys: 100000, keyPrefix: "key:", value: { kind: bytes, bytes: 512 } }
workload: { distribution: uniform, mix: [ $( [ "$pipeline" -gt 1 ] && echo "{ op: pipeline, commands: $pipeline, of: get }" || echo "{ op: get }" ) ] }
load: { executor: constant-concurrency, concurrency: $connections, duration: ${seconds}s, warmup: 3s }
YAML
$bench run "$work/get.yaml" --out "$work/out" >/dev/null || true

# redis-benchmark: preload the same key space, then time GETs for about as many requests as the harness did.
harness_count=$(python3 -c "import json;print(json.load(open('$work/out/closed-get/result.json'))['total']['count'])")
timeout 120 redis-benchmark -p "$port" -c "$connections" -n 100000 -r 100000 -d 512 -t set -q >/dev/null
timeout 300 redis-benchmark -p "$port" -c "$connections" -n "$((harness_count * pipeline))" -r 100000 -d 512 -P "$pipeline" -t get > "$work/rb.txt"

python3 - "$work/out/closed-get/result.json" "$work/rb.txt" "$connections" "$client" "$pipeline" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
rps = float(re.search(r"throughput summary: ([0-9.]+) requests per second", text).group(1))
lat = re.search(r"avg\s+min\s+p50\s+p95\s+p99\s+max\s*\n\s*([0-9. ]+)", text).group(1).split()
rb = dict(zip(["avg", "min", "p50", "p95", "p99", "max"], map(float, lat)))
t = r["total"]; c = t["latency"]["corrected"]
client, pipeline = sys.argv[4], int(sys.argv[5])
gets = t["throughputPerSecond"] * pipeline
print(f"connections={sys.argv[3]} client={client} pipeline={pipeline} GET 512 B, 100k keys, closed loop, {r['durationSeconds']:.1f} s")
print(f"{'':16}{'GET/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
print(f"{'bench':16}{gets:>10.0f}{c['p50']:>9.3f}{c['p99']:>9.3f}{c['max']:>9.3f}")
print(f"{'redis-benchmark':16}{rps:>10.0f}{rb['p50']:>9.3f}{rb['p99']:>9.3f}{rb['max']:>9.3f}")
print(f"throughput ratio bench/redis-benchmark: {gets/rps:.2f}; harness CPU {r['generator']['cpuPercent']}% of {r['environment']['cores']} cores; GC pauses {r['generator'].get('gcPauses', '?')}")
PY
