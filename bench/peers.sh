#!/usr/bin/env bash
# Longhaul beside a peer queue, in one run on one throwaway PostgreSQL (issue 17, section 2):
#   1. PgQueuer 1.6.0 from PyPI, in its own venv (.build-peers/venv), in its own database on the
#      server: N no-op jobs enqueued, then drained by 5 consumers × dequeue batch 10 (the
#      defaults of PgQueuer's own benchmark tool), durable tables (PgQueuer's default)
#      — bench/peers/pgqueuer_drain.py
#   2. bench/pipeline.sh's burn-down of N jobs on the same server (`longhaul work --concurrency
#      256` through the zero-latency simulator: create + retrieve + stored result + outbox row)
#   3. `pgbench -N -c 8 -j 2 -T 10` on the same server, the machine's yardstick
# then one table: jobs/s of each, Longhaul ÷ PgQueuer, pgbench tps, and the CPU seconds of the
# server and of each client. PgQueuer comes first so that neither Longhaul's tables nor
# pgbench's have been written when it runs; each drain starts after VACUUM ANALYZE + CHECKPOINT.
# The comparison is not like for like, and is meant not to be: a PgQueuer job does nothing,
# a Longhaul job makes two HTTP calls and writes a result and an outbox row, and the simulator
# answering those calls shares the same 2 cores. Issue 17's goal is Longhaul ≥ 0.5× anyway.
# Usage: bench/peers.sh [jobs]      (default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-20000}
CONCURRENCY=256  # bench/pipeline.sh's default, the figure README's table quotes
PGQUEUER_VERSION=1.6.0
VENV=.build-peers/venv

if ! "$VENV/bin/python" -c "import sys, pgqueuer; sys.exit(pgqueuer.__version__ != '$PGQUEUER_VERSION')" 2>/dev/null; then
  echo "== installing pgqueuer[asyncpg]==$PGQUEUER_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "pgqueuer[asyncpg]==$PGQUEUER_VERSION"
fi

. bench/lib.sh
bench_setup peers
PEER_URL=${URL/\/postgres\?/\/pgqueuer?}  # the same server, database `pgqueuer`
sql "CREATE DATABASE pgqueuer" >/dev/null
peer_commits() { sql "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()" pgqueuer; }

echo "== PgQueuer $PGQUEUER_VERSION: enqueue $JOBS no-op jobs"
"$VENV/bin/python" bench/peers/pgqueuer_drain.py enqueue "$PEER_URL" "$JOBS"
sql "VACUUM ANALYZE" pgqueuer >/dev/null
sql "CHECKPOINT" >/dev/null
PEER_COMMITS_BEFORE=$(peer_commits)
PEER_SERVER_BEFORE=$(server_ticks)
echo "== PgQueuer $PGQUEUER_VERSION: drain"
PEER_OUT=$("$VENV/bin/python" bench/peers/pgqueuer_drain.py drain "$PEER_URL" "$JOBS")
PEER_SERVER_TICKS=$(( $(server_ticks) - PEER_SERVER_BEFORE ))
sleep 1  # let the server publish the last backends' statistics
PEER_COMMITS=$(( $(peer_commits) - PEER_COMMITS_BEFORE - 1 ))  # less the reading statement
echo "$PEER_OUT" | grep -v '^peer:'
read -r PEER_DONE PEER_WALL PEER_WINDOW PEER_CPU <<<"$(echo "$PEER_OUT" | sed -n 's/^peer: done=\(.*\) wall=\(.*\) window=\(.*\) cpu=\(.*\)$/\1 \2 \3 \4/p')"
echo "transactions:     $PEER_COMMITS commits → $(awk -v c="$PEER_COMMITS" -v n="$PEER_DONE" 'BEGIN{printf "%.3f", c / n}') per job (the consumers' start-up and the final count included)"
echo "CPU seconds:      postgres $(awk -v t="$PEER_SERVER_TICKS" -v h="$HZ" 'BEGIN{printf "%.1f", t / h}')"

