import Foundation
import HTTPClient
import HTTPTypes
import Logging
import LonghaulCore
import Mantle
import MantleSimulator
import TestSupport
import Testing

/// `GET /v1/models`: the endpoint's list joined with the model table.
@Suite("API models")
struct ModelsRouteTests {
    @Test("lists what the endpoint serves with the API Longhaul uses, plus the bedrock-runtime-only Claude models")
    func listsModels() async throws {
        let configuration = MantleSimulatorConfiguration(speed: 1000, apiKeys: ["right-key"])
        try await withResource(try await MantleSimulator.start(configuration: configuration), close: { await $0.shutdown() }) { simulator in
            try await withResource(HTTPClient(logger: Logger(label: "models-test")), close: { await $0.shutdown() }) { http in
                let endpoint = DefaultEndpoint(
                    endpoint: try MantleEndpoint(baseURL: simulator.baseURL.absoluteString), credential: .apiKey(MantleSecret("right-key")),
                    isSimulator: false)
                try await APIHarness.run(preflight: { pool in
                    EndpointPreflight(
                        projects: ProjectStore(pool: pool), http: http, defaultEndpoint: endpoint, logger: Logger(label: "models"))
                }) { api in
                    let response = try await api.send(.get, "/v1/models", token: api.alphaToken)
                    #expect(response.status == .ok, "\(response.text)")
                    let data = try #require(response.json["data"] as? [[String: Any]])
                    let byID = Dictionary(uniqueKeysWithValues: data.compactMap { row in (row["id"] as? String).map { ($0, row) } })
                    #expect(byID["openai.gpt-oss-120b"]?["api"] as? String == "responses")
                    #expect(byID["openai.gpt-oss-120b"]?["served_by_endpoint"] as? Bool == true)
                    #expect(byID["us.anthropic.claude-sonnet-4-6"]?["api"] as? String == "bedrock_runtime")
                    #expect(byID["us.anthropic.claude-sonnet-4-6"]?["served_by_endpoint"] as? Bool == false)
                    #expect(byID["anthropic.claude-sonnet-4-6"]?["context_window"] as? Int == 200_000)
                }
            }
        }
    }
}
