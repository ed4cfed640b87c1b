-- Longhaul schema, version 18: a roll-up of finished jobs' usage, per 15 minutes.
--
-- A usage report summed every finished job's calls on each request: 36 s for 30 days by day at
-- 1,000,000 jobs. The workers' Maintainer now sums each 15 minutes once, behind a watermark, and a
-- report reads those sums plus, live, the jobs the roll-up does not hold (newer than the
-- watermark, partial buckets at the ends of the period, and stale ones), so it stays exact.
-- Fifteen minutes: 30 days by day read ~23,000 rows in the bench (5-minute buckets: 82 ms, hours:
-- 13 ms), and the live part is at most ~16 minutes of jobs (an hour would be 3,600,000 jobs at
-- 1,000 jobs/s).
-- Nothing is written per job on the hot path: only the rare changes to a job that has already
-- ended (a retry, a re-enqueue, a prune, a map call that ends after its parent) mark its bucket
-- stale, and the Maintainer sums that bucket again.
--
-- Tokens are stored, not cost: a report prices them with today's prices, as it always has.
-- Cached input is also kept clamped to the call's input (`priced_cached`, and the rest in
-- `priced_uncached`), which is what `longhaul_call_cost` charges, so a bucket's cost is exactly
-- the sum of its calls' costs.
CREATE TABLE usage_rollup (
    -- The start of the 15 minutes the jobs finished in (from 2000-01-01 UTC, so hours and UTC days
    -- are whole buckets).
    bucket            timestamptz NOT NULL,
    project_id        bigint NOT NULL,
    batch_id          bigint,
    -- The job's model (reports group by it); the call's model and priced tier (cost uses them):
    -- a split job's map calls may use another model. '' for a job that made no call.
    model             text NOT NULL,
    call_model        text NOT NULL,
    tier              text NOT NULL,
    -- Jobs are counted on one of their calls' rows only.
    jobs              bigint NOT NULL,
    completed         bigint NOT NULL,
    failed            bigint NOT NULL,
    incomplete        bigint NOT NULL,
    cancelled         bigint NOT NULL,
    calls             bigint NOT NULL,
    input_tokens      bigint NOT NULL,
    cached_tokens     bigint NOT NULL,
    output_tokens     bigint NOT NULL,
    reasoning_tokens  bigint NOT NULL,
    priced_uncached   bigint NOT NULL,
    priced_cached     bigint NOT NULL
);
CREATE INDEX usage_rollup_bucket ON usage_rollup (bucket);
CREATE INDEX usage_rollup_batch ON usage_rollup (batch_id) WHERE batch_id IS NOT NULL;

-- Every bucket before `watermark` (a bucket's start) is in `usage_rollup`, except stale ones. NULL:
-- nothing rolled up yet. The Maintainer advances it no further than the start of the oldest
-- transaction still open, as a job's `finished_at` is its finishing transaction's start and
-- that transaction may commit long after.
CREATE TABLE usage_rollup_state (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    watermark  timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO usage_rollup_state DEFAULT VALUES;

-- Buckets whose sums no longer match the jobs. `version` grows with each new mark, so the
-- Maintainer removes only the mark it summed the bucket for.
CREATE TABLE usage_rollup_stale (
    bucket  timestamptz PRIMARY KEY,
    version bigint NOT NULL DEFAULT 1
);

CREATE FUNCTION longhaul_usage_mark_stale(p_at timestamptz) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO usage_rollup_stale (bucket) VALUES (date_bin('15 minutes', p_at, timestamptz '2000-01-01 00:00:00+00'))
    ON CONFLICT (bucket) DO UPDATE SET version = usage_rollup_stale.version + 1
$$;

-- A finished job that stops being finished, or finishes again (retry, re-enqueue).
CREATE FUNCTION longhaul_usage_job_reopened() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM longhaul_usage_mark_stale(OLD.finished_at);
    RETURN NULL;
END $$;
CREATE TRIGGER jobs_usage_reopened AFTER UPDATE OF finished_at ON jobs FOR EACH ROW
WHEN (OLD.finished_at IS NOT NULL AND OLD.parent_id IS NULL AND NEW.finished_at IS DISTINCT FROM OLD.finished_at)
EXECUTE FUNCTION longhaul_usage_job_reopened();

-- A map or merge call that ends after its parent did (the parent was cancelled while it ran):
-- its usage counts with the parent, in the parent's bucket.
CREATE FUNCTION longhaul_usage_late_call() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM longhaul_usage_mark_stale(p.finished_at) FROM jobs p WHERE p.id = NEW.parent_id AND p.finished_at IS NOT NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER jobs_usage_late_call AFTER UPDATE OF finished_at ON jobs FOR EACH ROW
WHEN (NEW.parent_id IS NOT NULL AND OLD.finished_at IS NULL AND NEW.finished_at IS NOT NULL)
EXECUTE FUNCTION longhaul_usage_late_call();

-- Pruned jobs leave the reports, as they did before the roll-up.
CREATE FUNCTION longhaul_usage_jobs_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM longhaul_usage_mark_stale(h.at)
    FROM (SELECT DISTINCT date_bin('15 minutes', finished_at, timestamptz '2000-01-01 00:00:00+00') AS at FROM gone
          WHERE finished_at IS NOT NULL AND parent_id IS NULL) h;
    RETURN NULL;
END $$;
CREATE TRIGGER jobs_usage_deleted AFTER DELETE ON jobs REFERENCING OLD TABLE AS gone
FOR EACH STATEMENT EXECUTE FUNCTION longhaul_usage_jobs_deleted();
