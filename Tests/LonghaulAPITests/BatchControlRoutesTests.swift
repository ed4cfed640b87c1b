import Foundation
import HTTPTypes
import LonghaulAPI
import LonghaulCore
import TestSupport
import Testing

@Suite("API batch control")
struct BatchControlRoutesTests {
    @Test("cancel a batch, read its results as JSON Lines in order; another tenant's batch is a 404")
    func cancelAndResults() async throws {
        try await APIHarness.run { api in
            let created = try await api.send(.post, "/v1/batches", token: api.alphaToken, object: [
                "documents": (0..<3).map { ["document": "Note \($0).", "custom_id": "n\($0)"] }
            ])
            #expect(created.status == .accepted, "\(created.text)")
            let batch = try #require((created.json["batch"] as? [String: Any])?["id"] as? String)

            let empty = try await api.send(.get, "/v1/batches/\(batch)/results", token: api.alphaToken)
            #expect(empty.status == .ok && empty.text.isEmpty)

            let cancelled = try await api.send(.post, "/v1/batches/\(batch)/cancel", token: api.alphaToken)
            #expect(cancelled.status == .accepted, "\(cancelled.text)")
            #expect(cancelled.json["cancelled"] as? Int == 3 && cancelled.json["cancel_requested"] as? Int == 0)

            let results = try await api.send(.get, "/v1/batches/\(batch)/results", token: api.alphaToken)
            #expect(results.status == .ok)
            #expect(results.headers[.contentLength] == nil, "streamed as read, not gathered first and sent with its length")
            let lines = results.text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(lines.map { $0["custom_id"] as? String } == ["n0", "n1", "n2"])
            #expect(lines.allSatisfy { $0["state"] as? String == "cancelled" && ($0["error"] as? [String: Any])?["code"] as? String == "cancelled" })

            let nothing = try await api.send(.post, "/v1/batches/\(batch)/retry", token: api.alphaToken, object: ["states": ["failed"]])
            #expect(nothing.status == .accepted && nothing.json["retried"] as? Int == 0, "\(nothing.text)")
            // Its body is optional: left out, the retry takes the default states (failed and
            // incomplete, none here), as `{}` does; it was a 400, "the body is not valid JSON".
            let bare = try await api.send(.post, "/v1/batches/\(batch)/retry", token: api.alphaToken)
            #expect(bare.status == .accepted && bare.json["retried"] as? Int == 0, "\(bare.text)")

            for path in ["results", "cancel", "retry"] {
                let foreign = try await api.send(path == "results" ? .get : .post, "/v1/batches/\(batch)/\(path)", token: api.betaToken)
                #expect(foreign.status == .notFound, "\(path): \(foreign.text)")
            }
        }
    }
}
