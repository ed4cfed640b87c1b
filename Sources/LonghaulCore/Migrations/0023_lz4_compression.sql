-- Longhaul schema, version 23: the big text columns compress with lz4 instead of pglz.
--
-- A result row (its text and Mantle's Response JSON, ~2.3 KB at the simulator's size) passes
-- PostgreSQL's 2 KB threshold, so every ending compressed it with pglz: `pglz_compress` was the
-- server's fourth-hottest function in `bench/pipeline.sh`, and 5,000 result rows inserted in
-- 350–420 ms with pglz against 200–280 ms with lz4 (same sizes: 1,242 against 1,291 bytes for the
-- Response). Documents (enqueue) and webhook bodies (each ending) are the same kind of text.
-- New values only: rows written before keep pglz, which PostgreSQL reads either way.
--
-- lz4 needs a server built with it (PostgreSQL 14 or later; Debian's, Red Hat's and the official
-- images are). On one without it the columns keep pglz, and everything works as before.
DO $$
BEGIN
    EXECUTE 'ALTER TABLE results ALTER COLUMN output_text SET COMPRESSION lz4, ALTER COLUMN response SET COMPRESSION lz4';
    EXECUTE 'ALTER TABLE documents ALTER COLUMN body SET COMPRESSION lz4';
    EXECUTE 'ALTER TABLE deliveries ALTER COLUMN body SET COMPRESSION lz4';
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
    RAISE NOTICE 'lz4 compression is not available on this server (%); text columns keep pglz', SQLERRM;
END
$$;
