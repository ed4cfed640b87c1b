extension HTTPClient {
    /// Sends `request` and returns as soon as the final response head has arrived; the body then
    /// arrives through `HTTPStreamingResponse.body`.
    ///
    /// For held streams (server-sent events, AWS event streams): set `request.idleTimeout` to
    /// fail a connection that has gone silent, and `request.timeout` to the longest the whole
    /// stream may take. `maxResponseBytes` does not apply; instead at most `bufferLimit` bytes wait
    /// for the reader, after which the transfer pauses until it has read them (backpressure).
    /// Every stream shares this client's one owner thread and multi handle: a stream costs a
    /// socket and its buffer, not a thread.
    ///
    /// Throws only `HTTPClientError`, as `send(_:)` does.
    public func stream(_ request: HTTPRequest, bufferLimit: Int = 256 << 10) async throws -> HTTPStreamingResponse {
        let transfer = Transfer(request: try PreparedRequest(request), streamed: true, highWater: max(1, bufferLimit))
        let loop = self.loop
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<StreamHead, any Error>) in
                transfer.headContinuation = continuation
                if !loop.submit(transfer) {
                    transfer.finish(
                        .failure(
                            HTTPClientError(
                                kind: .shutdown,
                                message: "the HTTP client was shut down; create a new one to send more requests",
                                url: transfer.request.redactedURL)))
                }
            }
        } onCancel: {
            loop.cancel(transfer)
        }
        return HTTPStreamingResponse(
            status: head.status, headers: head.headers, httpVersion: head.httpVersion,
            body: HTTPBodyStream(transfer: transfer, loop: loop))
    }
}
