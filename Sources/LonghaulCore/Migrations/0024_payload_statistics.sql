-- Longhaul schema, version 24: ANALYZE leaves out the columns no plan reads statistics of.
--
-- ANALYZE sorts every sampled column for its histogram and most common values. For the payload
-- columns — texts, JSON, hashes, the unique public ids — that is most of its work, and no plan
-- uses the result: they are selected, read through `->>` (whose estimates these statistics do not
-- inform), or looked up through a unique index (which alone tells the planner "one row"). ANALYZE
-- runs when a table has changed by a fifth (the Maintainer's pass, and autovacuum's): after a
-- 20,000-job burn-down it took 306 ms for the five hot tables, 210 ms without these (jobs 125 → 83,
-- deliveries 76 → 41, documents 40 → 20; psql, median of three).
ALTER TABLE jobs
    ALTER COLUMN public_id SET STATISTICS 0, ALTER COLUMN params SET STATISTICS 0,
    ALTER COLUMN metadata SET STATISTICS 0, ALTER COLUMN source_path SET STATISTICS 0,
    ALTER COLUMN request_sha256 SET STATISTICS 0, ALTER COLUMN partial_text SET STATISTICS 0,
    ALTER COLUMN chunk SET STATISTICS 0, ALTER COLUMN trace_context SET STATISTICS 0;
ALTER TABLE results
    ALTER COLUMN output_text SET STATISTICS 0, ALTER COLUMN response SET STATISTICS 0,
    ALTER COLUMN error_message SET STATISTICS 0;
ALTER TABLE attempts ALTER COLUMN error_message SET STATISTICS 0;
ALTER TABLE deliveries
    ALTER COLUMN public_id SET STATISTICS 0, ALTER COLUMN body SET STATISTICS 0,
    ALTER COLUMN last_error SET STATISTICS 0;
ALTER TABLE documents ALTER COLUMN body SET STATISTICS 0;
