import Foundation
import HTTPClient
import HTTPTypes
import Logging
import LonghaulCore
import Mantle
import MantleSimulator
import TestSupport
import Testing

/// `POST /v1/batches` asks the project's endpoint first: a simulator that takes one key.
@Suite("API batch preflight")
struct BatchPreflightRoutesTests {
    @Test("a refused key is a 424 and an unserved model a 422, and neither stores anything; good batches list models once")
    func preflight() async throws {
        let configuration = MantleSimulatorConfiguration(speed: 1000, apiKeys: ["right-key"])
        try await withResource(try await MantleSimulator.start(configuration: configuration), close: { await $0.shutdown() }) { simulator in
            try await withResource(HTTPClient(logger: Logger(label: "preflight-test")), close: { await $0.shutdown() }) { http in
                let base = simulator.baseURL.absoluteString + "/v1"
                let endpoint = DefaultEndpoint(
                    endpoint: try MantleEndpoint(baseURL: base), credential: .apiKey(MantleSecret("right-key")), isSimulator: false)
                try await APIHarness.run(preflight: { pool in
                    EndpointPreflight(
                        projects: ProjectStore(pool: pool), http: http, defaultEndpoint: endpoint, logger: Logger(label: "preflight"))
                }) { api in
                    try await Self.exercise(api, simulator: simulator, base: base)
                }
            }
        }
    }

    private static func exercise(_ api: APIHarness, simulator: RunningMantleSimulator, base: String) async throws {
        func listings() -> Int { simulator.counters().requestsByRoute[.models, default: 0] }
        let good: [String: Any] = [
            "model": "openai.gpt-oss-20b", "documents": [["document": "First text."], ["document": "Second text."]],
        ]
        #expect(try await api.send(.post, "/v1/batches", token: api.alphaToken, object: good).status == .accepted)
        let afterFirst = listings()
        #expect(try await api.send(.post, "/v1/batches", token: api.alphaToken, object: good).status == .accepted)
        #expect(listings() == afterFirst, "the second batch listed the models again")

        let unserved = try await api.send(
            .post, "/v1/batches", token: api.alphaToken,
            object: [
                "documents": [["document": "Fine."], ["document": "Too new.", "model": "openai.gpt-5.6-terra"]]
            ])
        #expect(unserved.status.code == 422, "\(unserved.text)")
        #expect(unserved.errorCode == "model_not_served" && unserved.errorParam == "documents[1].model", "\(unserved.text)")
        #expect((unserved.error["message"] as? String)?.contains("openai.gpt-5.4, openai.gpt-5.5") == true, "\(unserved.text)")

        let keys = try TemporaryFolder(prefix: "longhaul-preflight")
        let wrong = try keys.write("wrong.key", "wrong-key")
        _ = try await api.fixture.projects.create(NewProject(slug: "gamma", baseURL: base, credentialReference: "file:" + wrong))
        let refused = try await api.send(.post, "/v1/batches", object: ["project": "gamma", "documents": [["document": "Text."]]])
        #expect(refused.status.code == 424, "\(refused.text)")
        #expect(refused.errorType == "upstream_error" && refused.errorCode == PreflightVerdict.keyRefused, "\(refused.text)")
        #expect((refused.error["message"] as? String)?.contains("Mantle refuses the key of project 'gamma'") == true, "\(refused.text)")

        #expect(try await api.fixture.count("SELECT count(*) FROM batches") == 2)
        #expect(try await api.fixture.count("SELECT count(*) FROM jobs") == 4)
    }
}
