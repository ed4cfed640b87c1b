-- Filters that stay fast on a big jobs table (the dashboard and `GET /v1/jobs`), measured with
-- 1,000,000 jobs by bench/dashboard.sh, without making the queue's writes dearer.
--
-- Every transition of a job (queued → submitting → running → ended) is an update that cannot be
-- HOT (`state` is in the predicates of the partial indexes), so each one writes an entry into
-- every index on `jobs`. An index for searching there would be paid four times per job, on the hot
-- path. What is searched but never changes — the file name and the metadata — goes instead into
-- `job_search`, written once with the job and never updated; only jobs that have either get a row.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE job_search (
    job_id      bigint PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    source_path text,
    metadata    jsonb NOT NULL DEFAULT '{}'
);
-- A substring of a file name, any case (`ILIKE '%…%'`): 2.2 s walking jobs newest first when
-- nothing matches, a few milliseconds from trigrams.
CREATE INDEX job_search_source ON job_search USING gin (source_path gin_trgm_ops) WHERE source_path IS NOT NULL;
-- A metadata key (`?`) or key and value (`@>`).
CREATE INDEX job_search_metadata ON job_search USING gin (metadata) WHERE metadata <> '{}';

INSERT INTO job_search (job_id, source_path, metadata)
SELECT id, source_path, metadata FROM jobs
WHERE parent_id IS NULL AND (source_path IS NOT NULL OR metadata <> '{}');

-- A created range: `created_at` grows with the table's physical order, so a BRIN index of a few
-- pages finds the blocks of a day (0.58 s walking the listing index back 10 days); BRIN entries
-- change only when a block range's bounds do, so updates barely write to it.
CREATE INDEX jobs_created ON jobs USING brin (created_at);

-- Split jobs waiting for their children, per project, for the queue counts (a rare state: the
-- partial index holds only them, and an update writes to it only while a job is in that state).
CREATE INDEX jobs_waiting_for_children ON jobs (project_id) WHERE state = 'waiting_for_children';

-- The first job id created at or after `p_at`, found by bisecting the primary key (about 20 index
-- lookups): ids and `created_at` grow together, so a created range becomes an id range that the
-- listing walks directly, where the planner, assuming matches spread evenly, walked the listing
-- index back from the newest job (0.50 s to reach a day 9 days back in 1,000,000 jobs).
-- `created_at` is its transaction's start, so jobs of concurrent enqueues may be out of order by
-- as long as an enqueue transaction runs (well under a second; a 10,000-file batch commits in
-- about 1.5 s): callers widen the range by a minute and keep the exact condition on `created_at`.
CREATE FUNCTION longhaul_job_id_created_at(p_at timestamptz) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    low bigint;
    high bigint;
    middle bigint;
    created timestamptz;
BEGIN
    SELECT min(id), max(id) + 1 INTO low, high FROM jobs;
    IF low IS NULL THEN
        RETURN 0;
    END IF;
    WHILE low < high LOOP
        middle := low + (high - low) / 2;
        SELECT j.created_at INTO created FROM jobs j WHERE j.id >= middle ORDER BY j.id LIMIT 1;
        IF created >= p_at THEN
            high := middle;
        ELSE
            low := middle + 1;
        END IF;
    END LOOP;
    RETURN low;
END
$$;
