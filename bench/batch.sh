#!/usr/bin/env bash
# Figures for `longhaul batch`, from the release binary against a throwaway PostgreSQL:
#   1. seconds to enqueue 10,000 small files (`--no-wait`: scan, read, hash, validate, insert, the
#      reading and the inserts overlapping), and the same command again (everything already enqueued);
#   2. end-to-end seconds for 1,000 documents through a standalone `longhaul sim --speed 20`
#      (Mantle's 2–6 s Responses compressed twentyfold), with the simulator's duplicate count, and
#      when the command saw every document done: what comes after is writing the summaries.
# Usage: bench/batch.sh [files] [documents] [speed]   (defaults 10000 1000 20; files 0 skips part 1,
# documents 0 part 2; speed 0 is `--zero-latency`, every Response done at once: the command's own
# costs). STATEMENTS=1 also prints what reading the run's progress cost the server.
# LONGHAUL_BENCH_BIN_DIR: release binaries built elsewhere (see bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${1:-10000}
DOCUMENTS=${2:-1000}
SPEED=${3:-20}

. bench/lib.sh
bench_build

WORK=$(mktemp -d /tmp/longhaul-bench-batch.XXXXXX)
chmod 0755 "$WORK"
SIM_PID=""
cleanup() {
    if [[ -n "$SIM_PID" ]]; then kill -INT "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi
    scripts/test-database stop "$WORK/pg"
    rm -rf "$WORK"
}
trap cleanup EXIT
if [ -n "${STATEMENTS:-}" ]; then export TEST_DATABASE_OPTIONS="-c shared_preload_libraries=pg_stat_statements"; fi
SERVER=$(scripts/test-database start "$WORK/pg")
# One database per phase: the workers of phase 2 would otherwise also take phase 1's queued jobs.
database() {
    psql "$SERVER" -qAtc "CREATE DATABASE $1" >/dev/null
    echo "$SERVER" | sed "s|///postgres?|///$1?|"
}

# Small, distinct documents: a few sentences each, 100 to a folder.
make_documents() {
    python3 - "$1" "$2" <<'PY'
import os, random, sys
root, count = sys.argv[1], int(sys.argv[2])
random.seed(7)
places = ["harbour", "lighthouse", "museum", "pier", "market", "station", "library", "bridge"]
verbs = ["opened", "closed", "was repaired", "welcomed visitors", "was painted", "flooded", "was extended"]
for index in range(count):
    folder = os.path.join(root, f"part-{index // 100:03d}")
    os.makedirs(folder, exist_ok=True)
    sentences = [f"Report {index}."] + [
        f"The {random.choice(places)} {random.choice(verbs)} on day {random.randint(1, 365)}, "
        f"with {random.randint(10, 9000)} people nearby." for _ in range(random.randint(3, 8))]
    with open(os.path.join(folder, f"report-{index:05d}.txt"), "w") as handle:
        handle.write(" ".join(sentences) + "\n")
PY
}

# Runs a command and prints: total seconds, seconds until stderr said "found N files" (all read
# and enqueued), and seconds until it said "progress: N/N done" (every document done).
timed() {
    python3 - "$@" <<'PY'
import re, subprocess, sys, time
start = time.monotonic()
found = done = None
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
log = []
for line in child.stderr:
    log.append(line)
    if found is None and "found " in line and " files in " in line:
        found = time.monotonic() - start
    progress = re.search(r"progress: (\d+)/(\d+) done", line)
    if done is None and progress and progress.group(1) == progress.group(2):
        done = time.monotonic() - start
code = child.wait()
total = time.monotonic() - start
if code != 0:
    sys.stderr.write("".join(log))
    sys.exit(f"exit status {code}")
print(f"{total:.2f} {found if found is not None else float('nan'):.2f} {done if done is not None else float('nan'):.2f}")
PY
}

