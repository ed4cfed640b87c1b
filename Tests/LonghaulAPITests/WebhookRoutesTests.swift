import Foundation
import HTTPTypes
import HummingbirdTesting
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("API webhook endpoints and deliveries")
struct WebhookRoutesTests {
    @Test("an endpoint is created with its secret shown once, then listed, disabled, rotated and removed")
    func endpointLifecycle() async throws {
        try await APIHarness.run { api in
            let created = try await api.send(.post, "/v1/webhook-endpoints", token: api.alphaToken, object: [
                "url": "https://hooks.example.com/longhaul", "event_types": ["job.completed", "batch.completed"], "include_result": true,
            ])
            #expect(created.status == .created, "\(created.text)")
            let secret = try #require(created.json["secret"] as? String)
            #expect(secret.hasPrefix("whsec_"))
            let endpoint = try #require(created.json["endpoint"] as? [String: Any])
            let id = try #require(endpoint["id"] as? String)
            #expect(Set(endpoint["event_types"] as? [String] ?? []) == ["job.completed", "batch.completed"])

            let listed = try await api.send(.get, "/v1/webhook-endpoints", token: api.alphaToken)
            #expect(listed.ids == [id])
            #expect(!listed.text.contains(secret), "secrets are shown only when created")

            let disabled = try await api.send(.patch, "/v1/webhook-endpoints/\(id)", token: api.alphaToken, object: ["enabled": false])
            #expect(disabled.json["enabled"] as? Bool == false)
            #expect(disabled.json["disabled_reason"] as? String == "disabled by hand")

            let rotated = try await api.send(.post, "/v1/webhook-endpoints/\(id)/rotate-secret", token: api.alphaToken)
            #expect(rotated.status == .ok)
            #expect((rotated.json["secret"] as? String)?.hasPrefix("whsec_") == true)
            #expect(rotated.json["secret"] as? String != secret)
            #expect(rotated.json["previous_secret_expires_at"] != nil)

            #expect(try await api.send(.delete, "/v1/webhook-endpoints/\(id)", token: api.alphaToken).status == .noContent)
            #expect(try await api.send(.get, "/v1/webhook-endpoints/\(id)", token: api.alphaToken).status == .notFound)
        }
    }

    @Test("a project's own signing secret rotates; the old one keeps signing for 24 hours")
    func projectSecret() async throws {
        try await APIHarness.run { api in
            let before = try await WebhookStore(pool: api.fixture.pool).signingSecrets(projectID: api.alpha.id, endpoint: nil)
            let rotated = try await api.send(.post, "/v1/projects/alpha/rotate-webhook-secret", token: api.alphaToken)
            #expect(rotated.status == .ok, "\(rotated.text)")
            let secret = try #require(rotated.json["secret"] as? String)
            let after = try await WebhookStore(pool: api.fixture.pool).signingSecrets(projectID: api.alpha.id, endpoint: nil)
            #expect(after == [secret] + before)
            #expect(try await api.send(.post, "/v1/projects/beta/rotate-webhook-secret", token: api.alphaToken).status == .notFound)
        }
    }

    @Test("bad endpoint input is refused by field")
    func badEndpoints() async throws {
        try await APIHarness.run { api in
            let scheme = try await api.send(.post, "/v1/webhook-endpoints", token: api.alphaToken, object: ["url": "ftp://example.com"])
            #expect(scheme.status == .badRequest)
            #expect(scheme.errorParam == "url")
            let event = try await api.send(.post, "/v1/webhook-endpoints", token: api.alphaToken, object: ["url": "https://a.example.com", "event_types": ["job.exploded"]])
            #expect(event.status == .badRequest)
        }
    }

    @Test("deliveries are listed by job, shown with their body, redelivered and re-sent")
    func deliveries() async throws {
        try await APIHarness.run { api in
            _ = try await api.send(.post, "/v1/webhook-endpoints", token: api.alphaToken, object: ["url": "https://hooks.example.com/a"])
            let job = try await api.createJob(token: api.alphaToken)
            #expect(try await api.send(.post, "/v1/jobs/\(job)/cancel", token: api.alphaToken).status == .ok)

            let listed = try await api.send(.get, "/v1/deliveries?job=\(job)", token: api.alphaToken)
            #expect(listed.status == .ok)
            let delivery = try #require(listed.data.first)
            let id = try #require(delivery["id"] as? String)
            #expect(id.hasPrefix("msg_"))
            #expect(delivery["event_type"] as? String == "job.cancelled")
            #expect(delivery["state"] as? String == "pending")

            let detail = try await api.send(.get, "/v1/deliveries/\(id)", token: api.alphaToken)
            #expect(detail.status == .ok)
            #expect((detail.json["body"] as? String)?.contains(job) == true)

            try await api.fixture.pool.query("UPDATE deliveries SET state = 'failed', finished_at = now() WHERE public_id = \(id)")
            let redelivered = try await api.send(.post, "/v1/deliveries/\(id)/redeliver", token: api.alphaToken)
            #expect(redelivered.status == .accepted, "\(redelivered.text)")
            #expect(redelivered.json["state"] as? String == "pending")

            try await api.fixture.pool.query("UPDATE deliveries SET state = 'failed', finished_at = now() WHERE public_id = \(id)")
            let resent = try await api.send(.post, "/v1/deliveries/resend", token: api.alphaToken, object: ["since": "2000-01-01T00:00:00Z"])
            #expect(resent.status == .accepted)
            #expect(resent.json["resent"] as? Int == 1)
            #expect(try await api.send(.get, "/v1/deliveries?state=pending", token: api.alphaToken).ids == [id])
        }
    }
}
