public import Mantle

/// How a worker streams background Responses (`background: true, stream: true`): the create
/// that returns the Response's stream, and the resume of a stream that dropped. The real
/// implementation is `MantleGateway`, which remembers per endpoint and model what refuses either.
public protocol BackgroundStreamGateway: Sendable {
    /// Creates `job`'s background Response with its stream. When the endpoint refuses to stream a
    /// background Response of this model, creates it plainly instead and returns no stream (the
    /// job is then polled); throws as `submit` throws.
    func submitStreaming(_ job: ClaimedJob) async throws(RemoteCallError) -> (RemoteSubmission, BackgroundStream?)
    /// The stream of `responseID` again from after `state.lastSequenceNumber`; nil when the
    /// endpoint does not resume streams for this model (then the Response is polled).
    func resumeStream(projectID: Int64, model: String, responseID: String, after state: StreamedResponse) async -> ResponseEventStream?
}

/// A background Response's stream as the create left it: what it showed so far and the rest.
public struct BackgroundStream: Sendable {
    public var state: StreamedResponse
    public var events: ResponseEventStream

    public init(state: StreamedResponse, events: ResponseEventStream) {
        self.state = state
        self.events = events
    }
}
