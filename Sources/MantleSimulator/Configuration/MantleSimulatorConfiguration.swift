/// Everything that shapes the simulator's behaviour: time, faults, quotas and credentials.
///
/// Decoding fills every missing key with its default, so a `--config` file (or a
/// `POST /_simulator/config` body) names only what it changes.
public struct MantleSimulatorConfiguration: Codable, Sendable, Equatable {
    /// Time compression: a Response that would take 4 s takes 4 ms at speed 1000.
    public var speed: Double
    /// Responses finish the moment they are created (still answered `in_progress` by a background
    /// create); for benchmarks of the caller.
    public var zeroLatency: Bool
    /// Seeds the generator behind fault draws and durations, so a run can be repeated.
    public var seed: UInt64?
    /// Shortest simulated run time of a Response before any length scaling, in seconds.
    public var minimumDurationSeconds: Double
    /// Longest simulated run time of a Response before any length scaling, in seconds.
    public var maximumDurationSeconds: Double
    /// Extra simulated seconds per 1,000 input tokens, so long documents take longer.
    public var secondsPerThousandInputTokens: Double
    /// Fault rates for `POST …/responses`.
    public var createFaults: FaultRates
    /// Fault rates for `GET …/responses/{id}`.
    public var retrieveFaults: FaultRates
    /// Fault rates for `POST …/responses/{id}/cancel`.
    public var cancelFaults: FaultRates
    /// Fault rates for `POST {prefix}/chat/completions`.
    public var chatFaults: FaultRates
    /// Fault rates for `POST /anthropic/v1/messages`.
    public var messagesFaults: FaultRates
    /// Fault rates for bedrock-runtime's `invoke` and `invoke-with-response-stream`.
    public var invokeFaults: FaultRates
    /// Simulated seconds a client is told to wait in an injected 429.
    public var retryAfterSeconds: Double
    /// Real seconds a hung request is held before its connection is closed.
    public var hangSeconds: Double
    /// Accepted bearer keys; empty means any non-empty key is accepted.
    public var apiKeys: [String]
    /// AWS access key ids and their secrets whose SigV4 signatures bedrock-runtime's routes
    /// verify; empty means any well-formed signature scoped to this Region and `bedrock` is accepted.
    public var awsCredentials: [String: String]
    /// Token-per-minute quota applied to every project (input + max_output_tokens admitted per
    /// rolling simulated minute); nil means unlimited.
    public var tokensPerMinute: Int?
    /// Per-project quotas that override ``tokensPerMinute`` (keyed by project id).
    public var projectTokensPerMinute: [String: Int]
    /// Real seconds a finished Response is kept before it is forgotten (answers 404 after).
    public var retentionSeconds: Double
    /// Region named in project ARNs.
    public var region: String
    /// Account id named in project ARNs.
    public var accountID: String
    /// Multiplies every model's context window, input cap and output limit (0 < scale ≤ 1), so
    /// that tests cross a window with small documents; 1 is Mantle's windows.
    public var contextWindowScale: Double
    /// Models whose background Responses may not also stream: a create with `background` and
    /// `stream` both true gets a 400 for them (an endpoint that refuses the pair, for tests of the
    /// fallback to polling).
    public var backgroundStreamRefusedModels: [String]
    /// Whether `GET …/responses/{id}?stream=true&starting_after=N` resumes a streamed background
    /// Response (OpenAI's documented resume; unconfirmed on Mantle, so it can be turned off).
    public var resumesStreams: Bool

