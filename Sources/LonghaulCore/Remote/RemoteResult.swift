/// How a Response ended, as the Poller read it.
public struct RemoteResult: Sendable, Equatable {
    public var state: JobState
    public var remoteStatus: String
    public var outputText: String?
    public var usage: Usage?
    public var incompleteReason: String?
    public var errorCode: String?
    public var errorMessage: String?
    /// The final Response JSON as Mantle sent it.
    public var responseJSON: String?

    public init(
        state: JobState, remoteStatus: String, outputText: String? = nil, usage: Usage? = nil, incompleteReason: String? = nil,
        errorCode: String? = nil, errorMessage: String? = nil, responseJSON: String? = nil
    ) {
        self.state = state
        self.remoteStatus = remoteStatus
        self.outputText = outputText
        self.usage = usage
        self.incompleteReason = incompleteReason
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.responseJSON = responseJSON
    }
}

extension RemoteResult {
    /// Mantle error codes on a `failed` Response that a fresh submission can cure.
    public static let transientErrorCodes: Set<String> = ["server_error", "rate_limit_exceeded"]

    /// True for a `failed` Response whose error a fresh submission can cure.
    public var isTransientFailure: Bool {
        state == .failed && errorCode.map(Self.transientErrorCodes.contains) == true
    }
}
