#!/usr/bin/env bash
# Held streams at scale: N jobs whose models have no background mode (Claude on Mantle's Messages,
# Claude on bedrock-runtime, chat-only qwen — a third each), every stream held by one
# `longhaul work --stream-concurrency N` against `longhaul sim`, each stream taking SECONDS.
# Prints, sampled every second while the streams are held:
#   streams held         the simulator's generations in flight (peak)
#   worker CPU and RSS   CPU % of one core over the hold, peak RSS (VmHWM)
#   checkpoint writes    rows of `jobs` updated per second during the hold (the checkpoints every
#                        5 s plus the lease renewals every 10 s, each one statement for all),
#                        transactions per second, and the WAL they write per second and per stream
# Usage: bench/held-streams.sh [streams] [seconds-per-stream]     (defaults: 2000, 40)
# Builds release unless LONGHAUL_BENCH_BIN_DIR names a folder with `longhaul` and `longhaul-bench`
# (e.g. .build/debug: debug figures, as the output says).
set -euo pipefail
cd "$(dirname "$0")/.."
STREAMS=${1:-2000}
SECONDS_PER_STREAM=${2:-40}

. bench/lib.sh
bench_setup held-streams
BUILD=release
case "${LONGHAUL_BENCH_BIN_DIR:-}" in *debug*) BUILD=debug ;; esac

"$BIN" sim --host 127.0.0.1 --port 0 --speed 1 --min-duration "$SECONDS_PER_STREAM" --max-duration "$SECONDS_PER_STREAM" \
  >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
SIM_URL=$(started_url "$WORK/sim.log")

echo "== enqueue $STREAMS held-stream jobs ($BUILD build)"
PER_MODEL=$((STREAMS / 3))
for model in anthropic.claude-opus-4-7 us.anthropic.claude-sonnet-4-6 qwen.qwen3-32b; do
  count=$PER_MODEL
  [ "$model" = qwen.qwen3-32b ] && count=$((STREAMS - 2 * PER_MODEL))
  "$BENCH" pipeline enqueue --database-url "$URL" --jobs "$count" --max-in-flight "$STREAMS" --model "$model"
done
sql "VACUUM ANALYZE" >/dev/null

counter() { curl -s "$SIM_URL/_simulator/counters" | python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
updates() { sql "SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'jobs'"; }
commits() { sql "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"; }
wal() { sql "SELECT pg_current_wal_lsn() - '0/0'"; }

echo "== longhaul work --stream-concurrency $STREAMS"
OPENAI_BASE_URL="$SIM_URL/v1" OPENAI_API_KEY=bench DATABASE_URL="$URL" LONGHAUL_AUTO_MIGRATE=0 \
  "$BIN" work --log-level warning --stream-concurrency "$STREAMS" >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!

# The hold: from the first second with (nearly) every stream held until the first finishes.
PEAK=0 HOLD_START="" T0="" U0="" C0="" TICKS0="" HOLD_END=""
for _ in $(seq $((SECONDS_PER_STREAM * 6 + 120))); do
  sleep 1
  held=$(counter '["generationsInFlight"]')
  [ "$held" -gt "$PEAK" ] && PEAK=$held
  done_streams=$(counter '["generationsCompleted"]' | python3 -c 'import sys, ast; print(sum(ast.literal_eval(sys.stdin.read()).values()))')
  if [ -z "$HOLD_START" ] && [ "$held" -ge $((STREAMS * 95 / 100)) ]; then
    HOLD_START=$held T0=$(date +%s.%N) U0=$(updates) C0=$(commits) W0=$(wal) TICKS0=$(ticks "$WORKER_PID")
  fi
  if [ -n "$HOLD_START" ] && [ -z "$HOLD_END" ] && [ "$done_streams" -gt 0 ]; then
    T1=$(date +%s.%N) U1=$(updates) C1=$(commits) W1=$(wal) TICKS1=$(ticks "$WORKER_PID") HOLD_END=$held
  fi
  unfinished=$(sql "SELECT count(*) FROM jobs WHERE finished_at IS NULL")
  [ "$unfinished" -eq 0 ] && break
done
HWM=$(awk '/^VmHWM/ {print $2}' "/proc/$WORKER_PID/status")
kill -TERM "$WORKER_PID"; wait "$WORKER_PID" || true; WORKER_PID=""

read -r DONE COMPLETED SPAN <<<"$(sql "
  SELECT count(*), count(*) FILTER (WHERE state = 'completed'), extract(epoch FROM max(finished_at) - min(submitted_at)) FROM jobs" | tr '|' ' ')"
echo "jobs:               $DONE ($COMPLETED completed) in $(printf '%.1f' "$SPAN") s; streams of $SECONDS_PER_STREAM s each"
echo "streams held:       peak $PEAK of $STREAMS"
if [ -n "$HOLD_START" ] && [ -n "$HOLD_END" ]; then
  SPAN_HOLD=$(awk -v a="$T0" -v b="$T1" 'BEGIN{printf "%.1f", b - a}')
  echo "hold measured:      ${SPAN_HOLD} s with $HOLD_START → $HOLD_END streams held"
  echo "worker CPU:         $(awk -v t=$((TICKS1 - TICKS0)) -v h="$HZ" -v s="$SPAN_HOLD" 'BEGIN{printf "%.1f", 100 * t / h / s}') % of one core"
  echo "checkpoint writes:  $(awk -v u=$((U1 - U0)) -v s="$SPAN_HOLD" 'BEGIN{printf "%.0f", u / s}') job rows updated/s, $(awk -v c=$((C1 - C0)) -v s="$SPAN_HOLD" 'BEGIN{printf "%.1f", c / s}') transactions/s"
  echo "checkpoint WAL:     $(awk -v w0="$W0" -v w1="$W1" -v s="$SPAN_HOLD" -v n="$HOLD_START" \
    'BEGIN{w = w1 - w0; printf "%.2f MB/s, %.0f B per held stream per second", w / s / 1e6, w / s / n}')"
else
  echo "hold measured:      never reached 95 % of $STREAMS streams held at once (peak $PEAK)"
fi
echo "worker RSS:         peak $((HWM / 1024)) MiB ($BUILD build)"
echo "load average:       $(cut -d' ' -f1-3 /proc/loadavg) (other processes on this machine take CPU too)"
