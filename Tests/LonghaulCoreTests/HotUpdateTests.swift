import Foundation
import LonghaulCore
import Postgres
import Testing
import TestSupport

/// The lease writes repeated for every job — a poll claim, a held stream's lease renewal, a
/// webhook claim — change no indexed column, so PostgreSQL keeps each new row version on its
/// page and writes no index entry (a HOT update; issue 17 §2, README "Writes per job"). Counted
/// from `pg_stat_user_tables` on the fixture's one connection, which flushes its statistics
/// (`pg_stat_force_next_flush`) before each reading.
@Suite("HOT updates: the lease writes touch no index, and an expired lease is still taken back")
struct HotUpdateTests {
    /// Updates of `table` so far, all and HOT.
    struct Updates: Equatable, CustomStringConvertible {
        var all: Int
        var hot: Int
        var description: String { "\(all) updates, \(hot) HOT" }
        static func - (lhs: Updates, rhs: Updates) -> Updates { Updates(all: lhs.all - rhs.all, hot: lhs.hot - rhs.hot) }
    }

    static func updates(of table: String, _ fixture: StoreFixture) async throws -> Updates {
        // Flushed when this statement's transaction ends; the next one reads them.
        try await fixture.pool.query("SELECT pg_stat_force_next_flush()")
        let rows = try await fixture.pool.query(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = \(table) AND schemaname = current_schema()")
        let row = try #require(rows.first)
        return Updates(all: try row.decode("n_tup_upd", as: Int.self), hot: try row.decode("n_tup_hot_upd", as: Int.self))
    }

    /// What `body` did to `table`.
    static func updates(of table: String, _ fixture: StoreFixture, during body: () async throws -> Void) async throws -> Updates {
        let before = try await updates(of: table, fixture)
        try await body()
        return try await updates(of: table, fixture) - before
    }

    /// Fixtures with one connection: the statistics read are those of the statements run.
    static func with<T>(_ name: String, _ body: (StoreFixture) async throws -> T) async throws -> T {
        try await StoreFixture.with(name, maxConnections: 1, body)
    }

    /// `count` running jobs with a Response each, accepted by `w`: first poll due after
    /// `firstPollIn`; with `streamLease`, their streams held by `w` under that lease.
    @discardableResult
    static func running(
        _ count: Int, _ fixture: StoreFixture, firstPollIn: Duration = .zero, streamLease: Duration? = nil
    ) async throws -> [Int64] {
        let project = try await fixture.project("hot")
        try await fixture.enqueue(count, into: project)
        let claimed = try await fixture.queue.claimJobs(worker: "w", limit: count, lease: .seconds(30))
        try await fixture.queue.recordSubmissions(
            claimed.map {
                .accepted(
                    jobID: $0.id, attempt: $0.attempt, responseID: "resp_\($0.id)", remoteStatus: "in_progress", firstPollIn: firstPollIn,
                    startedAt: Date(), heldLease: streamLease)
            },
            worker: "w")
        return claimed.map(\.id)
    }

    /// `count` held streams of `worker` that have begun: `running`, `held`, leased to it for 30 s.
    @discardableResult
    static func heldStreams(_ count: Int, worker: String, _ fixture: StoreFixture) async throws -> [ClaimedJob] {
        let project = try await fixture.project("held")
        let jobs = try await fixture.enqueue(count, into: project)
        try await fixture.pool.query("UPDATE jobs SET held = true WHERE public_id = ANY(\(jobs.map(\.publicID)))")
        let held = try await fixture.queue.claimJobs(worker: worker, limit: count, lease: .seconds(30), held: true)
        _ = try await fixture.queue.checkpointStreams(
            [], held: held.map(\.id), worker: worker, started: held.map { StreamStart(jobID: $0.id, attempt: $0.attempt) })
        return held
    }

    /// `count` pending webhook deliveries, due now.
    static func deliveries(_ count: Int, _ fixture: StoreFixture) async throws {
        let project = try await fixture.project("hooks")
        try await fixture.pool.query("""
            INSERT INTO deliveries (public_id, project_id, url, event_type, body)
            SELECT 'msg_hot_' || n, \(project.id), 'https://hooks.example/a', 'job.completed', '{"type":"job.completed"}'
            FROM generate_series(1, \(count)) AS n
            """)
    }

    @Test("a poll claim writes only the lease: every claimed row is a HOT update")
    func pollClaimIsHOT() async throws {
        try await Self.with("hot_poll") { fixture in
            try await Self.running(5, fixture)
            var polls: [ClaimedPoll] = []
            let updates = try await Self.updates(of: "jobs", fixture) {
                polls = try await fixture.queue.claimPolls(worker: "p", limit: 10, lease: .seconds(30))
            }
            #expect(polls.count == 5)
            #expect(updates == Updates(all: 5, hot: 5))
        }
    }

    @Test("a job under a live poll lease is not claimed again; once the lease runs out it is, and the first poller's outcome changes nothing")
    func expiredPollLeaseIsTakenBack() async throws {
        try await Self.with("hot_poll_lease") { fixture in
            try await Self.running(2, fixture)
            let first = try await fixture.queue.claimPolls(worker: "gone", limit: 1, lease: .seconds(30))
            let other = try await fixture.queue.claimPolls(worker: "live", limit: 10, lease: .seconds(30))
            #expect(first.count == 1 && other.count == 1 && first[0].id != other[0].id)
            #expect(try await fixture.queue.claimPolls(worker: "live", limit: 10, lease: .seconds(30)).isEmpty)

            // The first poller died: its lease runs out.
            try await fixture.pool.query("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE lease_owner = 'gone'")
            let again = try await fixture.queue.claimPolls(worker: "next", limit: 10, lease: .seconds(30))
            #expect(again.map(\.id) == first.map(\.id))
            let late = try await fixture.queue.recordPolls(
                [.stillRunning(jobID: first[0].id, remoteStatus: "in_progress", nextPollIn: .seconds(5))], worker: "gone")
            #expect(late.applied == 0)
            #expect(try await fixture.strings("SELECT lease_owner FROM jobs WHERE id = \(first[0].id)") == ["next"])
        }
    }

    @Test("a Response stream's renewal is HOT while its next poll is over half a lease away, and moves that poll to the lease's end when nearer")
    func backgroundStreamRenewal() async throws {
        try await Self.with("hot_stream") { fixture in
            let ids = try await Self.running(3, fixture, firstPollIn: .seconds(30), streamLease: .seconds(30))
            let far = try await Self.updates(of: "jobs", fixture) {
                try await fixture.queue.renewHeldBackgroundStreams(ids, worker: "w", lease: .seconds(30))
            }
            #expect(far == Updates(all: 3, hot: 3))

            try await fixture.pool.query("UPDATE jobs SET next_poll_at = now() + interval '5 seconds'")
            let near = try await Self.updates(of: "jobs", fixture) {
                try await fixture.queue.renewHeldBackgroundStreams(ids, worker: "w", lease: .seconds(30))
            }
            #expect(near == Updates(all: 3, hot: 0))
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE next_poll_at > now() + interval '25 seconds'") == 3)
        }
    }

    @Test("a Response stream under a live lease is not polled, even past its next poll; once the lease runs out it is")
    func streamLeaseKeepsThePollerAway() async throws {
        try await Self.with("hot_stream_lease") { fixture in
            try await Self.running(3, fixture, firstPollIn: .seconds(30), streamLease: .seconds(30))
            try await fixture.pool.query("UPDATE jobs SET next_poll_at = now() - interval '1 second'")
            #expect(try await fixture.queue.claimPolls(worker: "p", limit: 10, lease: .seconds(30)).isEmpty)
            // The worker holding the streams died: it renews no more.
            try await fixture.pool.query("UPDATE jobs SET lease_expires_at = now() - interval '1 second'")
            #expect(try await fixture.queue.claimPolls(worker: "p", limit: 10, lease: .seconds(30)).count == 3)
        }
    }

    @Test("the Submitter's and a held stream's lease heartbeats are HOT")
    func submissionAndHeldLeaseRenewalsAreHOT() async throws {
        try await Self.with("hot_held") { fixture in
            try await Self.heldStreams(2, worker: "w", fixture)
            try await fixture.enqueue(2, into: fixture.project("hot"))
            _ = try await fixture.queue.claimJobs(worker: "w", limit: 2, lease: .seconds(30))
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE held AND state = 'running'") == 2)
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE NOT held AND state = 'submitting'") == 2)

            let submitting = try await Self.updates(of: "jobs", fixture) {
                try await fixture.queue.extendSubmissionLeases(worker: "w", lease: .seconds(30))
            }
            #expect(submitting == Updates(all: 2, hot: 2))
            let streams = try await Self.updates(of: "jobs", fixture) {
                try await fixture.queue.extendSubmissionLeases(worker: "w", lease: .seconds(30), held: true)
            }
            #expect(streams == Updates(all: 2, hot: 2))
        }
    }

    @Test("an expired held stream's lease is still rescued through the narrower index")
    func expiredHeldStreamIsRescued() async throws {
        try await Self.with("hot_held_rescue") { fixture in
            try await Self.heldStreams(2, worker: "gone", fixture)
            #expect(try await fixture.queue.rescueExpiredSubmissions().requeued == 0)
            try await fixture.queue.extendSubmissionLeases(worker: "gone", lease: .milliseconds(1), held: true)
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await fixture.queue.rescueExpiredSubmissions().requeued == 2)
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'queued' AND lease_owner IS NULL") == 2)
        }
    }

