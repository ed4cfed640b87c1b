import Mantle
import Testing

/// Which API runs which model, for projects with Mantle, bedrock-runtime, or both (models.md).
@Suite struct ModelRouteTests {
    @Test(arguments: [
        ("openai.gpt-oss-120b", GenerationAPI.responses),
        ("openai.gpt-5.4", .responses),
        ("google.gemma-4-27b", .responses),
        ("qwen.qwen3-32b", .chatCompletions),
        ("deepseek.v3", .chatCompletions),
        ("openai.gpt-oss-safeguard-20b", .chatCompletions),
        ("anthropic.claude-opus-4-7", .anthropicMessages),
        ("anthropic.claude-haiku-4-5", .anthropicMessages),
        ("anthropic.claude-sonnet-4-6", .bedrockRuntime),
        ("us.anthropic.claude-sonnet-4-6", .bedrockRuntime),
        ("global.anthropic.claude-sonnet-4-5-20250929-v1:0", .bedrockRuntime),
        ("some.new-model", .responses),
    ])
    func withBothHosts(_ model: String, _ api: GenerationAPI) throws {
        #expect(try ModelRoute.api(for: model, mantle: true, runtime: true) == api)
    }

    @Test func claudeOnMantleGoesToBedrockRuntimeWhenThatIsAllTheProjectHas() throws {
        #expect(try ModelRoute.api(for: "anthropic.claude-opus-4-7", mantle: false, runtime: true) == .bedrockRuntime)
    }

    @Test func aRuntimeOnlyModelWithoutARegionIsRefusedNamingTheFix() {
        #expect {
            try ModelRoute.api(for: "us.anthropic.claude-sonnet-4-6", mantle: true, runtime: false)
        } throws: { error in
            "\(error)".contains("bedrock-runtime Region") && "\(error)".contains("anthropic.claude-opus-4-7")
        }
    }

    @Test func aMantleModelWithoutMantleIsRefused() {
        #expect(throws: MantleError.self) { try ModelRoute.api(for: "qwen.qwen3-32b", mantle: false, runtime: true) }
    }
}
