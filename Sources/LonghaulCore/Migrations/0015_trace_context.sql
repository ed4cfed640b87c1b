-- Longhaul schema, version 13: a job remembers the trace it was enqueued in.
--
-- `trace_context` is the W3C `traceparent` of the request that enqueued the job (the span of
-- `POST /v1/jobs` or `POST /v1/batches`, itself a child of the caller's `traceparent`), so that a
-- worker in another process or on another machine continues the same trace when it claims,
-- creates, polls, finishes and announces the job. NULL when the API ran without tracing: a NULL
-- costs one bit of the row's null bitmap, so the narrow queue table stays as narrow as before;
-- a value is 55 bytes. Workers read it by primary key only while tracing is on.
-- Map and merge jobs inherit their parent's.

ALTER TABLE jobs ADD COLUMN trace_context text;
