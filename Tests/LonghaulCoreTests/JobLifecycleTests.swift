import Foundation
import LonghaulCore
import Testing

@Suite("Job lifecycle: what happened → what to do")
struct JobLifecycleTests {
    static let retry = RetryPolicy(base: .seconds(2), cap: .seconds(60))
    static let polls = PollSchedule()
    static let started = Date(timeIntervalSince1970: 1_800_000_000)
    static let busy = AttemptError(httpStatus: 503, code: "service_unavailable", message: "try later")
    static let refused = AttemptError(httpStatus: 400, code: "invalid_request", message: "bad field")

    static let keyRefused = AttemptError(httpStatus: 401, code: "invalid_api_key", message: "The security token included in the request is invalid.")

    static func job(attempt: Int, of maxAttempts: Int = 3, retryingFor: TimeInterval? = nil) -> ClaimedJob {
        ClaimedJob(
            id: 7, publicID: "job_7", projectID: 1, attempt: attempt, maxAttempts: maxAttempts, model: "openai.gpt-oss-120b",
            maxOutputTokens: 100, estimatedInputTokens: 10, reasoningEffort: nil, metadata: [:], document: "text", instructions: nil,
            retryingSince: retryingFor.map { started.addingTimeInterval(-$0) }, retryWindow: .seconds(24 * 3600))
    }

    static func poll(
        attempt: Int, of maxAttempts: Int = 3, cancelRequested: Bool = false, age: TimeInterval = 10, failedLooks: Int = 0
    ) -> ClaimedPoll {
        ClaimedPoll(
            id: 7, publicID: "job_7", projectID: 1, attempt: attempt, maxAttempts: maxAttempts, responseID: "resp_1",
            model: "openai.gpt-oss-120b", submittedAt: started.addingTimeInterval(-age), cancelRequested: cancelRequested,
            failedLooks: failedLooks)
    }

    static func afterCreate(_ job: ClaimedJob, _ result: Result<RemoteSubmission, RemoteCallError>) -> SubmissionOutcome {
        JobLifecycle.afterCreate(job, result, retry: retry, polls: polls, startedAt: started)
    }

    static func afterPoll(_ poll: ClaimedPoll, _ result: Result<RemoteSnapshot, RemoteCallError>) -> PollOutcome {
        JobLifecycle.afterPoll(poll, result, retry: retry, polls: polls, now: started)
    }

