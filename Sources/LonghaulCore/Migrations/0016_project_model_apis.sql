-- Longhaul schema, version 14: a project's own entry for a model names the API that runs it.
--
-- AWS adds models to Bedrock every month; Longhaul's table (`Sources/MantleModels/ModelTable.swift`)
-- knows the families of its time. A project's row in `project_model_limits` may now say which
-- API runs a model — one the table does not know (a new family), or one the table would run
-- otherwise (gpt-oss through Chat Completions) — and enqueue accepts the model for that project.
-- NULL keeps the table's choice. Jobs carry the choice in `params.api`, so workers never look it up.

ALTER TABLE project_model_limits
    ADD COLUMN api text CHECK (api IN ('responses', 'chat_completions', 'anthropic_messages', 'bedrock_runtime'));
