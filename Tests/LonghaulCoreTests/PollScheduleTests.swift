import LonghaulCore
import Testing

@Suite("Poll schedule: aimed at the expected end, by age when nothing is known")
struct PollScheduleTests {
    static let schedule = PollSchedule()

    /// The looks the schedule makes at a Response that ends `end` seconds after submission:
    /// how many, and how long after the end the last one came.
    static func walk(end: Double, expected: ExpectedEnd?) -> (polls: Int, delay: Double) {
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        var age = seconds(schedule.first(expected: expected))
        var polls = 1
        while age < end {
            age += seconds(schedule.interval(age: .milliseconds(Int64((age * 1000).rounded())), expected: expected))
            polls += 1
        }
        return (polls, age - end)
    }

    @Test("with nothing expected, the age-based schedule as before", arguments: [0.0, 3, 60, 600, 1200])
    func fallback(age: Double) {
        let at = Duration.milliseconds(Int64(age * 1000))
        #expect(Self.schedule.interval(age: at, expected: nil) == Self.schedule.interval(age: at))
        #expect(Self.schedule.first(expected: nil) == Self.schedule.first)
    }

    @Test("a 60-s Response: looks 30 s apart until its window opens, then every second")
    func sixtySeconds() {
        let expected = ExpectedEnd(duration: .seconds(60), spread: 0.05)
        #expect(Self.schedule.first(expected: expected) == .seconds(30))
        #expect(Self.schedule.interval(age: .seconds(30), expected: expected) == .seconds(27))
        #expect(Self.schedule.interval(age: .seconds(58), expected: expected) == .seconds(1))
        for end in stride(from: 57.0, through: 63, by: 0.25) {
            let walked = Self.walk(end: end, expected: expected)
            #expect(walked.delay <= 1.0, "ends at \(end)")
            #expect(walked.polls <= 8, "ends at \(end)")
        }
        #expect(Self.walk(end: 60, expected: nil).polls >= 14, "the age-based schedule looks 16 times")
    }

    @Test("a 20-minute Response: at most 20 looks and detection within 3 % when it ends in its window")
    func twentyMinutes() {
        let expected = ExpectedEnd(duration: .seconds(1200), spread: 0.1)
        for end in stride(from: 1080.0, through: 1320, by: 7) {
            let walked = Self.walk(end: end, expected: expected)
            #expect(walked.polls <= 20, "ends at \(end)")
            #expect(walked.delay <= 36, "ends at \(end)")
        }
        let blind = Self.walk(end: 1200, expected: nil)
        #expect(blind.polls > 50, "the age-based schedule looks about 59 times")
    }

    @Test("no wait longer than a quarter of the expected duration, so an early end is still seen")
    func longestWait() {
        let expected = ExpectedEnd(duration: .seconds(1200), spread: 0.1)
        #expect(Self.schedule.first(expected: expected) == .seconds(300))
        #expect(Self.walk(end: 200, expected: expected).delay <= 300)
        // A short expected Response keeps the 30-s cap.
        #expect(Self.schedule.interval(age: .seconds(1), expected: ExpectedEnd(duration: .seconds(100), spread: 0.1)) == .seconds(30))
    }

    @Test("past its window the interval grows again from the lateness, up to the 30-s cap")
    func late() {
        let expected = ExpectedEnd(duration: .seconds(60), spread: 0.05)
        #expect(Self.schedule.interval(age: .seconds(64), expected: expected) == .seconds(1))
        #expect(Self.schedule.interval(age: .seconds(113), expected: expected) == .seconds(10))
        #expect(Self.schedule.interval(age: .seconds(3600), expected: expected) == .seconds(30))
    }
}

@Suite("Response durations learned from completed jobs")
struct ResponseDurationModelTests {
    static let key = ResponseDurationKey(projectID: 1, model: "openai.gpt-oss-120b")

    static func sample(input: Int, output: Int, seconds: Double, cap: Int = 4000, key: ResponseDurationKey = key) -> ResponseDurationSample
    {
        ResponseDurationSample(key: key, estimatedInputTokens: input, maxOutputTokens: cap, outputTokens: output, seconds: seconds)
    }

    @Test("Responses whose length follows their output: overhead and output speed recovered")
    func proportional() throws {
        // 50 output tokens a second after 2 s; output a tenth of the input.
        let samples = (1...40).map { i in Self.sample(input: i * 1000, output: i * 100, seconds: 2 + Double(i * 100) / 50) }
        let model = try #require(ResponseDurationModel.fit(samples))
        #expect(abs(model.outputPerInputToken - 0.1) < 1e-9)
        #expect(abs(model.secondsPerOutputToken - 0.02) < 1e-6)
        #expect(abs(model.overheadSeconds - 2) < 1e-6)
        #expect(model.spread == 0.05)
        let expected = model.expectedEnd(estimatedInputTokens: 30_000, maxOutputTokens: 4000)
        #expect(expected.duration == .seconds(62))
        // The output cap bounds the expected output.
        #expect(model.expectedEnd(estimatedInputTokens: 30_000, maxOutputTokens: 500).duration == .seconds(12))
    }

    @Test("Responses of one length whatever their size: the mean length, the spread of the rounding")
    func flat() throws {
        let samples = (0..<30).map { i in Self.sample(input: 100, output: 40 + i, seconds: i % 2 == 0 ? 60 : 61) }
        let model = try #require(ResponseDurationModel.fit(samples))
        #expect(model.secondsPerOutputToken == 0)
        #expect(abs(model.overheadSeconds - 60.5) < 1e-9)
        #expect(model.spread == 0.05)
    }

    @Test("too few samples teach nothing; each project and model learns on its own")
    func fewAndApart() {
        let few = (0..<(ResponseDurationModel.minimumSamples - 1)).map { _ in Self.sample(input: 100, output: 40, seconds: 60) }
        #expect(ResponseDurationModel.fit(few) == nil)
        let other = ResponseDurationKey(projectID: 2, model: "openai.gpt-oss-120b")
        let many =
            (0..<10).map { _ in Self.sample(input: 100, output: 40, seconds: 60) }
            + (0..<10).map { _ in Self.sample(input: 100, output: 40, seconds: 600, key: other) }
        let models = ResponseDurationModel.fitAll(
            many
                + few.map {
                    var s = $0
                    s.key.model = "openai.gpt-oss-20b"
                    return s
                })
        #expect(models.count == 2)
        #expect(models[Self.key]?.overheadSeconds == 60)
        #expect(models[other]?.overheadSeconds == 600)
    }

    @Test("scattered lengths widen the window, never past half")
    func scattered() throws {
        let samples = (0..<20).map { i in Self.sample(input: 100, output: 40, seconds: i % 2 == 0 ? 30 : 90) }
        let model = try #require(ResponseDurationModel.fit(samples))
        #expect(model.spread == 0.5)
    }
}