echo "== Longhaul: bench/pipeline.sh $JOBS $CONCURRENCY on the same server"
bench_pipeline "$JOBS" "$CONCURRENCY"
bench_pgbench

echo
echo "== $JOBS jobs each, one server, durable commits (fsync, synchronous_commit on), 2 cores shared"
echo "   (load average $(cut -d' ' -f1-3 /proc/loadavg): other processes on this machine take CPU too)"
# The table in Python (bench/pipeline.sh needs python3 already) because mawk's printf pads by
# bytes, and "→", "µ" and "×" are more than one.
python3 - "$HZ" "$PGQUEUER_VERSION" "$CONCURRENCY" \
  "$PEER_DONE" "$PEER_WINDOW" "$PEER_WALL" "$PEER_SERVER_TICKS" "$PEER_CPU" "$PEER_COMMITS" \
  "$DONE" "$STEADY" "$WALL" "$SERVER_TICKS" "$WORKER_TICKS" "$SIM_TICKS" "$COMMITS" \
  "$PGBENCH_TPS" "$PGBENCH_SERVER_TICKS" "$PGBENCH_CLIENT_TICKS" <<'EOF'
import sys
hz, version, concurrency = int(sys.argv[1]), sys.argv[2], sys.argv[3]
pd, pwin, pwall, ps, pc, pt, ld, lwin, lwall, ls, lc, lsim, lt, tps, bs, bc = map(float, sys.argv[4:])
ps, ls, lc, lsim, bs, bc = (t / hz for t in (ps, ls, lc, lsim, bs, bc))  # pc is in seconds already
rows = [
    ("", "jobs/s", "start→end", "server s", "client s", "µs/job s+c", "tx/job"),
    (f"PgQueuer {version} no-op drain", f"{pd / pwin:,.0f}", f"{pd / pwall:,.0f}", f"{ps:.1f}", f"{pc:.1f}",
     f"{ps / pd * 1e6:.0f} + {pc / pd * 1e6:.0f}", f"{pt / pd:.3f}"),
    (f"Longhaul pipeline (c {concurrency})", f"{ld / lwin:,.0f}", f"{ld / lwall:,.0f}", f"{ls:.1f}", f"{lc:.1f}",
     f"{ls / ld * 1e6:.0f} + {lc / ld * 1e6:.0f}", f"{lt / ld:.3f}"),
    ("Longhaul ÷ PgQueuer", f"{(ld / lwin) / (pd / pwin):.2f}×", f"{(ld / lwall) / (pd / pwall):.2f}×"),
    ("pgbench -N -c 8 -j 2 -T 10", f"{tps:,.0f} tps", "", f"{bs:.1f}", f"{bc:.1f}"),
]
for row in rows:
    print((f"{row[0]:<28}" + "".join(f"{cell:>12}" for cell in row[1:])).rstrip())
print(f"""jobs/s: first dequeue (claim) → last completion, by the server's clock; start→end: from starting
the consumers (the worker) to the last completion. client s: PgQueuer's Python process (its 5
consumers), Longhaul's worker; the simulator answering Longhaul took another {lsim:.1f} s
({lsim / ld * 1e6:.0f} µs/job) of the 2 cores. server s: the postmaster and every backend, autovacuum
and checkpointer included.""")
# Two readings of the ratio, arithmetic rather than measured, for what the table alone hides. The
# simulator stands in for Mantle, which runs on AWS, not on these 2 cores; and a no-op drain commits
# every few jobs, so it moves with the disk's sync rate (as pgbench -N does), where Longhaul's
# pipeline, a commit every ~13 jobs, moves with the CPU.
alone = 2 / ((ls + lc) / ld)
print(f"""without the simulator's CPU: 2 cores / {(ls + lc) / ld * 1e6:.0f} µs a job (server + worker) = {alone:,.0f} jobs/s,
{alone / (pd / pwin):.2f}× PgQueuer (arithmetic, not measured: the simulator has no cores of its own here).
PgQueuer ÷ pgbench -N: {(pd / pwin) / tps:.2f} (a no-op drain goes at the disk's commit rate).""")
EOF
