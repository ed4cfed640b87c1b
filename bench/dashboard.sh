#!/usr/bin/env bash
# Figures for the dashboard (issue 16) on a big table: JOBS jobs (default 1,000,000) written
# straight into a throwaway PostgreSQL — 30 days of them, the newest 5 % queued, 5 % failed, the
# rest completed with results; metadata {"team": t0…t19}; file names reports/2026/file-N.pdf; two
# projects; a batch of 10,000 of them; model prices; a finished bulk action — then `longhaul serve`
# signed in with the admin token, and each page fetched RUNS
# times with curl: the median and the slowest of `time_total`, and the page's status. Then each
# page once more with PostgreSQL's auto_explain on, and how its queries read the big tables (the
# index each scan uses; a sequential scan of one of them is what makes a page slow at scale).
# Usage: bench/dashboard.sh [jobs=1000000] [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-1000000}
RUNS=${2:-5}

. bench/lib.sh
# auto_explain is loaded but silent (-1) until the plans are taken, so the timings pay nothing for it.
export TEST_DATABASE_OPTIONS="-c shared_preload_libraries=auto_explain -c auto_explain.log_min_duration=-1"
bench_setup dashboard
DATABASE_URL="$URL" "$BIN" migrate >/dev/null 2>&1

started=$(date +%s)
sql "
INSERT INTO projects (slug, default_model, webhook_secret)
SELECT s, 'openai.gpt-oss-120b', 'whsec_' || md5(s) FROM unnest(ARRAY['acme', 'globex']) s ON CONFLICT DO NOTHING;
INSERT INTO documents (sha256, body, byte_size, media_type, source_name)
VALUES (decode(md5('bench'), 'hex'), 'A report.', 9, 'text/plain', NULL);
INSERT INTO jobs (project_id, document_id, state, max_output_tokens, estimated_input_tokens, run_at, submitted_at,
                  created_at, updated_at, finished_at, public_id, model, response_id, source_path, metadata, attempt)
SELECT p.id, d.id, s.state::job_state, 1024, 800, s.created, s.created, s.created, s.created,
       CASE WHEN s.state <> 'queued' THEN s.created + interval '40 seconds' END,
       'job_bench' || g, CASE WHEN g % 3 = 0 THEN 'openai.gpt-oss-20b' ELSE 'openai.gpt-oss-120b' END,
       CASE WHEN s.state <> 'queued' THEN 'resp_' || g END, 'reports/2026/file-' || g || '.pdf',
       jsonb_build_object('team', 't' || (g % 20)), CASE WHEN s.state <> 'queued' THEN 1 ELSE 0 END
FROM generate_series(1, $JOBS) g
CROSS JOIN LATERAL (SELECT now() - (($JOBS - g)::float8 / $JOBS) * interval '30 days' AS created,
                           CASE WHEN g > $JOBS * 0.95 THEN 'queued' WHEN g % 20 = 7 THEN 'failed' ELSE 'completed' END AS state) s
JOIN projects p ON p.slug = CASE WHEN g % 4 = 0 THEN 'globex' ELSE 'acme' END
CROSS JOIN documents d;
INSERT INTO results (job_id, output_text, input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens, error_code, error_message)
SELECT id, CASE WHEN state = 'completed' THEN 'A summary.' END, 800, 0, 200, 0, 1000,
       CASE WHEN state = 'failed' THEN 'server_error' END, CASE WHEN state = 'failed' THEN 'The model failed.' END
FROM jobs WHERE state IN ('completed', 'failed');
-- A batch of the newest 10,000 ended acme jobs (the largest a batch request takes), and prices.
INSERT INTO batches (public_id, project_id, name, total_jobs, pending_jobs, finished_at)
SELECT 'batch_bench', id, 'Bench batch', 10000, 0, now() FROM projects WHERE slug = 'acme';
UPDATE jobs SET batch_id = (SELECT id FROM batches WHERE public_id = 'batch_bench')
WHERE id IN (SELECT j.id FROM jobs j JOIN projects p ON p.id = j.project_id
             WHERE p.slug = 'acme' AND j.state <> 'queued' ORDER BY j.id DESC LIMIT 10000);
INSERT INTO operator_prices (model, input_per_million, output_per_million, currency)
VALUES ('openai.gpt-oss-120b', 0.15, 0.6, 'USD'), ('openai.gpt-oss-20b', 0.07, 0.3, 'USD');
-- What enqueue writes beside each job for the file-name and metadata filters (migration 0009).
INSERT INTO job_search (job_id, source_path, metadata) SELECT id, source_path, metadata FROM jobs;
" >/dev/null
sql "VACUUM ANALYZE" >/dev/null
echo "dashboard bench: $JOBS jobs written in $(( $(date +%s) - started )) s"
# The usage roll-up the workers' Maintainer keeps (migration 0018), summed at once for the
# imported history; reports read it plus a live sum of the last hour.
started=$(date +%s)
DATABASE_URL="$URL" "$BIN" usage roll-up
echo "usage roll-up of $JOBS jobs: $(( $(date +%s) - started )) s"

