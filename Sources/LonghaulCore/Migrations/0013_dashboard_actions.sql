-- Longhaul schema, version 13: the dashboard's tracked bulk actions.
--
-- "Cancel (or retry) everything matching" acts on up to 10,000 jobs, one transaction each
-- (about 2 ms apiece: 20 s for the largest). The request that confirms it writes this row with
-- the jobs it will act on counted, answers with a redirect to the action's page, and the work
-- goes on after the answer, writing `done` and `skipped` every 100 jobs; the page shows
-- done / total until `finished_at` is set. `project_id` is the scope of the session that asked
-- (NULL: the admin's), so another project's action is a 404 like its jobs.
CREATE TABLE dashboard_actions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id       text NOT NULL UNIQUE,
    project_id      bigint REFERENCES projects (id) ON DELETE CASCADE,
    action          text NOT NULL CHECK (action IN ('cancel', 'retry')),
    -- The jobs page's query string the action was confirmed for.
    filters         text NOT NULL,
    total           integer NOT NULL,
    done            integer NOT NULL DEFAULT 0,
    skipped         integer NOT NULL DEFAULT 0,
    -- The first 100 skipped jobs, each {"id": …, "reason": …}.
    skipped_sample  jsonb NOT NULL DEFAULT '[]',
    -- Why it stopped early, when it did.
    error           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);
