#!/usr/bin/env bash
# A soak: IN_FLIGHT Responses kept in flight across WORKERS `longhaul work` processes on one
# PostgreSQL, for MINUTES of wall time. Each Response is a simulated RESPONSE_SECONDS (default
# 1200: 20 minutes) compressed SPEED-fold by the simulator, and the workers' poll schedule is
# compressed alike (first poll, shortest and longest interval ÷ SPEED), so a job is polled as
# often as it would be in real time and the machine sees SPEED × the real-time load. A feeder
# tops the queue up to IN_FLIGHT every 5 s as jobs end; the workers prune finished jobs after
# RETENTION (`longhaul work --retention`), so the tables should stay flat.
# Every SAMPLE seconds it prints: open jobs, running jobs whose poll is over 1 s overdue (the
# Pollers falling behind), jobs ended/s, polls/s (simulator retrieves; ÷ SPEED
# for the real-time rate), webhook deliveries not yet sent, PostgreSQL's and the simulator's
# CPU (% of one core), each worker's RSS and CPU, and per hot table its size and dead tuples;
# then a summary, first → last sample.
# Every ending writes its webhook outbox row, delivered to a small local receiver that answers 204
# (allowed by LONGHAUL_WEBHOOK_ALLOW_CIDRS=127.0.0.0/8), so deliveries end and are pruned too.
# A warm-up of WARM jobs (default 50) runs first, so the workers have learned how long the
# model's Responses take and poll near their expected end (`bench/polling.sh` measures both
# schedules); the soak's own clock starts after it.
# Usage: bench/soak.sh [in-flight] [minutes] [speed] [workers]   (defaults 100000 15 10 4)
# Environment: RESPONSE_SECONDS (1200), RETENTION (2m), SAMPLE (30), WARM (50), STREAMS (0: every
# Response polled; `longhaul work --max-streams`), LONGHAUL_BENCH_BIN_DIR (release binaries built
# elsewhere). On 2 shared cores keep IN_FLIGHT × SPEED within what one machine polls: see README,
# "How it scales out", for the run it reports.
set -euo pipefail
cd "$(dirname "$0")/.."
IN_FLIGHT=${1:-100000}
MINUTES=${2:-15}
SPEED=${3:-10}
WORKERS=${4:-4}
RESPONSE_SECONDS=${RESPONSE_SECONDS:-1200}
RETENTION=${RETENTION:-2m}
SAMPLE=${SAMPLE:-30}
WARM=${WARM:-50}
STREAMS=${STREAMS:-0}

. bench/lib.sh
bench_setup soak
bench_pgbench

# Every Response runs RESPONSE_SECONDS ± 2 % of simulated time, whatever its input's length.
echo '{"secondsPerThousandInputTokens": 0}' >"$WORK/sim.json"
"$BIN" sim --host 127.0.0.1 --port 0 --config "$WORK/sim.json" --speed "$SPEED" \
  --min-duration "$(awk -v s="$RESPONSE_SECONDS" 'BEGIN{print s * 0.98}')" \
  --max-duration "$(awk -v s="$RESPONSE_SECONDS" 'BEGIN{print s * 1.02}')" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
SIM_URL=$(started_url "$WORK/sim.log")
retrieves() {
  curl -s "$SIM_URL/_simulator/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requestsByRoute"].get("retrieveResponse", 0))'
}

# The webhook receiver: answers every POST with 204.
python3 -c '
import http.server, sys
class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
# A listen backlog of 5 (the socketserver default) refused connections from the 256 concurrent
# sends of the workers once the machine was loaded: deliveries then piled up pending, and the
# soak read that as the deliveries table growing.
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 1024
    daemon_threads = True
server = Server(("127.0.0.1", 0), Receiver)
print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()' >"$WORK/receiver.log" 2>&1 &
RECEIVER_PID=$!
RECEIVER_URL=$(started_url "$WORK/receiver.log" "listening on ")
export LONGHAUL_WEBHOOK_ALLOW_CIDRS=127.0.0.0/8

DATABASE_URL="$URL" "$BIN" migrate >/dev/null
scaled() { awk -v v="$1" -v s="$SPEED" 'BEGIN{v = v / s; if (v < 0.1) v = 0.1; printf "%.2f", v}'; }
WORK_ARGS=(--log-level warning --max-streams "$STREAMS" --retention "$RETENTION"
  --first-poll "$(scaled 1)" --min-poll-interval "$(scaled 1)" --max-poll-interval "$(scaled 30)")
