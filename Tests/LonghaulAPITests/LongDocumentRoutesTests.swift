import Foundation
import HTTPTypes
import LonghaulAPI
import LonghaulCore
import TestSupport
import Testing

@Suite("API long documents")
struct LongDocumentRoutesTests {
    /// gpt-oss's window at 1 %: 1,310 tokens.
    static var scaled: APIConfiguration {
        var limits = JobLimits()
        limits.contextWindowScale = 0.01
        return APIConfiguration(adminToken: APIHarness.adminToken, jobLimits: limits)
    }

    static let long = String(repeating: "The harbour master logged the tide tables every morning at six. ", count: 200)

    @Test("a document over the window is split (waiting_for_children); single refuses it with the numbers")
    func strategies() async throws {
        try await APIHarness.run(configuration: Self.scaled) { api in
            let split = try await api.send(.post, "/v1/jobs", token: api.alphaToken, object: [
                "document": Self.long, "max_output_tokens": 200, "map_model": "openai.gpt-oss-20b", "map_max_output_tokens": 100,
            ])
            #expect(split.status == .accepted, "\(split.text)")
            #expect(split.json["state"] as? String == "waiting_for_children")
            let params = try await api.fixture.strings("SELECT params::text FROM jobs")
            #expect(params.first?.contains(#""map_model": "openai.gpt-oss-20b""#) == true, "\(params)")

            let refused = try await api.send(.post, "/v1/jobs", token: api.alphaToken, object: [
                "document": Self.long, "max_output_tokens": 200, "strategy": "single",
            ])
            #expect(refused.status == .badRequest)
            #expect(refused.errorCode == "context_length_exceeded")
            #expect(refused.text.contains("1310-token window"))

            let fits = try await api.send(
                .post, "/v1/jobs", token: api.alphaToken, object: ["document": "A short note.", "strategy": "auto", "max_output_tokens": 200])
            #expect(fits.json["state"] as? String == "queued")
            let forced = try await api.send(
                .post, "/v1/jobs", token: api.alphaToken, object: ["document": "A short note.", "strategy": "map_reduce", "max_output_tokens": 200])
            #expect(forced.json["state"] as? String == "waiting_for_children")

            let unknown = try await api.send(.post, "/v1/jobs", token: api.alphaToken, object: ["document": "x", "strategy": "fastest"])
            #expect(unknown.status == .badRequest)
            // An output that leaves no room for input cannot be helped by splitting.
            let noRoom = try await api.send(.post, "/v1/jobs", token: api.alphaToken, object: ["document": Self.long, "max_output_tokens": 1_200])
            #expect(noRoom.status == .badRequest)
            #expect(noRoom.errorParam == "max_output_tokens" && noRoom.errorCode == "context_length_exceeded")
        }
    }

    @Test("a document that fits by the model's calibrated estimates is one call, not a split")
    func calibratedModelsFitMore() async throws {
        // Claude at 1 %: a 2,000-token window. About 1,460 estimated tokens need 1,970 with the
        // uncalibrated 35 % margin, 1,610 once 40 calls showed the estimate right (10 % margin).
        @Sendable func body() -> [String: Any] {
            ["document": String(Self.long.prefix(5_760)), "model": "anthropic.claude-haiku-4-5", "max_output_tokens": 200]
        }
        try await APIHarness.run(configuration: Self.scaled) { api in
            let uncalibrated = try await api.send(.post, "/v1/jobs", token: api.alphaToken, object: body())
            #expect(uncalibrated.json["state"] as? String == "waiting_for_children", "\(uncalibrated.text)")
        }
        try await APIHarness.run(configuration: Self.scaled) { api in
            _ = try await api.fixture.strings(
                "INSERT INTO token_calibrations (model, factor, margin, samples) VALUES ('anthropic.claude-haiku-4-5', 1, 1.1, 40) RETURNING model")
            let calibrated = try await api.send(.post, "/v1/jobs", token: api.alphaToken, object: body())
            #expect(calibrated.json["state"] as? String == "queued", "\(calibrated.text)")
        }
    }

    @Test("a batch's strategy applies to every document that names none")
    func batchStrategy() async throws {
        try await APIHarness.run(configuration: Self.scaled) { api in
            let response = try await api.send(.post, "/v1/batches", token: api.alphaToken, object: [
                "strategy": "map_reduce", "max_output_tokens": 200,
                "documents": [["document": "One short note."], ["document": "Another short note.", "strategy": "single"]],
            ])
            #expect(response.status == .accepted, "\(response.text)")
            let states = try await api.fixture.strings("SELECT state::text FROM jobs ORDER BY id")
            #expect(states == ["waiting_for_children", "queued"])
        }
    }
}
