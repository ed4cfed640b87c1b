import MantleModels
import Testing

/// The table answers "which API runs this model, and where" as `shared/models.md` records it.
@Suite struct ModelTableTests {
    @Test(arguments: [
        ("openai.gpt-oss-120b", [ModelAPI.responses, .chatCompletions], ModelPathPrefix.v1),
        ("openai.gpt-oss-safeguard-20b", [.chatCompletions], .v1),
        ("openai.gpt-5.4", [.responses], .openAIV1),
        ("google.gemma-4-31b-it", [.responses, .chatCompletions], .openAIV1),
        ("xai.grok-4", [.responses, .chatCompletions], .openAIV1),
        ("qwen.qwen3-32b", [.chatCompletions], .v1),
        ("anthropic.claude-opus-4-7", [.anthropicMessages, .bedrockInvoke], .anthropicV1),
        ("anthropic.claude-haiku-4-5", [.anthropicMessages, .bedrockInvoke], .anthropicV1),
        ("anthropic.claude-sonnet-4-6", [.bedrockInvoke], .anthropicV1),
        ("us.anthropic.claude-sonnet-4-6", [.bedrockInvoke], .anthropicV1),
        ("global.anthropic.claude-sonnet-4-5-20250929-v1:0", [.bedrockInvoke], .anthropicV1),
        ("acme.new-model", [.responses], .v1),
    ])
    func apisFollowTheSupportMatrix(_ id: String, _ apis: [ModelAPI], _ prefix: ModelPathPrefix) {
        let capabilities = ModelTable.capabilities(of: id)
        #expect(capabilities.apis == apis)
        #expect(capabilities.pathPrefix == prefix)
    }

    /// Ids are case-insensitive, whatever the letters (lower-case ids skip the copy; others are
    /// lowered first), and a geography is recognised in any case.
    @Test(arguments: ["openai.gpt-oss-120b", "anthropic.claude-sonnet-4-6", "global.anthropic.claude-haiku-4-5", "acme.new-model"])
    func idsAreCaseInsensitive(_ id: String) {
        let lowered = ModelTable.capabilities(of: id)
        let shouted = ModelTable.capabilities(of: id.uppercased())
        #expect(shouted.apis == lowered.apis && shouted.pathPrefix == lowered.pathPrefix && shouted.geography == lowered.geography)
        #expect(ModelTable.knownModel(id.uppercased())?.id == ModelTable.knownModel(id)?.id)
        #expect(ModelTable.family(of: id.uppercased())?.name == ModelTable.family(of: id)?.name)
        // A non-ASCII letter is lowered as well (`lowercased()`), not passed through.
        #expect("ÉTÉ.MODEL".lowercasedModelID == "été.model")
        #expect(id.lowercasedModelID == id)
    }

    @Test func pathsPerAPI() {
        let gpt5 = ModelTable.capabilities(of: "openai.gpt-5.4")
        #expect(gpt5.path(for: .responses) == "/openai/v1/responses")
        #expect(ModelTable.capabilities(of: "qwen.qwen3-32b").path(for: .chatCompletions) == "/v1/chat/completions")
        let claude = ModelTable.capabilities(of: "anthropic.claude-opus-4-7")
        #expect(claude.path(for: .anthropicMessages) == "/anthropic/v1/messages")
        let profile = ModelTable.capabilities(of: "global.anthropic.claude-sonnet-4-5-20250929-v1:0")
        #expect(profile.geography == "global")
        #expect(profile.path(for: .bedrockInvoke) == "/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream")
        #expect(profile.path(for: .bedrockInvoke, stream: false).hasSuffix("/invoke"))
        #expect(ModelAPI.bedrockInvoke.host == .bedrockRuntime && ModelAPI.anthropicMessages.host == .mantle)
    }

    @Test func discoveryOverridesTheDefault() {
        // A Claude id Mantle does not list runs on bedrock-runtime; one it lists runs on Mantle first.
        #expect(ModelTable.capabilities(of: "anthropic.claude-opus-5", listedOnMantle: false).apis == [.bedrockInvoke])
        #expect(ModelTable.capabilities(of: "anthropic.claude-sonnet-4-6", listedOnMantle: true).preferredAPI == .anthropicMessages)
        #expect(ModelTable.capabilities(of: "qwen.qwen3-32b", listedOnMantle: false).apis.isEmpty)
    }

    @Test func mantleListsOpusAndHaikuButNotSonnet46() {
        let listed = Set(ModelTable.knownModels.filter(\.onMantle).map(\.id))
        #expect(listed.isSuperset(of: ["anthropic.claude-opus-4-7", "anthropic.claude-haiku-4-5", "qwen.qwen3-32b"]))
        #expect(!listed.contains("anthropic.claude-sonnet-4-6"))
        #expect(!listed.contains { ModelTable.splitGeography($0).geography != nil })
    }

    @Test func limitsAreOneTable() {
        #expect(ModelLimits.table.map(\.family) == ModelTable.families.map(\.name))
        #expect(ModelTable.capabilities(of: "qwen.qwen3-32b").limits.contextWindow == 128_000)
        #expect(ModelTable.capabilities(of: "us.anthropic.claude-sonnet-4-6").limits.contextWindow == 200_000)
        #expect(ModelLimits.limits(for: "openai.gpt-oss-safeguard-20b").contextWindow == 131_072)
    }
}
