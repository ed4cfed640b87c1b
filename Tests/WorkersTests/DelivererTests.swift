import Foundation
import LonghaulCore
import Postgres
import Testing
import TestSupport
import Workers

@Suite("The Deliverer against a real receiver verifying with standardwebhooks and svix", .serialized)
struct DelivererTests {
    @Test("a receiver failing the first 3 attempts gets attempt 4 with the same webhook-id; every attempt is logged")
    func failFirstAttempts() async throws {
        try await DeliveryHarness.with("deliver_fail3") { harness in
            let secrets = try await harness.webhooks.signingSecrets(projectID: harness.project.id, endpoint: nil)
            try await harness.receiver.setSecrets(secrets)
            harness.startDeliverer(try .delivering(schedule: "0,100ms,100ms,100ms,100ms;jitter=0"))
            let id = try await harness.enqueue(url: harness.receiver.url("/fail/3"))
            let detail = try await harness.waitForState(id, .succeeded)
            let log = try await harness.receiver.received().filter { $0.id == id }
            #expect(log.count == 4)
            #expect(log.allSatisfy { $0.verifies(secret: 0) && $0.contentType == "application/json" })
            #expect(detail.delivery.attempts == 4)
            #expect(detail.attempts.map(\.httpStatus) == [500, 500, 500, 200])
            #expect(detail.attempts.allSatisfy { $0.address == "127.0.0.1" })
            #expect(detail.attempts[0].responseBody == "failing on purpose")
            #expect(log.allSatisfy { Int64($0.timestamp) != nil })
        }
    }

    @Test("after the last attempt a delivery is failed; redeliver sends it again with the same id and a fresh schedule")
    func exhaustedThenRedelivered() async throws {
        try await DeliveryHarness.with("deliver_exhaust") { harness in
            harness.startDeliverer(try .delivering(schedule: "0,50ms,50ms;jitter=0"))
            let id = try await harness.enqueue(url: harness.receiver.url("/fail/4"))
            let failed = try await harness.waitForState(id, .failed)
            #expect(failed.delivery.attempts == 3 && failed.delivery.lastStatus == 500)
            _ = try await harness.deliveries.redeliver(publicID: id, projectID: harness.project.id)
            let delivered = try await harness.waitForState(id, .succeeded)
            #expect(delivered.delivery.attempts == 5)
            let ids = Set(try await harness.receiver.received().map(\.id))
            #expect(ids == [id])
        }
    }

    @Test("410 Gone fails the delivery, disables the endpoint with the reason, and cancels what was pending for it")
    func goneDisables() async throws {
        try await DeliveryHarness.with("deliver_gone") { harness in
            let (endpoint, _) = try await harness.webhooks.addEndpoint(projectID: harness.project.id, url: harness.receiver.url("/gone"))
            harness.startDeliverer(try .delivering())
            let later = try await harness.enqueue(url: endpoint.url, endpoint: endpoint, delay: .seconds(3600))
            let id = try await harness.enqueue(url: endpoint.url, endpoint: endpoint)
            let failed = try await harness.waitForState(id, .failed)
            #expect(failed.attempts.count == 1 && failed.attempts[0].httpStatus == 410)
            let disabled = try await harness.webhooks.endpoint(projectID: harness.project.id, publicID: endpoint.publicID)
            #expect(!disabled.enabled)
            #expect(disabled.disabledReason?.contains("410") == true)
            #expect(try await harness.detail(later).delivery.state == .cancelled)
            await #expect(throws: StoreError.self) { _ = try await harness.deliveries.redeliver(publicID: id, projectID: nil) }
        }
    }

    @Test("a receiver down for a while gets everything afterwards: by retries, and by resend --since once retries ran out")
    func receiverDown() async throws {
        try await DeliveryHarness.with("deliver_down") { harness in
            let url = harness.receiver.url("/ok")
            await harness.receiver.kill()
            // Retries: a long schedule of short delays outlasts the outage.
            var deliverer = harness.startDeliverer(try .delivering(schedule: "0" + String(repeating: ",200ms", count: 40) + ";jitter=0"))
            var ids: [String] = []
            for _ in 0..<10 { ids.append(try await harness.enqueue(url: url)) }
            try await Task.sleep(for: .milliseconds(800))
            let during = try await harness.detail(ids[0])
            #expect(during.delivery.state == .pending && during.attempts.count >= 2)
            #expect(during.attempts.allSatisfy { $0.httpStatus == nil && $0.error?.contains("refused") == true })
            try await harness.receiver.restart(secrets: [])
            for id in ids { try await harness.waitForState(id, .succeeded) }
            #expect(Set(try await harness.receiver.received().map(\.id)) == Set(ids))
            await deliverer.stop()

            // Exhausted while down, then resent.
            await harness.receiver.kill()
            deliverer = harness.startDeliverer(try .delivering(schedule: "0,50ms;jitter=0"))
            let since = Date().addingTimeInterval(-1)
            var lost: [String] = []
            for _ in 0..<5 { lost.append(try await harness.enqueue(url: url)) }
            for id in lost { try await harness.waitForState(id, .failed) }
            try await harness.receiver.restart(secrets: [])
            #expect(try await harness.deliveries.resend(since: since, projectID: harness.project.id) == 5)
            for id in lost { try await harness.waitForState(id, .succeeded) }
            #expect(Set(try await harness.receiver.received().map(\.id)) == Set(lost))
            await deliverer.stop()
        }
    }

