#!/usr/bin/env bash
# Two PostgreSQL clients taking turns on the registry lookup, closed loop, counted by the server: each round runs A,
# then B, and over 5 s late in each run reads how many transactions PostgreSQL committed (pg_stat_database) and how
# much CPU the client process used (perf stat). The server's count does not depend on the client's own window, which
# may hold its JIT's tier-up; the CPU per lookup is what the client spent on each. A and B are each a bench.dll
# (e.g. two builds: git worktree add /tmp/b <rev> && dotnet build /tmp/b/bench/Benchmarks.Cli -c Release), "loop"
# (tools/npgsql-loop, async-rent: Npgsql alone), "wire" (the same tool's wire mode: the lookup over the wire protocol
# with no client library, the floor under Npgsql on .NET's sockets) or "pgbench" (-M prepared, the same SELECT as tools/compare-pgbench.sh);
# A_ENV / B_ENV add environment variables to A's / B's runs (e.g. B_ENV=DOTNET_TieredCompilation=1); A_SET / B_SET give
# a bench.dll's run scenario values (e.g. B_SET=store.client=lean: the lookup through the harness's own wire client).
# EVENTS=<perf events> (e.g. EVENTS=raw_syscalls:sys_enter,context-switches) also counts those over the same 5 s and
# prints each per lookup.
# PROFILE=1 also samples each client with perf over the same 5 s (call stacks, 1 999 Hz; the CPU figures then include
# perf's own cost) and prints who spent its CPU per lookup: the harness, Npgsql, the loop's own code
# (tools/cpu-breakdown/attribute.py).
#   tools/compare-server-count.sh <A> <B> [clients=4] [rounds=3] [warm-up seconds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: tools/compare-server-count.sh <bench.dll|loop|wire|pgbench> <bench.dll|loop|wire|pgbench> [clients=4] [rounds=3] [warm-up seconds=3]" >&2; exit 2; }
a="$1"; b="$2"; clients="${3:-4}"; rounds="${4:-3}"; warm="${5:-3}"; rows=100000
command -v perf >/dev/null || { echo "perf not found: sudo apt-get install -y linux-perf" >&2; exit 2; }
. tools/local-postgres.sh
. tools/registry-lookup.sh
dotnet build tools/npgsql-loop -c Release -v q -clp:ErrorsOnly >"$work/build.log" || { cat "$work/build.log"; exit 1; }

# The rows are loaded once (by the first bench.dll given, or the build in this tree) before any run.
is_dll() { [ "$1" != loop ] && [ "$1" != wire ] && [ "$1" != pgbench ]; }
load_rows dotnet "$(is_dll "$a" && echo "$a" || { is_dll "$b" && echo "$b" || echo bench/Benchmarks.Cli/bin/Release/net10.0/bench.dll; })"
committed() { as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -Atc "select xact_commit from pg_stat_database where datname = 'postgres'" postgres; }

lookup_yaml false 12 "$warm"
# With PROFILE=1, JIT-compiled frames are named for perf (the runtime's perf map; its code written in place, where perf finds
# it) and each 5 s window is sampled.
perfmap=$([ -n "${PROFILE:-}" ] && echo "DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0" || true)
ratios=()
for round in $(seq "$rounds"); do
  for side in A B; do
    client=$([ $side = A ] && echo "$a" || echo "$b")
    extra=$([ $side = A ] && echo "${A_ENV:-}" || echo "${B_ENV:-}")
    sets=$([ $side = A ] && echo "${A_SET:-}" || echo "${B_SET:-}")
    rm -rf "$work/out"
    if [ "$client" = pgbench ]; then
      (cd "$work" && as_pg env $extra "$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -M prepared \
        -c "$clients" -j $(( clients < 2 ? clients : 2 )) -T $((warm + 12)) -f "$work/lookup.sql" postgres >/dev/null) &
    elif [ "$client" = loop ] || [ "$client" = wire ]; then
      # As bench runs: socket completions inline, a 64 MB gen0 budget, the framework's precompiled code off
      # (bench/Benchmarks.Cli/Launch/RuntimeRelaunch.cs).
      env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_GCgen0size=0x4000000 DOTNET_ReadyToRun=0 $extra $perfmap dotnet tools/npgsql-loop/bin/Release/net10.0/NpgsqlLoop.dll \
        "$clients" 12 "$rows" "$conn;Maximum Pool Size=$clients" "$([ "$client" = wire ] && echo wire || echo async-rent)" "$warm" >/dev/null &
    else
      env $extra $perfmap dotnet "$client" run "$work/lookup.yaml" --out "$work/out" $(for s in $sets; do printf -- '--set %s ' "$s"; done) >/dev/null &
    fi
    job=$!
    sleep $((warm + 4))
    # The process doing the work: pgbench runs under a subshell (and runuser as root); bench relaunches itself (with its
    # runtime settings, bench/Benchmarks.Cli/Launch) and waits, so its work is in the child; the loop is the job.
    relaunched=$(pgrep -n -P "$job" || true)
    pid=$([ "$client" = pgbench ] && pgrep -n -x pgbench || echo "${relaunched:-$job}")
    before=$(committed)
    if [ -n "${PROFILE:-}" ]; then
      perf stat -x, -e "task-clock${EVENTS:+,$EVENTS}" -p "$pid" -o "$work/stat.csv" -- perf record -q -g -F 1999 -p "$pid" -o "$work/perf.data" -- sleep 5 >/dev/null 2>&1
    else
      perf stat -x, -e "task-clock${EVENTS:+,$EVENTS}" -p "$pid" -o "$work/stat.csv" -- sleep 5
    fi
    cpu_ms=$(awk -F, '/task-clock/ {print $1}' "$work/stat.csv")
    after=$(committed)
    wait "$job" || true
    python3 -c "import sys; n = $after - $before; print(f'round $round $side ({sys.argv[1]}): {n / 5:.0f} lookups/s, {float(sys.argv[2]) * 1000 / n:.1f} us of client CPU per lookup')" \
      "$client${extra:+ with $extra}${sets:+ with $sets}" "$cpu_ms"
    if [ $side = A ]; then a_count=$((after - before)); else ratios+=("$(python3 -c "print(f'{$a_count / $((after - before)):.2f}')")"); fi
    [ -z "${EVENTS:-}" ] || awk -F, -v n=$((after - before)) '$3 != "task-clock" && $3 != "" {printf "    %s: %.2f per lookup\n", $3, $1 / n}' "$work/stat.csv"
    [ -z "${PROFILE:-}" ] || python3 tools/cpu-breakdown/attribute.py "$work/perf.data" $((after - before)) | sed 's/^/    /'
  done
done
tools/rounds-median.py "lookups/s A/B" "${ratios[@]}"