echo "== $WORKERS × longhaul work ${WORK_ARGS[*]}"
WORKER_PID="$RECEIVER_PID"
for index in $(seq "$WORKERS"); do
  OPENAI_BASE_URL="$SIM_URL/v1" OPENAI_API_KEY=bench DATABASE_URL="$URL" LONGHAUL_AUTO_MIGRATE=0 \
    "$BIN" work "${WORK_ARGS[@]}" >"$WORK/worker-$index.log" 2>&1 &
  WORKER_PID="$WORKER_PID $!"
done
read -r -a WORKERS_PIDS <<<"${WORKER_PID#"$RECEIVER_PID"}"

NEXT=0  # the next document number: every job gets a distinct document
enqueue() {
  "$BENCH" pipeline enqueue --database-url "$URL" --jobs "$1" --first "$NEXT" --chunk 5000 \
    --max-in-flight "$((IN_FLIGHT + WARM))" >/dev/null
  NEXT=$((NEXT + $1))
  # The first call made the project and its endpoint: point it at the receiver.
  sql "UPDATE webhook_endpoints SET url = '$RECEIVER_URL/soak' WHERE url <> '$RECEIVER_URL/soak'" >/dev/null
}
open_jobs() { sql "SELECT count(*) FROM jobs WHERE state IN ('queued', 'submitting', 'running', 'waiting_for_children')"; }

if [ "$WARM" -gt 0 ]; then
  echo "== warm-up: $WARM Responses of ${RESPONSE_SECONDS} s at speed $SPEED, then 31 s for the workers to learn their length"
  enqueue "$WARM"
  "$BENCH" pipeline wait --database-url "$URL" --interval-ms 1000 --timeout 3600 >/dev/null
  sleep 31
fi

echo "== enqueue $IN_FLIGHT jobs, then keep $IN_FLIGHT in flight for $MINUTES min"
START=$(date +%s)
enqueue "$IN_FLIGHT"
echo "   enqueued in $(( $(date +%s) - START )) s"

TABLES="jobs attempts results deliveries delivery_attempts documents job_search"
table_figures() {
  # Per table: size in MiB (with indexes and TOAST) / dead tuples.
  sql "SELECT string_agg(round(pg_total_relation_size(relid) / 1048576.0) || '/' || n_dead_tup, ' ' ORDER BY array_position(
         string_to_array('$TABLES', ' '), relname::text))
       FROM pg_stat_user_tables WHERE relname::text = ANY(string_to_array('$TABLES', ' '))"
}
rss() { awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo 0; }

printf '%6s %7s %7s %7s %8s %7s %5s %5s' "t (s)" open overdue "ended/s" "polls/s" unsent "pg%" "sim%"
for index in $(seq "$WORKERS"); do printf ' %11s' "w$index MiB/%"; done
printf '  %s (MiB/dead tuples)\n' "$TABLES"

END=$((START + MINUTES * 60))
# The feeder: tops the queue up to IN_FLIGHT every 5 s, apart from the sampling (which can be slow
# on a loaded machine) so that the load stays what was asked.
( while [ "$(date +%s)" -lt "$END" ]; do
    open=$(open_jobs)
    if [ "$open" -lt "$IN_FLIGHT" ]; then enqueue $((IN_FLIGHT - open)); fi
    sleep 5
  done ) &
