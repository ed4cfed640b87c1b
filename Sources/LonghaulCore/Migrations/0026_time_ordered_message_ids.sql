-- Longhaul schema, version 26: a webhook message's id grows with time.
--
-- Each delivery's id ('msg_' and a random UUID's 32 hex digits) went into the unique index
-- `deliveries_public_id_key` at a random leaf, and after every checkpoint the first change to a
-- leaf writes the whole page to the WAL: with a large outbox, nearly every delivery written paid
-- for a page image. Measured in psql on tables with the same unique index, 320,000 rows each, then
-- 20,000 more after a CHECKPOINT: 28 MB of WAL with random ids, 11 MB with ids that grow (the
-- random index was also 23 MB against 15 MB: pages split in the middle stay half empty).
--
-- The id keeps its shape, 'msg_' and 32 lower-case hex digits: now 12 of them are the
-- milliseconds since 1970 and 20 come from a random UUID (74 random bits: its version and variant
-- bits fall among them), as Svix's message ids are time-ordered KSUIDs. The column's default makes
-- it: every INSERT that writes a delivery leaves the id to it.
CREATE FUNCTION longhaul_message_id() RETURNS text
LANGUAGE sql VOLATILE AS $$
    SELECT 'msg_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
                  || left(replace(gen_random_uuid()::text, '-', ''), 20)
$$;
ALTER TABLE deliveries ALTER COLUMN public_id SET DEFAULT longhaul_message_id();
