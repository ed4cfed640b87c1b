public import Foundation

/// One generation to run as a held stream: the same job fields the Responses create sends.
public struct GenerationRequest: Sendable, Hashable {
    public var model: String
    /// The system prompt (Responses' `instructions`).
    public var instructions: String?
    /// The user message: the document and the task.
    public var input: String
    public var maxOutputTokens: Int

    public init(model: String, instructions: String?, input: String, maxOutputTokens: Int) {
        self.model = model
        self.instructions = instructions
        self.input = input
        self.maxOutputTokens = maxOutputTokens
    }

    /// The JSON body for `api`.
    ///
    /// - Chat Completions: `model`, `messages` (system, user), `max_tokens`, `stream: true`,
    ///   `stream_options: {include_usage: true}` (the usage arrives in a last chunk with no choices).
    /// - Anthropic on Mantle: `model`, `max_tokens`, `system`, `messages`, `stream: true`.
    /// - bedrock-runtime: no `model` (it is in the path) and no `stream` (the route streams);
    ///   `anthropic_version: bedrock-2023-05-31` in the body.
    public func body(for api: GenerationAPI) throws(MantleError) -> Data {
        let object: [String: Any]
        switch api {
        case .chatCompletions:
            var messages: [[String: String]] = []
            if let instructions { messages.append(["role": "system", "content": instructions]) }
            messages.append(["role": "user", "content": input])
            object = [
                "model": model, "messages": messages, "max_tokens": maxOutputTokens, "stream": true,
                "stream_options": ["include_usage": true],
            ]
        case .anthropicMessages, .bedrockRuntime:
            var message: [String: Any] = ["max_tokens": maxOutputTokens, "messages": [["role": "user", "content": input]]]
            if let instructions { message["system"] = instructions }
            if api == .anthropicMessages {
                message["model"] = model
                message["stream"] = true
            } else {
                message["anthropic_version"] = Self.anthropicVersion
            }
            object = message
        case .responses:
            throw .invalidRequest(param: "api", "a Responses job is created and polled, not streamed; use MantleClient.createResponse")
        }
        do {
            return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw .invalidRequest(param: "input", "cannot encode the request: \(error)")
        }
    }

    /// The Anthropic API version Bedrock requires, as the `anthropic-version` header on Mantle and
    /// the `anthropic_version` field on bedrock-runtime (the SDK's own default is refused).
    public static let anthropicVersion = "bedrock-2023-05-31"
}
