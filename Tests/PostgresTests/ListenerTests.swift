import Postgres
import TestSupport
import Testing

struct ListenerTests {
    /// Notifies `channel` every 100 ms until cancelled, so a listener that is still connecting
    /// does not miss the only notification.
    func keepNotifying(_ pool: PostgresPool, channel: String, payload: String) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await pool.notify(channel, payload: payload)
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    @Test func receivesNotificationsAndKeepsReceivingAfterItsBackendIsKilled() async throws {
        try await withFreshPool("pg_listen") { pool in
            let listener = pool.listen(["jobs_queued", "other channel"])
            var events = listener.makeAsyncIterator()

            let first = keepNotifying(pool, channel: "jobs_queued", payload: "before")
            let event = await events.next()
            first.cancel()
            #expect(event == .notification(channel: "jobs_queued", payload: "before"))

            // Kill the listener's backend; it must reconnect, re-LISTEN and say so.
            let killed = try await pool.query(
                """
                SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
                WHERE datname = current_database() AND query LIKE 'LISTEN%'
                """
            )
            #expect(killed.count == 1)
            var sawReconnected = false
            var afterPayload: String?
            let second = keepNotifying(pool, channel: "other channel", payload: "after")
            // The dying backend may still deliver an "after" or two before it goes: only one that
            // arrives after the reconnection shows the new connection listens.
            while afterPayload == nil, let next = await events.next() {
                switch next {
                case .reconnected: sawReconnected = true
                case .notification(let channel, let payload) where channel == "other channel" && payload == "after" && sawReconnected:
                    afterPayload = payload
                case .notification: continue
                }
            }
            second.cancel()
            #expect(sawReconnected)
            #expect(afterPayload == "after")
        }
    }

    @Test func iterationEndsWhenTheTaskIsCancelled() async throws {
        try await withFreshPool("pg_listen_cancel") { pool in
            let listener = pool.listen(["nothing"])
            let consumer = Task {
                var count = 0
                for await _ in listener { count += 1 }
                return count
            }
            try await Task.sleep(for: .milliseconds(300))
            let elapsed = await measure {
                consumer.cancel()
                _ = await consumer.value
            }
            // Within a second on a quiet machine; the bound leaves room for a loaded 2-core CI run.
            // What it pins down: cancellation does not wait for the 30 s sleep to end.
            #expect(elapsed < .seconds(10))
            // The listener's connection closes soon after.
            var remaining = 1
            for _ in 0..<50 where remaining > 0 {
                try await Task.sleep(for: .milliseconds(50))
                remaining = try await pool.query(
                    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'"
                ).first?.decode("n", as: Int.self) ?? 0
            }
            #expect(remaining == 0)
        }
    }
}