    /// The defaults: real time, Responses of 2–6 s plus 1 s per 1,000 input tokens, no faults.
    public init(
        speed: Double = 1,
        zeroLatency: Bool = false,
        seed: UInt64? = nil,
        minimumDurationSeconds: Double = 2,
        maximumDurationSeconds: Double = 6,
        secondsPerThousandInputTokens: Double = 1,
        createFaults: FaultRates = .none,
        retrieveFaults: FaultRates = .none,
        cancelFaults: FaultRates = .none,
        chatFaults: FaultRates = .none,
        messagesFaults: FaultRates = .none,
        invokeFaults: FaultRates = .none,
        retryAfterSeconds: Double = 2,
        hangSeconds: Double = 600,
        apiKeys: [String] = [],
        awsCredentials: [String: String] = [:],
        tokensPerMinute: Int? = nil,
        projectTokensPerMinute: [String: Int] = [:],
        retentionSeconds: Double = 3600,
        region: String = "us-east-1",
        accountID: String = "123456789012",
        contextWindowScale: Double = 1,
        backgroundStreamRefusedModels: [String] = [],
        resumesStreams: Bool = true
    ) {
        self.speed = speed
        self.zeroLatency = zeroLatency
        self.seed = seed
        self.minimumDurationSeconds = minimumDurationSeconds
        self.maximumDurationSeconds = maximumDurationSeconds
        self.secondsPerThousandInputTokens = secondsPerThousandInputTokens
        self.createFaults = createFaults
        self.retrieveFaults = retrieveFaults
        self.cancelFaults = cancelFaults
        self.chatFaults = chatFaults
        self.messagesFaults = messagesFaults
        self.invokeFaults = invokeFaults
        self.retryAfterSeconds = retryAfterSeconds
        self.hangSeconds = hangSeconds
        self.apiKeys = apiKeys
        self.awsCredentials = awsCredentials
        self.tokensPerMinute = tokensPerMinute
        self.projectTokensPerMinute = projectTokensPerMinute
        self.retentionSeconds = retentionSeconds
        self.region = region
        self.accountID = accountID
        self.contextWindowScale = contextWindowScale
        self.backgroundStreamRefusedModels = backgroundStreamRefusedModels
        self.resumesStreams = resumesStreams
    }

    /// Fault rates of one route.
    public func faults(for route: FaultRoute) -> FaultRates {
        switch route {
        case .create: createFaults
        case .retrieve: retrieveFaults
        case .cancel: cancelFaults
        case .chat: chatFaults
        case .messages: messagesFaults
        case .invoke: invokeFaults
        }
    }

    /// Sets the fault rates of one route.
    public mutating func setFaults(_ rates: FaultRates, for route: FaultRoute) {
        switch route {
        case .create: createFaults = rates
        case .retrieve: retrieveFaults = rates
        case .cancel: cancelFaults = rates
        case .chat: chatFaults = rates
        case .messages: messagesFaults = rates
        case .invoke: invokeFaults = rates
        }
    }

    /// The quota of one project, if it has one.
    func tokensPerMinute(forProject project: String) -> Int? {
        projectTokensPerMinute[project] ?? tokensPerMinute
    }

    /// Describes what is wrong with the configuration, or nil when it is usable.
    public func validationProblem() -> String? {
        if !(speed > 0) || !speed.isFinite { return "speed must be a positive number (got \(speed))" }
        if minimumDurationSeconds < 0 || maximumDurationSeconds < minimumDurationSeconds {
            return "durations need 0 ≤ minimumDurationSeconds ≤ maximumDurationSeconds"
        }
        if secondsPerThousandInputTokens < 0 { return "secondsPerThousandInputTokens must not be negative" }
        for route in FaultRoute.allCases {
            for kind in InjectedFaultKind.drawnByRate where kind.applies(to: route) {
                let rate = faults(for: route).rate(of: kind)
                if !(0...1).contains(rate) {
                    return "the \(route.rawValue) rate of \(kind.rawValue) must lie in 0…1 (got \(rate))"
                }
            }
        }
        if let tpm = tokensPerMinute, tpm <= 0 { return "tokensPerMinute must be positive; omit it for no quota" }
        if apiKeys.contains(where: \.isEmpty) { return "apiKeys must not contain an empty key" }
        if awsCredentials.contains(where: { $0.key.isEmpty || $0.value.isEmpty }) {
            return "awsCredentials must map non-empty access key ids to non-empty secrets"
        }
        if !(contextWindowScale > 0 && contextWindowScale <= 1) {
            return "contextWindowScale must lie in (0, 1] (got \(contextWindowScale)); 1 keeps Mantle's windows"
        }
        return nil
    }

