-- Longhaul schema: fewer index writes per job (issue 17, section 2).
--
-- `jobs_queued` is `jobs_queued_by_kind` (0011) less its `held` column: every query on queued
-- jobs names the project first, which the newer index serves as well, so each enqueue wrote
-- an entry to an index nothing needed.
DROP INDEX IF EXISTS jobs_queued;

-- An attempt is inserted when its create is answered and updated once when its job ends. With
-- pages packed full, that update found no room on its page and was not HOT: a new tuple on
-- another page and a new entry in each of the table's two indexes. 15 % free space per page
-- keeps the update on the page (no index written); it applies to pages written from now on.
ALTER TABLE attempts SET (fillfactor = 85);
