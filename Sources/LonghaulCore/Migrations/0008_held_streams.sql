-- Longhaul schema, version 8: jobs whose model has no background mode run as one held stream
-- (Chat Completions, Anthropic Messages on Mantle or bedrock-runtime).
--
-- The worker holds the stream under the job's submission lease. Every few seconds (not per
-- token: 2,000 streams at one write per token would be ~100,000 writes/s) it checkpoints the text
-- so far, so a running job shows how far it has got. An attempt that ends — finished, or cut and
-- retried — records the tokens it consumed: a cut stream was billed for them.

ALTER TABLE jobs
    ADD COLUMN partial_text          text,
    ADD COLUMN partial_output_tokens integer,
    ADD COLUMN checkpointed_at       timestamptz;

ALTER TABLE attempts
    ADD COLUMN input_tokens  integer,
    ADD COLUMN cached_tokens integer,
    ADD COLUMN output_tokens integer;