    // Keys are spelled out so that the file format does not change when a property is renamed.
    private enum CodingKeys: String, CodingKey {
        case speed, zeroLatency, seed, minimumDurationSeconds, maximumDurationSeconds
        case secondsPerThousandInputTokens, createFaults, retrieveFaults, cancelFaults
        case chatFaults, messagesFaults, invokeFaults
        case retryAfterSeconds, hangSeconds, apiKeys, awsCredentials, tokensPerMinute, projectTokensPerMinute
        case retentionSeconds, region, accountID, contextWindowScale, backgroundStreamRefusedModels, resumesStreams
    }

    /// Decodes a configuration; every missing key takes its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = MantleSimulatorConfiguration()
        self.init(
            speed: try c.decodeIfPresent(Double.self, forKey: .speed) ?? d.speed,
            zeroLatency: try c.decodeIfPresent(Bool.self, forKey: .zeroLatency) ?? d.zeroLatency,
            seed: try c.decodeIfPresent(UInt64.self, forKey: .seed),
            minimumDurationSeconds: try c.decodeIfPresent(Double.self, forKey: .minimumDurationSeconds)
                ?? d.minimumDurationSeconds,
            maximumDurationSeconds: try c.decodeIfPresent(Double.self, forKey: .maximumDurationSeconds)
                ?? d.maximumDurationSeconds,
            secondsPerThousandInputTokens: try c.decodeIfPresent(Double.self, forKey: .secondsPerThousandInputTokens)
                ?? d.secondsPerThousandInputTokens,
            createFaults: try c.decodeIfPresent(FaultRates.self, forKey: .createFaults) ?? .none,
            retrieveFaults: try c.decodeIfPresent(FaultRates.self, forKey: .retrieveFaults) ?? .none,
            cancelFaults: try c.decodeIfPresent(FaultRates.self, forKey: .cancelFaults) ?? .none,
            chatFaults: try c.decodeIfPresent(FaultRates.self, forKey: .chatFaults) ?? .none,
            messagesFaults: try c.decodeIfPresent(FaultRates.self, forKey: .messagesFaults) ?? .none,
            invokeFaults: try c.decodeIfPresent(FaultRates.self, forKey: .invokeFaults) ?? .none,
            retryAfterSeconds: try c.decodeIfPresent(Double.self, forKey: .retryAfterSeconds) ?? d.retryAfterSeconds,
            hangSeconds: try c.decodeIfPresent(Double.self, forKey: .hangSeconds) ?? d.hangSeconds,
            apiKeys: try c.decodeIfPresent([String].self, forKey: .apiKeys) ?? [],
            awsCredentials: try c.decodeIfPresent([String: String].self, forKey: .awsCredentials) ?? [:],
            tokensPerMinute: try c.decodeIfPresent(Int.self, forKey: .tokensPerMinute),
            projectTokensPerMinute: try c.decodeIfPresent([String: Int].self, forKey: .projectTokensPerMinute) ?? [:],
            retentionSeconds: try c.decodeIfPresent(Double.self, forKey: .retentionSeconds) ?? d.retentionSeconds,
            region: try c.decodeIfPresent(String.self, forKey: .region) ?? d.region,
            accountID: try c.decodeIfPresent(String.self, forKey: .accountID) ?? d.accountID,
            contextWindowScale: try c.decodeIfPresent(Double.self, forKey: .contextWindowScale) ?? d.contextWindowScale,
            backgroundStreamRefusedModels: try c.decodeIfPresent([String].self, forKey: .backgroundStreamRefusedModels) ?? [],
            resumesStreams: try c.decodeIfPresent(Bool.self, forKey: .resumesStreams) ?? d.resumesStreams
        )
    }
}

extension MantleSimulatorConfiguration: CustomStringConvertible {
    /// A summary that never shows the accepted keys (only how many there are).
    public var description: String {
        "MantleSimulatorConfiguration(speed: \(speed), zeroLatency: \(zeroLatency), seed: \(seed.map(String.init) ?? "random"), "
            + "duration: \(minimumDurationSeconds)…\(maximumDurationSeconds) s, apiKeys: \(apiKeys.count) configured, "
            + "awsCredentials: \(awsCredentials.count) configured, "
            + "tokensPerMinute: \(tokensPerMinute.map(String.init) ?? "unlimited"))"
    }
}
