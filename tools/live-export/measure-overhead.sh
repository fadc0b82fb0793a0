#!/usr/bin/env bash
# What turning live export on costs a run: the same open-model GET/SET scenario against one redis-server,
# alternating runs without and with --metrics-port (a Prometheus scraping it every second when installed),
# printing each run's p50 / p99 / p99.9, the generator's scheduling-lag p99 and the recording thread's share.
#   tools/live-export/measure-overhead.sh [pairs=3] [rate=5000] [seconds=20]
set -euo pipefail
cd "$(dirname "$0")/../.."
pairs="${1:-3}"
rate="${2:-5000}"
seconds="${3:-20}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
metrics=$(free_port)
work=$(mktemp -d)
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; [ -n "${prom:-}" ] && kill "$prom" 2>/dev/null; rm -rf "$work"' EXIT

redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$work/redis.pid" >/dev/null
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
if command -v prometheus >/dev/null 2>&1; then
  printf 'global: { scrape_interval: 1s, scrape_timeout: 900ms }\nscrape_configs: [ { job_name: bench, static_configs: [ { targets: [ "127.0.0.1:%s" ] } ] } ]\n' "$metrics" > "$work/prometheus.yml"
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" --web.listen-address="127.0.0.1:$(free_port)" >"$work/prometheus.log" 2>&1 &
  prom=$!
fi

dotnet build bench/Benchmarks.Cli -c Release -v q -clp:ErrorsOnly >"$work/build.log" || { cat "$work/build.log"; exit 1; }
bench="dotnet bench/Benchmarks.Cli/bin/Release/net10.0/bench.dll"
cat > "$work/open.yaml" <<YAML
name: live-overhead
store: { kind: redis, connection: "127.0.0.1:$port" }
data: { keys: 10000, value: { kind: bytes, bytes: 512 } }
workload: { distribution: zipfian(0.99), mix: [ { op: get, weight: 95 }, { op: set, weight: 5 } ] }
load: { executor: constant-arrival-rate, rate: ${rate}/s, duration: ${seconds}s, warmup: 5s, maxInFlight: 256 }
YAML
printf '%-4s %-8s %10s %9s %9s %9s %12s %10s\n' run export count p50_ms p99_ms p999_ms lag_p99_ms verdict
for i in $(seq "$pairs"); do
  for mode in off on; do
    extra=()
    [ "$mode" = on ] && extra=(--metrics-port "$metrics" --metrics-linger 2s)
    $bench run "$work/open.yaml" --out "$work/$mode-$i" "${extra[@]}" >"$work/$mode-$i.log" 2>&1 || true
    python3 - "$work/$mode-$i/live-overhead/result.json" "$i" "$mode" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["total"]["latency"]["corrected"]
lag = (r["generator"].get("schedulingLag") or {}).get("p99", float("nan"))
print(f'{sys.argv[2]:<4} {sys.argv[3]:<8} {r["total"]["count"]:>10} {c["p50"]:>9.3f} {c["p99"]:>9.3f} {c["p99.9"]:>9.3f} {lag:>12.3f} {r["status"]:>10}')
PY
  done
done
