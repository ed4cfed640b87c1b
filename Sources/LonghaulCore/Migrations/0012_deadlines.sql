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
