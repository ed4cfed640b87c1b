#!/usr/bin/env bash
# Polling cost of long Responses: 10,000 jobs whose simulated Responses each run exactly 60 s
# (speed 1, no length scaling), worked by `longhaul work` with its default settings. Prints:
#   polls per job        simulator retrieve calls / jobs
#   polls per second     retrieve calls / seconds from first submission to last finish
#   detection delay      p50/p99 from remote completion to the stored result (finished_at, the
#                        same transaction as the results row), two ways:
#                          - vs `completed_at` in the stored Response JSON (whole seconds, rounded
#                            up by the simulator: a lower bound, off by up to 1 s)
#                          - vs the create call's start + 60 s (millisecond clock; the Response
#                            starts a little later, so an upper bound by the create's latency)
#   worker memory        peak and final RSS of the `longhaul work` process
# MODE polled (default): `--max-streams 0`, every Response polled. A warm-up wave of WARM jobs
#   (default 50) runs first in the same project, so the worker has learned how long its model
#   takes (the expected-end schedule); only the jobs after it are measured.
# MODE streamed: `--max-streams JOBS`, every Response created with `stream: true` and held to its
#   terminal event; "retrieves per job" then counts resumes and fallback polls.
# MODE age: as polled without the warm-up: nothing is learned before the Responses end, so they are
#   polled by age alone, the schedule before the expected-end one.
# Then `longhaul-bench poll-schedule` walks simulated 20-minute Responses through the same schedule
# functions (simulated time; a real 20-minute run would take the hour this script must not).
# Usage: bench/polling.sh [jobs] [seconds-per-response] [polled|streamed|age]   (defaults: 10000, 60, polled)
# LONGHAUL_BENCH_BIN_DIR=.build/debug measures a debug build (say so with the figures). POLLING_SQL=FILE
# runs that SQL after the migrations (a schema change against the same binaries, as PIPELINE_SQL).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-10000}
DURATION=${2:-60}
MODE=${3:-polled}
case "$MODE" in
  polled) STREAMS=0; WARM=${WARM:-50} ;;
  streamed) STREAMS=$JOBS; WARM=0 ;;
  age) STREAMS=0; WARM=0 ;;
  *) echo "bench/polling.sh: mode must be polled, streamed or age (got $MODE)" >&2; exit 2 ;;
esac

. bench/lib.sh
bench_setup polling

# Every Response runs exactly DURATION seconds: no random spread, no extra time for long inputs.
echo '{"secondsPerThousandInputTokens": 0}' >"$WORK/sim.json"
"$BIN" sim --host 127.0.0.1 --port 0 --config "$WORK/sim.json" --speed 1 \
  --min-duration "$DURATION" --max-duration "$DURATION" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
SIM_URL=$(started_url "$WORK/sim.log")

retrieves() {
  curl -s "$SIM_URL/_simulator/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requestsByRoute"].get("retrieveResponse", 0))'
}

DATABASE_URL="$URL" "$BIN" migrate >/dev/null
if [ -n "${POLLING_SQL:-}" ]; then sql "$(cat "$POLLING_SQL")" >/dev/null; fi
if [ "$WARM" -gt 0 ]; then "$BENCH" pipeline enqueue --database-url "$URL" --jobs "$WARM" >/dev/null; fi
echo "== longhaul work (default settings, --max-streams $STREAMS; mode $MODE)"
OPENAI_BASE_URL="$SIM_URL/v1" OPENAI_API_KEY=bench DATABASE_URL="$URL" LONGHAUL_AUTO_MIGRATE=0 \
  "$BIN" work --log-level warning --max-streams "$STREAMS" >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!
if [ "$WARM" -gt 0 ]; then
  echo "== warm-up: $WARM jobs, then 31 s for the worker to relearn durations"
  "$BENCH" pipeline wait --database-url "$URL" --interval-ms 1000 --timeout 1800 >/dev/null
  sleep 31
fi
FIRST_ID=0
[ "$WARM" -gt 0 ] && FIRST_ID=$(sql "SELECT coalesce(max(id), 0) FROM jobs")
RETRIEVES_BEFORE=$(retrieves)
CREATES_BEFORE=$(curl -s "$SIM_URL/_simulator/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requestsByRoute"].get("createResponse", 0))')

UPDATES_BEFORE=$(table_updates)

