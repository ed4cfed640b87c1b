import Foundation
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("Deadlines: urgent jobs go first, late ones end deadline_exceeded, a real PostgreSQL")
struct DeadlineTests {
    /// Enqueues one job per request into `project`, in order.
    func enqueue(_ fixture: StoreFixture, _ project: Project, _ requests: [JobRequest]) async throws -> [String] {
        try await fixture.store.enqueue(try requests.map(fixture.validated), project: project).map(\.publicID)
    }

    func request(priority: Int = 0, deadlineIn seconds: TimeInterval? = nil) -> JobRequest {
        var request = JobRequest(document: "The ferry timetable changes in spring.", maxOutputTokens: 100, priority: priority)
        request.deadline = seconds.map { Date().addingTimeInterval($0) }
        return request
    }

    /// Moves `publicID`'s deadline to `seconds` from the database's now (time passing, for a test).
    func moveDeadline(_ fixture: StoreFixture, _ publicID: String, toSecondsFromNow seconds: Int) async throws {
        try await fixture.pool.query(
            "UPDATE jobs SET deadline = now() + make_interval(secs => \(seconds)) WHERE public_id = \(publicID)")
    }

    func claimOne(_ fixture: StoreFixture) async throws -> String? {
        try await fixture.queue.claimJobs(worker: "w", limit: 1, lease: .seconds(60)).first?.publicID
    }

    @Test("a job near its deadline is claimed before its project's higher-priority jobs")
    func urgentFirst() async throws {
        try await StoreFixture.with("deadline_urgent") { fixture in
            let project = try await fixture.project("team")
            // 100 output tokens: urgent from 5 minutes before the deadline.
            let ids = try await enqueue(
                fixture, project,
                [request(priority: 100), request(priority: -100, deadlineIn: 3600), request(priority: -100, deadlineIn: 120)])
            let (important, later, soon) = (ids[0], ids[1], ids[2])
            #expect(try await fixture.store.job(publicID: soon, projectID: nil).urgent)
            #expect(try await fixture.store.job(publicID: later, projectID: nil).urgent == false)
            #expect(try await claimOne(fixture) == soon)

            try await moveDeadline(fixture, later, toSecondsFromNow: 240)
            #expect(try await fixture.queue.enforceDeadlines() == DeadlineReport(urgent: 1))
            #expect(try await claimOne(fixture) == later)
            #expect(try await claimOne(fixture) == important)
        }
    }

    @Test("a queued job past its deadline is never claimed, ends failed deadline_exceeded, and a retry lifts the deadline")
    func queuedPastDeadline() async throws {
        try await StoreFixture.with("deadline_queued") { fixture in
            let project = try await fixture.project("team")
            let ids = try await enqueue(fixture, project, [request(deadlineIn: 3600)])
            try await moveDeadline(fixture, ids[0], toSecondsFromNow: -1)
            #expect(try await claimOne(fixture) == nil)
            #expect(try await fixture.queue.enforceDeadlines() == DeadlineReport(expired: 1))

            let ended = try await fixture.store.job(publicID: ids[0], projectID: nil)
            #expect(ended.state == .failed && ended.errorCode == "deadline_exceeded")
            #expect(ended.errorMessage?.contains("passed before the job was submitted") == true)
            #expect(try await fixture.queue.enforceDeadlines() == DeadlineReport())

            try await fixture.store.retry(publicID: ids[0], projectID: nil)
            let retried = try await fixture.store.job(publicID: ids[0], projectID: nil)
            #expect(retried.state == .queued && retried.deadline == nil)
            #expect(try await claimOne(fixture) == ids[0])
        }
    }

    @Test("a job cancelled before its deadline stays cancelled; one with Mantle past its deadline gets a cancel")
    func cancelsAndInFlight() async throws {
        try await StoreFixture.with("deadline_cancel") { fixture in
            let project = try await fixture.project("team")
            let ids = try await enqueue(fixture, project, [request(deadlineIn: 3600), request(deadlineIn: 3600)])
            #expect(try await fixture.store.cancel(publicID: ids[0], projectID: nil) == .cancelled)
            #expect(try await fixture.store.job(publicID: ids[0], projectID: nil).errorCode == "cancelled")

            #expect(try await claimOne(fixture) == ids[1])
            try await moveDeadline(fixture, ids[1], toSecondsFromNow: -1)
            #expect(try await fixture.queue.enforceDeadlines() == DeadlineReport(cancelling: 1))
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE cancel_requested_at IS NOT NULL") == 1)
            // Asked once: the next pass leaves it to the worker that follows it.
            #expect(try await fixture.queue.enforceDeadlines() == DeadlineReport())
        }
    }
}
