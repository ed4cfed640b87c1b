/// Why an attempt did not produce a running Response.
public struct AttemptError: Sendable, Equatable, Codable {
    public var httpStatus: Int?
    /// Mantle's error code or Longhaul's classification (`timeout`, `connection_reset`…).
    public var code: String
    public var message: String

    public init(httpStatus: Int? = nil, code: String, message: String) {
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
    }

    /// The code of a held stream cut before its end (by the network, an idle connection, or the
    /// worker stopping): the generation goes on at Bedrock, unread, and is billed whole.
    public static let streamCut = "stream_interrupted"
}
