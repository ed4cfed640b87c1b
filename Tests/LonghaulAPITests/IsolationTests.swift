import Foundation
import HTTPTypes
import HummingbirdTesting
import LonghaulCore
import Postgres
import TestSupport
import Testing

@testable import LonghaulAPI

@Suite("API tenant isolation")
struct IsolationTests {
    static let secretText = "Beta's confidential merger memo."

    @Test("a project token gets a 404 for every route that names another project's resources, and no data")
    func isolationMatrix() async throws {
        try await APIHarness.run { api in
            // Beta's resources: an endpoint, a job whose cancellation made a delivery, a batch, a token.
            let endpoint = try await api.send(.post, "/v1/webhook-endpoints", token: api.betaToken, object: ["url": "https://hooks.example.com/beta"])
            let endpointID = try #require((endpoint.json["endpoint"] as? [String: Any])?["id"] as? String)
            let job = try await api.createJob(token: api.betaToken, document: Self.secretText)
            #expect(try await api.send(.post, "/v1/jobs/\(job)/cancel", token: api.betaToken).status == .ok)
            let deliveryID = try #require(try await api.send(.get, "/v1/deliveries", token: api.betaToken).ids.first)
            let batch = try await api.send(.post, "/v1/batches", token: api.betaToken, object: ["documents": [["document": Self.secretText]]])
            let batchID = try #require((batch.json["batch"] as? [String: Any])?["id"] as? String)
            let tokenID = try #require(try await api.send(.get, "/v1/tokens", token: api.betaToken).ids.first)

            let attempts: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/v1/jobs/\(job)", nil),
                (.post, "/v1/jobs/\(job)/cancel", nil),
                (.post, "/v1/jobs/\(job)/retry", nil),
                (.get, "/v1/jobs?project=beta", nil),
                (.post, "/v1/jobs", #"{"document": "sneaky", "project": "beta"}"#),
                (.get, "/v1/batches/\(batchID)", nil),
                (.get, "/v1/batches/\(batchID)/jobs", nil),
                (.post, "/v1/batches", #"{"documents": [{"document": "sneaky"}], "project": "beta"}"#),
                (.get, "/v1/projects/beta", nil),
                (.post, "/v1/projects/beta/rotate-webhook-secret", nil),
                (.get, "/v1/tokens?project=beta", nil),
                (.delete, "/v1/tokens/\(tokenID)", nil),
                (.get, "/v1/usage?project=beta", nil),
                (.get, "/v1/webhook-endpoints?project=beta", nil),
                (.post, "/v1/webhook-endpoints", #"{"url": "https://evil.example.com/", "project": "beta"}"#),
                (.get, "/v1/webhook-endpoints/\(endpointID)", nil),
                (.patch, "/v1/webhook-endpoints/\(endpointID)", #"{"enabled": false}"#),
                (.delete, "/v1/webhook-endpoints/\(endpointID)", nil),
                (.post, "/v1/webhook-endpoints/\(endpointID)/rotate-secret", nil),
                (.get, "/v1/deliveries?project=beta", nil),
                (.get, "/v1/deliveries/\(deliveryID)", nil),
                (.post, "/v1/deliveries/\(deliveryID)/redeliver", nil),
                (.post, "/v1/deliveries/resend", #"{"since": "2000-01-01T00:00:00Z", "project": "beta"}"#),
                (.post, "/v1/jobs/plan", #"{"document": "sneaky", "project": "beta"}"#),
                (.post, "/v1/batches/\(batchID)/cancel", nil),
                (.post, "/v1/batches/\(batchID)/retry", nil),
                (.get, "/v1/batches/\(batchID)/results", nil),
                (.put, "/v1/batches/\(batchID)/budget", #"{"max_tokens": 1}"#),
                (.delete, "/v1/batches/\(batchID)/budget", nil),
                (.post, "/v1/projects/beta/pause", nil),
                (.post, "/v1/projects/beta/resume", nil),
                (.get, "/v1/projects/beta/budgets", nil),
                (.get, "/v1/projects/beta/model-limits", nil),
                (.get, "/v1/models?project=beta", nil),
            ]
            var tried: [(HTTPRequest.Method, String)] = []
            for (method, path, body) in attempts {
                tried.append((method, path))
                let response = try await api.send(method, path, token: api.alphaToken, json: body)
                #expect(response.status == .notFound, "\(method) \(path) → \(response.status): \(response.text.prefix(200))")
                #expect(!response.text.contains(Self.secretText), "\(method) \(path) leaked beta's data")
            }
            // The admin-only routes refuse a project token the same way whatever project they name.
            for (method, path, body) in [
                (HTTPRequest.Method.patch, "/v1/projects/beta", #"{"max_in_flight": 1}"#),
                (.post, "/v1/projects/beta/archive", nil),
                (.post, "/v1/projects", #"{"slug": "gamma"}"#),
                (.post, "/v1/tokens", #"{"project": "beta"}"#),
                (.put, "/v1/projects/beta/budgets/day", #"{"max_tokens": 1}"#),
                (.delete, "/v1/projects/beta/budgets/day", nil),
                (.put, "/v1/projects/beta/model-limits/openai.gpt-oss-120b", #"{"context_window": 1024}"#),
                (.delete, "/v1/projects/beta/model-limits/openai.gpt-oss-120b", nil),
            ] {
                tried.append((method, path))
                #expect(try await api.send(method, path, token: api.alphaToken, json: body).status == .forbidden, "\(method) \(path)")
            }
            // The price table is the operator's, the same for every project.
            tried.append((.get, "/v1/prices"))
            #expect(try await api.send(.get, "/v1/prices", token: api.alphaToken).status == .ok)

            // Lists show only alpha's own.
            tried += ["/v1/jobs", "/v1/deliveries", "/v1/webhook-endpoints", "/v1/projects", "/v1/tokens", "/v1/usage"].map { (.get, $0) }
            #expect(try await api.send(.get, "/v1/jobs", token: api.alphaToken).ids.isEmpty)
            #expect(try await api.send(.get, "/v1/jobs?batch=\(batchID)", token: api.alphaToken).ids.isEmpty)
            #expect(try await api.send(.get, "/v1/deliveries", token: api.alphaToken).ids.isEmpty)
            #expect(try await api.send(.get, "/v1/webhook-endpoints", token: api.alphaToken).ids.isEmpty)
            #expect(try await api.send(.get, "/v1/projects", token: api.alphaToken).ids == ["alpha"])
            let alphaTokens = try await api.send(.get, "/v1/tokens", token: api.alphaToken).data
            #expect(alphaTokens.allSatisfy { $0["project"] as? String == "alpha" })
            let usage = try await api.send(.get, "/v1/usage", token: api.alphaToken)
            #expect(usage.data.allSatisfy { ($0["jobs"] as? Int ?? 0) == 0 })

            // Every documented token route was tried: a new route cannot slip past this test.
            let document = try OpenAPIDocument.load()
            let covered = Set(tried.flatMap { method, path in
                document.routes.matching(path: String(path.prefix { $0 != "?" })).routes.map { "\(method) \($0.template)" }
            })
            for route in document.routes.routes where route.template.hasPrefix("/v1/") {
                for method in route.operations.keys {
                    #expect(covered.contains("\(method) \(route.template)"), "no isolation case for \(method) \(route.template)")
                }
            }

            // Nothing of beta's changed.
            #expect(try await api.fixture.state(of: job) == .cancelled)
            let stillThere = try await api.send(.get, "/v1/webhook-endpoints/\(endpointID)", token: api.betaToken)
            #expect(stillThere.json["enabled"] as? Bool == true)
            #expect(try await api.send(.get, "/v1/jobs", token: api.betaToken).status == .ok)
            #expect(try await api.send(.get, "/v1/projects/beta", token: api.betaToken).json["hold"] == nil, "beta's project was paused")
        }
    }

    @Test("the admin token sees every project's resources")
    func adminSeesAll() async throws {
        try await APIHarness.run { api in
            let alphaJob = try await api.createJob(token: api.alphaToken)
            let betaJob = try await api.createJob(token: api.betaToken)
            #expect(Set(try await api.send(.get, "/v1/jobs").ids) == [alphaJob, betaJob])
            #expect(try await api.send(.get, "/v1/jobs?project=beta").ids == [betaJob])
            #expect(try await api.send(.get, "/v1/jobs/\(alphaJob)").status == .ok)
        }
    }
}