    @Test("a webhook claim writes the lease and the attempt count: every claimed row is a HOT update")
    func deliveryClaimIsHOT() async throws {
        try await Self.with("hot_delivery") { fixture in
            try await Self.deliveries(5, fixture)
            var claimed: [ClaimedDelivery] = []
            let updates = try await Self.updates(of: "deliveries", fixture) {
                claimed = try await DeliveryStore(pool: fixture.pool).claim(worker: "d", limit: 10, lease: .seconds(30))
            }
            #expect(claimed.count == 5 && claimed.allSatisfy { $0.attempt == 1 })
            #expect(updates == Updates(all: 5, hot: 5))
        }
    }

    @Test("a delivery under a live lease is not claimed again; once the lease runs out it is, with the next attempt")
    func expiredDeliveryLeaseIsTakenBack() async throws {
        try await Self.with("hot_delivery_lease") { fixture in
            try await Self.deliveries(1, fixture)
            let store = DeliveryStore(pool: fixture.pool)
            let first = try await store.claim(worker: "gone", limit: 10, lease: .milliseconds(1))
            #expect(first.count == 1)
            try await Task.sleep(for: .milliseconds(20))
            let again = try await store.claim(worker: "next", limit: 10, lease: .seconds(30))
            #expect(again.map(\.publicID) == first.map(\.publicID))
            #expect(again.first?.attempt == 2)
            #expect(try await store.claim(worker: "other", limit: 10, lease: .seconds(30)).isEmpty)
        }
    }
}
