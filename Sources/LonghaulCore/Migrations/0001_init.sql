-- Longhaul schema, version 1.
--
-- The hot table is `jobs`: every loop claims from it, so it stays narrow (document and
-- instruction text live in `documents`, outputs in `results`), each loop has a partial index
-- that holds only the rows it can claim, and autovacuum runs early on it. Every state change
-- that must be announced writes its `deliveries` row in the same transaction (the outbox).

CREATE TYPE job_state AS ENUM (
    'queued', 'submitting', 'running', 'completed', 'failed', 'incomplete', 'cancelled'
);

CREATE TYPE delivery_state AS ENUM ('pending', 'succeeded', 'failed', 'cancelled');

CREATE TABLE projects (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug                    text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    -- Where the project's Mantle lives: a region, a base URL (simulator, proxy), or neither,
    -- which means the process-wide default endpoint (OPENAI_BASE_URL, else the simulator).
    region                  text,
    base_url                text,
    mantle_project_id       text,          -- proj_…, sent as OpenAI-Project
    credential_ref          text,          -- env:NAME, file:PATH, aws[:PROFILE]; never the secret
    default_model           text NOT NULL,
    max_in_flight           integer NOT NULL DEFAULT 50 CHECK (max_in_flight > 0),
    tokens_per_minute       integer CHECK (tokens_per_minute > 0),
    max_attempts            smallint NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 100),
    tags                    jsonb NOT NULL DEFAULT '{}',
    -- Webhook signing secrets must be readable to sign; the previous one keeps signing until
    -- previous_secret_expires_at so receivers can roll over.
    webhook_secret          text NOT NULL,
    previous_webhook_secret text,
    previous_secret_expires_at timestamptz,
    archived_at             timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projects_one_endpoint CHECK (region IS NULL OR base_url IS NULL)
);

CREATE TABLE api_tokens (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id       text NOT NULL UNIQUE,
    token_sha256    bytea NOT NULL UNIQUE,
    project_id      bigint REFERENCES projects (id),   -- NULL: an admin token
    name            text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz,
    revoked_at      timestamptz
);

