#!/usr/bin/env bash
# Before and after in one command: runs a bench with two sets of release binaries, alternating
# (A B A B …) so that whatever else the machine does falls on both, and prints each run and the
# median of each side. On 2 shared cores a single pair of runs can point the wrong way (a change
# measured +10 % on a loaded machine cost 20 % more PostgreSQL CPU on a quiet one), and the load
# drifts over minutes: alternation and medians are what make a before/after figure worth quoting.
#   bench/compare.sh pipeline RUNS DIR_A DIR_B [jobs] [concurrency]
#   bench/compare.sh api      RUNS DIR_A DIR_B [seconds] [connections]
#   bench/compare.sh simulator RUNS DIR_A DIR_B [seconds-per-load]
# DIR_A and DIR_B each hold `longhaul` and `longhaul-bench` (e.g. copies of .build/release from
# two commits; `simulator` needs only `longhaul`). Before each run the machine is watched for 2 s with nothing of ours running: a
# run that starts while other processes use more than a quarter of the CPU is marked `busy`, and
# the medians are given with and without those runs. (The load average cannot say this: it still
# holds the previous run's own load.)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 4 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
BENCH=$1 RUNS=$2 A=$3 B=$4
shift 4
for dir in "$A" "$B"; do
  [ -x "$dir/longhaul" ] && { [ "$BENCH" = simulator ] || [ -x "$dir/longhaul-bench" ]; } \
    || { echo "bench/compare: $dir has no longhaul and longhaul-bench" >&2; exit 2; }
done
case $BENCH in
  pipeline) COMMAND=(bench/pipeline.sh "${1:-10000}" "${2:-256}"); export SKIP_PGBENCH=1 ;;
  api) COMMAND=(bench/api.sh "${1:-10}" "${2:-64}") ;;
  simulator) COMMAND=(bench/simulator.sh "${1:-5}"); export SKIP_IN_FLIGHT=1 ;;
  *) echo "bench/compare: no bench '$BENCH' (pipeline, api or simulator)" >&2; exit 2 ;;
esac

# One run's figures, tab-separated, from the bench's own summary lines.
figures() {
  case $BENCH in
    pipeline) python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rate = re.search(r"burn-down: .*?→ (\d+) jobs/s", text)
cpu = re.search(r"CPU per job: +worker (\d+) µs, postgres (\d+) µs, simulator (\d+) µs", text)
if not (rate and cpu): sys.exit("no figures in the run's output")
print("\t".join([rate.group(1), *cpu.groups()]))
PY
    ;;
    api) python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
jobs = re.search(r"POST /v1/jobs \(2 KB\) +(\d+) requests/s, p50 [\d.]+ ms, p99 ([\d.]+) ms", text)
cpu = re.search(r"CPU per POST /v1/jobs \(2 KB\) +server (\d+) µs, PostgreSQL (\d+) µs", text)
health = re.search(r"GET  /healthz +(\d+) requests/s", text)
wrk = re.search(r"POST /v1/jobs \(2 KB, wrk\) +(\d+) requests/s, p50 [\d.]+ ms, p99 ([\d.]+) ms", text)
batches = re.search(r"POST /v1/batches \(\d+ × 2 KB\) +(\d+) documents/s", text)
if not (jobs and cpu and health and wrk and batches): sys.exit("no figures in the run's output")
print("\t".join([*jobs.groups(), *cpu.groups(), health.group(1), *wrk.groups(), batches.group(1)]))
PY
    ;;
    simulator) python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
lines = [re.search(rf"^{name}: +(\d+) requests/s.*simulator CPU (\d+) µs each", text, re.M) for name in ("create", "retrieve", "404")]
if not all(lines): sys.exit("no figures in the run's output")
print("\t".join([*(line.group(2) for line in lines), *(line.group(1) for line in lines)]))
PY
    ;;
  esac
}
case $BENCH in
  pipeline) HEADER="jobs/s	worker µs	postgres µs	simulator µs" ;;
  api) HEADER="req/s	p99 ms	server µs	postgres µs	healthz req/s	wrk req/s	wrk p99 ms	batch docs/s" ;;
  simulator) HEADER="create µs	retrieve µs	404 µs	creates/s	retrieves/s	404s/s" ;;
esac

RESULTS=$(mktemp)
trap 'rm -f "$RESULTS" "$RESULTS".out' EXIT
# The share of the machine's CPU that other processes use over 2 s, in percent.
others_busy() {
  local before after
  before=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat)
  sleep 2
  after=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat)
  awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " "); printf "%d", (y[1] - x[1]) * 100 / (y[2] - x[2]) }'
}

echo "bench/compare: ${COMMAND[*]}, $RUNS runs each, alternating; A=$A B=$B" >&2
printf 'run\tside\tothers %%\t%s\n' "$HEADER"
for run in $(seq "$RUNS"); do
  for side in A B; do
    dir=$A; [ "$side" = B ] && dir=$B
    others=$(others_busy)
    LONGHAUL_BENCH_BIN_DIR=$dir "${COMMAND[@]}" >"$RESULTS.out" 2>&1 || { echo "bench/compare: run $run ($side) failed:" >&2; tail -20 "$RESULTS.out" >&2; exit 1; }
    busy=""; [ "$others" -gt 25 ] && busy=busy
    line=$(figures "$RESULTS.out")
    printf '%s\t%s\t%s%s\t%s\n' "$run" "$side" "$others" "${busy:+ $busy}" "$line"
    printf '%s\t%s\t%s\n' "$side" "${busy:-quiet}" "$line" >>"$RESULTS"
  done
done

python3 - "$RESULTS" "$HEADER" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
header = sys.argv[2].split("\t")
def medians(side, quiet_only):
    values = [list(map(float, r[2:])) for r in rows if r[0] == side and (not quiet_only or r[1] == "quiet")]
    return [statistics.median(column) for column in zip(*values)] if values else None, len(values)
for quiet_only, label in ((False, "all runs"), (True, "quiet runs")):
    a, na = medians("A", quiet_only)
    b, nb = medians("B", quiet_only)
    if not a or not b:
        print(f"medians, {label}: not enough runs"); continue
    print(f"medians, {label} (A {na}, B {nb}):")
    for name, x, y in zip(header, a, b):
        change = f"{(y - x) / x * 100:+.1f} %" if x else "n/a"
        print(f"  {name:<14} A {x:>9.0f}   B {y:>9.0f}   B against A {change}")
PY
