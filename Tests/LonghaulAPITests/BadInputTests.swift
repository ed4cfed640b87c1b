import Foundation
import HTTPTypes
import HummingbirdTesting
import LonghaulAPI
import LonghaulCore
import NIOCore
import Postgres
import TestSupport
import Testing

@Suite("API bad input")
struct BadInputTests {
    /// Sends `json` to POST /v1/jobs and checks the refusal names `param` and `code`, and that nothing was stored.
    private func expectRefusal(
        _ api: APIHarness, _ json: String, status: HTTPResponse.Status = .badRequest, param: String?, code: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let response = try await api.send(.post, "/v1/jobs", token: api.alphaToken, json: json)
        #expect(response.status == status, "\(response.text.prefix(300))", sourceLocation: sourceLocation)
        #expect(response.errorParam == param, "\(response.text.prefix(300))", sourceLocation: sourceLocation)
        #expect(response.errorCode == code, "\(response.text.prefix(300))", sourceLocation: sourceLocation)
        #expect(!(response.error["message"] as? String ?? "").isEmpty, sourceLocation: sourceLocation)
        #expect(try await api.fixture.count("SELECT count(*) FROM jobs") == 0, "nothing stored after a refusal", sourceLocation: sourceLocation)
        #expect(try await api.fixture.count("SELECT count(*) FROM documents") == 0, sourceLocation: sourceLocation)
    }

