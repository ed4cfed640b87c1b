-- Longhaul schema, version 5: documents of any length, as map-reduce jobs.
--
-- A job whose document does not fit its model's context window is split: map jobs summarise its
-- chunks, reduce jobs merge their summaries, and the job itself makes no call meanwhile — it is
-- `waiting_for_children` until the last merge ends it. Its children are ordinary jobs of the same
-- project (claimed, budgeted, leased, retried, cancelled and counted like any other) with
-- `parent_id` set and no batch (the parent is the batch's job). `chunk` says where a child sits:
-- its level (1 = map, 2+ = merges), its position in document order, the map chunks it covers and
-- the headings it starts under.
--
-- Ending a child wakes its parent (`children_due_at = now()`), and the Coordinator takes the
-- parent's next step in one transaction, so a crash loses no finished chunk and a step is never
-- taken twice. The Coordinator's index is on `children_due_at`, not on the new state: a value
-- added to an enum cannot be used in the transaction that adds it.
ALTER TYPE job_state ADD VALUE IF NOT EXISTS 'waiting_for_children' AFTER 'queued';

ALTER TABLE jobs
    ADD COLUMN parent_id       bigint REFERENCES jobs (id) ON DELETE CASCADE,
    ADD COLUMN chunk           jsonb,
    ADD COLUMN children_due_at timestamptz;

CREATE INDEX jobs_parent ON jobs (parent_id, id) WHERE parent_id IS NOT NULL;
CREATE INDEX jobs_children_due ON jobs (children_due_at) WHERE children_due_at IS NOT NULL;
