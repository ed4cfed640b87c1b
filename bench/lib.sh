# shellcheck shell=bash
# Shared set-up for the bench scripts:
#   . bench/lib.sh; bench_build        builds release and sets BIN (longhaul, what users run) and
#                                      BENCH (longhaul-bench, the load generators); with
#                                      LONGHAUL_BENCH_BIN_DIR set, takes both from there instead
#   . bench/lib.sh; bench_scratch NAME WORK and URL only (a script that builds what it needs itself)
#   . bench/lib.sh; bench_setup NAME   for those that run a worker against a throwaway PostgreSQL:
# bench_build, and sets bindir (PostgreSQL's programs), WORK (a temp
# folder, removed on exit with the server and any SIM_PID / WORKER_PID), URL (the database) and
# sql "STATEMENT" (psql, unaligned, tuples only); started_url LOG waits for the address a started
# process prints.
#   bench_pipeline JOBS CONCURRENCY    the burn-down of bench/pipeline.sh on that server (the
#                                      simulator, the enqueue, `longhaul work` until every job is
#                                      terminal, the report); leaves DONE, WALL, STEADY, COMMITS,
#                                      WORKER_TICKS, SERVER_TICKS for a caller (bench/peers.sh)
#   bench_pgbench                      `pgbench -N -c 8 -j 2 -T 10` on that server; sets PGBENCH_TPS
#   ticks PID / server_ticks / HZ      CPU clock ticks of a process / of the whole server

bench_build() {
  # LONGHAUL_BENCH_BIN_DIR: use release binaries built elsewhere (a copy made before further edits).
  if [ -n "${LONGHAUL_BENCH_BIN_DIR:-}" ]; then
    BIN="$LONGHAUL_BENCH_BIN_DIR/longhaul"
    BENCH="$LONGHAUL_BENCH_BIN_DIR/longhaul-bench"
    return
  fi
  swift build -c release --product longhaul >&2
  swift build -c release --product longhaul-bench >&2
  local bin_path
  bin_path=$(swift build -c release --show-bin-path)
  BIN="$bin_path/longhaul"
  BENCH="$bin_path/longhaul-bench"
}

bench_setup() {
  local name=$1
  bindir=""
  for candidate in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/psql" ] && [ -x "$candidate/pgbench" ]; then bindir=$candidate; fi
  done
  [ -n "$bindir" ] || { echo "bench/$name: psql and pgbench not found; run scripts/setup" >&2; exit 1; }

  bench_build
  bench_scratch "$name"
}

# WORK (a temp folder) and URL (a throwaway PostgreSQL in it), both removed on exit.
bench_scratch() {
  WORK=$(mktemp -d "/tmp/longhaul-bench-$1.XXXXXX")
  chmod 0755 "$WORK"
  SIM_PID="" WORKER_PID=""
  trap bench_cleanup EXIT
  # STATEMENTS=1: load pg_stat_statements (bench_pipeline then prints statements per job); off by
  # default, as its bookkeeping costs the server a little CPU per statement.
  if [ -n "${STATEMENTS:-}" ]; then export TEST_DATABASE_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on"; fi
  URL=$(scripts/test-database start "$WORK/pg")
  if [ -n "${STATEMENTS:-}" ]; then sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null; fi
}

bench_cleanup() {
  for pid in $WORKER_PID $SIM_PID; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  scripts/test-database stop "$WORK/pg"
  rm -rf "$WORK"
}

# sql "STATEMENT" [DATABASE]: the database is `postgres` (the one URL names) unless given.
sql() { "$bindir/psql" -X -q -A -t -h "$WORK/pg" -U postgres "${2:-postgres}" -c "$1"; }

