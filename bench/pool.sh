#!/usr/bin/env bash
# Pool throughput against pgbench on the same throwaway server:
#   longhaul-bench pool   — `SELECT abalance FROM pgbench_accounts WHERE aid = $1` through PostgresPool
#   pgbench -S -c 8 -T 10 — the same statement from PostgreSQL's own C client (simple and prepared)
# Prints both and their ratio. Usage: bench/pool.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}

bindir=""
for candidate in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/pgbench" ]; then bindir=$candidate; fi
done
[ -n "$bindir" ] || { echo "bench/pool.sh: pgbench not found; install postgresql-contrib or run scripts/setup" >&2; exit 1; }

. bench/lib.sh
bench_build

dbdir=$(mktemp -d /tmp/longhaul-bench-db.XXXXXX)
chmod 0755 "$dbdir"
trap 'scripts/test-database stop "$dbdir/pg"' EXIT
url=$(scripts/test-database start "$dbdir/pg")
socket="$dbdir/pg"

"$bindir/pgbench" -i -q -h "$socket" -U postgres postgres >/dev/null 2>&1

echo "== longhaul-bench pool (${seconds}s per level, 8 connections)"
pool_output=$("$BENCH" pool --database-url "$url" --concurrency 1,8,32 --connections 8 --seconds "$seconds")
echo "$pool_output"

echo "== pgbench -S -c 8 -T $seconds"
pgbench_output=$("$bindir/pgbench" -S -c 8 -j 2 -T "$seconds" -h "$socket" -U postgres postgres 2>/dev/null)
echo "$pgbench_output" | grep -E "tps|latency average"

# pgbench's default is the simple protocol (parse and plan every time); the pool prepares each
# statement once per connection, so -M prepared is the like-for-like comparison.
echo "== pgbench -S -M prepared -c 8 -T $seconds"
prepared_output=$("$bindir/pgbench" -S -M prepared -c 8 -j 2 -T "$seconds" -h "$socket" -U postgres postgres 2>/dev/null)
echo "$prepared_output" | grep -E "tps|latency average"

pool_qps=$(echo "$pool_output" | awk '/concurrency=8 /{for(i=1;i<=NF;i++) if ($i ~ /^qps=/) {sub("qps=","",$i); print $i}}')
pgbench_tps=$(echo "$pgbench_output" | awk '/^tps/{print int($3); exit}')
prepared_tps=$(echo "$prepared_output" | awk '/^tps/{print int($3); exit}')
echo "== ratio pool (concurrency 8) / pgbench -S -c 8:             $(awk -v a="$pool_qps" -v b="$pgbench_tps" 'BEGIN{printf "%.2f", a/b}')"
echo "== ratio pool (concurrency 8) / pgbench -S -M prepared -c 8: $(awk -v a="$pool_qps" -v b="$prepared_tps" 'BEGIN{printf "%.2f", a/b}')"
