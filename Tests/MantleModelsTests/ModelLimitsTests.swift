import Testing

import MantleModels

@Suite struct ModelLimitsTests {
    @Test(arguments: [
        ("openai.gpt-oss-120b", 131_072, nil as Int?, TokenizerFamily.o200kBase),
        ("openai.gpt-oss-20b", 131_072, nil, .o200kBase),
        ("openai.gpt-5.4", 400_000, 272_000, .o200kBase),
        ("OPENAI.GPT-5.5", 400_000, 272_000, .o200kBase),
        ("google.gemma-4-31b-it", 128_000, nil, .unknown),
        ("xai.grok-4", 256_000, nil, .unknown),
        ("anthropic.claude-haiku-4-5", 200_000, nil, .unknown),
        ("us.anthropic.claude-sonnet-4-6", 200_000, nil, .unknown),
        ("qwen.qwen3-32b", 128_000, nil, .unknown),
    ])
    func windowsFollowModelsMd(_ model: String, _ window: Int, _ inputCap: Int?, _ tokenizer: TokenizerFamily) {
        let limits = ModelLimits.limits(for: model)
        #expect(limits.contextWindow == window)
        #expect(limits.maxInputTokens == inputCap)
        #expect(limits.tokenizer == tokenizer)
    }

    @Test func unknownModelsGetTheSmallestWindow() {
        #expect(ModelLimits.row(for: "acme.new-model") == nil)
        #expect(ModelLimits.limits(for: "acme.new-model").contextWindow == ModelLimits.table.map(\.limits.contextWindow).min())
    }

    @Test func inputBudgetReservesTheOutputAndHonoursTheInputCap() {
        #expect(ModelLimits.limits(for: "openai.gpt-oss-120b").inputBudget(reservingOutput: 2_000) == 129_072)
        // gpt-5: the window leaves 398,000 but the input cap is 272,000.
        #expect(ModelLimits.limits(for: "openai.gpt-5.4").inputBudget(reservingOutput: 2_000) == 272_000)
        #expect(ModelLimits.limits(for: "openai.gpt-5.4").inputBudget(reservingOutput: 200_000) == 200_000)
    }

    @Test func scalingShrinksEveryFigureAndOneKeepsThem() {
        let limits = ModelLimits.limits(for: "openai.gpt-5.4")
        let small = limits.scaled(by: 0.01)
        #expect(small.contextWindow == 4_000)
        #expect(small.maxInputTokens == 2_720)
        #expect(small.maxOutputTokens == 1_280)
        #expect(limits.scaled(by: 1) == limits)
    }
}
