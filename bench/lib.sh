# Shared set-up for the bench scripts:
#   . bench/lib.sh; bench_build        builds release and sets BIN (longhaul, what users run) and
#                                      BENCH (longhaul-bench, the load generators)
#   . bench/lib.sh; bench_scratch NAME WORK and URL only (a script that builds what it needs itself)
#   . bench/lib.sh; bench_setup NAME   for those that run a worker against a throwaway PostgreSQL:
# bench_build, and sets bindir (PostgreSQL's programs), WORK (a temp
# folder, removed on exit with the server and any SIM_PID / WORKER_PID), URL (the database) and
# sql "STATEMENT" (psql, unaligned, tuples only); started_url LOG waits for the address a started
# process prints.

bench_build() {
  swift build -c release --product longhaul >&2
  swift build -c release --product longhaul-bench >&2
  local bin_path
  bin_path=$(swift build -c release --show-bin-path)
  BIN="$bin_path/longhaul"
  BENCH="$bin_path/longhaul-bench"
}

bench_setup() {
  local name=$1
  bindir=""
  for candidate in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/psql" ] && [ -x "$candidate/pgbench" ]; then bindir=$candidate; fi
  done
  [ -n "$bindir" ] || { echo "bench/$name: psql and pgbench not found; run scripts/setup" >&2; exit 1; }

  bench_build
  bench_scratch "$name"
}

# WORK (a temp folder) and URL (a throwaway PostgreSQL in it), both removed on exit.
bench_scratch() {
  WORK=$(mktemp -d "/tmp/longhaul-bench-$1.XXXXXX")
  chmod 0755 "$WORK"
  SIM_PID="" WORKER_PID=""
  trap bench_cleanup EXIT
  URL=$(scripts/test-database start "$WORK/pg")
}

bench_cleanup() {
  for pid in $WORKER_PID $SIM_PID; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  scripts/test-database stop "$WORK/pg"
  rm -rf "$WORK"
}

sql() { "$bindir/psql" -X -q -A -t -h "$WORK/pg" -U postgres postgres -c "$1"; }

# The first http://127.0.0.1:PORT a process printed to LOG after "listening on " (a server we
# started, or with no prefix the simulator's address), waiting up to 10 s; fails with the log.
started_url() {
  local log=$1 prefix=${2:-} found=""
  for _ in $(seq 100); do
    found=$(grep -o "${prefix}http://127.0.0.1:[0-9]*" "$log" | head -1 || true)
    [ -n "$found" ] && break
    sleep 0.1
  done
  [ -n "$found" ] || { echo "bench: no address in $log:" >&2; cat "$log" >&2; return 1; }
  echo "${found#"$prefix"}"
}
