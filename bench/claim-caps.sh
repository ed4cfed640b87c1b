#!/usr/bin/env bash
# What the Submitter's claim (`longhaul_claim_jobs`, 20 jobs) costs with 10,000 queued jobs of one
# batch: without a batch cap, under a cap that admits them, and under a cap that holds back all
# 10,000 (the claim reads past them to 100 jobs queued after them), once where the least a job's
# output can cost already exceeds what is left and once where each job must be priced to tell;
# then under a spending cap on the project, with those 10,100 queued and with 110,100. Each claim
# runs in a subtransaction that is rolled back, so every one sees the same queue; prints the
# median of 50.
#   bench/claim-caps.sh                 on a throwaway PostgreSQL (scripts/test-database)
#   bench/claim-caps.sh URL             on that server (creates and drops database claim_caps_bench)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ge 1 ]; then
  server=$1
else
  dir=$(mktemp -d /tmp/claim-caps.XXXXXX)
  server=$(scripts/test-database start "$dir/pg")
  trap 'scripts/test-database stop "$dir/pg" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
fi
url=${server/\/\/\/postgres?//\/\/claim_caps_bench?}
psql -q "$server" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS claim_caps_bench" -c "CREATE DATABASE claim_caps_bench"
run() { psql -qAt -v ON_ERROR_STOP=1 "$url" "$@"; }
# The migrator's order: numbered migrations, then the functions as Migration.functions lists them.
for file in sql/0*.sql; do run -1 -f "$file" >/dev/null; done
for name in $(sed -n 's/.*Migration(name: "\(longhaul_[a-z_]*\.function\.sql\)".*/\1/p' Sources/LonghaulCore/Database/Migrations.swift); do
  run -1 -f "sql/$name" >/dev/null 2>&1
done
capped=$(run -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'batches' AND column_name = 'budget_max_cost'")

run <<'SQL' >/dev/null
INSERT INTO projects (slug, default_model, max_in_flight, webhook_secret) VALUES ('bench', 'openai.gpt-5.4', 100, 'x');
INSERT INTO documents (sha256, body, byte_size) VALUES (sha256('d'), 'A document of some words.', 25);
INSERT INTO batches (public_id, project_id, name, total_jobs, pending_jobs) SELECT 'batch_bench', id, 'bench', 10000, 10000 FROM projects;
INSERT INTO jobs (public_id, project_id, batch_id, document_id, max_attempts, max_output_tokens, estimated_input_tokens, run_at, model, params)
SELECT 'job_' || i, p.id, b.id, d.id, 3, 1000, 1000, now() - interval '1 hour' + i * interval '1 ms', 'openai.gpt-5.4', '{}'
FROM generate_series(1, 10000) i, projects p, batches b, documents d;
-- After them, 100 jobs of no batch: what a claim must still reach when the batch is held back.
INSERT INTO jobs (public_id, project_id, document_id, max_attempts, max_output_tokens, estimated_input_tokens, run_at, model, params)
SELECT 'job_after_' || i, p.id, d.id, 3, 1000, 1000, now() - interval '1 minute' + i * interval '1 ms', 'openai.gpt-5.4', '{}'
FROM generate_series(1, 100) i, projects p, documents d;
VACUUM ANALYZE;
SQL

measure() {
  # JIT off, as Longhaul's own connections have it (LibPQConnector): over 100,000 queued jobs the
  # claim's generic plan costs enough to start JIT compilation, ~100 ms a claim.
  run <<'SQL'
SET jit = off;
DO $$
DECLARE t0 timestamptz; times float8[] := '{}'; claimed integer;
BEGIN
    FOR i IN 1..55 LOOP
        BEGIN
            t0 := clock_timestamp();
            SELECT count(*) INTO claimed FROM longhaul_claim_jobs('bench', 20, interval '60 seconds');
            RAISE EXCEPTION USING MESSAGE = (extract(epoch FROM clock_timestamp() - t0) * 1000)::text || ' ' || claimed;
        EXCEPTION WHEN raise_exception THEN
            IF i > 5 THEN times := times || split_part(SQLERRM, ' ', 1)::float8; END IF;  -- the first 5 warm the plans
            claimed := split_part(SQLERRM, ' ', 2)::integer;
        END;
    END LOOP;
    RAISE NOTICE '% ms median, % claimed', round((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(times) t)::numeric, 2), claimed;
END $$;
SQL
}
echo "no batch cap:              $(measure 2>&1 | sed 's/.*NOTICE: *//')"
if [ "$capped" = 1 ]; then
  run -c "UPDATE batches SET budget_max_cost = 1000000" >/dev/null
  echo "a cap that admits:         $(measure 2>&1 | sed 's/.*NOTICE: *//')"
  run -c "UPDATE batches SET budget_max_cost = 0.001" >/dev/null
  echo "a cap that holds back all: $(measure 2>&1 | sed 's/.*NOTICE: *//')"
  # $0.01 is more than a job's output at the cheapest price ($0.005) but less than its worst case
  # ($0.0193): each held-back job is priced before it is passed over.
  run -c "UPDATE batches SET budget_max_cost = 0.01" >/dev/null
  echo "  … each priced to tell:   $(measure 2>&1 | sed 's/.*NOTICE: *//')"
fi
# A spending cap on the project (no batch cap): the cap weighs the project's next queued job at
# every claim (`longhaul_budget_state`), which must stay one index entry a kind, not a sort of the
# queue; measured again with 100,000 more queued.
run -c "UPDATE batches SET budget_max_cost = NULL" >/dev/null 2>&1 || true
run -c "INSERT INTO project_budgets (project_id, period, max_cost, period_start) SELECT id, 'month', 1000000, longhaul_period_start('month') FROM projects" >/dev/null
echo "a project cap:             $(measure 2>&1 | sed 's/.*NOTICE: *//')"
run <<'SQL' >/dev/null
INSERT INTO jobs (public_id, project_id, document_id, max_attempts, max_output_tokens, estimated_input_tokens, run_at, model, params)
SELECT 'job_more_' || i, p.id, d.id, 3, 1000, 1000, now() - interval '2 hours' + i * interval '1 ms', 'openai.gpt-5.4', '{}'
FROM generate_series(1, 100000) i, projects p, documents d;
VACUUM ANALYZE jobs;
SQL
echo "  … 110,100 queued:        $(measure 2>&1 | sed 's/.*NOTICE: *//')"
[ -n "${KEEP:-}" ] || psql -q "$server" -c "DROP DATABASE claim_caps_bench"
