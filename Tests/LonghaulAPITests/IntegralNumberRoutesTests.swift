import HTTPTypes
import Testing

@Suite("API integers written with a fraction")
struct IntegralNumberRoutesTests {
    @Test("50782.0 is an integer, as JSON Schema says: accepted where the document asks for an integer")
    func acceptedByTheRoutes() async throws {
        try await APIHarness.run { api in
            let updated = try await api.send(.patch, "/v1/projects/alpha", json: #"{"max_in_flight": 50782.0}"#)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(updated.json["max_in_flight"] as? Int == 50782)
            let job = try await api.send(
                .post, "/v1/jobs", token: api.alphaToken, json: #"{"document": "Rivers run. They end.", "max_output_tokens": 1.5e3}"#)
            #expect(job.status == .accepted, "\(job.text)")
            let fraction = try await api.send(.patch, "/v1/projects/alpha", json: #"{"max_in_flight": 2.5}"#)
            #expect(fraction.status == .badRequest)
            // A query parameter is text: the integer is written as one, and a refusal names it.
            let query = try await api.send(.get, "/v1/jobs?limit=5.0", token: api.alphaToken)
            #expect(query.status == .badRequest)
            #expect(query.errorParam == "limit", "\(query.text)")
        }
    }
}
