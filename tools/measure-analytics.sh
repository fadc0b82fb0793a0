#!/usr/bin/env bash
# Generation rate and training-data query latency at several sizes, with the peak memory of each
# process (GNU time's maximum resident set). One analyst, the query run back to back.
#   tools/measure-analytics.sh [sizes="1000000 10000000 50000000"] [seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-1000000 10000000 50000000}"
seconds="${2:-20}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: sudo apt-get install -y time" >&2; exit 2; }
dotnet build bench/Benchmarks.Cli -c Release -v q -clp:ErrorsOnly >"$work/build.log" || { cat "$work/build.log"; exit 1; }
bench="dotnet bench/Benchmarks.Cli/bin/Release/net10.0/bench.dll"

printf '%-11s %-14s %-10s %-28s %-28s %-10s\n' rows "generate rows/s" "gen RSS" "fetch p50/max s (rows out)" "count p50/max s" "query RSS"
for rows in $sizes; do
  users=$(( rows / 100 ))
  data="$work/events-$rows"
  /usr/bin/time -f '%e %M' -o "$work/gen.time" $bench data generate --rows "$rows" --users "$users" --days 90 --file-rows 5000000 --out "$data" >/dev/null
  read -r gen_s gen_kb < "$work/gen.time"
  for mode in fetch count; do
    cat > "$work/q.yaml" <<YAML
name: q-$mode
store: { kind: analytics, dataset: "$data", events: { rows: $rows, users: $users, days: 90, fileRows: 5000000 } }
workload: { mix: [ { op: training-data, windowDays: 30, result: $mode } ] }
load: { executor: constant-concurrency, concurrency: 1, duration: ${seconds}s, warmup: 1s }
YAML
    /usr/bin/time -f '%e %M' -o "$work/$mode.time" $bench run "$work/q.yaml" --out "$work/out" >/dev/null || true
  done
  python3 - "$rows" "$gen_s" "$gen_kb" "$work" <<'PY'
import json, sys
rows, gen_s, gen_kb, work = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def q(mode):
    r = json.load(open(f"{work}/out/q-{mode}/result.json"))
    op = r["operations"][0]; lat = op["latency"]["corrected"]
    kb = int(open(f"{work}/{mode}.time").read().split()[1])
    return lat["p50"] / 1000, lat["max"] / 1000, op["metrics"]["rows_returned"]["p50"], op["count"], kb
f, c = q("fetch"), q("count")
print(f"{rows:<11,} {rows/gen_s:<14,.0f} {gen_kb/1024:<8.0f}MB {f'{f[0]:.2f} / {f[1]:.2f} ({f[2]:,.0f}, n={f[3]})':<28} {f'{c[0]:.2f} / {c[1]:.2f} (n={c[3]})':<28} {max(f[4], c[4])/1024:.0f} MB")
PY
done