echo "== enqueue $JOBS jobs (Responses of ${DURATION} s each)"
"$BENCH" pipeline enqueue --database-url "$URL" --jobs "$JOBS"
"$BENCH" pipeline wait --database-url "$URL" --interval-ms 1000 --timeout 1800 >"$WORK/wait.out" &
WAIT_PID=$!
PEAK_RSS=0
while kill -0 "$WAIT_PID" 2>/dev/null; do
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$WORKER_PID/status" 2>/dev/null || echo 0)
  [ "$rss" -gt "$PEAK_RSS" ] && PEAK_RSS=$rss
  sleep 1
done
wait "$WAIT_PID"
FINAL_RSS=$(awk '/^VmRSS/ {print $2}' "/proc/$WORKER_PID/status")
HWM=$(awk '/^VmHWM/ {print $2}' "/proc/$WORKER_PID/status")
kill -TERM "$WORKER_PID"; wait "$WORKER_PID" || true; WORKER_PID=""

COUNTERS=$(curl -s "$SIM_URL/_simulator/counters")
RETRIEVES=$(( $(echo "$COUNTERS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requestsByRoute"].get("retrieveResponse", 0))') - RETRIEVES_BEFORE ))
CREATES=$(( $(echo "$COUNTERS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requestsByRoute"].get("createResponse", 0))') - CREATES_BEFORE ))
read -r DONE COMPLETED SPAN SUBMIT_SPAN <<<"$(sql "
  SELECT count(*), count(*) FILTER (WHERE j.state = 'completed'),
         extract(epoch FROM max(j.finished_at) - min(j.submitted_at)),
         extract(epoch FROM max(j.submitted_at) - min(j.submitted_at))
  FROM jobs j JOIN projects p ON p.id = j.project_id WHERE p.slug = 'bench' AND j.id > $FIRST_ID" | tr '|' ' ')"
read -r P50_JSON P99_JSON MAX_JSON <<<"$(sql "
  SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::numeric, 2), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY d)::numeric, 2),
         round(max(d)::numeric, 2)
  FROM (SELECT extract(epoch FROM j.finished_at) - (r.response->>'completed_at')::float8 AS d
        FROM jobs j JOIN results r ON r.job_id = j.id WHERE j.state = 'completed' AND j.id > $FIRST_ID) s" | tr '|' ' ')"
read -r P50_START P99_START MAX_START <<<"$(sql "
  SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::numeric, 2), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY d)::numeric, 2),
         round(max(d)::numeric, 2)
  FROM (SELECT extract(epoch FROM j.finished_at - (a.started_at + make_interval(secs => $DURATION))) AS d
        FROM jobs j JOIN attempts a ON a.job_id = j.id AND a.attempt = j.attempt WHERE j.state = 'completed' AND j.id > $FIRST_ID) s" | tr '|' ' ')"

echo "jobs:               $DONE ($COMPLETED completed); creates $CREATES, retrieves $RETRIEVES"
echo "submission spread:  $(printf '%.1f' "$SUBMIT_SPAN") s from first to last create; whole run $(printf '%.1f' "$SPAN") s"
echo "retrieves per job:  $(awk -v r="$RETRIEVES" -v n="$DONE" 'BEGIN{printf "%.2f", r / n}')"
echo "polls per second:   $(awk -v r="$RETRIEVES" -v s="$SPAN" 'BEGIN{printf "%.0f", r / s}') (average over the run)"
echo "detection delay:    vs completed_at (whole s): p50 ${P50_JSON} s, p99 ${P99_JSON} s, max ${MAX_JSON} s"
echo "                    vs create start + ${DURATION} s:   p50 ${P50_START} s, p99 ${P99_START} s, max ${MAX_START} s"
echo "poll backlog:       $(grep 'peak overdue' "$WORK/wait.out" | cut -d: -f2-)"
echo "row updates:        $(hot_updates "$UPDATES_BEFORE" "$DONE") (the enqueue's and polls'; HOT: no index entry)"
echo "worker RSS:         peak $((HWM / 1024)) MiB (sampled peak $((PEAK_RSS / 1024)) MiB), at the end $((FINAL_RSS / 1024)) MiB"

if [ "$MODE" != streamed ]; then
  echo "== simulated 20-minute Responses (±2 %) through the same schedule functions"
  "$BENCH" poll-schedule --seconds 1200 --jitter 0.02 --learn 200
  "$BENCH" poll-schedule --seconds 1200 --jitter 0.02 --learn 0
fi