    @Test("malformed JSON names the problem")
    func malformedJSON() async throws {
        try await APIHarness.run { api in
            try await expectRefusal(api, #"{"document": "unterminated"#, param: nil, code: "invalid_json")
            try await expectRefusal(api, "", param: nil, code: "invalid_json")
        }
    }

    @Test("a missing field, a wrong type and an unknown field each name the field")
    func fieldErrors() async throws {
        try await APIHarness.run { api in
            try await expectRefusal(api, #"{"model": "openai.gpt-oss-120b"}"#, param: "document", code: "missing")
            try await expectRefusal(api, #"{"document": "x y", "max_output_tokens": "many"}"#, param: "max_output_tokens", code: "wrong_type")
            try await expectRefusal(api, #"{"document": "x y", "colour": "blue"}"#, param: "colour", code: "unknown_field")
            try await expectRefusal(api, #"{"document": "x y", "metadata": {"a": 1}}"#, param: "metadata.a", code: "wrong_type")
            try await expectRefusal(api, #"{"document": "x y", "reasoning_effort": "extreme"}"#, param: "reasoning_effort", code: "invalid_value")
            try await expectRefusal(api, #"{"document": "x y", "run_at": "next tuesday"}"#, param: "run_at", code: "invalid_date")
            try await expectRefusal(api, #"{"document": null}"#, param: "document", code: "null")
        }
    }

    @Test("the rules of a job: empty, oversized, unknown model, output range, metadata, NUL")
    func rules() async throws {
        try await APIHarness.run { api in
            try await expectRefusal(api, #"{"document": "   "}"#, param: "document", code: "empty")
            let big = String(repeating: "a", count: (32 << 20) + 1)
            try await expectRefusal(api, #"{"document": "\#(big)"}"#, param: "document", code: "too_long")
            try await expectRefusal(api, #"{"document": "x y", "model": "acme.nonexistent-model"}"#, param: "model", code: "unsupported_model")
            try await expectRefusal(api, #"{"document": "x y", "max_output_tokens": 3}"#, param: "max_output_tokens", code: "out_of_range")
            try await expectRefusal(api, #"{"document": "x y", "metadata": {"longhaul_job_id": "1"}}"#, param: "metadata.longhaul_job_id", code: "reserved")
            try await expectRefusal(api, #"{"document": "x\u0000y"}"#, param: "document", code: "binary")
            try await expectRefusal(api, #"{"document": "x y", "metadata": {"k": "a\u0000b"}}"#, param: "metadata.k", code: "binary")
            try await expectRefusal(api, #"{"document": "x y", "webhook_url": "ftp://example.com/x"}"#, param: "webhook_url", code: "invalid_url")
            try await expectRefusal(api, #"{"document": "x y", "priority": 1000}"#, param: "priority", code: "out_of_range")
        }
    }

    @Test("a length limit counts characters, not bytes")
    func lengthsInCharacters() async throws {
        try await APIHarness.run { api in
            // `model` allows 128 characters: 128 two-byte characters (256 bytes) pass the length
            // check and meet the model check; 129 are too long, and the message says 129.
            try await expectRefusal(
                api, #"{"document": "x y", "model": "\#(String(repeating: "é", count: 128))"}"#, param: "model", code: "unsupported_model")
            let response = try await api.send(
                .post, "/v1/jobs", token: api.alphaToken, json: #"{"document": "x y", "model": "\#(String(repeating: "é", count: 129))"}"#)
            #expect(response.errorCode == "too_long" && (response.error["message"] as? String ?? "").contains("is 129 characters"), "\(response.text)")
            // `minLength` 1: one character of several bytes and scalars is long enough.
            let one = try await api.send(.post, "/v1/jobs", token: api.alphaToken, json: #"{"document": "👍🏽"}"#)
            #expect(one.status == .accepted, "\(one.text)")
        }
    }

    @Test("invalid UTF-8 is a 400, not a 500")
    func invalidUTF8() async throws {
        try await APIHarness.run { api in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(api.alphaToken)"
            headers[.contentType] = "application/json"
            var body = ByteBuffer(string: #"{"document": "caf"#)
            body.writeBytes([0xC3, 0x28, 0xFF])
            body.writeString(#""}"#)
            let response = APIResponse(try await api.client.execute(uri: "/v1/jobs", method: .post, headers: headers, body: body))
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "invalid_json")
        }
    }

    @Test("a body over the route's limit is a 413")
    func bodyTooLarge() async throws {
        var configuration = APIConfiguration(adminToken: APIHarness.adminToken)
        configuration.bodyLimits.job = 64 << 10
        try await APIHarness.run(configuration: configuration) { api in
            let big = String(repeating: "word ", count: 20_000)
            let response = try await api.send(.post, "/v1/jobs", token: api.alphaToken, json: #"{"document": "\#(big)"}"#)
            #expect(response.status == .contentTooLarge)
            #expect(response.errorType == "request_too_large")
            #expect(try await api.fixture.count("SELECT count(*) FROM jobs") == 0)
        }
    }

    @Test("a body that is not JSON is a 415")
    func wrongContentType() async throws {
        try await APIHarness.run { api in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain"
            let response = try await api.send(.post, "/v1/jobs", token: api.alphaToken, json: "document=hello", headers: headers)
            #expect(response.status == .unsupportedMediaType)
            #expect(response.errorType == "unsupported_media_type")
        }
    }

    @Test("absurd page sizes and bad cursors are refused by name")
    func paging() async throws {
        try await APIHarness.run { api in
            let huge = try await api.send(.get, "/v1/jobs?limit=1000000", token: api.alphaToken)
            #expect(huge.status == .badRequest)
            #expect(huge.errorParam == "limit")
            let zero = try await api.send(.get, "/v1/jobs?limit=0", token: api.alphaToken)
            #expect(zero.status == .badRequest)
            let notANumber = try await api.send(.get, "/v1/jobs?limit=ten", token: api.alphaToken)
            #expect(notANumber.status == .badRequest)
            let cursor = try await api.send(.get, "/v1/jobs?cursor=%%%garbage", token: api.alphaToken)
            #expect(cursor.status == .badRequest)
            let state = try await api.send(.get, "/v1/jobs?state=sleeping", token: api.alphaToken)
            #expect(state.status == .badRequest)
        }
    }

    @Test("unknown routes are a 404 and known routes with another method a 405 with Allow, in the error shape")
    func routing() async throws {
        try await APIHarness.run { api in
            let unknown = try await api.send(.get, "/v1/nothing-here")
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "unknown_route")
            let wrongMethod = try await api.send(.delete, "/v1/jobs")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "GET, POST")
        }
    }
}

@Suite("API null fields")
struct NullFieldTests {
    @Test("null for a field is refused by name instead of quietly taking the default")
    func nullRefused() async throws {
        try await APIHarness.run { api in
            let job = try await api.send(.post, "/v1/jobs", token: api.alphaToken, json: #"{"document": "text here", "model": null}"#)
            #expect(job.status == .badRequest)
            #expect(job.errorParam == "model")
            #expect(job.errorCode == "null")
            let batch = try await api.send(.post, "/v1/batches", token: api.alphaToken, json: #"{"documents": [{"document": "a b"}, {"document": "c d", "priority": null}]}"#)
            #expect(batch.errorParam == "documents[1].priority")
            // First and last field, no spaces: found wherever the bytes sit.
            let first = try await api.send(.post, "/v1/jobs", token: api.alphaToken, json: #"{"model":null,"document":"text here"}"#)
            #expect(first.errorParam == "model")
            let last = try await api.send(.post, "/v1/jobs", token: api.alphaToken, json: #"{"document":"text here","priority":null}"#)
            #expect(last.errorParam == "priority")
            // The word inside a string is no null.
            #expect(try await api.send(.post, "/v1/jobs", token: api.alphaToken, json: #"{"document": "null and void"}"#).status == .accepted)
        }
    }
}
