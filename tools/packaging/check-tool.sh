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
echo "packaged bench $installed: installed from a local feed, ${#scenarios[@]} shipped scenarios valid"
