-- Longhaul schema, version 9: calibrated token estimates, and project-specific model windows.
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

-- A project's own context window (and output limit) for a model, in place of the model table's
-- (`Sources/MantleModels/ModelTable.swift`): read where the project's jobs are planned — enqueue,
-- plans — and cut into chunks. Set with `longhaul projects limits` or
-- `PUT /v1/projects/{project}/model-limits/{model}`.
CREATE TABLE project_model_limits (
    project_id          bigint NOT NULL REFERENCES projects (id),
    model               text NOT NULL,
    context_window      integer NOT NULL CHECK (context_window >= 1024),
    max_output_tokens   integer CHECK (max_output_tokens >= 16 AND max_output_tokens <= context_window),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, model)
);
