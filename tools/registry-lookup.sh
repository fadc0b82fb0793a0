# Sourced after tools/local-postgres.sh by the scripts that drive the registry lookup at that cluster
# (tools/compare-pgbench.sh, tools/compare-server-count.sh); needs $clients and $rows.
# Writes $work/lookup.sql, the lookup for pgbench, and defines:
#   lookup_yaml <preload> <seconds> <warm-up seconds>   bench's closed-loop scenario of the same lookup, in $work/lookup.yaml
#   load_rows <bench command...>                         loads the rows with bench, then VACUUM ANALYZE: autovacuum after a
#                                                        fresh load would otherwise run during whichever tool came first
versions=8
conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"

lookup_yaml() {
  cat > "$work/lookup.yaml" <<YAML
name: closed-lookup
store: { kind: postgres, connection: "$conn", poolSize: $clients, registry: { versionsPerModel: $versions } }
data: { keys: $rows, keyPrefix: "model-", preloadBatch: 20000, preload: $1 }
workload: { distribution: uniform, mix: [ { op: lookup } ] }
load: { executor: constant-concurrency, concurrency: $clients, duration: ${2}s, warmup: ${3}s }
YAML
}

# The same SELECT for pgbench; its variables are integers, so the name and version are built from them.
cat > "$work/lookup.sql" <<SQL
\set i random(0, $rows - 1)
\set m :i / $versions
\set v :i % $versions
SELECT model_id, model_name, version, status, created_at, updated_at, metadata, owner, tags FROM model_registry WHERE model_name = 'model-' || :m AND version = '1.' || :v || '.0';
SQL

load_rows() {
  lookup_yaml true 1 0
  "$@" run "$work/lookup.yaml" --out "$work/load" >/dev/null || true
  as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "VACUUM ANALYZE model_registry" postgres
}
