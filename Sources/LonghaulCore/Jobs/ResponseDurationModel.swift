/// How long one project's model takes for a Response, learned from its completed ones, so the
/// Poller can aim its looks at a running Response's expected end (`PollSchedule`).
///
/// The expected output is the job's input-token estimate times the median output per input
/// token seen (capped by the job's `max_output_tokens`); the duration is
/// `overhead + expected output × secondsPerOutputToken`, a least-squares line over the samples
/// (the slope is one over the model's observed output speed; the overhead covers queueing and the
/// time to the first token). When the samples show no such slope — the simulator's fixed-length
/// Responses, documents all of one size — the line is flat and the overhead is their mean. The
/// spread is the 90th percentile of how far the line missed each sample, between 5 % and 50 %.
public struct ResponseDurationModel: Sendable, Equatable {
    public var outputPerInputToken: Double
    public var overheadSeconds: Double
    public var secondsPerOutputToken: Double
    public var spread: Double

    /// Fewer completed Responses than this teach nothing: the age-based schedule is used.
    public static let minimumSamples = 8
    /// The newest this many samples per project and model are used (older ones are dropped).
    public static let maximumSamples = 200

    public init(outputPerInputToken: Double, overheadSeconds: Double, secondsPerOutputToken: Double, spread: Double) {
        self.outputPerInputToken = outputPerInputToken
        self.overheadSeconds = overheadSeconds
        self.secondsPerOutputToken = secondsPerOutputToken
        self.spread = spread
    }

    /// The expected output tokens of a job with this input estimate and output cap.
    public func expectedOutputTokens(estimatedInputTokens: Int, maxOutputTokens: Int) -> Double {
        let guess = Double(max(estimatedInputTokens, 1)) * outputPerInputToken
        return maxOutputTokens > 0 ? min(guess, Double(maxOutputTokens)) : guess
    }

    /// When a job with this input estimate and output cap is expected to end.
    public func expectedEnd(estimatedInputTokens: Int, maxOutputTokens: Int) -> ExpectedEnd {
        let tokens = expectedOutputTokens(estimatedInputTokens: estimatedInputTokens, maxOutputTokens: maxOutputTokens)
        let seconds = max(0, overheadSeconds + tokens * secondsPerOutputToken)
        return ExpectedEnd(duration: .milliseconds(Int64((seconds * 1000).rounded())), spread: spread)
    }

    /// The model the samples (of one project and model, newest first) support, or nil when they
    /// are too few or say nothing usable.
    public static func fit(_ samples: [ResponseDurationSample]) -> ResponseDurationModel? {
        let usable = samples.filter { $0.seconds.isFinite && $0.seconds >= 0 && $0.outputTokens >= 0 }.prefix(maximumSamples)
        guard usable.count >= minimumSamples else { return nil }
        let ratios = usable.map { Double($0.outputTokens) / Double(max($0.estimatedInputTokens, 1)) }.sorted()
        let ratio = ratios[ratios.count / 2]
        var model = ResponseDurationModel(outputPerInputToken: ratio, overheadSeconds: 0, secondsPerOutputToken: 0, spread: 0)
        let xs = usable.map {
            model.expectedOutputTokens(estimatedInputTokens: $0.estimatedInputTokens, maxOutputTokens: $0.maxOutputTokens)
        }
        let ys = usable.map(\.seconds)
        let n = Double(xs.count)
        let meanX = xs.reduce(0, +) / n, meanY = ys.reduce(0, +) / n
        var covariance = 0.0, variance = 0.0
        for (x, y) in zip(xs, ys) {
            covariance += (x - meanX) * (y - meanY)
            variance += (x - meanX) * (x - meanX)
        }
        // A slope only where the estimates differ by more than rounding, and only a positive one.
        if variance > n * 1e-6, covariance > 0 {
            model.secondsPerOutputToken = covariance / variance
            model.overheadSeconds = meanY - model.secondsPerOutputToken * meanX
            if model.overheadSeconds < 0 {
                // Through the origin instead: a Response never takes less than nothing.
                let xx = xs.reduce(0) { $0 + $1 * $1 }, xy = zip(xs, ys).reduce(0) { $0 + $1.0 * $1.1 }
                model.overheadSeconds = 0
                model.secondsPerOutputToken = xx > 0 ? xy / xx : 0
            }
        } else {
            model.overheadSeconds = meanY
        }
        guard model.overheadSeconds + model.secondsPerOutputToken * meanX > 0 else { return nil }
        let misses = zip(xs, ys).map { x, y -> Double in
            let predicted = model.overheadSeconds + model.secondsPerOutputToken * x
            return predicted > 0 ? abs(y / predicted - 1) : 1
        }.sorted()
        model.spread = min(max(misses[Int(Double(misses.count - 1) * 0.9)], 0.05), 0.5)
        return model
    }

    /// One model per project and model name, from samples of many (newest first).
    public static func fitAll(_ samples: [ResponseDurationSample]) -> [ResponseDurationKey: ResponseDurationModel] {
        Dictionary(grouping: samples, by: \.key).compactMapValues(fit)
    }
}

/// Which project's model a duration belongs to.
public struct ResponseDurationKey: Sendable, Hashable {
    public var projectID: Int64
    public var model: String

    public init(projectID: Int64, model: String) {
        self.projectID = projectID
        self.model = model
    }
}

/// One completed Response: what was known of it before (the input estimate, the output cap),
/// what it produced, and how long Mantle says it ran (`completed_at − created_at`).
public struct ResponseDurationSample: Sendable, Equatable {
    public var key: ResponseDurationKey
    public var estimatedInputTokens: Int
    public var maxOutputTokens: Int
    public var outputTokens: Int
    public var seconds: Double

    public init(key: ResponseDurationKey, estimatedInputTokens: Int, maxOutputTokens: Int, outputTokens: Int, seconds: Double) {
        self.key = key
        self.estimatedInputTokens = estimatedInputTokens
        self.maxOutputTokens = maxOutputTokens
        self.outputTokens = outputTokens
        self.seconds = seconds
    }
}
