#!/usr/bin/env bash
# What `longhaul sim --zero-latency` costs per request, the figure behind its share of
# bench/pipeline.sh (one create and ~0.83 retrieves a job; the simulator took ~88 µs of CPU a job
# there, a fifth of the 2-core machine the worker and PostgreSQL also need):
#   1. POST /v1/responses with the body the worker sends (MantleGateway.createRequest written as
#      ResponseCreateRequest+JSONBytes does: keys sorted, string input, the default instructions,
#      metadata with the job id and attempt; the document of `longhaul-bench pipeline`), background;
#   2. GET /v1/responses/{id} of a finished Response;
#   3. GET /v1/responses/{unknown id}, a 404: the HTTP server and the route alone, the floor under
#      the other two (what a create costs beyond it is the simulator's own work).
# At zero latency with no faults, all three are answered by ResponsesFastLane on NIO's event loop,
# not by Hummingbird's router: what the worker's calls cost, not what the router's would.
# Each for DURATION seconds from wrk. The simulator's CPU per request comes from its clock ticks in
# /proc over the load: it does not move with what else runs on the machine, as requests/s do (wrk
# and the simulator share the cores). Then, unless SKIP_IN_FLIGHT=1 (bench/compare.sh sets it),
# the resident memory with 10,000 Responses in flight and retrieves of one of them.
# Usage: bench/simulator.sh [seconds-per-load=10]
# LONGHAUL_BENCH_BIN_DIR=DIR runs DIR/longhaul instead of building.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
# One wrk thread and 32 connections leave the simulator most of a core: 32 requests in flight keep
# its event loop busy, and a second wrk thread only took CPU from it.
THREADS=1
CONNECTIONS=32

if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package)" >&2
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi

# LONGHAUL_BENCH_BIN_DIR: use a release binary built elsewhere (a copy of main's, for a before figure).
if [[ -n "${LONGHAUL_BENCH_BIN_DIR:-}" ]]; then
    BIN="$LONGHAUL_BENCH_BIN_DIR/longhaul"
else
    swift build -c release --product longhaul >&2
    BIN="$(swift build -c release --show-bin-path)/longhaul"
fi
WORK="$(mktemp -d)"
SIM_PID=""
stop_sim() {
    if [[ -n "$SIM_PID" ]]; then kill -INT "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi
    SIM_PID=""
}
trap 'stop_sim; rm -rf "$WORK"' EXIT