# The first http://127.0.0.1:PORT a process printed to LOG after "listening on " (a server we
# started, or with no prefix the simulator's address), waiting up to 10 s; fails with the log.
started_url() {
  local log=$1 prefix=${2:-} found=""
  for _ in $(seq 100); do
    found=$(grep -o "${prefix}http://127.0.0.1:[0-9]*" "$log" 2>/dev/null | head -1 || true)
    [ -n "$found" ] && break
    sleep 0.1
  done
  [ -n "$found" ] || { echo "bench: no address in $log:" >&2; cat "$log" >&2; return 1; }
  echo "${found#"$prefix"}"
}

# CPU seconds (user + system) of a process; for the server, the postmaster plus every child,
# living or reaped (a backend that exited is counted in the postmaster's cutime/cstime).
ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Read again if the postmaster reaped a child while we summed: that child is then in neither the
# first reading nor the list. Read just after `longhaul work` exits, while its backends do, the
# single pass once lost 8.3 of 9.7 s (a 5,000-job bench/pipeline.sh: 137 ticks, 970 a moment later).
server_ticks() {
  local pm total before _
  pm=$(head -1 "$WORK/pg/data/postmaster.pid")
  for _ in $(seq 20); do
    before=$(ticks "$pm")
    # One awk for the postmaster and every child (one per child took seconds under load); a child
    # that exited between the listing and the read is skipped here and counted in the postmaster.
    # shellcheck disable=SC2046
    total=$(awk '{t += $14 + $15 + $16 + $17} END {print t + 0}' "/proc/$pm/stat" \
      $(sed 's|[0-9][0-9]*|/proc/&/stat|g' "/proc/$pm/task/$pm/children" 2>/dev/null) 2>/dev/null)
    [ "$(ticks "$pm")" = "$before" ] && break
  done
  echo "$total"
}
HZ=$(getconf CLK_TCK)

