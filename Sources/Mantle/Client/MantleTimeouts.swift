/// Time limits for the client's requests.
///
/// Creates, retrieves and control-plane calls all return quickly in background mode (the model
/// runs after the answer), so the defaults are far below openai-python's 600 s.
public struct MantleTimeouts: Sendable, Hashable {
    /// The whole exchange, connect included.
    public var request: Duration
    /// Establishing TCP and TLS.
    public var connect: Duration

    /// Limits of your choice.
    public init(request: Duration = .seconds(60), connect: Duration = .seconds(5)) {
        self.request = request
        self.connect = connect
    }
}
