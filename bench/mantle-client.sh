#!/usr/bin/env bash
# Mantle client throughput: creates and retrieves per second against a local simulator at zero
# latency (both on this machine, so the figure is the pair's, not the client's alone).
#   bench/mantle-client.sh [seconds] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10} concurrency=${2:-64}
. bench/lib.sh
bench_build
port=$((20000 + RANDOM % 20000))
"$BIN" sim --port "$port" --zero-latency >/tmp/longhaul-bench-sim.log 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/_simulator/counters" >/dev/null && break; sleep 0.1; done
echo "Mantle client against the simulator (zero latency), $concurrency concurrent, ${seconds}s per phase:"
"$BENCH" mantle --url "http://127.0.0.1:$port" --concurrency "$concurrency" --duration "$seconds"
echo "simulator RSS: $(ps -o rss= -p $sim | awk '{printf "%.0f MiB", $1/1024}')"
