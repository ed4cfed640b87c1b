import LonghaulCore
import Testing

@Suite("The webhook retry schedule")
struct WebhookRetryScheduleTests {
    @Test("the standard schedule is 8 attempts: 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, each retry ±20 %")
    func standard() {
        let schedule = WebhookRetrySchedule.standard
        #expect(schedule.attempts == 8)
        let expected: [Double] = [5, 300, 1800, 7200, 18000, 36000, 36000]
        for (index, base) in expected.enumerated() {
            for _ in 0..<50 {
                let delay = schedule.delay(afterAttempt: index + 1)!
                #expect(delay >= .seconds(base * 0.8) && delay <= .seconds(base * 1.2))
            }
        }
        #expect(schedule.delay(afterAttempt: 8) == nil)
    }

    @Test("Retry-After is honoured within [delay, 2 × delay]")
    func retryAfter() throws {
        let schedule = try WebhookRetrySchedule(parsing: "0,10s,1m;jitter=0")
        #expect(schedule.delay(afterAttempt: 1, retryAfter: .seconds(15)) == .seconds(15))
        #expect(schedule.delay(afterAttempt: 1, retryAfter: .seconds(1)) == .seconds(10))
        #expect(schedule.delay(afterAttempt: 1, retryAfter: .seconds(3600)) == .seconds(20))
    }

    @Test("the environment form parses units and refuses what it does not understand")
    func parsing() throws {
        let schedule = try WebhookRetrySchedule(parsing: "0, 250ms, 2s, 1m, 1h; jitter=0")
        #expect(schedule.delays == [.zero, .milliseconds(250), .seconds(2), .seconds(60), .seconds(3600)])
        #expect(try WebhookRetrySchedule.fromEnvironment([:]) == .standard)
        #expect(try WebhookRetrySchedule.fromEnvironment([WebhookRetrySchedule.environmentVariable: "0,1s"]).attempts == 2)
        for bad in ["5s,10s", "0,five", "0,1s;speed=2", ""] {
            #expect(throws: WebhookScheduleError.self) { try WebhookRetrySchedule(parsing: bad) }
        }
    }
}
