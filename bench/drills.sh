#!/usr/bin/env bash
# Fault drills with real processes: the release `longhaul` (and `longhaul-bench` to enqueue), a private PostgreSQL per drill
# (scripts/test-database), `longhaul sim` with faults, and a webhook receiver that verifies every
# signature with the `standardwebhooks` package. One `PASS name: figures` or `FAIL name: why` line
# per drill; exit status 1 when any failed. See bench/drills/README.md for what each one proves.
# Usage: bench/drills.sh [massacre] [db-restart] [storm] [receiver-outage] [outage] [hostile-files]
#        [bad-input-api] [tenant-isolation]
# Sizes: DRILL_MASSACRE_JOBS (5000), DRILL_DB_RESTART_JOBS (2000), DRILL_STORM_JOBS (1000),
# DRILL_OUTAGE_JOBS (200), DRILL_DB_DOWN_SECONDS (20), DRILL_OUTAGE_MANTLE_JOBS (500),
# DRILL_OUTAGE_MANTLE_SECONDS (90); DRILL_KEEP=1 keeps each drill's folder.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${LONGHAUL_PYTHON:-}
for candidate in "$PYTHON" .build-python/bin/python /work/main/.build-python/bin/python; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c 'import standardwebhooks' 2>/dev/null; then PYTHON=$candidate; break; fi
done
"$PYTHON" -c 'import standardwebhooks' 2>/dev/null \
  || { echo "bench/drills: no Python with standardwebhooks; run scripts/setup --test or set LONGHAUL_PYTHON" >&2; exit 1; }

PG_BINDIR=""
for candidate in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/psql" ] && [ -x "$candidate/pg_ctl" ]; then PG_BINDIR=$candidate; fi
done
[ -n "$PG_BINDIR" ] || { echo "bench/drills: psql and pg_ctl not found; run scripts/setup" >&2; exit 1; }

. bench/lib.sh
bench_build
LONGHAUL_BIN=$BIN LONGHAUL_BENCH_BIN=$BENCH

export LONGHAUL_BIN LONGHAUL_BENCH_BIN PG_BINDIR
exec "$PYTHON" bench/drills/run.py "$@"
