#!/usr/bin/env bash
# Webhook delivery figures against a local receiver (in-process Hummingbird, answering 200):
#   throughput — a backlog of N deliveries drained by one Deliverer (signing, SSRF check, POST,
#                batched attempt log), in deliveries per second;
#   latency    — jobs ended one by one through the real finalize path; the delay from each job's
#                terminal commit to its webhook's arrival, p50 and p99.
# Usage: bench/webhooks.sh [deliveries] [jobs]
set -euo pipefail
cd "$(dirname "$0")/.."
deliveries=${1:-20000}
jobs=${2:-500}

. bench/lib.sh
bench_build

dbdir=$(mktemp -d /tmp/longhaul-bench-db.XXXXXX)
chmod 0755 "$dbdir"
trap 'scripts/test-database stop "$dbdir/pg"' EXIT
url=$(scripts/test-database start "$dbdir/pg")

echo "== longhaul-bench webhooks ($deliveries deliveries, $jobs jobs)"
"$BENCH" webhooks --database-url "$url" --deliveries "$deliveries" --jobs "$jobs"
