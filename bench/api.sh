#!/usr/bin/env bash
# Figures for the REST API (issue 5), from the release binary against a throwaway PostgreSQL:
#   1. POST /v1/jobs with a 2 KB document, requests/s and latency p50/p99 at 64 connections, next
#      to GET /healthz on the same server in the same run (the ratio is what our own code costs
#      per request: auth, body checks, decoding, validation, the enqueue transaction, the read-back);
#      then the same POST with a unique Idempotency-Key on every request, then the first POST again
#      from wrk (bench/api-jobs.lua), whose own CPU takes less from the server's cores;
#   2. POST /v1/batches with 1,000 documents of 2 KB each per request, a few requests at once:
#      documents/s and request latency.
# `longhaul serve` runs with only the maintain loop (no submitter), so the queue only grows. Every document and every
# idempotency key is distinct ({{seq}} in the body file and header is replaced per request), so
# each request takes the insert path, never the duplicate (200) path.
# The load generator is `longhaul-bench http` (our HTTPClient, libcurl multi): it shares the two
# cores with the server and PostgreSQL, so the figures are lower bounds.
# Usage: bench/api.sh [seconds=10] [concurrency=64] [batch-concurrency=4] [batch-documents=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONCURRENCY=${2:-64}
BATCH_CONCURRENCY=${3:-4}
BATCH_DOCUMENTS=${4:-1000}

if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package)" >&2
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi

. bench/lib.sh
bench_setup api
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

DATABASE_URL="$URL" "$BIN" migrate >/dev/null 2>&1
TOKEN="bench-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

# A 2 KB document (JSON-escaped text of 2,048 bytes) starting with the per-request number; the
# batch's documents also carry their index, so the 1,000 in one request differ from each other.
python3 - "$WORK" "$BATCH_DOCUMENTS" <<'PY'
import json, random, sys
work, count = sys.argv[1], int(sys.argv[2])
random.seed(5)
words = "harbour lighthouse museum pier market station library bridge opened closed repaired visitors painted flooded extended".split()
def text(prefix):
    body = prefix
    while len(body) < 2048:
        body += " " + random.choice(words)
    return body[:2048]
with open(f"{work}/job.json", "w") as f:
    json.dump({"document": text("Report {{seq}}.")}, f)
with open(f"{work}/batch.json", "w") as f:
    json.dump({"name": "bench", "documents": [{"document": text(f"Report {{{{seq}}}}/{i}.")} for i in range(count)]}, f)
PY

# Serve, without workers; the admin token enqueues into the default project.
LONGHAUL_ADMIN_TOKEN="$TOKEN" DATABASE_URL="$URL" "$BIN" serve --port 0 --with-workers --roles maintain >"$WORK/serve.log" 2>&1 &
WORKER_PID=$!  # bench_cleanup stops it
API=$(started_url "$WORK/serve.log" "listening on ")

load() { "$BENCH" http --concurrency "$1" --duration "$2" "${@:3}"; }
post() {
    local concurrency=$1 duration=$2 path=$3 body=$4; shift 4
    load "$concurrency" "$duration" --url "$API$path" --method POST --body-file "$body" \
        --header "Authorization: Bearer $TOKEN" --header "Content-Type: application/json" "$@"
}
rate() { sed -n 's/^longhaul HTTPClient: \([0-9]*\) requests\/s.*/\1/p' <<<"$1"; }
ok() { sed -n 's/.*(\([0-9]*\) ok.*/\1/p' <<<"$1"; }
seconds() { sed -n 's/.* in \([0-9.]*\) s,.*/\1/p' <<<"$1"; }
p50() { sed -n 's/.*p50 \([0-9.]*\) ms.*/\1/p' <<<"$1"; }
p99() { sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' <<<"$1"; }
check() {  # every request must have been answered 202 (a new job or batch), nothing else
    local label=$1 output=$2
    if ! grep -q '^statuses: 202×[0-9]*$' <<<"$output"; then
        echo "bench/api: $label: not every request was a 202:" >&2; echo "$output" >&2; exit 1
    fi
}

echo "bench: warming up (2 s of each request)" >&2
load "$CONCURRENCY" 2 --url "$API/healthz" >/dev/null
post "$CONCURRENCY" 2 /v1/jobs "$WORK/job.json" >/dev/null
post "$BATCH_CONCURRENCY" 2 /v1/batches "$WORK/batch.json" >/dev/null
# Let one maintenance pass (every 5 s) see the warm-up's rows: PostgreSQL keeps a generic plan
# chosen while `documents` was empty (a hash join over a sequential scan of it), which would cost a
# scan of every stored document per enqueue until the table is analyzed. The maintainer ANALYZEs
# tables that grew (JobStore.analyzeGrowingTables), as it does in any deployment with workers.
sleep 6
JOBS_BEFORE=$(sql "SELECT count(*) FROM jobs")

echo "bench: GET /healthz, $CONCURRENCY connections, ${DURATION}s" >&2
HEALTH=$(load "$CONCURRENCY" "$DURATION" --url "$API/healthz"); echo "$HEALTH" >&2
echo "bench: POST /v1/jobs (2 KB document, no idempotency key), $CONCURRENCY connections, ${DURATION}s" >&2
if [ -n "${STATEMENTS:-}" ]; then sql "SELECT pg_stat_statements_reset()" >/dev/null; fi
# CPU of the server, of PostgreSQL and of the whole machine over this run, per request (below).
SERVE_TICKS=$(ticks "$WORKER_PID") PG_TICKS=$(server_ticks) MACHINE_TICKS=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat)
JOBS=$(post "$CONCURRENCY" "$DURATION" /v1/jobs "$WORK/job.json"); echo "$JOBS" >&2; check jobs "$JOBS"
SERVE_TICKS=$(( $(ticks "$WORKER_PID") - SERVE_TICKS )) PG_TICKS=$(( $(server_ticks) - PG_TICKS ))
MACHINE_TICKS=$(( $(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat) - MACHINE_TICKS ))
if [ -n "${STATEMENTS:-}" ]; then
    echo "bench: PostgreSQL statements during POST /v1/jobs (pg_stat_statements, by total time)" >&2
    sql "SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, rows,
                left(regexp_replace(query, '\s+', ' ', 'g'), 100)
         FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 10" >&2