TOKEN="bench-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
LONGHAUL_ADMIN_TOKEN="$TOKEN" DATABASE_URL="$URL" "$BIN" serve --port 0 >"$WORK/serve.log" 2>&1 &
WORKER_PID=$!  # bench_cleanup stops it
API=$(started_url "$WORK/serve.log" "listening on ")
curl -s -o /dev/null -c "$WORK/cookies" --data-urlencode "token=$TOKEN" "$API/dashboard/sign-in"

DAY=$(date -u -d '10 days ago' +%Y-%m-%d)
MONTH=$(date -u -d '30 days ago' +%Y-%m-%d)
sql "INSERT INTO dashboard_actions (public_id, action, filters, total, done, finished_at)
     VALUES ('act_bench', 'retry', 'state=failed', 10000, 10000, now())" >/dev/null
NEXT=$(date -u -d '9 days ago' +%Y-%m-%d)
JOB=$(sql "SELECT public_id FROM jobs WHERE state = 'failed' ORDER BY id DESC LIMIT 1")
PAGES=(
    "/dashboard"
    "/dashboard/jobs"
    "/dashboard/jobs?state=failed"
    "/dashboard/jobs?model=openai.gpt-oss-20b&project=globex"
    "/dashboard/jobs?state=failed&meta=team%3Dt7"
    "/dashboard/jobs?meta=team%3Dt7"
    "/dashboard/jobs?from=$DAY&to=$NEXT"
    "/dashboard/jobs?q=file-12345.pdf"
    "/dashboard/jobs?q=no-such-file"
    "/dashboard/jobs/$JOB"
    "/dashboard/batches"
    "/dashboard/batches/batch_bench"
    "/dashboard/batches/batch_bench/results.jsonl"
    "/dashboard/deliveries"
    "/dashboard/usage"
    "/dashboard/usage?group=model"
    "/dashboard/usage?group=tag&tag=team"
    "/dashboard/usage?group=day&from=$MONTH"
    "/dashboard/projects"
    "/dashboard/tokens"
    "/dashboard/actions/act_bench")
# A page's path after /dashboard (the overview: /).
page_name() { local name=${1#/dashboard}; echo "${name:-/}"; }
printf '%-44s %8s %8s %6s\n' page "p50 ms" "max ms" status
for page in "${PAGES[@]}"; do
    times=()
    status=""
    for _ in $(seq "$RUNS"); do
        read -r code seconds < <(curl -s -o /dev/null -b "$WORK/cookies" -w '%{http_code} %{time_total}\n' "$API$page")
        status=$code
        times+=("$seconds")
    done
    printf '%-44s %s %6s\n' "$(page_name "$page")" \
        "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1*1000} END {printf "%8.0f %8.0f", a[int((NR+1)/2)], a[NR]}')" "$status"
done
echo "load average before → after: $(cut -d' ' -f1-3 /proc/loadavg)"

# How each page's queries read the big tables (over 10,000 rows here), from the plans PostgreSQL
# logged while it was fetched once more (auto_explain with row counts but no timing; parts of a
# plan that never ran are left out).
echo
echo "scans of the big tables per page (auto_explain)"
big=$(sql "SELECT string_agg(relname, '|') FROM pg_class WHERE relkind = 'r' AND reltuples >= 10000")
for setting in "log_analyze = on" "log_timing = off" "log_min_duration = 0"; do sql "ALTER SYSTEM SET auto_explain.$setting" >/dev/null; done
sql "SELECT pg_reload_conf()" >/dev/null
log="$WORK/pg/server.log"
for page in "${PAGES[@]}"; do
    from=$(stat -c %s "$log")
    curl -s -o /dev/null -b "$WORK/cookies" "$API$page"
    sleep 0.2  # the server's log writes are not synchronous with the answer
    scans=$(tail -c +"$((from + 1))" "$log" | { grep -v 'never executed' || true; } \
        | { grep -oE "(Seq Scan|Index Scan( Backward)?|Index Only Scan( Backward)?|Bitmap Heap Scan) (using [a-z_0-9]+ )?on ($big)\b" || true; } \
        | sed -E 's/^(.*) using ([a-z_0-9]+) on ([a-z_]+)$/\3 (\1 \2)/; s/^(Seq Scan|Bitmap Heap Scan) on ([a-z_]+)$/\2 (\1)/' \
        | sort -u | paste -sd ';' | sed 's/;/; /g')
    printf '%-44s %s\n' "$(page_name "$page")" "${scans:-(none of the big tables)}"
done
sql "ALTER SYSTEM SET auto_explain.log_min_duration = -1" >/dev/null
sql "SELECT pg_reload_conf()" >/dev/null