FEEDER_PID=$!
WORKER_PID="$WORKER_PID $FEEDER_PID"
LAST_SAMPLE=$START LAST_RETRIEVES=$(retrieves) LAST_SERVER=$(server_ticks) LAST_SIM=$(ticks "$SIM_PID")
declare -A LAST_WORKER
for pid in "${WORKERS_PIDS[@]}"; do LAST_WORKER[$pid]=$(ticks "$pid"); done
FIRST_LINE="" LINE="" PEAK_RSS=0 ENDED_TOTAL=0 POLLS_TOTAL=0 SERVER_TOTAL=0 SAMPLES=0
while [ "$(date +%s)" -lt "$END" ]; do
  sleep "$SAMPLE"
  for pid in "${WORKERS_PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "bench/soak: worker $pid exited:" >&2; tail -20 "$WORK"/worker-*.log >&2; exit 1; }
  done
  polls=$(retrieves) server=$(server_ticks) sim=$(ticks "$SIM_PID")
  now=$(date +%s)
  span=$((now - LAST_SAMPLE))
  open=$(open_jobs)
  overdue=$(sql "SELECT count(*) FROM jobs WHERE state = 'running' AND next_poll_at < now() - interval '1 second'")
  ended=$(sql "SELECT count(*) FROM jobs WHERE finished_at > now() - make_interval(secs => $span)")
  unsent=$(sql "SELECT count(*) FROM deliveries WHERE state = 'pending'")
  LINE=$(printf '%6d %7d %7d %7.0f %8.0f %7d %5.0f %5.0f' $((now - START)) "$open" "$overdue" "$(awk -v n="$ended" -v s="$span" 'BEGIN{print n / s}')" \
    "$(awk -v n=$((polls - LAST_RETRIEVES)) -v s="$span" 'BEGIN{print n / s}')" "$unsent" \
    "$(awk -v t=$((server - LAST_SERVER)) -v h="$HZ" -v s="$span" 'BEGIN{print 100 * t / h / s}')" \
    "$(awk -v t=$((sim - LAST_SIM)) -v h="$HZ" -v s="$span" 'BEGIN{print 100 * t / h / s}')")
  for pid in "${WORKERS_PIDS[@]}"; do
    worker=$(ticks "$pid") resident=$(rss "$pid")
    [ "$resident" -gt "$PEAK_RSS" ] && PEAK_RSS=$resident
    LINE="$LINE $(printf ' %6d/%3.0f' "$resident" "$(awk -v t=$((worker - LAST_WORKER[$pid])) -v h="$HZ" -v s="$span" 'BEGIN{print 100 * t / h / s}')")"
    LAST_WORKER[$pid]=$worker
  done
  LINE="$LINE  $(table_figures)"
  echo "$LINE"
  [ -z "$FIRST_LINE" ] && FIRST_LINE=$LINE
  ENDED_TOTAL=$((ENDED_TOTAL + ended)) POLLS_TOTAL=$((POLLS_TOTAL + polls - LAST_RETRIEVES))
  SERVER_TOTAL=$((SERVER_TOTAL + server - LAST_SERVER)) SAMPLES=$((SAMPLES + 1))
  LAST_SAMPLE=$now LAST_RETRIEVES=$polls LAST_SERVER=$server LAST_SIM=$sim
done
wait "$FEEDER_PID" 2>/dev/null || true

ELAPSED=$(( $(date +%s) - START ))
echo "== summary: $IN_FLIGHT in flight, $WORKERS workers, Responses of $RESPONSE_SECONDS s at speed $SPEED, $MINUTES min"
echo "first sample: $FIRST_LINE"
echo "last sample:  $LINE"
echo "jobs ended:   $ENDED_TOTAL ($(awk -v n="$ENDED_TOTAL" -v s="$ELAPSED" 'BEGIN{printf "%.0f", n / s}')/s; $(awk -v n="$ENDED_TOTAL" -v s="$ELAPSED" -v f="$SPEED" 'BEGIN{printf "%.1f", n / s / f}')/s in real time)"
echo "polls:        $POLLS_TOTAL → $(awk -v n="$POLLS_TOTAL" -v s="$ELAPSED" 'BEGIN{printf "%.0f", n / s}')/s here, $(awk -v n="$POLLS_TOTAL" -v s="$ELAPSED" -v f="$SPEED" 'BEGIN{printf "%.0f", n / s / f}')/s in real time; $(awk -v p="$POLLS_TOTAL" -v n="$ENDED_TOTAL" 'BEGIN{if (n > 0) printf "%.1f", p / n; else print "-"}') per ended job"
echo "PostgreSQL:   $(awk -v t="$SERVER_TOTAL" -v h="$HZ" -v s="$ELAPSED" 'BEGIN{printf "%.0f", 100 * t / h / s}') % of one core on average; $(awk -v t="$SERVER_TOTAL" -v h="$HZ" -v p="$POLLS_TOTAL" -v n="$ENDED_TOTAL" 'BEGIN{if (p + n > 0) printf "%.0f", t / h * 1e6 / (p + 10 * n)}') µs per poll if a job's ending costs 10 polls (arithmetic)"
echo "worker RSS:   peak $PEAK_RSS MiB of the sampled (goal ≤ 150)"
echo "database:     $(sql "SELECT pg_size_pretty(pg_database_size(current_database()))")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); pgbench -N on this server before the soak: $PGBENCH_TPS tps"
