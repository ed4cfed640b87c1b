#!/usr/bin/env bash
# End-to-end burn-down through the simulator at zero latency, with durable commits:
#   1. a throwaway PostgreSQL (scripts/test-database: fsync and synchronous_commit on, as shipped)
#   2. `longhaul sim --zero-latency` in its own process
#   3. N jobs enqueued through JobStore.enqueue (`longhaul-bench pipeline enqueue`)
#   4. `longhaul work` (its own process, OPENAI_BASE_URL at the simulator) from start until every
#      job is terminal → jobs/s; pg_stat_database.xact_commit before/after → transactions per job
#   5. `pgbench -i` and `pgbench -N -c 8 -T 10` on the same server → tps, for scale
# Each job is two HTTP calls (create, retrieve), a stored result and an outbox row. The outbox
# is not delivered (no deliver loop; ROLES=… to change): the bench's endpoint has no receiver,
# and delivering to it failed and rescheduled every row (3 updates a job, a quarter of the WAL:
# 10,449 → 7,962 bytes a job without them, debug build, 3,000 jobs), writes no real receiver
# causes. bench/webhooks.sh measures delivery.
# Usage: bench/pipeline.sh [jobs] [concurrency]     (defaults: 20000, 256)
# Worker tuning comes from the environment: FIRST_POLL (s, default 0), MIN_POLL (s, default 1),
# EXTRA_WORK_ARGS (more `longhaul work` options); SKIP_PGBENCH=1 leaves out the pgbench run.
# It prints WAL bytes and records per job (pg_stat_wal over the burn-down); STATEMENTS=1 loads
# pg_stat_statements and prints statements per job and the most frequent, with their WAL per job.
# PIPELINE_SQL=FILE runs that SQL after the enqueue: a schema or function change tried against the
# same binaries (bench/compare.sh alternates binaries; run this with and without it).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-20000}
CONCURRENCY=${2:-256}

. bench/lib.sh
bench_setup pipeline
bench_pipeline "$JOBS" "$CONCURRENCY"
[ -n "${SKIP_PGBENCH:-}" ] && exit 0
bench_pgbench
