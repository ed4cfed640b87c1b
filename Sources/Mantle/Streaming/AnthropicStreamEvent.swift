public import Foundation

/// One event of a streamed Anthropic Message, from Mantle's SSE (`event:` names it) or from one
/// bedrock-runtime event-stream chunk (the JSON's `type` names it).
///
/// Order on the wire: `message_start` (the message with `usage.input_tokens` and the cache
/// counts), per block `content_block_start`, `content_block_delta`s (`text_delta`), and
/// `content_block_stop`; then `message_delta` (`delta.stop_reason`, cumulative
/// `usage.output_tokens`), `message_stop`. `ping` may come anywhere; `error` ends a stream that
/// failed after its 200 (`overloaded_error` and others).
public enum AnthropicStreamEvent: Sendable, Hashable {
    case messageStart(id: String?, model: String?, usage: AnthropicUsage)
    case contentBlockStart(index: Int)
    /// A `text_delta` (other delta types, such as `thinking_delta`, carry no text for the job).
    case contentBlockDelta(index: Int, text: String?)
    case contentBlockStop(index: Int)
    /// The stop reason (`end_turn`, `max_tokens`, `stop_sequence`, `refusal`, …) and the usage
    /// counts the delta carries; absent counts are nil (they keep `message_start`'s value).
    case messageDelta(stopReason: String?, usage: AnthropicUsage.Delta)
    case messageStop
    case ping
    case error(type: String, message: String)
    /// An event type this client does not know; ignored, as Anthropic asks clients to.
    case unknown(String)

    /// Decodes the event JSON `data` (its `type` field names it).
    public init(json data: Data) throws {
        let raw = try JSONDecoder().decode(RawEvent.self, from: data)
        switch raw.type {
        case "message_start":
            self = .messageStart(id: raw.message?.id, model: raw.message?.model, usage: AnthropicUsage(raw.message?.usage ?? .init()))
        case "content_block_start": self = .contentBlockStart(index: raw.index ?? 0)
        case "content_block_delta": self = .contentBlockDelta(index: raw.index ?? 0, text: raw.delta?.text)
        case "content_block_stop": self = .contentBlockStop(index: raw.index ?? 0)
        case "message_delta":
            let usage = raw.usage ?? .init()
            self = .messageDelta(
                stopReason: raw.delta?.stopReason,
                usage: AnthropicUsage.Delta(
                    inputTokens: usage.inputTokens, outputTokens: usage.outputTokens,
                    cacheReadInputTokens: usage.cacheReadInputTokens, cacheCreationInputTokens: usage.cacheCreationInputTokens))
        case "message_stop": self = .messageStop
        case "ping": self = .ping
        case "error": self = .error(type: raw.error?.type ?? "api_error", message: raw.error?.message ?? "")
        default: self = .unknown(raw.type)
        }
    }
}

/// The token counts of an Anthropic Message. `inputTokens` excludes the cached input, which
/// Anthropic counts apart: read from the cache, and written to it.
public struct AnthropicUsage: Sendable, Hashable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var cacheReadInputTokens: Int
    public var cacheCreationInputTokens: Int

    public init(inputTokens: Int = 0, outputTokens: Int = 0, cacheReadInputTokens: Int = 0, cacheCreationInputTokens: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadInputTokens = cacheReadInputTokens
        self.cacheCreationInputTokens = cacheCreationInputTokens
    }

    /// Counts a `message_delta` carries; nil where it carries none.
    public struct Delta: Sendable, Hashable {
        public var inputTokens: Int?
        public var outputTokens: Int?
        public var cacheReadInputTokens: Int?
        public var cacheCreationInputTokens: Int?
    }

    /// These counts updated by a `message_delta`: its counts are cumulative, so they replace.
    public func updated(by delta: Delta) -> AnthropicUsage {
        AnthropicUsage(
            inputTokens: delta.inputTokens ?? inputTokens, outputTokens: delta.outputTokens ?? outputTokens,
            cacheReadInputTokens: delta.cacheReadInputTokens ?? cacheReadInputTokens,
            cacheCreationInputTokens: delta.cacheCreationInputTokens ?? cacheCreationInputTokens)
    }

    init(_ raw: RawUsage) {
        self.init(
            inputTokens: raw.inputTokens ?? 0, outputTokens: raw.outputTokens ?? 0,
            cacheReadInputTokens: raw.cacheReadInputTokens ?? 0, cacheCreationInputTokens: raw.cacheCreationInputTokens ?? 0)
    }
}

/// The wire shape of every Anthropic stream event, all fields optional.
struct RawEvent: Decodable {
    struct Message: Decodable {
        var id: String?
        var model: String?
        var usage: RawUsage?
    }
    struct Delta: Decodable {
        var text: String?
        var stopReason: String?
        enum CodingKeys: String, CodingKey {
            case text
            case stopReason = "stop_reason"
        }
    }
    struct ErrorBody: Decodable {
        var type: String?
        var message: String?
    }
    var type: String
    var message: Message?
    var index: Int?
    var delta: Delta?
    var usage: RawUsage?
    var error: ErrorBody?
}

struct RawUsage: Decodable {
    var inputTokens: Int?
    var outputTokens: Int?
    var cacheReadInputTokens: Int?
    var cacheCreationInputTokens: Int?

    init() {}

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case cacheReadInputTokens = "cache_read_input_tokens"
        case cacheCreationInputTokens = "cache_creation_input_tokens"
    }
}