    @Test("an accepted create makes the job running, first poll per the schedule")
    func acceptedCreate() {
        let outcome = Self.afterCreate(Self.job(attempt: 1), .success(RemoteSubmission(responseID: "resp_1", remoteStatus: "in_progress")))
        #expect(outcome == .accepted(
            jobID: 7, attempt: 1, responseID: "resp_1", remoteStatus: "in_progress", firstPollIn: Self.polls.first, startedAt: Self.started))
    }

    @Test("a create whose answer was lost spends the attempt and goes back to the queue, never sooner than Retry-After")
    func lostAnswerCreate() throws {
        let outcome = Self.afterCreate(Self.job(attempt: 1), .failure(.retryable(Self.busy, retryAfter: .seconds(30), mayHaveBeenCreated: true)))
        guard case .retry(7, 1, let delay, Self.busy, Self.started) = outcome else {
            Issue.record("expected a retry, got \(outcome)")
            return
        }
        #expect(delay >= .seconds(30))
    }

    @Test("a create the endpoint did not take spends no attempt, even the last, and honours Retry-After")
    func unavailableCreate() throws {
        for attempt in [1, 3] {
            let outcome = Self.afterCreate(
                Self.job(attempt: attempt), .failure(.retryable(Self.busy, retryAfter: .seconds(30), mayHaveBeenCreated: false)))
            guard case .deferred(7, attempt, let delay, Self.busy, Self.started) = outcome else {
                Issue.record("expected a deferral, got \(outcome)")
                return
            }
            #expect(delay >= .seconds(30))
        }
    }

    @Test("waits for an endpoint that is down grow with how long it has been down, up to the cap")
    func unavailableWaitsGrow() throws {
        func delay(after waited: TimeInterval) -> Duration? {
            let outcome = Self.afterCreate(
                Self.job(attempt: 1, retryingFor: waited), .failure(.retryable(Self.busy, retryAfter: nil, mayHaveBeenCreated: false)))
            guard case .deferred(_, _, let delay, _, _) = outcome else { return nil }
            return delay
        }
        let first = try #require(delay(after: 0)), later = try #require(delay(after: 16)), hours = try #require(delay(after: 7200))
        #expect(first >= .seconds(1) && first <= .seconds(2))
        #expect(later >= .seconds(8) && later <= .seconds(16))
        #expect(hours >= .seconds(30) && hours <= .seconds(60))
    }

    @Test("a job the endpoint has not taken for its whole retry window fails, saying so")
    func retryWindowRunsOut() {
        let outcome = Self.afterCreate(
            Self.job(attempt: 1, retryingFor: 24 * 3600 + 1), .failure(.retryable(Self.busy, retryAfter: nil, mayHaveBeenCreated: false)))
        guard case .fail(7, 1, let error, _) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(error.code == "service_unavailable")
        #expect(error.message.contains("24 h retry window"))
    }

    @Test("a refused key holds the job in the queue, spending nothing")
    func refusedKey() {
        let outcome = Self.afterCreate(Self.job(attempt: 3), .failure(.needsAttention(Self.keyRefused)))
        #expect(outcome == .held(jobID: 7, attempt: 3, error: Self.keyRefused, startedAt: Self.started))
    }

    @Test("a transient create failure on the last attempt ends the job failed, saying it gave up")
    func transientCreateOnLastAttempt() {
        let outcome = Self.afterCreate(Self.job(attempt: 3), .failure(.retryable(Self.busy, retryAfter: nil, mayHaveBeenCreated: true)))
        let expected = AttemptError(httpStatus: 503, code: "service_unavailable", message: "try later (gave up after 3 attempts)")
        #expect(outcome == .fail(jobID: 7, attempt: 3, error: expected, startedAt: Self.started))
    }

    @Test("a refused create ends the job failed at once, attempts left or not", arguments: [RemoteCallError.permanent(refused), .notFound(refused)])
    func refusedCreate(error: RemoteCallError) {
        #expect(Self.afterCreate(Self.job(attempt: 1), .failure(error)) == .fail(jobID: 7, attempt: 1, error: Self.refused, startedAt: Self.started))
    }

    @Test("a running Response is looked at again after an interval that grows with its age")
    func stillRunning() {
        let outcome = Self.afterPoll(Self.poll(attempt: 1, age: 100), .success(.running(remoteStatus: "in_progress")))
        #expect(outcome == .stillRunning(jobID: 7, remoteStatus: "in_progress", nextPollIn: Self.polls.interval(age: .seconds(100))))
    }

    @Test("a finished Response ends the job in its state", arguments: [JobState.completed, .incomplete, .cancelled, .failed])
    func finished(state: JobState) {
        let result = RemoteResult(state: state, remoteStatus: state.rawValue, errorCode: state == .failed ? "invalid_prompt" : nil)
        #expect(Self.afterPoll(Self.poll(attempt: 1), .success(.finished(result))) == .finished(jobID: 7, attempt: 1, result))
    }

    @Test("a Response that failed transiently is submitted afresh while attempts remain and no cancel was asked")
    func transientRemoteFailure() {
        let failed = RemoteResult(state: .failed, remoteStatus: "failed", errorCode: "server_error", errorMessage: "oops")
        guard case .resubmit(7, 1, _, let error) = Self.afterPoll(Self.poll(attempt: 1), .success(.finished(failed))) else {
            Issue.record("expected a resubmission")
            return
        }
        #expect(error == AttemptError(code: "server_error", message: "oops"))
        #expect(Self.afterPoll(Self.poll(attempt: 3), .success(.finished(failed))) == .finished(jobID: 7, attempt: 3, failed))
        #expect(Self.afterPoll(Self.poll(attempt: 1, cancelRequested: true), .success(.finished(failed))) == .finished(jobID: 7, attempt: 1, failed))
    }

    @Test("a Response that vanished is submitted afresh, or the job fails on its last attempt")
    func vanishedResponse() {
        let gone = AttemptError(httpStatus: 404, code: "not_found", message: "no such response")
        #expect(Self.afterPoll(Self.poll(attempt: 1), .failure(.notFound(gone))) == .resubmit(jobID: 7, attempt: 1, retryIn: .seconds(1), error: gone))
        let ended = RemoteResult(state: .failed, remoteStatus: "not_found", errorCode: "response_not_found", errorMessage: "no such response")
        #expect(Self.afterPoll(Self.poll(attempt: 3), .failure(.notFound(gone))) == .finished(jobID: 7, attempt: 3, ended))
    }

    @Test("a failed look costs no attempt: transient ones wait at least Retry-After, refused ones the longest interval")
    func failedLooks() {
        let transient = Self.afterPoll(Self.poll(attempt: 3), .failure(.retryable(Self.busy, retryAfter: .seconds(20), mayHaveBeenCreated: false)))
        #expect(transient == .pollFailed(jobID: 7, retryIn: .seconds(20)))
        let quick = Self.afterPoll(Self.poll(attempt: 1, age: 0), .failure(.retryable(Self.busy, retryAfter: nil, mayHaveBeenCreated: false)))
        guard case .pollFailed(7, let first) = quick else { Issue.record("expected a failed look, got \(quick)"); return }
        #expect(first >= .seconds(1) && first <= .seconds(2))
        #expect(Self.afterPoll(Self.poll(attempt: 1), .failure(.permanent(Self.refused))) == .pollFailed(jobID: 7, retryIn: Self.polls.maximum))
        #expect(Self.afterPoll(Self.poll(attempt: 1), .failure(.needsAttention(Self.keyRefused))) == .pollFailed(jobID: 7, retryIn: Self.polls.maximum))
    }

    @Test("looks that keep failing back off exponentially, like creates")
    func failedLooksBackOff() {
        let outcome = Self.afterPoll(
            Self.poll(attempt: 1, age: 0, failedLooks: 5), .failure(.retryable(Self.busy, retryAfter: nil, mayHaveBeenCreated: false)))
        guard case .pollFailed(7, let delay) = outcome else { Issue.record("expected a failed look, got \(outcome)"); return }
        #expect(delay >= .seconds(30) && delay <= .seconds(60))
    }

    @Test("a submission whose worker vanished is requeued while attempts remain, else ends failed")
    func lostSubmission() {
        guard case .requeue(let error) = JobLifecycle.afterLostSubmission(attempt: 1, maxAttempts: 3) else {
            Issue.record("expected a requeue")
            return
        }
        #expect(error.code == "worker_lost")
        guard case .fail(let final) = JobLifecycle.afterLostSubmission(attempt: 3, maxAttempts: 3) else {
            Issue.record("expected a failure")
            return
        }
        #expect(final.message.contains("last attempt (3)"))
    }
}

