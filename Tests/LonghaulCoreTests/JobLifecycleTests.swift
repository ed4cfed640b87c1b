import Foundation
import LonghaulCore
import Testing

@Suite("Job state machine")
struct JobLifecycleTests {
    static let allowed: [(JobState, JobEvent, JobState)] = [
        (.queued, .claimed, .submitting),
        (.queued, .cancelledWhileQueued, .cancelled),
        (.submitting, .submitted, .running),
        (.submitting, .submitFailedRetryable, .queued),
        (.submitting, .leaseExpired, .queued),
        (.submitting, .submitFailedPermanent, .failed),
        (.running, .remoteFinished(.completed), .completed),
        (.running, .remoteFinished(.failed), .failed),
        (.running, .remoteFinished(.incomplete), .incomplete),
        (.running, .remoteFinished(.cancelled), .cancelled),
        (.running, .remoteFailedRetryable, .queued),
        (.failed, .retryRequested, .queued),
        (.incomplete, .retryRequested, .queued),
    ]

    static let events: [JobEvent] = [
        .claimed, .submitted, .submitFailedRetryable, .submitFailedPermanent, .leaseExpired,
        .remoteFinished(.completed), .remoteFinished(.failed), .remoteFinished(.incomplete), .remoteFinished(.cancelled),
        .remoteFailedRetryable, .cancelledWhileQueued, .retryRequested,
    ]

    @Test("every allowed transition leads where DESIGN §5 says", arguments: 0..<allowed.count)
    func allowedTransition(index: Int) throws {
        let (from, event, to) = Self.allowed[index]
        #expect(try JobLifecycle.next(from: from, on: event) == to)
    }

    @Test("every other pair of state and event is refused", arguments: JobState.allCases)
    func forbiddenTransitions(state: JobState) {
        for event in Self.events where !Self.allowed.contains(where: { $0.0 == state && $0.1 == event }) {
            #expect(throws: IllegalJobTransition(from: state, event: event)) {
                try JobLifecycle.next(from: state, on: event)
            }
        }
    }

    @Test("terminal jobs never move again, except failed and incomplete by an explicit retry")
    func terminalStatesAreFinal() {
        for state in JobState.allCases where state.isTerminal {
            let moves = Self.events.filter { (try? JobLifecycle.next(from: state, on: $0)) != nil }
            #expect(moves == ((state == .failed || state == .incomplete) ? [.retryRequested] : []))
        }
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
