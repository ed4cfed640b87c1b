-- Longhaul schema, version 4: outages and misconfiguration pause the work instead of failing it.
--
-- A call that failed in a transient way and created nothing (5xx, 429, a refused or reset
-- connection) no longer spends one of the job's attempts; the job instead has a retry window in
-- time, counted from the first such failure (`jobs.retrying_since`), after which it fails. A
-- project whose Mantle refuses its key (401/403, an unknown or archived Mantle project, a
-- credential that cannot be read) is paused with the reason until a probe gets an answer or an
-- operator resumes it; an endpoint that keeps failing has its breaker opened, so the submitter
-- stops claiming the project's jobs and sends one probe on a growing interval.

ALTER TABLE projects
    -- 24 h: the window OpenAI's Batch API gives every request, and what users of batch tools
    -- plan around; an outage longer than that needs a person, not more retries.
    ADD COLUMN retry_window_seconds integer NOT NULL DEFAULT 86400 CHECK (retry_window_seconds BETWEEN 60 AND 2592000),
    ADD COLUMN paused_at     timestamptz,
    -- 'needs_attention': Longhaul paused it (a refused key…) and probes it about once a minute;
    -- 'operator': `longhaul projects pause`, lifted only by `resume`.
    ADD COLUMN pause_kind    text CHECK (pause_kind IN ('needs_attention', 'operator')),
    ADD COLUMN pause_code    text,
    ADD COLUMN pause_reason  text,
    ADD COLUMN next_probe_at timestamptz,
    ADD CONSTRAINT projects_pause_whole CHECK ((paused_at IS NULL) = (pause_kind IS NULL));

ALTER TABLE jobs
    ADD COLUMN retrying_since timestamptz,                   -- first transient create failure since the last success
    ADD COLUMN poll_failures  smallint NOT NULL DEFAULT 0;   -- failed looks in a row, for the poll backoff

-- One breaker per endpoint a project calls: today each project has one host and one API.
-- A row exists only while calls are failing; the first answer deletes it.
CREATE TABLE endpoint_breakers (
    project_id        bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    api               text NOT NULL DEFAULT 'responses',
    failures          integer NOT NULL,          -- transient failures in a row
    opened_at         timestamptz,               -- NULL while still closed (counting)
    probe_interval_ms bigint,
    next_probe_at     timestamptz,
    last_error        text,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, api),
    CONSTRAINT endpoint_breakers_open_whole CHECK ((opened_at IS NULL) = (next_probe_at IS NULL))
);
