/// The routes the simulator counts requests on.
public enum SimulatorRoute: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    /// `GET /v1/models` and `GET /v1/models/{id}`.
    case models
    /// `POST {prefix}/responses`.
    case createResponse
    /// `GET {prefix}/responses/{id}`.
    case retrieveResponse
    /// `POST {prefix}/responses/{id}/cancel`.
    case cancelResponse
    /// `DELETE {prefix}/responses/{id}`.
    case deleteResponse
    /// `GET /v1/organization/projects` and `GET /v1/organization/projects/{id}`.
    case readProjects
    /// `POST /v1/organization/projects`, modify and archive.
    case writeProjects
    /// `POST {prefix}/chat/completions`.
    case chatCompletions
    /// `POST /anthropic/v1/messages`.
    case messages
    /// bedrock-runtime `POST /model/{id}/invoke`.
    case invoke
    /// bedrock-runtime `POST /model/{id}/invoke-with-response-stream`.
    case invokeStream
}

/// What the simulator has seen and done, for tests to assert on (`GET /_simulator/counters`).
public struct MantleSimulatorCounters: Codable, Sendable, Equatable {
    /// Requests to Mantle routes per project id (the `OpenAI-Project` header, `default` when absent).
    public var requestsByProject: [String: Int] = [:]
    /// Requests per route.
    public var requestsByRoute: [SimulatorRoute: Int] = [:]
    /// Responses created per `metadata.job_id`, then per `metadata.attempt` ("" when absent): a
    /// count above 1 is a duplicate submission.
    public var createsByJob: [String: [String: Int]] = [:]
    /// Responses created in all.
    public var responsesCreated = 0
    /// Faults injected, by kind.
    public var faultsByKind: [InjectedFaultKind: Int] = [:]
    /// Ids of Responses that were created while their create's answer was dropped.
    public var answerLostResponseIDs: [String] = []
    /// Ids of Responses planned to end `failed`.
    public var failedResponseIDs: [String] = []
    /// Responses still running, per project.
    public var inFlightByProject: [String: Int] = [:]
    /// The most Responses that ran at once, per project.
    public var peakInFlightByProject: [String: Int] = [:]
    /// Held generations (Chat Completions, Messages, bedrock-runtime) that began generating, per route.
    public var generationsStarted: [SimulatorRoute: Int] = [:]
    /// Held generations answered in full (terminal event or whole body written), per route.
    public var generationsCompleted: [SimulatorRoute: Int] = [:]
    /// Held generations running now (streams open).
    public var generationsInFlight = 0
    /// The most held generations that ran at once.
    public var peakGenerationsInFlight = 0
    /// Input tokens of held generations, per route (cut ones included).
    public var inputTokensByRoute: [SimulatorRoute: Int] = [:]
    /// Output tokens sent by held generations, per route (a cut stream counts what it sent).
    public var outputTokensByRoute: [SimulatorRoute: Int] = [:]
    /// Input tokens of held generations answered in full, per route: what a caller should have
    /// stored for its successful streams.
    public var answeredInputTokensByRoute: [SimulatorRoute: Int] = [:]
    /// Output tokens of held generations answered in full, per route.
    public var answeredOutputTokensByRoute: [SimulatorRoute: Int] = [:]

    /// Empty counters.
    public init() {}

    /// How many Responses were created for one job attempt (nil attempt: all attempts).
    public func creates(jobID: String, attempt: String? = nil) -> Int {
        guard let byAttempt = createsByJob[jobID] else { return 0 }
        if let attempt { return byAttempt[attempt] ?? 0 }
        return byAttempt.values.reduce(0, +)
    }
}
