-- Longhaul schema, version 6: spending caps per project.
--
-- A budget caps a project's tokens (input + output) or money (at the model prices) per UTC day,
-- per UTC month, or in total. The claim admits a job only when its worst case — its input
-- estimate plus `max_output_tokens`, priced — fits what is left: the cap, less what finished
-- calls spent this period, less the worst case of the calls in flight. Those reservations are
-- not a counter but the `reserved_*` columns of in-flight jobs, summed under the claim's
-- per-project lock: a job that leaves flight for any reason (ends, is retried, its lease
-- expires after a kill -9) stops counting with nothing to release, so no reservation can stick.
-- What finished calls spent is added here, by the one writer of terminal states, in the same
-- statement that ends them.
CREATE TABLE project_budgets (
    project_id      bigint NOT NULL REFERENCES projects (id),
    period          text NOT NULL CHECK (period IN ('day', 'month', 'total')),
    max_tokens      bigint CHECK (max_tokens >= 0),
    max_cost        numeric(20, 6) CHECK (max_cost >= 0),
    -- The start of the period `spent_*` belong to; an older start means nothing spent yet.
    period_start    timestamptz NOT NULL,
    spent_tokens    bigint NOT NULL DEFAULT 0,
    spent_cost      numeric(20, 6) NOT NULL DEFAULT 0,
    -- The periods whose 80 % warning and whose cap were announced (once each per period).
    warned_for      timestamptz,
    reached_for     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, period),
    CONSTRAINT project_budgets_cap CHECK (max_tokens IS NOT NULL OR max_cost IS NOT NULL)
);

-- The worst case a job's current attempt was admitted with; meaningful while it is in flight.
-- `orphan_until`: an attempt whose create may have made a Response that nobody follows (its
-- answer was lost, or its worker died mid-create) — that Response still runs and bills. Until
-- its worst-case end the job keeps a `max_in_flight` slot and its reservation, so the cap holds
-- on Mantle's side too (a held-out run saw 41 Responses at once for a project capped at 40).
ALTER TABLE jobs
    ADD COLUMN reserved_tokens integer,
    ADD COLUMN reserved_cost   numeric(20, 6),
    ADD COLUMN orphan_until    timestamptz;

CREATE INDEX jobs_orphans ON jobs (project_id, orphan_until) WHERE orphan_until IS NOT NULL;

-- The worst-case end of a Response created now: `max_output_tokens` at 20 tokens a second (slower
-- than any model seen generate), at least a minute, at most 30 minutes.
CREATE FUNCTION longhaul_orphan_until(p_max_output_tokens integer) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT now() + make_interval(secs => least(1800, greatest(60, p_max_output_tokens / 20.0)))
$$;

-- The start of the current period, in UTC.
CREATE FUNCTION longhaul_period_start(p_period text) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT CASE p_period
        WHEN 'day' THEN date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
        WHEN 'month' THEN date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
        ELSE '-infinity'::timestamptz
    END
$$;

-- What a call costs at its model's price: uncached input, cached input (at the cached price,
-- else the input price) and output, per million tokens; NULL when the model has no price.
CREATE FUNCTION longhaul_call_cost(p_model text, p_input bigint, p_cached bigint, p_output bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT (greatest(p_input - p_cached, 0) * mp.input_per_million
            + least(p_cached, p_input) * coalesce(mp.cached_input_per_million, mp.input_per_million)
            + p_output * mp.output_per_million) / 1000000
    FROM model_prices mp WHERE mp.model = p_model
$$;

-- Each cap as it stands: what this period spent, what calls in flight reserve, the worst case
-- of the project's next queued job, and whether the cap blocks that job. The one definition of
-- "reached" and of what is left, read by the claim, `longhaul projects budget`, the API, job
-- waits and the budget webhooks.
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
    SELECT q.estimated_input_tokens + q.max_output_tokens AS tokens,
           coalesce(longhaul_call_cost(q.model, q.estimated_input_tokens, 0, q.max_output_tokens), 1e15) AS cost
    FROM jobs q WHERE q.project_id = b.project_id AND q.state = 'queued'
    ORDER BY q.priority DESC, q.run_at, q.id LIMIT 1
) n ON true;
