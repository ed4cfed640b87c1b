import Foundation
import LonghaulCore
import Testing

@Suite("Endpoint health: a breaker for outages, a pause for refused keys")
struct EndpointHealthTests {
    static let policy = EndpointHealth.Policy(threshold: 5, firstProbe: .seconds(5), maximumProbe: .seconds(120), pausedProbe: .seconds(60))
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let busy = AttemptError(httpStatus: 503, code: "service_unavailable", message: "CapacityExceeded")
    static let keyRefused = AttemptError(httpStatus: 401, code: "invalid_api_key", message: "The security token included in the request is invalid.")

    static func observed(answered: Int = 0, creates: Int = 0, looks: Int = 0, refused: AttemptError? = nil) -> EndpointHealth.Observation {
        var observation = EndpointHealth.Observation()
        for _ in 0..<answered { observation.add(.answered, isCreate: true) }
        for _ in 0..<creates { observation.add(.unavailable(busy), isCreate: true) }
        for _ in 0..<looks { observation.add(.unavailable(busy), isCreate: false) }
        if let refused { observation.add(.refused(refused), isCreate: true) }
        return observation
    }

    static func after(_ observation: EndpointHealth.Observation, _ state: EndpointHealth.State) -> (EndpointHealth.State, [EndpointHealth.Change]) {
        EndpointHealth.after(observation, state, policy: policy, now: now)
    }

    @Test("a few failures in a row only count; the fifth opens the breaker with the first probe 5 s out")
    func opensAfterThreshold() throws {
        let (counting, quiet) = Self.after(Self.observed(creates: 4), .init())
        #expect(quiet.isEmpty)
        #expect(counting.breaker?.failures == 4 && counting.breaker?.isOpen == false)
        let (open, changes) = Self.after(Self.observed(looks: 1), counting)
        let breaker = try #require(open.breaker)
        #expect(breaker.openedAt == Self.now && breaker.nextProbeAt == Self.now.addingTimeInterval(5))
        #expect(changes == [.breakerOpened(failures: 5, error: "HTTP 503 service_unavailable: CapacityExceeded")])
    }

    @Test("each failed probe doubles the interval up to two minutes; failed looks meanwhile do not push it")
    func probesBackOff() throws {
        var state = EndpointHealth.State(breaker: .init(failures: 5, openedAt: Self.now, probeInterval: .seconds(5), nextProbeAt: Self.now))
        var intervals: [Duration] = []
        for _ in 0..<6 {
            state = Self.after(Self.observed(creates: 1), state).0
            intervals.append(try #require(state.breaker?.probeInterval))
        }
        #expect(intervals == [.seconds(10), .seconds(20), .seconds(40), .seconds(80), .seconds(120), .seconds(120)])
        let looked = Self.after(Self.observed(looks: 30), state).0
        #expect(looked.breaker?.probeInterval == .seconds(120) && looked.breaker?.nextProbeAt == state.breaker?.nextProbeAt)
    }

    @Test("any answer closes the breaker and says how long it was open")
    func answerCloses() {
        let opened = Self.now.addingTimeInterval(-90)
        let state = EndpointHealth.State(breaker: .init(failures: 40, openedAt: opened, probeInterval: .seconds(80), nextProbeAt: Self.now))
        let (next, changes) = Self.after(Self.observed(answered: 1, creates: 3), state)
        #expect(next == EndpointHealth.State())
        #expect(changes == [.breakerClosed(openedAt: opened)])
    }

    @Test("a refused key pauses the project once, with Mantle's reason; a failed probe only moves the next try")
    func refusedPauses() throws {
        let (paused, changes) = Self.after(Self.observed(refused: Self.keyRefused), .init())
        let pause = try #require(paused.pause)
        #expect(pause.kind == .needsAttention && pause.code == "invalid_api_key" && pause.since == Self.now)
        #expect(pause.nextProbeAt == Self.now.addingTimeInterval(60))
        #expect(changes == [.paused(Self.keyRefused)])
        let later = Self.now.addingTimeInterval(61)
        let (still, again) = EndpointHealth.after(Self.observed(refused: Self.keyRefused), paused, policy: Self.policy, now: later)
        #expect(again.isEmpty)
        #expect(still.pause?.since == Self.now && still.pause?.nextProbeAt == later.addingTimeInterval(60))
    }

    @Test("an answer resumes a project Longhaul paused, never one an operator paused")
    func answerResumes() {
        let pausedAt = Self.now.addingTimeInterval(-30)
        let byLonghaul = EndpointHealth.State(pause: .init(kind: .needsAttention, code: "invalid_api_key", reason: "no", since: pausedAt))
        let (resumed, changes) = Self.after(Self.observed(answered: 1), byLonghaul)
        #expect(resumed.pause == nil && changes == [.resumed(pausedAt: pausedAt)])
        let byOperator = EndpointHealth.State(pause: .init(kind: .manual, code: "operator", reason: "maintenance", since: pausedAt))
        let (kept, none) = Self.after(Self.observed(answered: 1), byOperator)
        #expect(kept.pause == byOperator.pause && none.isEmpty)
    }
}
