#!/usr/bin/env bash
# Load test of `longhaul sim`: creates/s and retrieves/s at zero latency, then the simulator's
# resident memory with 10,000 Responses in flight. Loopback only; every load is bounded in time
# or count. Usage: bench/simulator.sh [seconds-per-load]   (default 10)
# LONGHAUL_BENCH_BIN_DIR=DIR runs DIR/longhaul instead of building.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
THREADS=2
CONNECTIONS=64

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
        URL="$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/sim.log" | head -1 || true)"
        [[ -n "$URL" ]] && return 0
        sleep 0.1
    done
    echo "the simulator did not start:" >&2; cat "$WORK/sim.log" >&2; exit 1
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$SIM_PID/status"; }
# CPU clock ticks (user + system) of the simulator: its µs per request do not depend on what else
# runs on the machine, as requests/s do (wrk and the simulator share its cores).
sim_ticks() { awk '{print $14 + $15}' "/proc/$SIM_PID/stat"; }
HZ=$(getconf CLK_TCK)
micros_each() { awk -v t="$1" -v n="$2" -v hz="$HZ" 'BEGIN { printf "%d", (n > 0 ? t * 1000000 / hz / n : 0) }'; }

DOCUMENT="The lighthouse stood on the northern cliff for two hundred years. Ships used the lighthouse to find the harbour in winter storms. The keeper lit the lamp every evening at sunset. In 1990 the lighthouse lamp was replaced by an automatic light. Tourists now visit the old lighthouse to see the harbour and the sea. A small museum beside the lighthouse tells the story of the keepers and their families. The museum opens every day in summer and on weekends in winter."
BODY="{\"model\":\"openai.gpt-oss-120b\",\"background\":true,\"store\":true,\"instructions\":\"Summarise the document in 3 sentences.\",\"max_output_tokens\":2000,\"metadata\":{\"job_id\":\"bench\",\"attempt\":\"1\"},\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"$DOCUMENT\"}]}]}"

cat >"$WORK/create.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-key"
-- With a limit set, each thread stops after its share of answered creates.
local limit = tonumber(os.getenv("CREATE_LIMIT") or "0")
local answered = 0
function response(status, headers, body)
    answered = answered + 1
    if limit > 0 and answered >= limit then wrk.thread:stop() end
end
LUA

requests_per_second() { awk '/Requests\/sec/ {print $2}'; }
non_2xx() { awk '/Non-2xx/ {print $4}'; }

echo "== zero latency: $THREADS threads, $CONNECTIONS connections, ${DURATION}s per load"
start_sim --zero-latency
RSS_IDLE=$(rss_kib)
TICKS=$(sim_ticks)
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$WORK/create.lua" "$URL/v1/responses" >"$WORK/create.out"
CREATE_TICKS=$(( $(sim_ticks) - TICKS ))
CREATES=$(requests_per_second <"$WORK/create.out")
ID=$(curl -s -X POST -H 'Authorization: Bearer bench-key' -H 'Content-Type: application/json' -d "$BODY" "$URL/v1/responses" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
TICKS=$(sim_ticks)
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -H 'Authorization: Bearer bench-key' "$URL/v1/responses/$ID" >"$WORK/retrieve.out"
RETRIEVE_TICKS=$(( $(sim_ticks) - TICKS ))
RETRIEVES=$(requests_per_second <"$WORK/retrieve.out")
RETRIEVED=$(awk '/requests in/ {print $1}' "$WORK/retrieve.out")
CREATED=$(curl -s "$URL/_simulator/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)["responsesCreated"])')
echo "creates:    $CREATES requests/s ($CREATED Responses created; non-2xx: $(non_2xx <"$WORK/create.out" || true)); simulator CPU $(micros_each "$CREATE_TICKS" "$((CREATED - 1))") µs each"
echo "retrieves:  $RETRIEVES requests/s (non-2xx: $(non_2xx <"$WORK/retrieve.out" || true)); simulator CPU $(micros_each "$RETRIEVE_TICKS" "$RETRIEVED") µs each"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other processes take CPU too: requests/s vary with it far more than µs each)"
stop_sim

echo "== 10,000 Responses in flight (each runs for an hour)"
start_sim --speed 1 --min-duration 3600 --max-duration 3600
RSS_BEFORE=$(rss_kib)
CREATE_LIMIT=$((10000 / THREADS)) wrk -t"$THREADS" -c"$THREADS" -d60s -s "$WORK/create.lua" "$URL/v1/responses" >"$WORK/fill.out"
IN_FLIGHT=$(curl -s "$URL/_simulator/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)["inFlightByProject"].get("default", 0))')
RSS_FULL=$(rss_kib)
RUNNING_ID=$(curl -s -X POST -H 'Authorization: Bearer bench-key' -H 'Content-Type: application/json' -d "$BODY" "$URL/v1/responses" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -H 'Authorization: Bearer bench-key' "$URL/v1/responses/$RUNNING_ID" >"$WORK/retrieve-busy.out"
echo "in flight:  $IN_FLIGHT Responses"
echo "RSS:        idle $((RSS_IDLE / 1024)) MiB (zero-latency run), $((RSS_BEFORE / 1024)) MiB before filling, $((RSS_FULL / 1024)) MiB with $IN_FLIGHT in flight ($(( (RSS_FULL - RSS_BEFORE) * 1024 / (IN_FLIGHT > 0 ? IN_FLIGHT : 1) )) bytes each)"
echo "retrieves of an in_progress Response with 10,000 in flight: $(requests_per_second <"$WORK/retrieve-busy.out") requests/s"
