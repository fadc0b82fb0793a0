# Sourced by the comparison scripts that drive a redis-server of their own (tools/compare-redis-benchmark.sh,
# tools/open-loop/compare.sh): a throwaway server on a free loopback port and the harness built once.
# Sets $port, $work (a temporary folder, removed on exit with the server) and $bench (the command that runs bench).
command -v redis-server >/dev/null || { echo "redis-server not found: sudo apt-get install -y redis-server" >&2; exit 2; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$work/redis.pid" >/dev/null
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

dotnet build bench/Benchmarks.Cli -c Release -v q -clp:ErrorsOnly >"$work/build.log" || { cat "$work/build.log"; exit 1; }
bench="dotnet bench/Benchmarks.Cli/bin/Release/net10.0/bench.dll"
