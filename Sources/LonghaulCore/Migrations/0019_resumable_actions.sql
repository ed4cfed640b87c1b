-- Longhaul schema, version 19: the dashboard's bulk actions survive a stopped server.
--
-- An action keeps the jobs it was confirmed for (`job_ids`, at most 10,000) and how many of them
-- it has acted on (`acted`); each step acts on the next jobs and moves `acted` in the same
-- transaction, so a job is acted on exactly once however often the action is stopped and taken
-- up again. The server running it renews `lease_expires_at` with every step; once that passes,
-- the workers' Maintainer takes the action over and finishes it. A step that fails (the
-- database went away, say) is tried again by the Maintainer; the third failure ends the action.
ALTER TABLE dashboard_actions
    ADD COLUMN job_ids           text[] NOT NULL DEFAULT '{}',
    ADD COLUMN acted             integer NOT NULL DEFAULT 0,
    ADD COLUMN lease_expires_at  timestamptz,
    ADD COLUMN failures          smallint NOT NULL DEFAULT 0;
-- Actions from before this version have no list of jobs to go on with: they stay as they were.
CREATE INDEX dashboard_actions_unfinished ON dashboard_actions (lease_expires_at) WHERE finished_at IS NULL;
