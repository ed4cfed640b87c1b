import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing

@testable import MantleSimulator

@Suite struct ValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let path: String
        let body: String
        let status: HTTPResponse.Status
        let message: String
        var testDescription: String { "\(path) \(body.prefix(60))" }
    }

    static let cases: [Case] = [
        Case(
            path: "/openai/v1/responses", body: #"{"model":"openai.gpt-oss-120b","input":"hi"}"#, status: .badRequest,
            message: "The model 'openai.gpt-oss-120b' isn't supported on this route."),
        Case(
            path: "/v1/responses", body: #"{"model":"openai.gpt-5.4","input":"hi"}"#, status: .unauthorized,
            message: "Model 'openai.gpt-5.4' is not enabled for this account (access_denied)"),
        Case(
            path: "/v1/responses", body: #"{"model":"openai.gpt-oss-safeguard-20b","input":"hi"}"#, status: .badRequest,
            message: "The model 'openai.gpt-oss-safeguard-20b' does not support the '/v1/responses' API"),
        Case(
            path: "/v1/responses", body: #"{"model":"qwen.qwen3-32b","input":"hi"}"#, status: .badRequest,
            message: "The model 'qwen.qwen3-32b' does not support the '/v1/responses' API"),
        Case(
            path: "/v1/responses", body: #"{"model":"anthropic.claude-opus-4-7","input":"hi"}"#, status: .badRequest,
            message: "The model 'anthropic.claude-opus-4-7' does not support the '/v1/responses' API"),
        Case(
            path: "/v1/responses", body: #"{"model":"no.such-model","input":"hi"}"#, status: .notFound,
            message: "The model 'no.such-model' does not exist or does not support this API."),
        Case(
            path: "/v1/responses", body: #"{"input":"hi"}"#, status: .badRequest,
            message: "Missing required parameter: 'model'."),
        Case(
            path: "/v1/responses", body: #"{"model":"openai.gpt-oss-120b","input":"hi","max_output_tokens":15}"#,
            status: .badRequest,
            message: "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got 15 instead."),
    ]

    @Test(arguments: cases) func rejectedWithMantlesStatusAndMessage(_ c: Case) async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post(c.path, c.body)
            #expect(response.status == c.status)
            let error = try JSON(response)["error"]
            #expect(error["message"].string == c.message)
            #expect(error.keys == ["message", "type", "param", "code"])
        }
    }

    @Test(arguments: [
        "{\"model\":",
        #"{"model":"openai.gpt-oss-120b","input":[{"role":"robot","content":"hi"}]}"#,
        #"{"model":"openai.gpt-oss-120b","input":"hi","reasoning":{"effort":"enormous"}}"#,
        #"{"model":"openai.gpt-oss-120b","input":"hi","metadata":{"job_id":7}}"#,
        #"{"model":"openai.gpt-oss-120b","input":"hi","max_output_tokens":"many"}"#,
    ])
    func malformedBodiesFailToDeserialize(_ body: String) async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post("/v1/responses", body)
            #expect(response.status == .badRequest)
            let message = try JSON(response)["error"]["message"].string ?? ""
            #expect(message.hasPrefix("Failed to deserialize the JSON body into the target type: "))
        }
    }

    @Test func openAIPrefixServesItsFamilies() async throws {
        try await SimulatorHarness.run { sim async throws in
            for model in ["openai.gpt-5.4", "google.gemma-4-31b-it", "xai.grok-4"] {
                let response = try await sim.create(model: model, background: false, prefix: "/openai/v1")
                #expect(response["status"].string == "completed", "\(model)")
            }
        }
    }

    @Test func modelsListIncludesModelsWithoutResponses() async throws {
        try await SimulatorHarness.run { sim async throws in
            let list = try JSON(try await sim.get("/v1/models"))
            #expect(list["object"].string == "list")
            let ids = Set(list["data"].array.compactMap { $0["id"].string })
            #expect(ids.isSuperset(of: ["openai.gpt-oss-120b", "openai.gpt-oss-safeguard-20b", "qwen.qwen3-32b", "anthropic.claude-opus-4-7", "anthropic.claude-haiku-4-5"]))
            #expect(!ids.contains("anthropic.claude-sonnet-4-6"))
            #expect(list["data"][0]["object"].string == "model")
            #expect(try await sim.get("/v1/models/openai.gpt-oss-20b").status == .ok)
            #expect(try await sim.get("/v1/models/nope").status == .notFound)
        }
    }

    @Test func unknownRouteGetsTheEnvelope() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.get("/openai/v1/models")
            #expect(response.status == .notFound)
            #expect(try JSON(response)["error"]["type"].string == "invalid_request_error")
            #expect(response.headers[.init("x-request-id")!]?.hasPrefix("req_") == true)
        }
    }
}