-- Content-addressed text: a document (or an instruction text) stored once however many jobs use it.
CREATE TABLE documents (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256          bytea NOT NULL UNIQUE,
    body            text NOT NULL,
    byte_size       integer NOT NULL,
    media_type      text NOT NULL DEFAULT 'text/plain',
    source_name     text,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE batches (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id       text NOT NULL UNIQUE,
    project_id      bigint NOT NULL REFERENCES projects (id),
    name            text NOT NULL,
    source          text,
    webhook_url     text,
    total_jobs      integer NOT NULL DEFAULT 0,
    -- Jobs not yet terminal. Decremented in the transaction that ends a job, under the row
    -- lock, so exactly one transaction sees it reach zero and writes batch.completed.
    pending_jobs    integer NOT NULL DEFAULT 0 CHECK (pending_jobs >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);
CREATE INDEX batches_project ON batches (project_id, id DESC);

CREATE TABLE jobs (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id              bigint NOT NULL REFERENCES projects (id),
    batch_id                bigint REFERENCES batches (id),
    document_id             bigint NOT NULL REFERENCES documents (id),
    instructions_id         bigint REFERENCES documents (id),
    state                   job_state NOT NULL DEFAULT 'queued',
    priority                smallint NOT NULL DEFAULT 0,
    attempt                 smallint NOT NULL DEFAULT 0,
    max_attempts            smallint NOT NULL DEFAULT 5,
    poll_count              integer NOT NULL DEFAULT 0,
    max_output_tokens       integer NOT NULL CHECK (max_output_tokens >= 16),
    estimated_input_tokens  integer NOT NULL,
    run_at                  timestamptz NOT NULL DEFAULT now(),
    next_poll_at            timestamptz,
    lease_expires_at        timestamptz,
    submitted_at            timestamptz,
    cancel_requested_at     timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    finished_at             timestamptz,
    public_id               text NOT NULL UNIQUE,
    model                   text NOT NULL,
    lease_owner             text,
    response_id             text,
    remote_status           text,
    idempotency_key         text,
    request_sha256          bytea,
    source_path             text,
    webhook_url             text,
    params                  jsonb NOT NULL DEFAULT '{}',    -- reasoning effort, text format
    metadata                jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT jobs_finished_iff_terminal
        CHECK ((state IN ('completed', 'failed', 'incomplete', 'cancelled')) = (finished_at IS NOT NULL)),
    CONSTRAINT jobs_lease_only_in_flight CHECK (lease_owner IS NULL OR state IN ('submitting', 'running')),
    CONSTRAINT jobs_running_has_response CHECK (state <> 'running' OR response_id IS NOT NULL)
) WITH (
    fillfactor = 80,
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.05,
    autovacuum_vacuum_cost_limit = 2000,
    autovacuum_vacuum_cost_delay = 1
);

-- The Submitter's claim: due queued jobs per project in priority order.
CREATE INDEX jobs_queued ON jobs (project_id, priority DESC, run_at, id) WHERE state = 'queued';
-- The Poller's claim: running jobs by next poll time.
CREATE INDEX jobs_poll_due ON jobs (next_poll_at) WHERE state = 'running';
-- The Maintainer's rescue of expired submission leases.
CREATE INDEX jobs_submitting_lease ON jobs (lease_expires_at) WHERE state = 'submitting';
-- max_in_flight: in-flight jobs per project.
CREATE INDEX jobs_in_flight ON jobs (project_id) WHERE state IN ('submitting', 'running');
-- Tokens-per-minute budget: what each project submitted recently.
CREATE INDEX jobs_submitted ON jobs (project_id, submitted_at) WHERE submitted_at IS NOT NULL;
CREATE UNIQUE INDEX jobs_idempotency ON jobs (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_batch ON jobs (batch_id, id) WHERE batch_id IS NOT NULL;
CREATE INDEX jobs_listing ON jobs (project_id, id DESC);
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX jobs_document ON jobs (document_id);

CREATE TABLE results (
    job_id              bigint PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    output_text         text,
    input_tokens        integer,
    cached_tokens       integer,
    output_tokens       integer,
    reasoning_tokens    integer,
    total_tokens        integer,
    incomplete_reason   text,
    error_code          text,
    error_message       text,
    response            jsonb,
    created_at          timestamptz NOT NULL DEFAULT now()
);

-- One row per submission of a job to Mantle, with what became of it.
CREATE TABLE attempts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id          bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt         smallint NOT NULL,
    worker          text,
    response_id     text,
    http_status     smallint,
    outcome         text NOT NULL,
    error_code      text,
    error_message   text,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz
);
CREATE INDEX attempts_job ON attempts (job_id, attempt);

CREATE TABLE webhook_endpoints (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id       text NOT NULL UNIQUE,
    project_id      bigint NOT NULL REFERENCES projects (id),
    url             text NOT NULL,
    event_types     text[] NOT NULL DEFAULT '{}',   -- empty: every event
    include_result  boolean NOT NULL DEFAULT false,
    enabled         boolean NOT NULL DEFAULT true,
    disabled_reason text,
    failing_since   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_project ON webhook_endpoints (project_id) WHERE enabled;

CREATE TABLE deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id       text NOT NULL UNIQUE,           -- the webhook-id, stable across attempts
    project_id      bigint NOT NULL REFERENCES projects (id),
    endpoint_id     bigint REFERENCES webhook_endpoints (id),
    job_id          bigint REFERENCES jobs (id) ON DELETE SET NULL,
    batch_id        bigint REFERENCES batches (id) ON DELETE SET NULL,
    url             text NOT NULL,
    event_type      text NOT NULL,
    body            text NOT NULL,                  -- the exact bytes signed and sent
    state           delivery_state NOT NULL DEFAULT 'pending',
    attempt         smallint NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_owner     text,
    lease_expires_at timestamptz,
    last_status     smallint,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
) WITH (fillfactor = 85, autovacuum_vacuum_scale_factor = 0.02);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_project ON deliveries (project_id, id DESC);
CREATE INDEX deliveries_job ON deliveries (job_id) WHERE job_id IS NOT NULL;
CREATE INDEX deliveries_finished ON deliveries (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE delivery_attempts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id     bigint NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt         smallint NOT NULL,
    started_at      timestamptz NOT NULL,
    duration_ms     integer NOT NULL,
    http_status     smallint,
    response_body   text,
    error           text
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, attempt);

-- Prices per million tokens, for cost in usage reports; models without a row have no cost.
CREATE TABLE model_prices (
    model                       text PRIMARY KEY,
    input_per_million           numeric(12, 6) NOT NULL,
    cached_input_per_million    numeric(12, 6),
    output_per_million          numeric(12, 6) NOT NULL,
    currency                    text NOT NULL DEFAULT 'USD'
);

-- The Submitter's claim, `longhaul_claim_jobs`, lives in longhaul_claim_jobs.function.sql: functions
-- have one source file each, which the migrator applies again whenever it changes.
