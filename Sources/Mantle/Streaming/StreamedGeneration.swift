/// What a held generation stream has produced so far — text, usage, how it ended — built from
/// the typed events of any of the three streamed APIs. A pure value: the client feeds it events,
/// the worker checkpoints its text and turns its `ending` into the job's outcome.
public struct StreamedGeneration: Sendable, Hashable {
    /// How the stream ended; nil while it runs.
    public enum Ending: Sendable, Hashable {
        /// The terminal event arrived (`[DONE]`, `message_stop`). `stopReason` as the API named it
        /// (`stop`, `length`, `content_filter`, `end_turn`, `max_tokens`, `refusal`, …).
        case finished(stopReason: String?)
        /// The API reported an error inside the stream (an SSE `error` event, an event-stream
        /// exception): `type` as it named it (`overloaded_error`, `throttlingException`, …).
        case failed(type: String, message: String)
        /// The body ended, or the connection failed, before the terminal event: a cut stream,
        /// whatever the transport said (`detail` keeps its words).
        case interrupted(detail: String)
        /// The reader cancelled the stream (the job was cancelled, or the worker is stopping).
        case cancelled
    }

    /// The text of the answer so far (the first choice's `content`, or every `text_delta`).
    public private(set) var text = ""
    /// The usage the stream reported; until it does, `outputTokens` counts text deltas (about one
    /// token each), so an interrupted attempt still shows roughly what it cost.
    public private(set) var usage = StreamUsage()
    /// True once the stream reported output usage (the `include_usage` chunk, a `message_delta`).
    public private(set) var usageReported = false
    /// The stop reason the stream gave, even if it was cut afterwards.
    public private(set) var stopReason: String?
    public private(set) var ending: Ending?
    /// The id the API gave the generation (`chatcmpl-…`, `msg_…`).
    public private(set) var remoteID: String?
    private var anthropicUsage = AnthropicUsage()

    public init() {}

    // MARK: Chat Completions

    /// Applies one `chat.completion.chunk`.
    public mutating func apply(_ chunk: ChatCompletionChunk) {
        guard ending == nil else { return }
        if remoteID == nil { remoteID = chunk.id }
        for choice in chunk.choices where choice.index == 0 {
            if let content = choice.delta.content, !content.isEmpty {
                text += content
                if !usageReported { usage.outputTokens += 1 }
            }
            if let reason = choice.finishReason { stopReason = reason }
        }
        if let reported = chunk.usage {
            usage = StreamUsage(
                inputTokens: reported.promptTokens, cachedInputTokens: reported.cachedTokens,
                outputTokens: reported.completionTokens, reasoningTokens: reported.reasoningTokens)
            usageReported = true
        }
    }

    /// Applies the `data: [DONE]` that ends a Chat Completions stream.
    public mutating func applyDone() {
        guard ending == nil else { return }
        ending = .finished(stopReason: stopReason)
    }

    // MARK: Anthropic Messages

    /// Applies one Anthropic stream event.
    public mutating func apply(_ event: AnthropicStreamEvent) {
        guard ending == nil else { return }
        switch event {
        case .messageStart(let id, _, let reported):
            remoteID = remoteID ?? id
            anthropicUsage = reported
            usage = StreamUsage(anthropic: reported, outputTokens: usage.outputTokens)
        case .contentBlockDelta(_, let delta?) where !delta.isEmpty:
            text += delta
            if !usageReported { usage.outputTokens += 1 }
        case .messageDelta(let reason, let delta):
            stopReason = reason ?? stopReason
            anthropicUsage = anthropicUsage.updated(by: delta)
            usage = StreamUsage(anthropic: anthropicUsage, outputTokens: anthropicUsage.outputTokens)
            usageReported = delta.outputTokens != nil
        case .messageStop:
            ending = .finished(stopReason: stopReason)
        case .error(let type, let message):
            ending = .failed(type: type, message: message)
        case .contentBlockStart, .contentBlockDelta, .contentBlockStop, .ping, .unknown:
            break
        }
    }

    // MARK: Endings from outside the events

    /// The body ended or failed before a terminal event.
    public mutating func interrupt(_ detail: String) {
        guard ending == nil else { return }
        ending = .interrupted(detail: detail)
    }

    /// An error the API reported inside the stream (an event-stream exception).
    public mutating func fail(type: String, message: String) {
        guard ending == nil else { return }
        ending = .failed(type: type, message: message)
    }

    /// The reader stopped the stream.
    public mutating func cancel() {
        guard ending == nil else { return }
        ending = .cancelled
    }
}

/// Token usage of a streamed generation in one shape for every API. `inputTokens` includes the
/// cached input (as OpenAI counts it); for Anthropic it is `input_tokens` +
/// `cache_read_input_tokens` + `cache_creation_input_tokens`.
public struct StreamUsage: Sendable, Hashable {
    public var inputTokens: Int
    /// Input read from the prompt cache (`cached_tokens`, `cache_read_input_tokens`).
    public var cachedInputTokens: Int
    /// Input written to the prompt cache (`cache_creation_input_tokens`).
    public var cacheWriteInputTokens: Int
    public var outputTokens: Int
    public var reasoningTokens: Int

    public init(
        inputTokens: Int = 0, cachedInputTokens: Int = 0, cacheWriteInputTokens: Int = 0, outputTokens: Int = 0, reasoningTokens: Int = 0
    ) {
        self.inputTokens = inputTokens
        self.cachedInputTokens = cachedInputTokens
        self.cacheWriteInputTokens = cacheWriteInputTokens
        self.outputTokens = outputTokens
        self.reasoningTokens = reasoningTokens
    }

    init(anthropic: AnthropicUsage, outputTokens: Int) {
        self.init(
            inputTokens: anthropic.inputTokens + anthropic.cacheReadInputTokens + anthropic.cacheCreationInputTokens,
            cachedInputTokens: anthropic.cacheReadInputTokens, cacheWriteInputTokens: anthropic.cacheCreationInputTokens,
            outputTokens: outputTokens)
    }

    public var totalTokens: Int { inputTokens + outputTokens }
}
