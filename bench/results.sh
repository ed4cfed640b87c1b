#!/usr/bin/env bash
# The results download of a large batch, `GET /v1/batches/{id}/results`, from the release binary
# against a throwaway PostgreSQL: JOBS finished jobs in one batch, each with a summary of BYTES
# bytes (written in SQL: a download needs no Mantle), fetched once through `longhaul serve` with
# curl. Prints the seconds, the bytes, when the first byte came, and the server's resident memory before the download and at
# its peak (VmHWM): what one download costs the server, which grows with the batch if the file is
# gathered before it is sent.
# Usage: bench/results.sh [jobs=100000] [bytes=2048]
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-100000}
BYTES=${2:-2048}

. bench/lib.sh
bench_setup results
DATABASE_URL="$URL" "$BIN" migrate >/dev/null 2>&1
TOKEN="bench-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

LONGHAUL_ADMIN_TOKEN="$TOKEN" DATABASE_URL="$URL" "$BIN" serve --port 0 >"$WORK/serve.log" 2>&1 &
WORKER_PID=$!  # bench_cleanup stops it
API=$(started_url "$WORK/serve.log" "listening on ")

echo "== $JOBS finished jobs of $BYTES-byte summaries in one batch (SQL)"
sql "
  INSERT INTO documents (sha256, body, byte_size, media_type) VALUES (sha256('bench'), 'bench', 5, 'text/plain');
  INSERT INTO batches (public_id, project_id, name, total_jobs)
    SELECT 'batch_bench', id, 'bench', $JOBS FROM projects WHERE slug = 'default';
  INSERT INTO jobs (public_id, project_id, batch_id, document_id, max_output_tokens, estimated_input_tokens, model,
                    state, finished_at, source_path)
    SELECT 'job_bench_' || g, b.project_id, b.id, d.id, 1000, 10, 'openai.gpt-oss-120b', 'completed', now(), 'doc-' || g || '.txt'
    FROM generate_series(1, $JOBS) g, batches b, documents d WHERE b.public_id = 'batch_bench';
  INSERT INTO results (job_id, output_text, input_tokens, output_tokens, total_tokens)
    SELECT id, left(repeat('The harbour reopened. ', $BYTES / 20 + 1), $BYTES), 10, 400, 410 FROM jobs;
  ANALYZE" >/dev/null

rss() { awk -v field="$1" '$1 == field":" {print int($2 / 1024)}' "/proc/$WORKER_PID/status"; }
BEFORE=$(rss VmRSS)
START=$(date +%s.%N)
read -r SIZE FIRST_BYTE <<<"$(curl -sf -H "Authorization: Bearer $TOKEN" "$API/v1/batches/batch_bench/results" -o "$WORK/results.jsonl" \
  -w '%{size_download} %{time_starttransfer}')"
END=$(date +%s.%N)
LINES=$(wc -l <"$WORK/results.jsonl")
[ "$LINES" -eq "$JOBS" ] || { echo "bench: $LINES lines for $JOBS jobs" >&2; exit 1; }

echo
echo "== GET /v1/batches/{id}/results (release build, PostgreSQL 15; 2 cores)"
printf '%-34s%s\n' "download" "$(awk -v s="$START" -v e="$END" -v b="$SIZE" -v n="$LINES" -v f="$FIRST_BYTE" 'BEGIN {printf "%d lines, %.0f MB in %.2f s (%.0f MB/s), first byte after %.3f s", n, b / 1e6, e - s, b / 1e6 / (e - s), f}')"
printf '%-34s%s\n' "server resident memory" "$BEFORE MiB before, $(rss VmHWM) MiB at its peak (VmHWM)"
