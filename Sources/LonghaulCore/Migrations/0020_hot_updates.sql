-- Longhaul schema, version 20: the lease writes of jobs and deliveries are HOT updates (issue 17, section 2).
--
-- PostgreSQL updates a row in place on its page, writing no index entry (a heap-only tuple), only
-- when the update changes no column any index names (as a key or in its predicate) and the page
-- has room for the new version. A poll claim, a held stream's lease renewal and a webhook claim
-- now write only `lease_owner` and `lease_expires_at` (and a delivery's `attempt`), which no index
-- names once the two lease indexes below are gone; the "due" queries skip rows under a live lease
-- instead of the claim moving `next_poll_at` / `next_attempt_at` (which their indexes hold).
--
-- The Maintainer's rescue of expired leases finds its rows through one narrow index of the leased
-- states (a few hundred rows at most: in-flight submissions and held streams) and sorts them by
-- `lease_expires_at` itself, instead of two indexes keyed on a column every renewal moved.
DROP INDEX IF EXISTS jobs_submitting_lease;
DROP INDEX IF EXISTS jobs_held_lease;
CREATE INDEX jobs_leased ON jobs (id) WHERE state = 'submitting' OR (state = 'running' AND held);

-- A delivery's row holds its whole signed body, so a page holds few; half of each page left free
-- keeps the claim's new version on the row's page. It applies to pages written from now on.
ALTER TABLE deliveries SET (fillfactor = 50);
