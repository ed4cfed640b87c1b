#!/usr/bin/env bash
# End-to-end burn-down through the simulator at zero latency, with durable commits:
#   1. a throwaway PostgreSQL (scripts/test-database: fsync and synchronous_commit on, as shipped)
#   2. `longhaul sim --zero-latency` in its own process
#   3. N jobs enqueued through JobStore.enqueue (`longhaul-bench pipeline enqueue`)
#   4. `longhaul work` (its own process, OPENAI_BASE_URL at the simulator) from start until every
#      job is terminal → jobs/s; pg_stat_database.xact_commit before/after → transactions per job
#   5. `pgbench -i` and `pgbench -N -c 8 -T 10` on the same server → tps, for scale
# Each job is two HTTP calls (create, retrieve), a stored result and an outbox row.
# Usage: bench/pipeline.sh [jobs] [concurrency]     (defaults: 20000, 256)
# Worker tuning comes from the environment: FIRST_POLL (s, default 0), MIN_POLL (s, default 1),
# EXTRA_WORK_ARGS (more `longhaul work` options); SKIP_PGBENCH=1 leaves out the pgbench run.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-20000}
CONCURRENCY=${2:-256}
FIRST_POLL=${FIRST_POLL:-0}
MIN_POLL=${MIN_POLL:-1}
EXTRA_WORK_ARGS=${EXTRA_WORK_ARGS:-}

. bench/lib.sh
bench_setup pipeline
SOCKET="$WORK/pg"

# CPU seconds (user + system) of a process; for the server, the postmaster plus every child,
# living or reaped (a backend that exited is counted in the postmaster's cutime/cstime).
ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
server_ticks() {
  local pm total
  pm=$(head -1 "$WORK/pg/data/postmaster.pid")
  total=$(ticks "$pm")
  for child in $(cat "/proc/$pm/task/$pm/children" 2>/dev/null); do total=$((total + $(ticks "$child"))); done
  echo "$total"
}
HZ=$(getconf CLK_TCK)

"$BIN" sim --host 127.0.0.1 --port 0 --zero-latency >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
SIM_URL=$(started_url "$WORK/sim.log")

echo "== enqueue $JOBS jobs"
"$BENCH" pipeline enqueue --database-url "$URL" --jobs "$JOBS"
sql "VACUUM ANALYZE" >/dev/null
sql "CHECKPOINT" >/dev/null

