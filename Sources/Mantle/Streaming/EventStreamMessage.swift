public import Foundation

/// One message of an AWS event stream (`application/vnd.amazon.eventstream`): its headers and
/// its payload, after both CRCs checked out.
///
/// bedrock-runtime's `invoke-with-response-stream` sends `:message-type` `event` with
/// `:event-type` `chunk` and a JSON payload `{"bytes":"<base64 of one Anthropic event>"}`, or
/// `:message-type` `exception` with `:exception-type` (`throttlingException`,
/// `modelStreamErrorException`, …) and a JSON `{"message":…}`, or `error` with `:error-code`
/// and `:error-message`.
public struct EventStreamMessage: Sendable, Hashable {
    /// Header name → value; string headers as they are, other types in a readable form.
    public var headers: [String: String]
    public var payload: Data

    public init(headers: [String: String], payload: Data) {
        self.headers = headers
        self.payload = payload
    }

    /// `:message-type`: `event`, `exception` or `error`.
    public var messageType: String? { headers[":message-type"] }
    /// `:event-type` of an event (`chunk`), `:exception-type` of an exception, `:error-code` of an error.
    public var type: String? {
        headers[":event-type"] ?? headers[":exception-type"] ?? headers[":error-code"]
    }
}
