-- The Submitter's claim, fair across projects and within each project's limits: the one source
-- of `longhaul_claim_jobs`. The migrator runs this file again whenever it changes (its checksum
-- is recorded like a migration's), so a change is made here, never in a copy in a new migration.
--
-- It runs in two statements on purpose: the first takes a per-project advisory lock (another
-- worker claiming for the same project skips it); the second, with a snapshot taken after the
-- lock, counts what is in flight and what was submitted in the last minute — so two workers can
-- never both see free slots that only one of them may fill. Round robin: every project's first
-- job comes before any project's second.
-- Within a project, jobs whose deadline is near (`urgent`, migration 0012) come first, then by
-- priority; a job past its deadline is left for the Maintainer to end.
--
-- `budgets` is MATERIALIZED (one row per project, computed once; inlined into the per-project
-- LATERAL, the tokens-per-minute sum ran once per claimed row: 256 claimed rows with 11,000
-- recent submissions took 1.6 s per claim), and the sum runs only when the project has a
-- tokens-per-minute budget. That budget counts each job as Mantle will: its input estimate
-- times its model's calibrated factor (`longhaul_expected_input_tokens`, migration 0010), plus
-- `max_output_tokens`; spending caps reserve that calibrated input too, with the whole output.
--
-- A paused project (`paused_at`) and a project whose endpoint breaker is open are skipped: their
-- jobs stay queued in their place and spend nothing. When such a project's probe is due (a
-- pause Longhaul made itself, or an open breaker), it gets one job, and the probe time moves
-- past the lease so that no other claim probes meanwhile; the outcome of that one create sets
-- the next probe (JobQueue+Health), or closes the breaker and resumes the project.
--
-- A project with spending caps (`project_budgets`) is admitted only jobs whose worst case —
-- calibrated input estimate plus `max_output_tokens`, priced at the model's price for a cap in money —
-- fits each cap less what finished calls spent this period and the worst case of its calls in
-- flight (their `reserved_*`, set here). The per-project lock makes that check and the
-- reservation one step: two workers can never spend the same headroom. A model without a
-- price cannot be admitted under a cap in money (its cost is unknown); it waits, and says so.
-- A Response that may run unfollowed (`orphan_until`: its create's answer was lost, or its
-- worker died mid-create) keeps a slot and its reservation until its worst-case end.
--
-- A batch with a cap (`budget_max_*`, migration 0022) is admitted the same way, against what is
-- left of it (`longhaul_batch_budget_state`): the claim reserves the job's worst case against the
-- batch too (`budget_batch_id`). A job its batch cannot admit even alone is passed over in the
-- scan, so a batch at its cap holds back its own jobs only, never the project's others (they are
-- read past, see below). Map and merge calls count against their parent's batch.
--
-- `p_held` picks which jobs: those that run as one held stream (the held-stream loop, with
-- slots of its own) or the others (the create loop). `max_in_flight` and the budgets count both.

-- Dropped and created (not replaced) so that a change of its result columns applies too; the
-- migrator runs this in one transaction, so callers see the old function or the new one.
DROP FUNCTION IF EXISTS longhaul_claim_jobs;
CREATE FUNCTION longhaul_claim_jobs(p_worker text, p_limit integer, p_lease interval, p_held boolean DEFAULT false)
RETURNS TABLE (
    job_id bigint, public_id text, project_id bigint, attempt smallint, max_attempts smallint,
    model text, max_output_tokens integer, estimated_input_tokens integer, params jsonb,
    metadata jsonb, document text, instructions text, retrying_since timestamptz, retry_window_seconds integer
)
LANGUAGE plpgsql
-- Plan the claim's statements once per session and reuse the plans. Left to choose, PostgreSQL
-- plans the big statement afresh on every call: a plan made for the call's own `p_limit` is
-- estimated cheaper than the reusable one (whose LIMIT it cannot know), so the reusable plan never
-- wins. Planning was 3.7 of a claim's 5.5 ms (10,000 queued jobs, 34 claimed; 1.8 ms with the
-- reused plan, the same plan shape: the same indexes, `jobs_queued_by_kind` for the scan).
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    claimable bigint[];
    probing bigint[];
