#!/usr/bin/env bash
# Where the CPU of one operation goes: runs a closed-loop scenario against a local server, samples the bench process
# with perf (JIT-compiled frames named through the runtime's perf map) and sums the samples into kernel, runtime,
# client library, harness and the rest. Prints each share and the CPU microseconds per operation it stands for.
#   tools/cpu-breakdown/measure.sh redis-lean|redis-stackexchange|postgres [connections=4] [seconds=6]
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${1:?redis-lean, redis-stackexchange or postgres}"
connections="${2:-4}"
seconds="${3:-6}"
command -v perf >/dev/null || { echo "perf not found: sudo apt-get install -y linux-perf" >&2; exit 2; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
cleanup() {
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  [ -d "$work/data" ] && as_pg "$pgbin/pg_ctl" stop -D "$work/data" -m fast -w >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build bench/Benchmarks.Cli -c Release -v q -clp:ErrorsOnly >"$work/build.log" || { cat "$work/build.log"; exit 1; }
case "$target" in
  redis-*)
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null
    for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    cat > "$work/s.yaml" <<YAML
name: cpu
store: { kind: redis, connection: "127.0.0.1:$port", connections: $connections, client: ${target#redis-} }
data: { keys: 100000, keyPrefix: "key:", value: { kind: bytes, bytes: 512 } }
workload: { distribution: uniform, mix: [ { op: get } ] }
load: { executor: constant-concurrency, concurrency: $connections, duration: $((seconds + 6))s, warmup: 3s }
YAML
    client_pattern='StackExchange\.Redis|Pipelines\.Sockets|Benchmarks\.Stores\.Redis'
    ;;
  postgres)
    [ "$(id -u)" = 0 ] && chown postgres "$work"
    as_pg "$pgbin/initdb" -D "$work/data" -U postgres --auth=trust --no-sync --no-instructions -E UTF8 --locale=C >/dev/null
    as_pg "$pgbin/pg_ctl" -D "$work/data" -l "$work/data/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $work" start >/dev/null
    cat > "$work/s.yaml" <<YAML
name: cpu
store: { kind: postgres, connection: "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres", poolSize: $connections, registry: { versionsPerModel: 8 } }
data: { keys: 100000, keyPrefix: "model-", preloadBatch: 20000 }
workload: { distribution: uniform, mix: [ { op: lookup } ] }
load: { executor: constant-concurrency, concurrency: $connections, duration: $((seconds + 6))s, warmup: 3s }
YAML
    client_pattern='Npgsql|Benchmarks\.Stores\.Relational|System\.Data'
    ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac

DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet bench/Benchmarks.Cli/bin/Release/net10.0/bench.dll run "$work/s.yaml" --out "$work/out" >"$work/run.log" 2>&1 &
runner=$!
# Past the preload and the warm-up: sample the measured window only.
for _ in $(seq 1200); do [ -s "$work/out/cpu/cpu.hlog" ] && break; sleep 0.1; done
sleep 4
pid=$(pgrep -f "bench.dll run $work/s.yaml" | head -1)
perf record -F 1999 -p "$pid" -o "$work/perf.data" -- sleep "$seconds" >/dev/null 2>&1
wait "$runner" || true
perf report -i "$work/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null > "$work/report.txt"
perf report -i "$work/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null > "$work/threads.txt"
cp "$work/report.txt" "${TMPDIR:-/tmp}/cpu-breakdown-$target.txt"
python3 - "$work/report.txt" "$work/threads.txt" "$work/out/cpu/result.json" "$seconds" "$client_pattern" "$target" "$connections" <<'PY'
import json, re, sys
report, threads, result, seconds, client, target, connections = sys.argv[1:]
kernel = "kernel and libc (system calls, scheduling, TCP)"
runtime = "runtime (GC, JIT stubs, thread pool, sockets, CoreLib)"
shares = {kernel: 0.0, runtime: 0.0, "client library": 0.0, "harness (Benchmarks.Core, HdrHistogram)": 0.0, "other": 0.0}
for line in open(report):
    # "  1.07%  [JIT] tid 24060   [.] instance void [Npgsql] Npgsql...": the module may hold spaces.
    m = re.match(r"\s+([0-9.]+)%\s+(.+?)\s+\[(.)\]\s+(.*)", line)
    if not m:
        continue
    pct, dso, kind, sym = float(m.group(1)), m.group(2), m.group(3), m.group(4)
    if kind == "k" or dso.startswith("libc.so") or dso.startswith("ld-linux"):
        shares[kernel] += pct
    elif re.search(client, sym) or re.search(client, dso):
        shares["client library"] += pct
    elif re.search(r"\[(Benchmarks\.Core|HdrHistogram)\]", sym):
        shares["harness (Benchmarks.Core, HdrHistogram)"] += pct
    elif re.search(r"libcoreclr|libclrjit|System\.|libSystem\.Native|\[JIT\]", dso) or re.search(r"^stub |\[System\.", sym):
        shares[runtime] += pct
    else:
        shares["other"] += pct
r = json.load(open(result))
ops = r["total"]["throughputPerSecond"]
cpu = r["generator"]["cpuPercent"] / 100 * r["environment"]["cores"]
print(f"{target}, {connections} connections, closed loop: {ops:.0f} ops/s, bench process {cpu:.2f} cores = {cpu / ops * 1e6:.1f} µs of CPU per operation")
total = sum(shares.values()) or 1
for name, pct in shares.items():
    print(f"  {name:42} {pct / total * 100:5.1f} %  {pct / total * cpu / ops * 1e6:6.1f} µs/op")
print("threads:")
for line in open(threads):
    m = re.match(r"\s+([0-9.]+)%\s+(.+)", line)
    if m and float(m.group(1)) >= 1:
        print(f"  {m.group(2).strip():42} {float(m.group(1)):5.1f} %")
PY
