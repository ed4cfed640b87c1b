import Testing

@testable import Mantle

@Suite struct ModelCapabilitiesTests {
    @Test(arguments: [
        ("openai.gpt-oss-120b", MantlePathPrefix.v1, MantleModelFamily.gptOSS),
        ("openai.gpt-oss-20b", .v1, .gptOSS),
        ("openai.gpt-5.4", .openAIV1, .gpt5),
        ("openai.gpt-5.6-terra", .openAIV1, .gpt5),
        ("openai.gpt-6-mini", .openAIV1, .gpt5),
        ("google.gemma-4-27b", .openAIV1, .gemma),
        ("xai.grok-4", .openAIV1, .grok),
        ("OpenAI.GPT-OSS-120B", .v1, .gptOSS),
    ])
    func responsesModels(model: String, prefix: MantlePathPrefix, family: MantleModelFamily) throws {
        let capabilities = MantleModel.capabilities(of: model)
        #expect(capabilities.family == family)
        #expect(capabilities.supportsResponses)
        #expect(capabilities.supportedAPIs.contains(.responses))
        #expect(capabilities.pathPrefix == prefix)
        #expect(try MantleModel.requireResponses(model) == prefix)
    }

    /// The provider is the id's part before its first dot, or the whole id without one.
    @Test(arguments: [
        ("xai", MantleModelFamily.grok), ("XAI.Grok-5", .grok), ("xaix.grok-4", .unrecognised), ("anthropic", .anthropic),
        ("anthropicx.claude", .unrecognised), ("acme.xai", .unrecognised), ("", .unrecognised),
    ])
    func providersAreTheWholeFirstPart(model: String, family: MantleModelFamily) {
        #expect(MantleModelFamily(modelID: model) == family)
    }

    @Test(arguments: [
        ("anthropic.claude-sonnet-4-5", MantleAPI.anthropicMessages, MantleModelFamily.anthropic, MantlePathPrefix.anthropicV1),
        ("openai.gpt-oss-safeguard-20b", .chatCompletions, .gptOSSSafeguard, .v1),
        ("openai.gpt-oss-safeguard-120b", .chatCompletions, .gptOSSSafeguard, .v1),
        ("qwen.qwen3-32b", .chatCompletions, .qwen, .v1),
        ("deepseek.v3.1", .chatCompletions, .deepseek, .v1),
        ("mistral.magistral-small", .chatCompletions, .mistral, .v1),
        ("minimax.minimax-m2", .chatCompletions, .minimax, .v1),
        ("zai.glm-4.6", .chatCompletions, .glm, .v1),
        ("moonshotai.kimi-k2-thinking", .chatCompletions, .kimi, .v1),
        ("nvidia.nemotron-nano-12b", .chatCompletions, .nemotron, .v1),
    ])
    func modelsWithoutResponses(model: String, api: MantleAPI, family: MantleModelFamily, prefix: MantlePathPrefix) {
        let capabilities = MantleModel.capabilities(of: model)
        #expect(capabilities.family == family)
        #expect(!capabilities.supportsResponses)
        #expect(capabilities.supportedAPIs == [api])
        #expect(capabilities.pathPrefix == prefix)
        #expect {
            try MantleModel.requireResponses(model)
        } throws: { error in
            guard let error = error as? MantleError else { return false }
            return error.kind == .unsupportedModel && error.classification == .permanent && error.model == model
                && error.param == "model"
                && error.message.contains("does not support the Responses API")
                && error.message.contains(api.description)
        }
    }

    @Test func anthropicErrorNamesTheMessagesRoute() throws {
        let error = try #require(throws: MantleError.self) { try MantleModel.requireResponses("anthropic.claude-opus-4") }
        #expect(error.message.contains("/anthropic/v1/messages"))
        let qwen = try #require(throws: MantleError.self) { try MantleModel.requireResponses("qwen.qwen3-coder") }
        #expect(qwen.message.contains("/v1/chat/completions"))
    }

    @Test func unrecognisedModelsAreTriedOnV1() throws {
        let capabilities = MantleModel.capabilities(of: "acme.brand-new-model")
        #expect(capabilities.family == .unrecognised)
        #expect(capabilities.supportsResponses)
        #expect(try MantleModel.requireResponses("acme.brand-new-model") == .v1)
        #expect(throws: MantleError.self) { try MantleModel.requireResponses("  ") }
    }
}

@Suite struct EndpointTests {
    @Test func regionEndpoints() {
        #expect(MantleRegion.allCases.count == 12)
        for region in MantleRegion.allCases {
            let endpoint = MantleEndpoint(region: region)
            #expect(endpoint.root == "https://bedrock-mantle.\(region.rawValue).api.aws")
            #expect(endpoint.region == region)
        }
        let endpoint = MantleEndpoint(region: .euWest1)
        #expect(endpoint.url(.v1, "/responses") == "https://bedrock-mantle.eu-west-1.api.aws/v1/responses")
        #expect(endpoint.url(.openAIV1, "/responses") == "https://bedrock-mantle.eu-west-1.api.aws/openai/v1/responses")
    }

    @Test(arguments: [
        ("http://127.0.0.1:8089", "http://127.0.0.1:8089"),
        ("http://127.0.0.1:8089/", "http://127.0.0.1:8089"),
        ("http://127.0.0.1:8089/v1", "http://127.0.0.1:8089"),
        ("http://127.0.0.1:8089/v1/", "http://127.0.0.1:8089"),
        ("http://host:9000/openai/v1", "http://host:9000"),
        ("HTTPS://proxy.internal/mantle/v1", "https://proxy.internal/mantle"),
        ("https://bedrock-mantle.us-east-1.api.aws/v1", "https://bedrock-mantle.us-east-1.api.aws"),
    ])
    func baseURLOverridesAreNormalised(input: String, root: String) throws {
        let endpoint = try MantleEndpoint(baseURL: input)
        #expect(endpoint.root == root)
        #expect(endpoint.url(.v1, "/models") == root + "/v1/models")
    }

    @Test(arguments: ["127.0.0.1:8089", "ftp://host/v1", "http://user:secret@host/v1", "http://host/v1?x=1", "http:///v1"])
    func badBaseURLsAreRefused(input: String) {
        #expect(throws: MantleError.self) { try MantleEndpoint(baseURL: input) }
    }

    @Test func userInfoIsNotEchoed() throws {
        let error = try #require(throws: MantleError.self) { try MantleEndpoint(baseURL: "http://user:hunter2@host/v1") }
        #expect(!error.description.contains("hunter2"))
    }

    @Test func regionsParse() throws {
        #expect(try MantleRegion(validating: "ap-southeast-3") == .apSoutheast3)
        let error = try #require(throws: MantleError.self) { try MantleRegion(validating: "mars-north-1") }
        #expect(error.message.contains("us-east-1"))
    }
}