@Suite("Poll schedule and retry policy")
struct SchedulingTests {
    @Test("a 2-second Response is seen within about a second")
    func shortResponsesAreSeenQuickly() {
        let schedule = PollSchedule()
        #expect(schedule.interval(age: .seconds(1)) <= .seconds(1))
        #expect(schedule.interval(age: .seconds(2)) <= .seconds(1))
    }

    @Test("a 20-minute Response costs tens of polls, not hundreds")
    func longResponsesCostTensOfPolls() {
        let schedule = PollSchedule()
        var age = schedule.first
        var polls = 1
        while age < .seconds(20 * 60) {
            age += schedule.interval(age: age)
            polls += 1
        }
        #expect(polls >= 10 && polls < 100, "took \(polls) polls")
        #expect(schedule.interval(age: .seconds(3600)) == schedule.maximum)
    }

    @Test("retry delays grow, stay under the cap, and honour Retry-After")
    func retryDelays() {
        let policy = RetryPolicy(base: .seconds(2), cap: .seconds(60))
        #expect(policy.delay(afterAttempt: 1) <= .seconds(2))
        #expect(policy.delay(afterAttempt: 1) >= .seconds(1))
        #expect(policy.delay(afterAttempt: 5) >= .seconds(16))
        #expect(policy.delay(afterAttempt: 30) <= .seconds(60))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(45)) == .seconds(45))
        #expect(policy.delay(afterAttempt: 2, of: 3) != nil)
        #expect(policy.delay(afterAttempt: 3, of: 3) == nil)
    }
}

@Suite("Public ids and token estimates")
struct IdentityTests {
    @Test("ids carry their prefix, are unique and sort by creation time")
    func publicIDs() {
        let early = PublicID.make("job", at: .init(timeIntervalSince1970: 1_700_000_000))
        let late = PublicID.make("job", at: .init(timeIntervalSince1970: 1_800_000_000))
        #expect(early.hasPrefix("job_") && early.count == 30)
        #expect(early < late)
        #expect(Set((0..<1000).map { _ in PublicID.make("job") }).count == 1000)
    }

    @Test("token estimates grow with the text, Latin and Japanese alike")
    func tokenEstimates() {
        #expect(TokenEstimate.inputTokens("word ") * 100 <= TokenEstimate.inputTokens(String(repeating: "word ", count: 100)) + 100)
        #expect(TokenEstimate.inputTokens("こんにちは世界") == 7)
        #expect(TokenEstimate.inputTokens("") == 1)
    }
}