# The burn-down of bench/pipeline.sh (its header says what and why) on the server bench_setup made.
# Worker tuning from the environment: FIRST_POLL (s, default 0), MIN_POLL (s, default 1),
# EXTRA_WORK_ARGS (more `longhaul work` options). PERF=FILE records the whole machine's profile
# over the burn-down (`perf record -a -g`; read it with `perf report -i FILE --sort comm,dso`).
bench_pipeline() {
  local jobs=$1 concurrency=$2
  FIRST_POLL=${FIRST_POLL:-0}
  MIN_POLL=${MIN_POLL:-1}
  EXTRA_WORK_ARGS=${EXTRA_WORK_ARGS:-}

  "$BIN" sim --host 127.0.0.1 --port 0 --zero-latency >"$WORK/sim.log" 2>&1 &
  SIM_PID=$!
  SIM_URL=$(started_url "$WORK/sim.log")

  echo "== enqueue $jobs jobs"
  "$BENCH" pipeline enqueue --database-url "$URL" --jobs "$jobs"
  # A SQL file to try a change to the schema or a function against the same binaries.
  if [ -n "${PIPELINE_SQL:-}" ]; then sql "$(cat "$PIPELINE_SQL")" >/dev/null; fi
  sql "VACUUM ANALYZE" >/dev/null
  sql "CHECKPOINT" >/dev/null

  COMMITS_BEFORE=$(sql "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
  read -r WAL_RECORDS_BEFORE WAL_BYTES_BEFORE WAL_FPI_BEFORE <<<"$(sql "SELECT wal_records, wal_bytes, wal_fpi FROM pg_stat_wal" | tr '|' ' ')"
  if [ -n "${STATEMENTS:-}" ]; then sql "SELECT pg_stat_statements_reset()" >/dev/null; fi
  UPDATES_BEFORE=$(table_updates)
  INDEX_SCANS_BEFORE=$(index_scans)
  SIM_TICKS_BEFORE=$(ticks "$SIM_PID")
  SERVER_TICKS_BEFORE=$(server_ticks)
  echo "== longhaul work --concurrency $concurrency --first-poll $FIRST_POLL --min-poll-interval $MIN_POLL $EXTRA_WORK_ARGS"
  START=$(date +%s.%N)
  # shellcheck disable=SC2086
  OPENAI_BASE_URL="$SIM_URL/v1" OPENAI_API_KEY=bench DATABASE_URL="$URL" LONGHAUL_AUTO_MIGRATE=0 \
    "$BIN" work --log-level warning --concurrency "$concurrency" --first-poll "$FIRST_POLL" --min-poll-interval "$MIN_POLL" \
    --roles "${ROLES:-submit,poll,maintain,coordinate}" $EXTRA_WORK_ARGS >"$WORK/worker.log" 2>&1 &
  WORKER_PID=$!
  if [ -n "${PERF:-}" ]; then perf record -a -g -o "$PERF" >/dev/null 2>&1 & PERF_PID=$!; fi
  WAITER=$("$BENCH" pipeline wait --database-url "$URL" --interval-ms 100)
  if [ -n "${PERF:-}" ]; then kill -INT "$PERF_PID"; wait "$PERF_PID" || true; fi
  WORKER_HWM=$(awk '/^VmHWM/ {print $2}' "/proc/$WORKER_PID/status")
  WORKER_TICKS=$(ticks "$WORKER_PID")
  kill -TERM "$WORKER_PID"; wait "$WORKER_PID" || true; WORKER_PID=""
  SIM_TICKS=$(( $(ticks "$SIM_PID") - SIM_TICKS_BEFORE ))
  SERVER_TICKS=$(( $(server_ticks) - SERVER_TICKS_BEFORE ))
  sleep 1  # let the server publish the last backends' statistics
  COMMITS_AFTER=$(sql "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
  read -r WAL_RECORDS WAL_BYTES WAL_FPI <<<"$(sql "SELECT wal_records - $WAL_RECORDS_BEFORE, wal_bytes - $WAL_BYTES_BEFORE, wal_fpi - $WAL_FPI_BEFORE FROM pg_stat_wal" | tr '|' ' ')"
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
  echo "WAL:              $(awk -v b="$WAL_BYTES" -v r="$WAL_RECORDS" -v n="$DONE" -v f="$WAL_FPI" 'BEGIN{printf "%d bytes, %.1f records, %.2f full-page images per job", b / n, r / n, f / n}') (the whole server, the waiter's reads included)"
  echo "row updates:      $(hot_updates "$UPDATES_BEFORE" "$DONE") (HOT: rewritten on their page, no index entry)"
  echo "unread indexes:   $(unread_indexes "$INDEX_SCANS_BEFORE") (written by every non-HOT update of their rows, never scanned during the run)"
  if [ -n "${STATEMENTS:-}" ]; then
    echo "statements:       $(sql "SELECT round(sum(calls) / $DONE, 2) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat%'") per job; the most frequent (calls per job, plans per call, WAL bytes per job, execution µs per job, planning µs per job):"
    sql "SELECT round(calls::numeric / $DONE, 3) || ' | ' || round(plans::numeric / greatest(calls, 1), 2) || ' | ' || round(wal_bytes / $DONE) || ' | ' || round((total_exec_time * 1000 / $DONE)::numeric) || ' | ' || round((total_plan_time * 1000 / $DONE)::numeric) || ' | ' || left(regexp_replace(query, '\s+', ' ', 'g'), 100)
         FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat%' ORDER BY calls DESC LIMIT 14" | sed 's/^/                  /'
  fi
  echo "CPU seconds:      worker $(awk -v t="$WORKER_TICKS" -v h="$HZ" 'BEGIN{printf "%.1f", t / h}'), simulator $(awk -v t="$SIM_TICKS" -v h="$HZ" 'BEGIN{printf "%.1f", t / h}'), postgres $(awk -v t="$SERVER_TICKS" -v h="$HZ" 'BEGIN{printf "%.1f", t / h}') of $(awk -v s="$WALL" 'BEGIN{printf "%.1f", 2 * s}') available (2 cores)"
  awk -v w="$WORKER_TICKS" -v s="$SIM_TICKS" -v p="$SERVER_TICKS" -v h="$HZ" -v n="$DONE" 'BEGIN {
    wu = w / h / n * 1e6; su = s / h / n * 1e6; pu = p / h / n * 1e6
    printf "CPU per job:      worker %d µs, postgres %d µs, simulator %d µs; 2 cores / (worker + postgres) = %d jobs/s if the\n", wu, pu, su, 2e6 / (wu + pu)
    printf "                  simulator (Mantle) had its own CPU (arithmetic, not measured)\n" }'
  echo "worker peak RSS:  $((WORKER_HWM / 1024)) MiB"
  echo "load average:     $(cut -d' ' -f1-3 /proc/loadavg) (other processes on this machine take CPU too)"

  kill -TERM "$SIM_PID"; wait "$SIM_PID" 2>/dev/null || true; SIM_PID=""
}

# Each table's updates so far, all and HOT (heap-only: the new version stays on its page and no
# index gets an entry), one "table all hot" line per table.
table_updates() { sql "SELECT relname || ' ' || n_tup_upd || ' ' || n_tup_hot_upd FROM pg_stat_user_tables ORDER BY relname"; }

index_scans() { sql "SELECT relname || ' ' || indexrelname || ' ' || idx_scan FROM pg_stat_user_indexes WHERE relname IN ('jobs', 'deliveries', 'attempts', 'results') ORDER BY 1"; }

# unread_indexes BEFORE: the indexes of the hot tables that no query scanned since BEFORE (index_scans).
unread_indexes() {
  { echo "$1" | sed 's/^/before /'; index_scans | sed 's/^/after /'; } | awk '
    $1 == "before" { scans[$2 "." $3] = $4; next }
    $4 == scans[$2 "." $3] { print $2 "." $3 }' | paste -sd' ' | sed 's/ /, /g'
}

# hot_updates BEFORE JOBS: per table updated since BEFORE (table_updates), updates per job and the
# HOT share, the most updated first.
hot_updates() {
  { echo "$1" | sed 's/^/before /'; table_updates | sed 's/^/after /'; } | awk -v n="$2" '
    $1 == "before" { all[$2] = $3; hot[$2] = $4; next }
    $3 - all[$2] > 0 { printf "%d %s %.2f/job %d%% HOT\n", $3 - all[$2], $2, ($3 - all[$2]) / n, 100 * ($4 - hot[$2]) / ($3 - all[$2]) }' |
    sort -rn | cut -d' ' -f2- | paste -sd';' | sed 's/;/; /g'
}

# CPU ticks of this shell's reaped children (cutime + cstime): read before and after a command
# substitution, the difference is that command's CPU (its subshell's is a tick at most).
reaped_ticks() { awk '{print $16 + $17}' "/proc/$$/stat"; }

# The machine's yardstick on the same server: pgbench's simple-update mix, durable, 8 clients.
# Sets PGBENCH_TPS, and PGBENCH_SERVER_TICKS / PGBENCH_CLIENT_TICKS (the server's and pgbench's
# CPU during the timed run, not the `-i`).
bench_pgbench() {
  local output server_before client_before
  echo "== pgbench -N -c 8 -j 2 -T 10 (same server)"
  "$bindir/pgbench" -i -q -h "$WORK/pg" -U postgres postgres >/dev/null 2>&1
  server_before=$(server_ticks)
  client_before=$(reaped_ticks)
  output=$("$bindir/pgbench" -N -c 8 -j 2 -T 10 -h "$WORK/pg" -U postgres postgres 2>/dev/null)
  PGBENCH_CLIENT_TICKS=$(( $(reaped_ticks) - client_before ))
  PGBENCH_SERVER_TICKS=$(( $(server_ticks) - server_before ))
  echo "$output" | grep -E "^tps|latency average"
  PGBENCH_TPS=$(echo "$output" | awk '/^tps/ {print int($3); exit}')
}