BEGIN
    SELECT coalesce(array_agg(p.id), '{}'),
           coalesce(array_agg(p.id) FILTER (WHERE p.paused_at IS NOT NULL OR h.opened_at IS NOT NULL), '{}')
    INTO claimable, probing
    FROM projects p
    LEFT JOIN endpoint_breakers h ON h.project_id = p.id AND h.api = 'responses' AND h.opened_at IS NOT NULL
    WHERE p.archived_at IS NULL
      AND (p.paused_at IS NULL OR (p.pause_kind = 'needs_attention' AND p.next_probe_at <= now()))
      AND (h.opened_at IS NULL OR h.next_probe_at <= now())
      -- A scalar subquery in the index's order, not EXISTS: a semi-join may be planned as a
      -- sequential scan of jobs (stale statistics say most rows are queued), which for a project
      -- with nothing queued reads the whole table on every claim. CASE keeps the order: the
      -- lock is tried only for a project that has due work.
      AND CASE WHEN (SELECT q.id FROM jobs q
                     WHERE q.project_id = p.id AND q.held = p_held AND q.state = 'queued' AND q.run_at <= now()
                     ORDER BY q.urgent DESC, q.priority DESC, q.run_at, q.id LIMIT 1) IS NOT NULL
               THEN pg_try_advisory_xact_lock(1819242338, (p.id % 2147483647)::integer)
               ELSE false END;
    IF cardinality(claimable) = 0 THEN
        RETURN;
    END IF;
    IF cardinality(probing) > 0 THEN
        UPDATE projects SET next_probe_at = now() + p_lease WHERE id = ANY (probing) AND paused_at IS NOT NULL;
        UPDATE endpoint_breakers SET next_probe_at = now() + p_lease
        WHERE project_id = ANY (probing) AND api = 'responses' AND opened_at IS NOT NULL;
    END IF;

    RETURN QUERY
    WITH budgets AS MATERIALIZED (
        SELECT p.id AS project_id,
               least(CASE WHEN p.id = ANY (probing) THEN 1 ELSE p.max_in_flight END,
                     p.max_in_flight - (SELECT count(*) FROM jobs f
                                        WHERE f.project_id = p.id AND f.state IN ('submitting', 'running'))
                                     - (SELECT count(*) FROM jobs o WHERE o.project_id = p.id AND o.orphan_until > now())) AS free_slots,
               CASE WHEN p.tokens_per_minute IS NULL THEN NULL
                    ELSE p.tokens_per_minute - (SELECT coalesce(sum(longhaul_expected_input_tokens(s.model, s.params, s.estimated_input_tokens)
                                                                    + s.max_output_tokens), 0) FROM jobs s
                                                WHERE s.project_id = p.id AND s.submitted_at > now() - interval '1 minute')
               END AS free_tokens,
               caps.budget_tokens, caps.budget_cost,
               EXISTS (SELECT 1 FROM batches c WHERE c.project_id = p.id AND c.pending_jobs > 0
                                                 AND (c.budget_max_tokens IS NOT NULL OR c.budget_max_cost IS NOT NULL)) AS batch_capped
        FROM projects p
        LEFT JOIN LATERAL (
            SELECT min(c.free_tokens) AS budget_tokens, min(c.free_cost) AS budget_cost
            FROM longhaul_budget_state c WHERE c.project_id = p.id
            HAVING count(*) > 0
        ) caps ON true
        WHERE p.id = ANY (claimable)
    ),
    batch_caps AS MATERIALIZED (
        -- What is left of each open capped batch of the projects claimed for (usually none).
        -- `least_output_price`: the cheapest output token of any model, per token; a job whose output
        -- alone costs more at it than what is left cannot fit, and is passed over unpriced.
        SELECT s.batch_id, s.free_tokens, s.free_cost,
               coalesce((SELECT min(m.output_per_million) FROM model_prices m), 0) / 1000000 AS least_output_price
        FROM budgets b JOIN longhaul_batch_budget_state s ON s.project_id = b.project_id
        WHERE b.batch_capped AND s.open
    ),
    locked AS (
        SELECT c.*, b.free_tokens, b.budget_tokens, b.budget_cost
        FROM budgets b
        CROSS JOIN LATERAL (
            SELECT j.id, j.project_id, j.urgent, j.priority, j.run_at, w.cost, w.rate_cost, w.money,
                   bc.batch_id AS cap_batch, bc.free_tokens AS batch_tokens, bc.free_cost AS batch_money
            FROM jobs j
            LEFT JOIN LATERAL (
                -- The job's batch when it has a cap (a map or merge call's: its parent's).
                SELECT c.batch_id, c.free_tokens, c.free_cost, c.least_output_price FROM batch_caps c
                WHERE b.batch_capped AND c.batch_id = coalesce(j.batch_id, (SELECT p.batch_id FROM jobs p WHERE p.id = j.parent_id))
                LIMIT 1
            ) bc ON true
            CROSS JOIN LATERAL (
                SELECT
                   -- What a cap reserves: the calibrated input (a model that counts more than the
                   -- estimate must not slip under the cap) and the whole output asked for.
                   CASE WHEN b.budget_tokens IS NULL AND b.budget_cost IS NULL AND bc.free_tokens IS NULL
                        THEN j.estimated_input_tokens + j.max_output_tokens
                        ELSE longhaul_expected_input_tokens(j.model, j.params, j.estimated_input_tokens) + j.max_output_tokens END AS cost,
                   -- What Mantle's tokens-per-minute admission will count: the calibrated estimate.
                   CASE WHEN b.free_tokens IS NULL THEN 0
                        ELSE longhaul_expected_input_tokens(j.model, j.params, j.estimated_input_tokens) + j.max_output_tokens END AS rate_cost,
                   -- The worst case in money, only under a cap in money; no price: more than any cap.
                   CASE WHEN b.budget_cost IS NULL AND bc.free_cost IS NULL THEN NULL
                        ELSE longhaul_worst_case_cost(j.model, j.params, j.estimated_input_tokens, j.max_output_tokens) END AS money
                -- A job its batch cannot admit even at the least its output can cost is passed over
                -- before it is priced: a claim reading past 10,000 held-back jobs takes ~12 ms so,
                -- 150-300 ms pricing each (bench/claim-caps.sh; ~15 µs a job, as when what is left
                -- lies between that least and the job's worst case).
                WHERE bc.batch_id IS NULL OR ((bc.free_tokens IS NULL OR j.max_output_tokens <= bc.free_tokens)
                                              AND (bc.free_cost IS NULL OR j.max_output_tokens * bc.least_output_price <= bc.free_cost))
                -- OFFSET 0: computed once a row; pulled up, the batch check and the result each priced it again.
                OFFSET 0
            ) w
            WHERE j.project_id = b.project_id AND j.held = p_held AND j.state = 'queued' AND j.run_at <= now()
              -- past its deadline: the Maintainer ends it; submitting it now would only bill
              AND (j.deadline IS NULL OR j.deadline > now())
              -- a job its batch's cap cannot admit even alone waits, and takes no other job's place
              AND (bc.batch_id IS NULL OR ((bc.free_tokens IS NULL OR w.cost <= bc.free_tokens)
                                           AND (bc.free_cost IS NULL OR w.money <= bc.free_cost)))
            ORDER BY j.urgent DESC, j.priority DESC, j.run_at, j.id
            LIMIT greatest(least(b.free_slots, p_limit), 0)
            FOR UPDATE OF j SKIP LOCKED
        ) c
    ),
    ranked AS (
        SELECT l.id, l.free_tokens, l.budget_tokens, l.budget_cost, l.cost, l.money, l.cap_batch, l.batch_tokens, l.batch_money,
               row_number() OVER (PARTITION BY l.project_id ORDER BY l.urgent DESC, l.priority DESC, l.run_at, l.id) AS rank,
               sum(l.cost) OVER (PARTITION BY l.project_id ORDER BY l.urgent DESC, l.priority DESC, l.run_at, l.id) AS spent,
               sum(l.rate_cost) OVER (PARTITION BY l.project_id ORDER BY l.urgent DESC, l.priority DESC, l.run_at, l.id) AS rate_spent,
               sum(l.money) OVER (PARTITION BY l.project_id ORDER BY l.urgent DESC, l.priority DESC, l.run_at, l.id) AS spent_money,
               sum(l.cost) OVER (PARTITION BY l.cap_batch ORDER BY l.urgent DESC, l.priority DESC, l.run_at, l.id) AS batch_spent,
               sum(l.money) OVER (PARTITION BY l.cap_batch ORDER BY l.urgent DESC, l.priority DESC, l.run_at, l.id) AS batch_spent_money
        FROM locked l
    ),
    picked AS (
        SELECT r.id, r.cost, r.money, r.cap_batch,
               r.budget_tokens IS NOT NULL OR r.budget_cost IS NOT NULL OR r.cap_batch IS NOT NULL AS capped
        FROM ranked r
        WHERE (r.free_tokens IS NULL OR r.rate_spent <= r.free_tokens)
          AND (r.budget_tokens IS NULL OR r.spent <= r.budget_tokens)
          AND (r.budget_cost IS NULL OR r.spent_money <= r.budget_cost)
          AND (r.cap_batch IS NULL OR ((r.batch_tokens IS NULL OR r.batch_spent <= r.batch_tokens)
                                       AND (r.batch_money IS NULL OR r.batch_spent_money <= r.batch_money)))
        ORDER BY r.rank, r.id
        LIMIT p_limit
    ),
    claimed AS (
        UPDATE jobs j
        SET state = 'submitting', attempt = j.attempt + 1, lease_owner = p_worker,
            lease_expires_at = now() + p_lease, submitted_at = now(), updated_at = now(),
            reserved_tokens = CASE WHEN picked.capped THEN picked.cost END,
            reserved_cost = CASE WHEN picked.capped THEN picked.money END, budget_batch_id = picked.cap_batch
        FROM picked
        WHERE j.id = picked.id
        RETURNING j.*
    )
    SELECT c.id, c.public_id, c.project_id, c.attempt, c.max_attempts, c.model, c.max_output_tokens,
           c.estimated_input_tokens, c.params, c.metadata, d.body, i.body, c.retrying_since, p.retry_window_seconds
    FROM claimed c
    JOIN projects p ON p.id = c.project_id
    JOIN documents d ON d.id = c.document_id
    LEFT JOIN documents i ON i.id = c.instructions_id;
END
$$;
