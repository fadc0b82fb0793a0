# Sourced by the comparison scripts that drive a PostgreSQL cluster of their own (tools/compare-pgbench.sh,
# tools/compare-server-count.sh): a throwaway cluster on a free loopback port, trust authentication.
# Sets $bin (the server's binaries), $port, $work (a temporary folder, removed on exit with the cluster) and as_pg
# (runs a command as the postgres user when the script runs as root).
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/postgres" ] || { echo "PostgreSQL server binaries not found: sudo apt-get install -y postgresql" >&2; exit 2; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"
trap 'as_pg "$bin/pg_ctl" stop -D "$work/data" -m fast -w >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

as_pg "$bin/initdb" -D "$work/data" -U postgres --auth=trust --no-sync --no-instructions -E UTF8 --locale=C >/dev/null
as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/data/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $work -c max_connections=300" start >/dev/null