# Starts the simulator with the given options; sets SIM_PID and URL.
start_sim() {
    "$BIN" sim --host 127.0.0.1 --port 0 "$@" >"$WORK/sim.log" 2>&1 &
    SIM_PID=$!
    for _ in $(seq 100); do
        URL="$(grep -so 'http://127.0.0.1:[0-9]*' "$WORK/sim.log" | head -1 || true)"
        [[ -n "$URL" ]] && return 0
        sleep 0.1
    done
    echo "the simulator did not start:" >&2; cat "$WORK/sim.log" >&2; exit 1
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$SIM_PID/status"; }
sim_ticks() { awk '{print $14 + $15}' "/proc/$SIM_PID/stat"; }
HZ=$(getconf CLK_TCK)
micros_each() { awk -v t="$1" -v n="$2" -v hz="$HZ" 'BEGIN { printf "%d", (n > 0 ? t * 1000000 / hz / n : 0) }'; }

# The worker's create body for job 12345 of `longhaul-bench pipeline enqueue` (2 attempts' worth
# of metadata as MantleGateway adds it), keys sorted as JSONEncoder's .sortedKeys wrote them.
python3 - "$WORK" <<'PY'
import json, sys
document = ("Report 12345. The lighthouse stood on the northern cliff for two hundred years. Ships used it to "
            "find the harbour in winter storms. The keeper lit the lamp every evening at sunset. In 1990 the lamp "
            "was replaced by an automatic light. Tourists now visit the old lighthouse to see the harbour and the sea.")
body = {"background": True, "input": document,
        "instructions": "Summarise the document in a few short paragraphs. Keep names, figures and dates exact.",
        "max_output_tokens": 200,
        "metadata": {"bench": "12345", "longhaul_attempt": "1", "longhaul_job_id": "job_01KBR6Q8Y3M6TWF0ZC2N4XJ5PD"},
        "model": "openai.gpt-oss-120b", "store": True}
text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
open(f"{sys.argv[1]}/create.json", "w").write(text)
lua = f"""wrk.method = "POST"
wrk.body = {json.dumps(text)}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-key"
-- With a limit set, each thread stops after its share of answered creates.
local limit = tonumber(os.getenv("CREATE_LIMIT") or "0")
local answered = 0
function response(status, headers, body)
    answered = answered + 1
    if limit > 0 and answered >= limit then wrk.thread:stop() end
end
"""
open(f"{sys.argv[1]}/create.lua", "w").write(lua)
PY

requests_per_second() { awk '/Requests\/sec/ {printf "%d", $2}' "$1"; }
requests() { awk '/requests in/ {print $1}' "$1"; }
non_2xx() { awk '/Non-2xx/ {print $5}' "$1"; }
create_one() {
    curl -s -X POST -H 'Authorization: Bearer bench-key' -H 'Content-Type: application/json' --data-binary "@$WORK/create.json" "$URL/v1/responses" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
# measure NAME WRK-ARGS…: runs wrk for DURATION and sets NAME_TICKS (the simulator's) and NAME_OUT.
measure() {
    local name=$1 before; shift
    before=$(sim_ticks)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "$@" >"$WORK/$name.out"
    printf -v "${name}_TICKS" '%s' $(( $(sim_ticks) - before ))
}

echo "== zero latency: wrk $THREADS thread, $CONNECTIONS connections, ${DURATION}s per load; create body $(wc -c <"$WORK/create.json") bytes"
start_sim --zero-latency
RSS_IDLE=$(rss_kib)
measure create -s "$WORK/create.lua" "$URL/v1/responses"
CREATED=$(curl -s "$URL/_simulator/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)["responsesCreated"])')
ID=$(create_one)
measure retrieve -H 'Authorization: Bearer bench-key' "$URL/v1/responses/$ID"
measure missing -H 'Authorization: Bearer bench-key' "$URL/v1/responses/resp_0000000000000000000000000000000000000000000000000"
# Every create and retrieve must have been a 200, every unknown id a 404 (wrk counts it as Non-2xx).
for name in create retrieve; do
    if [[ -n "$(non_2xx "$WORK/$name.out")" ]]; then echo "bench/simulator: not every $name was a 2xx:" >&2; cat "$WORK/$name.out" >&2; exit 1; fi
done
[[ "$(non_2xx "$WORK/missing.out")" == "$(requests "$WORK/missing.out")" ]] || { echo "bench/simulator: not every unknown id was a 404" >&2; exit 1; }
echo "create:     $(requests_per_second "$WORK/create.out") requests/s ($CREATED Responses created); simulator CPU $(micros_each "$create_TICKS" "$CREATED") µs each"
echo "retrieve:   $(requests_per_second "$WORK/retrieve.out") requests/s; simulator CPU $(micros_each "$retrieve_TICKS" "$(requests "$WORK/retrieve.out")") µs each"
echo "404:        $(requests_per_second "$WORK/missing.out") requests/s; simulator CPU $(micros_each "$missing_TICKS" "$(requests "$WORK/missing.out")") µs each (HTTP and routing alone)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other processes take CPU too: requests/s vary with it far more than µs each)"
stop_sim
[[ "${SKIP_IN_FLIGHT:-}" == 1 ]] && exit 0

echo "== 10,000 Responses in flight (each runs for an hour)"
start_sim --speed 1 --min-duration 3600 --max-duration 3600
RSS_BEFORE=$(rss_kib)
CREATE_LIMIT=$((10000 / THREADS)) wrk -t"$THREADS" -c"$THREADS" -d60s -s "$WORK/create.lua" "$URL/v1/responses" >"$WORK/fill.out"
IN_FLIGHT=$(curl -s "$URL/_simulator/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)["inFlightByProject"].get("default", 0))')
RSS_FULL=$(rss_kib)
RUNNING_ID=$(create_one)
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -H 'Authorization: Bearer bench-key' "$URL/v1/responses/$RUNNING_ID" >"$WORK/retrieve-busy.out"
echo "in flight:  $IN_FLIGHT Responses"
echo "RSS:        idle $((RSS_IDLE / 1024)) MiB (zero-latency run), $((RSS_BEFORE / 1024)) MiB before filling, $((RSS_FULL / 1024)) MiB with $IN_FLIGHT in flight ($(( (RSS_FULL - RSS_BEFORE) * 1024 / (IN_FLIGHT > 0 ? IN_FLIGHT : 1) )) bytes each)"
echo "retrieves of an in_progress Response with 10,000 in flight: $(requests_per_second "$WORK/retrieve-busy.out") requests/s"