if [ "$FILES" -gt 0 ]; then
echo "== enqueue only: $FILES small files, longhaul batch --no-wait"
make_documents "$WORK/small" "$FILES"
ENQUEUE_DB=$(database bench_enqueue)
DATABASE_URL="$ENQUEUE_DB" "$BIN" migrate >/dev/null 2>&1
read -r TOTAL READ _ < <(DATABASE_URL="$ENQUEUE_DB" timed "$BIN" batch "$WORK/small" --no-wait)
QUEUED=$(psql "$ENQUEUE_DB" -qAtc "SELECT count(*) FROM jobs WHERE state = 'queued'")
# Reading and enqueueing overlap (chunks of 500 are enqueued while the next files are read), so
# "found N files", printed once both are done, marks the end of the enqueue, not of the reading.
echo "enqueue:   $TOTAL s for $FILES files ($(python3 -c "print(round($FILES / $TOTAL))") files/s, read and enqueued together; all found after $READ s); $QUEUED jobs queued"
read -r AGAIN _ _ < <(DATABASE_URL="$ENQUEUE_DB" timed "$BIN" batch "$WORK/small" --no-wait)
echo "again:     $AGAIN s for the same command once everything is enqueued"
fi

[ "$DOCUMENTS" -gt 0 ] || exit 0
SIM_PACE=(--speed "$SPEED")
[ "$SPEED" = 0 ] && SIM_PACE=(--zero-latency)
echo "== end to end: $DOCUMENTS documents through longhaul sim ${SIM_PACE[*]}"
make_documents "$WORK/docs" "$DOCUMENTS"
RUN_DB=$(database bench_run)
DATABASE_URL="$RUN_DB" "$BIN" migrate >/dev/null 2>&1
"$BIN" sim --host 127.0.0.1 --port 0 "${SIM_PACE[@]}" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
SIM=""
for _ in $(seq 100); do
    SIM="$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/sim.log" | head -1 || true)"
    [[ -n "$SIM" ]] && break
    sleep 0.1
done
[[ -n "$SIM" ]] || { echo "the simulator did not start:" >&2; cat "$WORK/sim.log" >&2; exit 1; }
if [ -n "${STATEMENTS:-}" ]; then psql "$RUN_DB" -qAtc "CREATE EXTENSION pg_stat_statements; SELECT pg_stat_statements_reset()" >/dev/null; fi
read -r ELAPSED _ DONE < <(DATABASE_URL="$RUN_DB" OPENAI_BASE_URL="$SIM/v1" OPENAI_API_KEY=bench timed "$BIN" batch "$WORK/docs")
COMPLETED=$(psql "$RUN_DB" -qAtc "SELECT count(*) FROM jobs WHERE state = 'completed'")
COUNTERS=$(curl -s "$SIM/_simulator/counters" | python3 -c '
import json, sys
c = json.load(sys.stdin)
duplicates = sum(1 for attempts in c["createsByJob"].values() for n in attempts.values() if n > 1)
print(c["responsesCreated"], duplicates, c["peakInFlightByProject"].get("default", 0))')
read -r CREATED DUPLICATES PEAK <<<"$COUNTERS"
echo "batch:     $ELAPSED s for $DOCUMENTS documents ($(python3 -c "print(round($DOCUMENTS / $ELAPSED, 1))") documents/s); $COMPLETED completed"
echo "simulator: $CREATED Responses created, $DUPLICATES attempts created twice, at most $PEAK in flight"
echo "ends:      every document done after $DONE s; the summaries and the manifest written by $ELAPSED s"
if [ -n "${STATEMENTS:-}" ]; then
  echo "progress:  $(psql "$RUN_DB" -qAtc "SELECT sum(calls) || ' reads, ' || round(sum(total_exec_time)) || ' ms of the server' FROM pg_stat_statements
                                           WHERE query LIKE 'SELECT j.state::text AS state%' OR query LIKE 'SELECT count(*) FILTER (WHERE c.chunk%'")"
fi
