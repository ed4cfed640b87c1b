-- Each spending cap as it stands: what this period spent, what calls in flight reserve, the
-- worst case of the project's next queued job (in the claim's order, priced at the tier it asks
-- for), and whether the cap blocks that job. The one definition of "reached" and of what is
-- left, read by the claim, `longhaul projects budget`, the API, job waits and the budget webhooks.
--
-- A view kept with the functions: its one source is this file, which the migrator applies after
-- the numbered migrations and again whenever it changes (first made in migration 0006).
DROP VIEW IF EXISTS longhaul_budget_state;
CREATE VIEW longhaul_budget_state AS
SELECT b.project_id, b.period, b.max_tokens, b.max_cost, b.period_start, b.warned_for, b.reached_for,
       c.spent_tokens, c.spent_cost, f.tokens AS reserved_tokens, f.cost AS reserved_cost,
       b.max_tokens - c.spent_tokens - f.tokens AS free_tokens, b.max_cost - c.spent_cost - f.cost AS free_cost,
       CASE b.period WHEN 'day' THEN c.current_start + interval '1 day'
                     WHEN 'month' THEN c.current_start + interval '1 month' END AS resets_at,
       greatest(c.spent_tokens::numeric / nullif(b.max_tokens, 0), c.spent_cost / nullif(b.max_cost, 0),
                CASE WHEN b.max_tokens = 0 OR b.max_cost = 0 THEN 1 END) AS spent_share,
       coalesce((b.max_tokens IS NOT NULL AND b.max_tokens - c.spent_tokens - f.tokens < n.tokens)
                OR (b.max_cost IS NOT NULL AND b.max_cost - c.spent_cost - f.cost < n.cost), false) AS blocks_next_job
FROM project_budgets b
CROSS JOIN LATERAL (
    SELECT longhaul_period_start(b.period) AS current_start,
           CASE WHEN b.period_start = longhaul_period_start(b.period) THEN b.spent_tokens ELSE 0 END AS spent_tokens,
           CASE WHEN b.period_start = longhaul_period_start(b.period) THEN b.spent_cost ELSE 0 END AS spent_cost
) c
CROSS JOIN LATERAL (
    -- Calls in flight, and Responses that may run unfollowed (orphans) until their worst-case end.
    SELECT coalesce(sum(r.reserved_tokens), 0)::bigint AS tokens, coalesce(sum(r.reserved_cost), 0) AS cost
    FROM (SELECT reserved_tokens, reserved_cost FROM jobs
          WHERE project_id = b.project_id AND state IN ('submitting', 'running')
          UNION ALL
          SELECT reserved_tokens, reserved_cost FROM jobs
          WHERE project_id = b.project_id AND orphan_until > now()) r
) f
LEFT JOIN LATERAL (
    -- No price under a cap in money: more than any cap (the claim cannot admit it either).
    -- As the claim reserves it: the calibrated input and the whole output.
    SELECT longhaul_expected_input_tokens(q.model, q.params, q.estimated_input_tokens) + q.max_output_tokens AS tokens,
           coalesce(longhaul_call_cost(q.model, longhaul_priced_tier(NULL, q.params->>'service_tier'),
                                       longhaul_expected_input_tokens(q.model, q.params, q.estimated_input_tokens),
                                       0, q.max_output_tokens), 1e15) AS cost
    -- The first of each kind's first: `jobs_queued_by_kind` has `held` before the claim's order,
    -- so one ORDER BY over both kinds sorted every queued job of the project, at every claim
    -- under a cap (3.4 ms with 10,100 queued, growing with the queue); each arm reads one entry.
    FROM ((SELECT * FROM jobs q WHERE q.project_id = b.project_id AND q.state = 'queued' AND NOT q.held
           ORDER BY q.urgent DESC, q.priority DESC, q.run_at, q.id LIMIT 1)
          UNION ALL
          (SELECT * FROM jobs q WHERE q.project_id = b.project_id AND q.state = 'queued' AND q.held
           ORDER BY q.urgent DESC, q.priority DESC, q.run_at, q.id LIMIT 1)) q
    ORDER BY q.urgent DESC, q.priority DESC, q.run_at, q.id LIMIT 1
) n ON true;
