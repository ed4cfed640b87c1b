-- Longhaul schema, version 22: spending caps per batch (issue 15, "optionally per batch").
--
-- A batch may carry a cap in tokens (input + output) or in money (at the model prices), over its
-- whole life: `POST /v1/batches` with `"budget"`, `longhaul batch DIR --budget 5.00`. The claim
-- admits a job of a capped batch only when its worst case — the same as a project cap reserves:
-- calibrated input estimate plus `max_output_tokens`, priced at the tier it asks for — fits what
-- is left: the cap, less what the batch's finished calls spent, less the worst case of its calls
-- in flight. Spending goes on the batch's row, in the statement that ends the job (JobFinalizer);
-- reservations are not a counter but the `reserved_*` of the jobs in flight that the claim
-- reserved against the batch (`budget_batch_id`), so, as with project caps, a job that leaves
-- flight for any reason stops counting with nothing to release. The map and merge calls of a
-- long document count against the batch of their parent.
ALTER TABLE batches
    ADD COLUMN budget_max_tokens bigint CHECK (budget_max_tokens >= 0),
    ADD COLUMN budget_max_cost   numeric(20, 6) CHECK (budget_max_cost >= 0),
    -- What the calls of the batch's jobs spent while it had a cap (settled by JobFinalizer).
    ADD COLUMN spent_tokens      bigint NOT NULL DEFAULT 0,
    ADD COLUMN spent_cost        numeric(20, 6) NOT NULL DEFAULT 0;

-- The capped batches of a project, which every claim of that project reads.
CREATE INDEX batches_capped ON batches (project_id)
    WHERE budget_max_tokens IS NOT NULL OR budget_max_cost IS NOT NULL;

-- The batch whose cap the job's current attempt was admitted under (set by the claim with
-- `reserved_*`); meaningful while the job is in flight, and for settling its end.
ALTER TABLE jobs ADD COLUMN budget_batch_id bigint REFERENCES batches (id);

-- A capped batch's calls in flight, summed at every claim of its project: a few rows, never the
-- batch's finished jobs.
CREATE INDEX jobs_batch_in_flight ON jobs (budget_batch_id)
    WHERE budget_batch_id IS NOT NULL AND state IN ('submitting', 'running');

-- The worst case in money of a call of `p_model` (a job's, as the claim reserves it): its
-- calibrated input estimate and its whole output at the price of the tier it asks for; no price:
-- more than any cap (1e15), so a cap in money cannot admit it. Inlined by the planner.
CREATE FUNCTION longhaul_worst_case_cost(p_model text, p_params jsonb, p_estimate integer, p_max_output_tokens integer) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT coalesce(longhaul_call_cost(p_model, longhaul_priced_tier(NULL, p_params->>'service_tier'),
                                       longhaul_expected_input_tokens(p_model, p_params, p_estimate), 0, p_max_output_tokens), 1e15)
$$;
