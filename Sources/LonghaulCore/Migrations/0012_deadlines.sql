-- Longhaul schema, version 10: deadlines (opt-in, never the default).
--
-- A job may carry a `deadline`: the time after which its summary is of no use. As the deadline
-- nears, the Maintainer marks the job `urgent` and the claim takes urgent jobs of a project
-- before the others (priority still orders jobs within each group). A job still queued at its
-- deadline ends `failed` with `deadline_exceeded`; one with Mantle gets a cancel (so it stops
-- billing), and its cancelled end is written as that same failure (JobFinalizer).
ALTER TABLE jobs ADD COLUMN deadline timestamptz, ADD COLUMN urgent boolean NOT NULL DEFAULT false;

-- Only the jobs that still have a deadline to meet: the Maintainer's sweep every few seconds
-- reads these and nothing else, so jobs without a deadline cost it nothing.
CREATE INDEX jobs_deadlines ON jobs (deadline) WHERE deadline IS NOT NULL AND finished_at IS NULL;

-- The claim's order gains `urgent` ahead of priority.
DROP INDEX jobs_queued_by_kind;
CREATE INDEX jobs_queued_by_kind ON jobs (project_id, held, urgent DESC, priority DESC, run_at, id) WHERE state = 'queued';

-- When a job with a deadline goes ahead of the others of its project: once the time left is less
-- than twice its worst-case generation at a slow 20 output tokens per second, and no later than
-- 5 minutes before (16,384 output tokens: 27 minutes before; 1,000: 5 minutes). The one source of
-- that rule, for enqueue and for the Maintainer's sweep alike.
CREATE FUNCTION longhaul_urgent_at(p_deadline timestamptz, p_max_output_tokens integer) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p_deadline - greatest(interval '5 minutes', make_interval(secs => 2 * p_max_output_tokens / 20.0))
$$;

-- Prices per service tier (issue 15): a model's price is its `default` row; a `flex` row, when
-- set, prices the calls Mantle served on the flex tier (`auto` is served as `default`). A flex
-- call of a model without a flex price is charged at the default price.
ALTER TABLE model_prices ADD COLUMN service_tier text NOT NULL DEFAULT 'default'
    CONSTRAINT model_prices_tier CHECK (service_tier IN ('default', 'flex'));
ALTER TABLE model_prices DROP CONSTRAINT model_prices_pkey, ADD PRIMARY KEY (model, service_tier);

-- The tier a call is priced at: the one Mantle reported on its Response, else the one it asked for.
CREATE FUNCTION longhaul_priced_tier(p_served text, p_asked text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN coalesce(p_served, p_asked) = 'flex' THEN 'flex' ELSE 'default' END
$$;

-- What a call costs at its model's price on `p_tier`: uncached input, cached input (at the cached
-- price, else the input price) and output, per million tokens; NULL when the model has no price.
-- Replaces the version without a tier (migration 0006), so no caller can forget the tier.
CREATE FUNCTION longhaul_call_cost(p_model text, p_tier text, p_input bigint, p_cached bigint, p_output bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT (greatest(p_input - p_cached, 0) * mp.input_per_million
            + least(p_cached, p_input) * coalesce(mp.cached_input_per_million, mp.input_per_million)
            + p_output * mp.output_per_million) / 1000000
    FROM model_prices mp WHERE mp.model = p_model AND mp.service_tier IN ('default', p_tier)
    ORDER BY mp.service_tier = p_tier DESC LIMIT 1
$$;

-- The caps' view moves to its own file (longhaul_budget_state.function.sql, applied after the
-- migrations and again whenever it changes); it goes first, as it calls the old function.
DROP VIEW longhaul_budget_state;
DROP FUNCTION longhaul_call_cost(text, bigint, bigint, bigint);
