-- Longhaul schema, version 9: held streams get their own claim loop, slots and visible state.
--
-- `held` is decided at enqueue from the model table (a model without background mode runs as
-- one held stream) so that the held-stream loop and the create loop each claim only their own
-- jobs through an index: filtering on the model instead would make a project with 100,000
-- queued Responses jobs cost the held-stream claim a walk over all of them, every second.
-- Jobs queued before this version keep `held = false`; the create loop still streams those.
--
-- While its stream is held the job is `running` with `held` set and no Response id (the
-- Poller never sees it: it has no `next_poll_at`); its lease is the worker's, renewed by the
-- held-stream loop's heartbeat and rescued by the Maintainer like a submission's.
--
-- An attempt whose stream reported no usage (cut before the usage chunk) records the input it
-- was billed for from the enqueue estimate, and says so in `input_tokens_estimated`.

ALTER TABLE jobs ADD COLUMN held boolean NOT NULL DEFAULT false;

-- `held` as a key, not a partial-index predicate: the claim compares it with a parameter, which
-- a generic plan can match to a key column but never to a predicate.
CREATE INDEX jobs_queued_by_kind ON jobs (project_id, held, priority DESC, run_at, id) WHERE state = 'queued';
CREATE INDEX jobs_held_lease ON jobs (lease_expires_at) WHERE state = 'running' AND held;

ALTER TABLE attempts ADD COLUMN input_tokens_estimated boolean NOT NULL DEFAULT false;

-- A project's bedrock-runtime Region, where it differs from Mantle's (Claude Sonnet 4.6 and the
-- cross-Region ids run there); NULL: the Mantle Region, or the base URL, serves both.
ALTER TABLE projects ADD COLUMN runtime_region text;

-- A running job has a Response to poll, or is a held stream (which has none).
ALTER TABLE jobs DROP CONSTRAINT jobs_running_has_response,
    ADD CONSTRAINT jobs_running_has_response CHECK (state <> 'running' OR response_id IS NOT NULL OR held);
