#!/usr/bin/env bash
# Packs bench as a .NET tool into a local feed, installs it from there into a temporary tool path and
# validates every shipped scenario with the installed binary: what a user of the package gets, checked in CI.
set -euo pipefail
cd "$(dirname "$0")/../.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet pack bench/Benchmarks.Cli -c Release -o "$work/feed" --nologo -v q -clp:ErrorsOnly
package="$(basename "$(ls "$work"/feed/Benchmarks.Bench.*.nupkg)")"
version="${package#Benchmarks.Bench.}"
version="${version%.nupkg}"
dotnet tool install Benchmarks.Bench --version "$version" --tool-path "$work/tools" --add-source "$work/feed" >/dev/null

installed="$("$work/tools/bench" --version)"
case "$installed" in
  "$version"+*|"$version") ;;
  *) echo "the installed bench says version '$installed', the package is $version" >&2; exit 1 ;;
esac
mapfile -t scenarios < <(find scenarios -name '*.yaml' | sort)
"$work/tools/bench" validate "${scenarios[@]}" >/dev/null
# A run through the installed shim: on Linux, bench relaunches itself with its garbage collector's gen0 budget and the
# framework's precompiled code off (bench/Benchmarks.Cli/Launch/RuntimeRelaunch.cs), which the run's result reports.
cat > "$work/noop.yaml" <<'YAML'
name: packaged-noop
store: { kind: noop }
workload: { mix: [ { op: noop } ] }
load: { executor: constant-arrival-rate, rate: 1000/s, duration: 1s, warmup: 1s }
YAML
env -u DOTNET_GCgen0size -u DOTNET_ReadyToRun "$work/tools/bench" run "$work/noop.yaml" --out "$work/out" >/dev/null
budget="$(grep -o '"gcGen0MaxBudgetBytes": [0-9]*' "$work/out/packaged-noop/result.json")"
[ "$budget" = '"gcGen0MaxBudgetBytes": 67108864' ] || { echo "the installed bench ran with $budget, not the 64 MB gen0 budget it sets" >&2; exit 1; }
precompiled="$(grep -o '"readyToRun": [a-z]*' "$work/out/packaged-noop/result.json")"
[ "$precompiled" = '"readyToRun": false' ] || { echo "the installed bench ran with $precompiled, not with the framework's precompiled code off" >&2; exit 1; }
echo "packaged bench $installed: installed from a local feed, ${#scenarios[@]} shipped scenarios valid, a run with its 64 MB gen0 budget and precompiled code off"
