-- Longhaul schema, version 25: a job's public id and document are indexed in a table written once,
-- `job_keys`, not in `jobs` (issue 17, section 2).
--
-- A job's row is rewritten three times with a change to an indexed column (claim, accept, end:
-- each moves `state`, which the partial indexes of the queue name), and each such update writes a
-- new entry into every index of the table — the unique public id's and the document's included,
-- though neither value ever changes. Those two entries were ~20 µs of PostgreSQL's CPU a job in the
-- burn-down (`bench/pipeline.sh 20000 256`, the two indexes dropped against the same binaries,
-- three alternated pairs: 239–246 → 215–227 µs). Here they are written once, at enqueue.
--
-- `jobs.public_id` and `jobs.document_id` stay (every read of a job selects them); `job_keys` is
-- how a job is found by them: `WHERE j.id = (SELECT job_id FROM job_keys WHERE public_id = …)`. It
-- is kept by the triggers below, whatever inserts or deletes jobs (the enqueue, a split, the
-- pruner, a split job's cascade to its children), and the two columns may not change.
-- The document's foreign key moves with its index: the pruner's check that a text is still used
-- and the key's own check on a document's delete read `job_keys_document`.
CREATE TABLE job_keys (
    public_id text PRIMARY KEY,
    job_id bigint NOT NULL,
    document_id bigint NOT NULL REFERENCES documents (id)
);
ALTER TABLE job_keys ALTER COLUMN public_id SET STATISTICS 0;

INSERT INTO job_keys (public_id, job_id, document_id) SELECT public_id, id, document_id FROM jobs;
CREATE INDEX job_keys_document ON job_keys (document_id);

-- One function for both triggers: each runs only the branch of its own event (and transition table).
CREATE FUNCTION longhaul_job_keys_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO job_keys (public_id, job_id, document_id) SELECT public_id, id, document_id FROM added;
    ELSE
        DELETE FROM job_keys k USING gone g WHERE k.public_id = g.public_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER jobs_keys_added AFTER INSERT ON jobs REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION longhaul_job_keys_kept();
CREATE TRIGGER jobs_keys_removed AFTER DELETE ON jobs REFERENCING OLD TABLE AS gone
FOR EACH STATEMENT EXECUTE FUNCTION longhaul_job_keys_kept();

-- `UPDATE OF` fires only for a statement that names one of the columns: the queue's updates never do.
CREATE FUNCTION longhaul_job_keys_fixed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'job % keeps its public id and document for life (job_keys indexes them); enqueue a new job instead', OLD.public_id
        USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER jobs_keys_fixed BEFORE UPDATE OF public_id, document_id ON jobs FOR EACH ROW
WHEN (OLD.public_id IS DISTINCT FROM NEW.public_id OR OLD.document_id IS DISTINCT FROM NEW.document_id)
EXECUTE FUNCTION longhaul_job_keys_fixed();

ALTER TABLE jobs DROP CONSTRAINT jobs_public_id_key;
ALTER TABLE jobs DROP CONSTRAINT jobs_document_id_fkey;
DROP INDEX jobs_document;