    @Test("a Deliverer killed mid-send loses nothing: another sends the same webhook-id once the lease runs out")
    func killedMidSend() async throws {
        try await DeliveryHarness.with("deliver_kill") { harness in
            var configuration = try WorkerConfiguration.delivering()
            configuration.deliverLease = .seconds(2)
            configuration.webhookTimeout = .seconds(60)
            let first = harness.startDeliverer(configuration)
            let id = try await harness.enqueue(url: harness.receiver.url("/slow/30"))
            try await harness.receiver.waitFor("the first request") { $0.contains { $0.id == id } }
            first.task.cancel()  // no graceful stop: as if the process died mid-request
            _ = await first.task.result
            let second = harness.startDeliverer(configuration)
            let detail = try await harness.waitForState(id, .succeeded)
            let log = try await harness.receiver.received().filter { $0.id == id }
            #expect(log.count == 2)
            #expect(detail.delivery.attempts == 2)
            await second.stop()
        }
    }

    // Found by bench/drills.sh receiver-outage: the first failure of a healthy endpoint (no
    // failing_since yet) computed `enabled = NULL`, so recording the attempt broke a NOT NULL
    // constraint and the delivery waited out its 60 s lease instead of the schedule.
    @Test("a healthy endpoint's first failures are recorded and retried on schedule; the failure streak starts and ends")
    func endpointFirstFailure() async throws {
        try await DeliveryHarness.with("deliver_endpoint_fail") { harness in
            let (endpoint, _) = try await harness.webhooks.addEndpoint(projectID: harness.project.id, url: harness.receiver.url("/fail/2"))
            // A second's pause after the first failure, to look at the endpoint mid-streak.
            harness.startDeliverer(try .delivering(schedule: "0,1s,100ms;jitter=0"))
            let id = try await harness.enqueue(url: endpoint.url, endpoint: endpoint)
            let deadline = ContinuousClock.now + .seconds(5)
            while try await harness.detail(id).attempts.isEmpty {
                guard ContinuousClock.now < deadline else { throw HarnessTimeout(description: "the first failed attempt was never recorded") }
                try await Task.sleep(for: .milliseconds(20))
            }
            let failing = try await harness.fixture.pool.query("""
                SELECT enabled, failing_since IS NOT NULL AS failing FROM webhook_endpoints WHERE public_id = \(endpoint.publicID)
                """).first
            #expect(try failing?.decode("enabled", as: Bool.self) == true)
            #expect(try failing?.decode("failing", as: Bool.self) == true)
            let detail = try await harness.waitForState(id, .succeeded, timeout: .seconds(10))
            #expect(detail.attempts.map(\.httpStatus) == [500, 500, 200])
            let healed = try await harness.fixture.pool.query("""
                SELECT enabled, failing_since IS NULL AS healed FROM webhook_endpoints WHERE public_id = \(endpoint.publicID)
                """).first
            #expect(try healed?.decode("enabled", as: Bool.self) == true)
            #expect(try healed?.decode("healed", as: Bool.self) == true)
        }
    }

    @Test("an endpoint whose every delivery failed for longer than the limit is disabled with the reason")
    func failingForDaysDisables() async throws {
        try await DeliveryHarness.with("deliver_days") { harness in
            let (endpoint, _) = try await harness.webhooks.addEndpoint(projectID: harness.project.id, url: harness.receiver.url("/fail/100"))
            try await harness.fixture.pool.query("""
                UPDATE webhook_endpoints SET failing_since = now() - interval '6 days' WHERE public_id = \(endpoint.publicID)
                """)
            harness.startDeliverer(try .delivering())
            let id = try await harness.enqueue(url: endpoint.url, endpoint: endpoint)
            try await harness.waitForState(id, .cancelled)
            let disabled = try await harness.webhooks.endpoint(projectID: harness.project.id, publicID: endpoint.publicID)
            #expect(!disabled.enabled)
            #expect(disabled.disabledReason?.contains("every delivery failed since") == true)
            #expect(disabled.disabledReason?.contains("500") == true)
        }
    }

    @Test("429 with Retry-After is retried after the receiver's delay, within the schedule's bounds")
    func throttled() async throws {
        try await DeliveryHarness.with("deliver_429") { harness in
            harness.startDeliverer(try .delivering(schedule: "0,600ms;jitter=0"))
            let id = try await harness.enqueue(url: harness.receiver.url("/throttle/1"))
            try await harness.waitForState(id, .succeeded)
            let log = try await harness.receiver.received()
            #expect(log.count == 2)
            // Retry-After: 1 s within [600 ms, 1.2 s]: honoured as 1 s.
            #expect(log[1].receivedAt - log[0].receivedAt >= 0.95)
        }
    }
}
