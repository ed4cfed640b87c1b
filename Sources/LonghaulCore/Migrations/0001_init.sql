-- Longhaul schema, version 1 (pending).
SELECT 1;
