-- Each batch cap as it stands: what the batch's finished calls spent, what its calls in flight
-- reserve (and Responses that may run unfollowed, until their worst-case end), and what is left.
-- The one definition of a batch's headroom, read by the claim, `GET /v1/batches/{id}` and job waits.
--
-- A view kept with the functions: its one source is this file, which the migrator applies after
-- the numbered migrations and again whenever it changes (first made for migration 0022).
DROP VIEW IF EXISTS longhaul_batch_budget_state;
CREATE VIEW longhaul_batch_budget_state AS
SELECT b.id AS batch_id, b.public_id, b.project_id, b.budget_max_tokens AS max_tokens, b.budget_max_cost AS max_cost,
       b.spent_tokens, b.spent_cost, f.tokens AS reserved_tokens, f.cost AS reserved_cost,
       b.budget_max_tokens - b.spent_tokens - f.tokens AS free_tokens, b.budget_max_cost - b.spent_cost - f.cost AS free_cost,
       b.pending_jobs > 0 AS open
FROM batches b
CROSS JOIN LATERAL (
    SELECT coalesce(sum(r.reserved_tokens), 0)::bigint AS tokens, coalesce(sum(r.reserved_cost), 0) AS cost
    FROM (SELECT reserved_tokens, reserved_cost FROM jobs
          WHERE budget_batch_id = b.id AND state IN ('submitting', 'running')
          UNION ALL
          SELECT reserved_tokens, reserved_cost FROM jobs
          WHERE project_id = b.project_id AND orphan_until > now() AND budget_batch_id = b.id) r
) f
WHERE b.budget_max_tokens IS NOT NULL OR b.budget_max_cost IS NOT NULL;
