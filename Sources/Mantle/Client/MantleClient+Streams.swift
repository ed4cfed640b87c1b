import Foundation
import HTTPClient

extension MantleClient {
    /// A stream that sends nothing for this long is treated as cut (then resumed or polled):
    /// longer than any quiet spell of a healthy Response — queueing before the first token.
    public static let backgroundStreamIdleTimeout: Duration = .seconds(300)

    /// Creates a background Response that also streams (`background: true, stream: true`) and
    /// returns once its `response.created` event is in, with the stream positioned after it.
    /// A refusal (a 4xx such as an endpoint that does not stream background Responses) is
    /// thrown as a classified `MantleError`, as `createResponse` throws one; a stream that ends
    /// before `response.created` is a transport failure whose Response may exist.
    public func createResponseStream(_ request: ResponseCreateRequest) async throws(MantleError) -> (StreamedResponse, ResponseEventStream)
    {
        var request = request
        request.stream = true
        try request.validate()
        let prefix = try MantleModel.requireResponses(request.model)
        let body = try request.jsonBody(operation: .createResponse)
        let url = endpoint.url(prefix, "/responses")
        let stream = try await openStream(.createResponse, .post, url, body: body, start: StreamedResponse())
        // The Response's id arrives with its first event; the stream goes on from there.
        var iterator = stream.makeAsyncIterator()
        while let state = await iterator.next() {
            if state.responseID != nil {
                return (state, ResponseEventStream(continuing: iterator, body: stream.body))
            }
            if state.ending != nil { break }
        }
        throw MantleError.transport(
            HTTPClientError(kind: .other, message: "the stream ended before response.created", url: url), operation: .createResponse)
    }

    /// Streams a background Response created with `stream: true` again, from the event after
    /// `startingAfter` (`GET …/responses/{id}?stream=true&starting_after=N`).
    public func resumeResponseStream(
        id: String, model: String, after state: StreamedResponse
    ) async throws(MantleError) -> ResponseEventStream {
        let prefix = try MantleModel.requireResponses(model)
        var url = endpoint.url(prefix, "/responses/" + (try Self.pathSegment(id, param: "response_id"))) + "?stream=true"
        if let last = state.lastSequenceNumber { url += "&starting_after=\(last)" }
        return try await openStream(.retrieveResponse, .get, url, body: nil, start: state)
    }

    private func openStream(
        _ operation: MantleOperation, _ method: HTTPMethod, _ url: String, body: Data?, start: StreamedResponse
    ) async throws(MantleError) -> ResponseEventStream {
        let token = try await credentials.bearerToken()
        var headers: HTTPHeaders = ["Authorization": "Bearer " + token, "Accept": "text/event-stream"]
        if body != nil { headers["Content-Type"] = "application/json" }
        if let projectID { headers["OpenAI-Project"] = projectID }
        // No overall time limit: the stream lasts as long as the Response; idleness cuts it.
        let request = HTTPRequest(
            method: method, url: url, headers: headers, body: body, timeout: .seconds(24 * 3600), connectTimeout: timeouts.connect,
            idleTimeout: Self.backgroundStreamIdleTimeout)
        let response = try await transport.openStream(request, operation: operation, credentials: credentials, now: now(), logger: logger)
        return ResponseEventStream(body: response.body, start: start)
    }
}
