#!/usr/bin/env bash
# The harness and pgbench side by side, closed loop, against the same throwaway PostgreSQL cluster:
# the same registry lookup (SELECT of one model version by name and version, every column) over
# the same uniformly chosen rows, the same number of clients, prepared statements on both sides
# (pgbench -M prepared; Npgsql auto-prepare). Prints throughput and p50/p99/p99.9 of both, and of the same lookup
# through Npgsql alone (tools/npgsql-loop: one auto-prepared command per client, no harness), so that what the harness adds
# to Npgsql and what Npgsql costs beside libpq are separate figures. NPGSQL_LOOP=sync drives Npgsql's synchronous API
# from a thread per client instead. BENCH_WARMUP=<seconds> (default 3) sets the warm-up of all three: the loop's JIT
# tiers up for several seconds, and with DOTNET_TieredCompilation=1 in the environment so does bench's.
# The three take turns for <rounds> rounds of <seconds> each, so that a change in the host's speed (minutes long on a
# shared VM) falls on all of them; each round prints its ratios and the last line their medians. The rows are loaded
# and vacuumed before the first round.
#   tools/compare-pgbench.sh [clients=4] [seconds=15] [rows=100000] [rounds=1]
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${1:-4}"
seconds="${2:-15}"
rows="${3:-100000}"
rounds="${4:-1}"
. tools/local-postgres.sh

dotnet build bench/Benchmarks.Cli -c Release -v q -clp:ErrorsOnly >"$work/build.log" || { cat "$work/build.log"; exit 1; }
dotnet build tools/npgsql-loop -c Release -v q -clp:ErrorsOnly >"$work/build.log" || { cat "$work/build.log"; exit 1; }
bench="dotnet bench/Benchmarks.Cli/bin/Release/net10.0/bench.dll"

. tools/registry-lookup.sh
threads=$(( clients < 2 ? clients : 2 ))

load_rows $bench

for round in $(seq "$rounds"); do
  lookup_yaml false "$seconds" "${BENCH_WARMUP:-3}"
  rm -rf "$work/out" "$work"/pgb.*
  $bench run "$work/lookup.yaml" --out "$work/out" >/dev/null || true
  (cd "$work" && as_pg "$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -M prepared -c "$clients" -j "$threads" -T "${BENCH_WARMUP:-3}" -f lookup.sql postgres >/dev/null)
  (cd "$work" && as_pg "$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -M prepared -c "$clients" -j "$threads" -T "$seconds" -l --log-prefix=pgb -f lookup.sql postgres > pgbench.txt)
  # bench completes socket operations inline unless told otherwise, and its load runs with a 64 MB gen0 budget and
  # the framework's precompiled code off (bench/Benchmarks.Cli/Launch/RuntimeRelaunch.cs) unless they are set; the
  # loop gets the same settings.
  DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS="${DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS:-1}" \
  DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x4000000}" DOTNET_ReadyToRun="${DOTNET_ReadyToRun:-0}" \
    dotnet tools/npgsql-loop/bin/Release/net10.0/NpgsqlLoop.dll "$clients" "$seconds" "$rows" \
    "$conn;Maximum Pool Size=$clients" "${NPGSQL_LOOP:-async}" "${BENCH_WARMUP:-3}" > "$work/loop.txt"

  python3 - "$work/out/closed-lookup/result.json" "$work" "$clients" "$(cat "$work/loop.txt")" "$round" <<'PY' | tee -a "$work/ratios.txt"
import glob, json, re, sys
r = json.load(open(sys.argv[1]))
# pgbench's per-transaction log: client, transaction, latency in µs, script, epoch, µs.
lat = sorted(int(line.split()[2]) for f in glob.glob(sys.argv[2] + "/pgb.*") for line in open(f))
def pct(p): return lat[min(len(lat) - 1, int(p / 100 * len(lat)))] / 1000
tps = float(re.search(r"tps = ([0-9.]+) \(without initial connection time\)", open(sys.argv[2] + "/pgbench.txt").read()).group(1))
t = r["total"]; c = t["latency"]["corrected"]
print(f"round {sys.argv[5]}: clients={sys.argv[3]} registry lookup, uniform rows, closed loop, prepared; bench {r['durationSeconds']:.1f} s, pgbench {len(lat)} transactions")
print(f"{'':10}{'ops/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'p99.9 ms':>10}{'max ms':>9}")
print(f"{'bench':10}{t['throughputPerSecond']:>10.0f}{c['p50']:>9.3f}{c['p99']:>9.3f}{c['p99.9']:>10.3f}{c['max']:>9.3f}")
print(f"{'pgbench':10}{tps:>10.0f}{pct(50):>9.3f}{pct(99):>9.3f}{pct(99.9):>10.3f}{lat[-1]/1000:>9.3f}")
loop = dict(kv.split("=") for kv in sys.argv[4].split() if "=" in kv)
print(f"{sys.argv[4].split()[0]:10}{float(loop['ops/s']):>10.0f}{float(loop['p50']):>9.3f}{float(loop['p99']):>9.3f}{float(loop['p99.9']):>10.3f}{float(loop['max']):>9.3f}")
print(f"throughput ratio bench/pgbench: {t['throughputPerSecond']/tps:.2f}, bench/Npgsql alone: {t['throughputPerSecond']/float(loop['ops/s']):.2f}, Npgsql alone/pgbench: {float(loop['ops/s'])/tps:.2f}; harness CPU {r['generator']['cpuPercent']}% of {r['environment']['cores']} cores, GC pauses {r['generator']['gcPauseMs']} ms, {r['generator']['allocatedMegabytes']:.0f} MB allocated, gen0/1/2 {r['generator']['gcCollections']}")
PY
done

python3 - "$work/ratios.txt" "$rounds" <<'PY'
import re, statistics, sys
names = ["bench/pgbench", "bench/Npgsql alone", "Npgsql alone/pgbench"]
found = {n: [float(v) for v in re.findall(re.escape(n) + r": ([0-9.]+)", open(sys.argv[1]).read())] for n in names}
print(f"medians over {sys.argv[2]} round(s): " + ", ".join(f"{n} {statistics.median(v):.2f} (range {min(v):.2f}-{max(v):.2f})" for n, v in found.items()))
PY
