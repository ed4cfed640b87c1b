-- Longhaul schema, version 2: what the Deliverer and the webhook commands need beyond the outbox
-- of version 1.

-- Each endpoint signs with a secret of its own (Standard Webhooks: one key per endpoint) and
-- keeps its previous secret signing for a while after a rotation, as projects do for per-job
-- URLs. NULL (an endpoint inserted by hand) means "sign with the project's secret".
-- A removed endpoint is kept (deleted_at) because its deliveries and their log refer to it.
ALTER TABLE webhook_endpoints
    ADD COLUMN secret                     text,
    ADD COLUMN previous_secret            text,
    ADD COLUMN previous_secret_expires_at timestamptz,
    ADD COLUMN disabled_at                timestamptz,
    ADD COLUMN deleted_at                 timestamptz;

-- The attempt number at which the current retry schedule began: a manual redelivery restarts
-- the schedule while attempt numbers in the log keep counting up.
ALTER TABLE deliveries ADD COLUMN schedule_start smallint NOT NULL DEFAULT 0;

-- `deliveries resend --since`: failed deliveries by the time of their event.
CREATE INDEX deliveries_failed ON deliveries (created_at) WHERE state = 'failed';
-- Cancelling what is pending when an endpoint is disabled or removed.
CREATE INDEX deliveries_endpoint_pending ON deliveries (endpoint_id) WHERE state = 'pending';

-- The address actually connected to (after the SSRF check), for audit.
ALTER TABLE delivery_attempts ADD COLUMN address text;
