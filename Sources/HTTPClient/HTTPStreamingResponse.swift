public import Foundation

/// A response whose head has arrived and whose body arrives as it is sent: the answer of
/// `HTTPClient.stream(_:)`.
public struct HTTPStreamingResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    /// "1.1" or "2".
    public var httpVersion: String
    /// The body, chunk by chunk. Dropping it (or cancelling the task reading it) closes the transfer.
    public let body: HTTPBodyStream

    /// Reads the whole remaining body, up to `limit` bytes (for error answers, which are small).
    public func collect(upTo limit: Int) async throws -> Data {
        var data = Data()
        for try await chunk in body {
            data.append(chunk.prefix(max(0, limit - data.count)))
            if data.count >= limit { break }
        }
        return data
    }
}