fi
echo "bench: POST /v1/jobs (2 KB document, unique Idempotency-Key), $CONCURRENCY connections, ${DURATION}s" >&2
KEYED=$(post "$CONCURRENCY" "$DURATION" /v1/jobs "$WORK/job.json" --header "Idempotency-Key: bench-{{seq}}"); echo "$KEYED" >&2
check "jobs with keys" "$KEYED"
# The same POST from wrk, a load generator in C: ours (above) takes ~60 µs of the shared CPU a
# request, wrk ~20, so this is nearer what the server alone can answer on these cores.
echo "bench: POST /v1/jobs (2 KB document, no idempotency key) from wrk, $CONCURRENCY connections, ${DURATION}s" >&2
WRK_OUT=$(wrk -t1 -c"$CONCURRENCY" -d"${DURATION}s" --latency -s bench/api-jobs.lua \
    -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" "$API"); echo "$WRK_OUT" >&2
if grep -q "Non-2xx" <<<"$WRK_OUT"; then echo "bench/api: wrk: not every request was a 202" >&2; exit 1; fi
WRK_RATE=$(awk '/^Requests\/sec:/ {printf "%d", $2}' <<<"$WRK_OUT")
WRK_REQUESTS=$(awk '/requests in/ {print $1}' <<<"$WRK_OUT")
wrk_ms() { awk -v p="$1" '$1 == p {v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; printf "%.2f", v}' <<<"$WRK_OUT"; }
echo "bench: POST /v1/batches ($BATCH_DOCUMENTS × 2 KB documents), $BATCH_CONCURRENCY in flight, ${DURATION}s" >&2
BATCHES=$(post "$BATCH_CONCURRENCY" "$DURATION" /v1/batches "$WORK/batch.json"); echo "$BATCHES" >&2; check batches "$BATCHES"

JOBS_AFTER=$(sql "SELECT count(*) FROM jobs")
EXPECTED=$(( $(ok "$JOBS") + $(ok "$KEYED") + WRK_REQUESTS + $(ok "$BATCHES") * BATCH_DOCUMENTS ))
QUEUED=$(sql "SELECT count(*) FROM jobs WHERE state <> 'queued'")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

H=$(rate "$HEALTH") J=$(rate "$JOBS") K=$(rate "$KEYED")
B=$(python3 -c "print(round($(ok "$BATCHES") / $(seconds "$BATCHES"), 2))")
DOCS=$(python3 -c "print(round($(ok "$BATCHES") * $BATCH_DOCUMENTS / $(seconds "$BATCHES")))")
cat <<FIGURES

== REST API figures (release build, longhaul serve with only the maintain loop, PostgreSQL 15 fsync on; $(nproc) cores)
GET  /healthz                     $H requests/s, p50 $(p50 "$HEALTH") ms, p99 $(p99 "$HEALTH") ms ($CONCURRENCY connections)
POST /v1/jobs (2 KB)              $J requests/s, p50 $(p50 "$JOBS") ms, p99 $(p99 "$JOBS") ms ($CONCURRENCY connections)
POST /v1/jobs (2 KB, unique key)  $K requests/s, p50 $(p50 "$KEYED") ms, p99 $(p99 "$KEYED") ms ($CONCURRENCY connections)
POST /v1/jobs (2 KB, wrk)         $WRK_RATE requests/s, p50 $(wrk_ms 50%) ms, p99 $(wrk_ms 99%) ms ($CONCURRENCY connections, wrk: a leaner load generator)
ratio /healthz / POST /v1/jobs    $(python3 -c "print(f'{$H / max($J, 1):.1f}')")× (what a job costs beyond the HTTP stack)
CPU per POST /v1/jobs (2 KB)      $(python3 -c "
n = max($(ok "$JOBS"), 1); us = lambda t: round(t / $HZ / n * 1e6)
print(f'server {us($SERVE_TICKS)} µs, PostgreSQL {us($PG_TICKS)} µs, rest of the machine (load generator, others) {us($MACHINE_TICKS - $SERVE_TICKS - $PG_TICKS)} µs; machine busy {$MACHINE_TICKS / $HZ / $(nproc) / $(seconds "$JOBS") * 100:.0f} %')")
POST /v1/batches ($BATCH_DOCUMENTS × 2 KB)   $DOCS documents/s ($B requests/s; p50 $(p50 "$BATCHES") ms, p99 $(p99 "$BATCHES") ms per request, $BATCH_CONCURRENCY in flight)
statistics                        kept fresh by the maintainer (no manual ANALYZE)
jobs stored in the measured runs  $(( JOBS_AFTER - JOBS_BEFORE )) (expected $EXPECTED; $QUEUED not queued: no workers ran)
load average                      $LOAD_BEFORE before, $LOAD_AFTER after (other work on the machine counts against these figures)
FIGURES