COMMITS_BEFORE=$(sql "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
SIM_TICKS_BEFORE=$(ticks "$SIM_PID")
SERVER_TICKS_BEFORE=$(server_ticks)
echo "== longhaul work --concurrency $CONCURRENCY --first-poll $FIRST_POLL --min-poll-interval $MIN_POLL $EXTRA_WORK_ARGS"
START=$(date +%s.%N)
# shellcheck disable=SC2086
OPENAI_BASE_URL="$SIM_URL/v1" OPENAI_API_KEY=bench DATABASE_URL="$URL" LONGHAUL_AUTO_MIGRATE=0 \
  "$BIN" work --log-level warning --concurrency "$CONCURRENCY" --first-poll "$FIRST_POLL" --min-poll-interval "$MIN_POLL" \
  $EXTRA_WORK_ARGS >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!
WAITER=$("$BENCH" pipeline wait --database-url "$URL" --interval-ms 100)
END=$(date +%s.%N)
WORKER_HWM=$(awk '/^VmHWM/ {print $2}' "/proc/$WORKER_PID/status")
WORKER_TICKS=$(ticks "$WORKER_PID")
kill -TERM "$WORKER_PID"; wait "$WORKER_PID" || true; WORKER_PID=""
SIM_TICKS=$(( $(ticks "$SIM_PID") - SIM_TICKS_BEFORE ))
SERVER_TICKS=$(( $(server_ticks) - SERVER_TICKS_BEFORE ))
sleep 1  # let the server publish the last backends' statistics
COMMITS_AFTER=$(sql "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
WAITER_QUERIES=$(echo "$WAITER" | awk '/waiter queries/ {print $3}')
COMMITS=$(( COMMITS_AFTER - COMMITS_BEFORE - WAITER_QUERIES - 1 ))

read -r DONE COMPLETED FIRST_SUBMIT LAST_FINISH <<<"$(sql "
  SELECT count(*), count(*) FILTER (WHERE j.state = 'completed'),
         extract(epoch FROM min(j.submitted_at)), extract(epoch FROM max(j.finished_at))
  FROM jobs j JOIN projects p ON p.id = j.project_id WHERE p.slug = 'bench'" | tr '|' ' ')"
RESULTS=$(sql "SELECT count(*) FROM results")
DELIVERIES=$(sql "SELECT count(*) FROM deliveries")
ROUTES=$(curl -s "$SIM_URL/_simulator/counters" | python3 -c '
import json, sys
routes = json.load(sys.stdin)["requestsByRoute"]
print(" ".join(f"{k}={v}" for k, v in sorted(routes.items())))')

WALL=$(awk -v a="$START" -v b="$LAST_FINISH" 'BEGIN{printf "%.3f", b - a}')
STEADY=$(awk -v a="$FIRST_SUBMIT" -v b="$LAST_FINISH" 'BEGIN{printf "%.3f", b - a}')
echo "jobs:             $DONE ($COMPLETED completed), $RESULTS results, $DELIVERIES outbox rows"
echo "simulator calls:  $ROUTES"
echo "burn-down:        ${WALL} s from worker start to last job finished → $(awk -v n="$DONE" -v s="$WALL" 'BEGIN{printf "%d", n / s}') jobs/s"
echo "                  ${STEADY} s from first claim to last finish    → $(awk -v n="$DONE" -v s="$STEADY" 'BEGIN{printf "%d", n / s}') jobs/s"
echo "transactions:     $COMMITS commits → $(awk -v c="$COMMITS" -v n="$DONE" 'BEGIN{printf "%.3f", c / n}') per job (waiter's $WAITER_QUERIES taken off)"
echo "CPU seconds:      worker $(awk -v t="$WORKER_TICKS" -v h="$HZ" 'BEGIN{printf "%.1f", t / h}'), simulator $(awk -v t="$SIM_TICKS" -v h="$HZ" 'BEGIN{printf "%.1f", t / h}'), postgres $(awk -v t="$SERVER_TICKS" -v h="$HZ" 'BEGIN{printf "%.1f", t / h}') of $(awk -v s="$WALL" 'BEGIN{printf "%.1f", 2 * s}') available (2 cores)"
awk -v w="$WORKER_TICKS" -v s="$SIM_TICKS" -v p="$SERVER_TICKS" -v h="$HZ" -v n="$DONE" 'BEGIN {
  wu = w / h / n * 1e6; su = s / h / n * 1e6; pu = p / h / n * 1e6
  printf "CPU per job:      worker %d µs, postgres %d µs, simulator %d µs; 2 cores / (worker + postgres) = %d jobs/s if the\n", wu, pu, su, 2e6 / (wu + pu)
  printf "                  simulator (Mantle) had its own CPU (arithmetic, not measured)\n" }'
echo "worker peak RSS:  $((WORKER_HWM / 1024)) MiB"
echo "load average:     $(cut -d' ' -f1-3 /proc/loadavg) (other processes on this machine take CPU too)"

kill -TERM "$SIM_PID"; wait "$SIM_PID" 2>/dev/null || true; SIM_PID=""
[ -n "${SKIP_PGBENCH:-}" ] && exit 0
echo "== pgbench -N -c 8 -j 2 -T 10 (same server)"
"$bindir/pgbench" -i -q -h "$SOCKET" -U postgres postgres >/dev/null 2>&1
"$bindir/pgbench" -N -c 8 -j 2 -T 10 -h "$SOCKET" -U postgres postgres 2>/dev/null | grep -E "^tps|latency average"
