-- Longhaul schema, version 9: calibrated token estimates for the tokens-per-minute budget.
--
-- Longhaul estimates a job's input tokens before it is sent (UTF-8 bytes ÷ 4, a token per CJK
-- character; exact with o200k_base for gpt-oss and gpt-5 when its ranks are installed), and
-- Mantle admits a call on the tokens it counts itself. Where the estimate runs low (Swift source:
-- estimate ÷ actual down to 0.76 per chunk in bench/token-estimate.py; Claude's tokenizer is not
-- public, so only its usage tells), a budget kept on raw estimates lets through more than Mantle
-- will, and the surplus comes back as 429s.
-- The maintainer writes here, about once a minute, each model's factor (tokens Mantle counts
-- per estimated token) as `EstimateCalibration.decide` finds it over the last day's calls;
-- the claim multiplies estimates by it. A model with too little history has no row: factor 1.
CREATE TABLE token_calibrations (
    model       text PRIMARY KEY,
    factor      float8 NOT NULL CHECK (factor > 0),
    margin      float8 NOT NULL CHECK (margin >= 1),
    samples     integer NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The input tokens a job is expected to count as: its estimate times its model's factor, or
-- the estimate itself when it was counted with the model's tokenizer (`params.input_count`).
CREATE FUNCTION longhaul_expected_input_tokens(p_model text, p_params jsonb, p_estimate integer) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_params ? 'input_count' THEN p_estimate
                ELSE ceil(p_estimate * coalesce((SELECT c.factor FROM token_calibrations c WHERE c.model = p_model), 1))::integer END
$$;
