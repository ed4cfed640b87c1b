/// The `error` of a failed Response: `{code, message}`.
///
/// Codes include `server_error`, `rate_limit_exceeded`, `invalid_prompt`; the first two are worth
/// a new attempt (`isTransient`).
public struct ResponseError: Sendable, Hashable, Codable {
    /// The error code, e.g. `server_error`; empty when Mantle sent none.
    public var code: String
    /// What went wrong, in words.
    public var message: String

    /// An error with `code` and `message`.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// True for `server_error` and `rate_limit_exceeded`, which a resubmission may get past.
    public var isTransient: Bool { code == "server_error" || code == "rate_limit_exceeded" }

    private enum CodingKeys: String, CodingKey { case code, message }

    /// Reads `{code, message}`; null fields read as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decodeIfPresent(String.self, forKey: .code) ?? ""
        message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
    }
}

/// Why a Response is `incomplete`.
public enum IncompleteReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The token budget ran out (often on reasoning).
    case maxOutputTokens
    /// The output was filtered.
    case contentFilter
    /// A reason added after this client was written.
    case other(String)

    /// The reason for a wire value.
    public init(rawValue: String) {
        switch rawValue {
        case "max_output_tokens": self = .maxOutputTokens
        case "content_filter": self = .contentFilter
        default: self = .other(rawValue)
        }
    }

    /// The wire value.
    public var rawValue: String {
        switch self {
        case .maxOutputTokens: "max_output_tokens"
        case .contentFilter: "content_filter"
        case .other(let value): value
        }
    }

    /// Reads any string.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Writes the wire value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The wire value.
    public var description: String { rawValue }
}
