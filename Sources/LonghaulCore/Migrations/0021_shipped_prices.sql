-- Longhaul schema, version 21: known prices ship with Longhaul; an operator's price overrides them.
--
-- Until now every price was the operator's (`longhaul usage prices set`), so a fresh install had
-- no cost anywhere and a budget in money admitted nothing. The prices Longhaul knows, each with
-- where the number comes from, are now rows of `shipped_prices`, written by one file
-- (longhaul_shipped_prices.function.sql, applied again whenever it changes, so updating a price
-- is a one-file change); the operator's own rows move to `operator_prices`. `model_prices`
-- becomes the view of both that everything reads: an operator row for a model and tier wins over
-- the shipped row for the same model and tier. Writes go to `operator_prices` only.
ALTER TABLE model_prices RENAME TO operator_prices;
ALTER TABLE operator_prices RENAME CONSTRAINT model_prices_tier TO operator_prices_tier;
ALTER INDEX model_prices_pkey RENAME TO operator_prices_pkey;

CREATE TABLE shipped_prices (
    model                       text NOT NULL,
    service_tier                text NOT NULL DEFAULT 'default' CONSTRAINT shipped_prices_tier CHECK (service_tier IN ('default', 'flex')),
    input_per_million           numeric(12, 6) NOT NULL,
    cached_input_per_million    numeric(12, 6),
    output_per_million          numeric(12, 6) NOT NULL,
    currency                    text NOT NULL DEFAULT 'USD',
    -- Where the number comes from (a page, a file and the date it was checked): never a guess.
    source                      text NOT NULL CHECK (source <> '' AND source <> 'operator'),
    PRIMARY KEY (model, service_tier)
);

-- `source` is 'operator' for the operator's rows, else the shipped row's citation. Both tables
-- are keyed by (model, service_tier), so a lookup by model reads one index entry of each.
CREATE VIEW model_prices AS
SELECT o.model, o.service_tier, o.input_per_million, o.cached_input_per_million, o.output_per_million, o.currency,
       'operator'::text AS source
FROM operator_prices o
UNION ALL
SELECT s.model, s.service_tier, s.input_per_million, s.cached_input_per_million, s.output_per_million, s.currency, s.source
FROM shipped_prices s
WHERE NOT EXISTS (SELECT 1 FROM operator_prices o WHERE o.model = s.model AND o.service_tier = s.service_tier);
