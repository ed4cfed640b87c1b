-- Longhaul schema, version 7: the dashboard's sessions and read-only tokens.
--
-- A dashboard session is opened by signing in with an API token and lives in a cookie that holds
-- a 256-bit random secret; only its SHA-256 is stored here (as for API tokens: 256 random bits
-- need no salt, and a plain hash finds the row by index). The session keeps the digest of the
-- token it was opened with, and every page looks that token up where `revoked_at IS NULL`,
-- so revoking the token ends its sessions at the next request; signing out deletes the row, so a
-- copied cookie dies with it (a signed cookie alone would live until it expires). `csrf_token` is
-- rendered into every form of the session and compared on every POST.
--
-- `read_only` tokens can read every route they could read before and change nothing: the REST
-- API answers 403 to their writes and the dashboard shows no action.
ALTER TABLE api_tokens ADD COLUMN read_only boolean NOT NULL DEFAULT false;

CREATE TABLE dashboard_sessions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    secret_sha256   bytea NOT NULL UNIQUE,
    -- The SHA-256 of the token signed in with: an api_tokens row, or LONGHAUL_ADMIN_TOKEN's.
    token_sha256    bytea NOT NULL,
    csrf_token      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL
);
CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions (expires_at);
