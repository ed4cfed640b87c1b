-- Longhaul schema, version 15: stored texts are pruned with their last job (issue 17, section 4).
--
-- The Maintainer deletes a pruned job's document and instructions when no other job uses them.
-- Each deleted text makes PostgreSQL check the foreign key `jobs.instructions_id`, which had no
-- index: a scan of the whole jobs table per text (10,000 texts a prune pass). Few texts are
-- instructions, so the index is small (deduplicated), and the column never changes after insert.
CREATE INDEX IF NOT EXISTS jobs_instructions ON jobs (instructions_id) WHERE instructions_id IS NOT NULL;
