-- The prices Longhaul ships, in USD per million tokens (input, cached input, output), each with
-- where the number comes from. The one source of `shipped_prices` (migration 0021): the migrator
-- runs this file again whenever it changes, and it replaces every shipped row, so updating,
-- adding or withdrawing a price is an edit of this file and nothing else. An operator's price
-- (`longhaul usage prices set`, table `operator_prices`) for the same model and tier wins.
--
-- A model without a citable price is left out, never guessed: its calls have no cost and wait
-- under a cap in money until an operator prices it. Left out for that reason: us.anthropic.claude-opus-4-7,
-- the gpt-oss, qwen, deepseek, mistral, gemma and grok models.
-- A cached price left NULL charges cached input at the input price (the source gives none).
-- Cross-Region ids: `global.` and the bare id are priced alike; a Geo id (`us.`) costs ~10 % more.
-- Long-context surcharges are not modelled: Sonnet 4.5 input over 200,000 tokens costs $6 / $22.50
-- on Anthropic's page, so such calls are understated here.
DELETE FROM shipped_prices;
INSERT INTO shipped_prices (model, input_per_million, cached_input_per_million, output_per_million, source) VALUES
    ('openai.gpt-5.4', 2.75, NULL, 16.50,
     'github.com/aws/agent-toolkit-for-aws bedrock_pricing.py STATIC_FALLBACK, openai.gpt-5.4 (verified there 2026-10-05)'),
    ('openai.gpt-5.5', 5.50, NULL, 33.00,
     'github.com/aws/agent-toolkit-for-aws bedrock_pricing.py STATIC_FALLBACK, openai.gpt-5.5 (verified there 2026-10-05)'),
    ('anthropic.claude-sonnet-4-6', 3.00, 0.30, 15.00,
     'github.com/aws/agent-toolkit-for-aws bedrock_pricing.py STATIC_FALLBACK (verified there 2026-10-05); cache hits: Anthropic pricing page, Claude Sonnet 4.6'),
    ('global.anthropic.claude-sonnet-4-6', 3.00, 0.30, 15.00,
     'github.com/aws/agent-toolkit-for-aws bedrock_pricing.py STATIC_FALLBACK (verified there 2026-10-05); cache hits: Anthropic pricing page, Claude Sonnet 4.6'),
    ('us.anthropic.claude-sonnet-4-6', 3.30, NULL, 16.50,
     'github.com/aws/agent-toolkit-for-aws bedrock_pricing.py STATIC_FALLBACK, Geo cross-Region rate (verified there 2026-10-05)'),
    ('anthropic.claude-haiku-4-5', 1.00, 0.10, 5.00,
     'github.com/aws/agent-toolkit-for-aws bedrock_pricing.py STATIC_FALLBACK, anthropic.claude-haiku-4-5-20251001-v1:0 (verified there 2026-10-05); cache hits: Anthropic pricing page, Claude Haiku 4.5'),
    ('global.anthropic.claude-haiku-4-5', 1.00, 0.10, 5.00,
     'github.com/aws/agent-toolkit-for-aws bedrock_pricing.py STATIC_FALLBACK, global.anthropic.claude-haiku-4-5-20251001-v1:0 (verified there 2026-10-05); cache hits: Anthropic pricing page, Claude Haiku 4.5'),
    ('anthropic.claude-opus-4-7', 5.00, 0.50, 25.00,
     'Anthropic pricing page (docs.anthropic.com/en/docs/about-claude/pricing), Claude Opus 4.7'),
    ('global.anthropic.claude-sonnet-4-5-20250929-v1:0', 3.00, 0.30, 15.00,
     'Anthropic pricing page (docs.anthropic.com/en/docs/about-claude/pricing), Claude Sonnet 4.5, input up to 200,000 tokens');
