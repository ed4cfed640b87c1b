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
# Usage: bench/polling.sh [jobs] [seconds-per-response]     (defaults: 10000, 60)
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-10000}
DURATION=${2:-60}

. bench/lib.sh
bench_setup polling

# Every Response runs exactly DURATION seconds: no random spread, no extra time for long inputs.
echo '{"secondsPerThousandInputTokens": 0}' >"$WORK/sim.json"
"$BIN" sim --host 127.0.0.1 --port 0 --config "$WORK/sim.json" --speed 1 \
  --min-duration "$DURATION" --max-duration "$DURATION" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
SIM_URL=$(started_url "$WORK/sim.log")

echo "== enqueue $JOBS jobs (Responses of ${DURATION} s each)"
"$BENCH" pipeline enqueue --database-url "$URL" --jobs "$JOBS"

echo "== longhaul work (default settings)"
OPENAI_BASE_URL="$SIM_URL/v1" OPENAI_API_KEY=bench DATABASE_URL="$URL" LONGHAUL_AUTO_MIGRATE=0 \
  "$BIN" work --log-level warning >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!
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
RETRIEVES=$(echo "$COUNTERS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requestsByRoute"].get("retrieveResponse", 0))')
CREATES=$(echo "$COUNTERS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requestsByRoute"].get("createResponse", 0))')
read -r DONE COMPLETED SPAN SUBMIT_SPAN <<<"$(sql "
  SELECT count(*), count(*) FILTER (WHERE j.state = 'completed'),
         extract(epoch FROM max(j.finished_at) - min(j.submitted_at)),
         extract(epoch FROM max(j.submitted_at) - min(j.submitted_at))
  FROM jobs j JOIN projects p ON p.id = j.project_id WHERE p.slug = 'bench'" | tr '|' ' ')"
read -r P50_JSON P99_JSON MAX_JSON <<<"$(sql "
  SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::numeric, 2), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY d)::numeric, 2),
         round(max(d)::numeric, 2)
  FROM (SELECT extract(epoch FROM j.finished_at) - (r.response->>'completed_at')::float8 AS d
        FROM jobs j JOIN results r ON r.job_id = j.id WHERE j.state = 'completed') s" | tr '|' ' ')"
read -r P50_START P99_START MAX_START <<<"$(sql "
  SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::numeric, 2), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY d)::numeric, 2),
         round(max(d)::numeric, 2)
  FROM (SELECT extract(epoch FROM j.finished_at - (a.started_at + make_interval(secs => $DURATION))) AS d
        FROM jobs j JOIN attempts a ON a.job_id = j.id AND a.attempt = j.attempt WHERE j.state = 'completed') s" | tr '|' ' ')"

echo "jobs:               $DONE ($COMPLETED completed); creates $CREATES, retrieves $RETRIEVES"
echo "submission spread:  $(printf '%.1f' "$SUBMIT_SPAN") s from first to last create; whole run $(printf '%.1f' "$SPAN") s"
echo "polls per job:      $(awk -v r="$RETRIEVES" -v n="$DONE" 'BEGIN{printf "%.2f", r / n}')"
echo "polls per second:   $(awk -v r="$RETRIEVES" -v s="$SPAN" 'BEGIN{printf "%.0f", r / s}') (average over the run)"
echo "detection delay:    vs completed_at (whole s): p50 ${P50_JSON} s, p99 ${P99_JSON} s, max ${MAX_JSON} s"
echo "                    vs create start + ${DURATION} s:   p50 ${P50_START} s, p99 ${P99_START} s, max ${MAX_START} s"
echo "poll backlog:       $(grep 'peak overdue' "$WORK/wait.out" | cut -d: -f2-)"
echo "worker RSS:         peak $((HWM / 1024)) MiB (sampled peak $((PEAK_RSS / 1024)) MiB), at the end $((FINAL_RSS / 1024)) MiB"
