/// What a Response will have produced once it finishes, decided when it is created.
enum PlannedOutcome: Sendable {
    /// `completed`, or `incomplete` when `max_output_tokens` cut it short.
    case answered(GeneratedAnswer)
    /// `failed` with `error.code = server_error`.
    case failed
}

/// The generated output of a Response and its token counts.
struct GeneratedAnswer: Sendable {
    let reasoningID: String?
    let reasoningText: String
    let messageID: String
    /// nil when the output budget ran out while reasoning, before any text.
    let text: String?
    let isIncomplete: Bool
    let usage: ResponseUsage
}

/// One Response as the simulator keeps it: timestamps and a planned outcome, from which its
/// status is computed on demand, so thousands in flight need no timers.
struct StoredResponse: Sendable {
    let id: String
    let project: String
    let echo: EchoedRequestFields
    /// Wall-clock Unix seconds.
    let createdAt: Double
    /// When the Response reaches its planned outcome (Unix seconds, already scaled by speed).
    let finishAt: Double
    let outcome: PlannedOutcome
    /// Set only when a cancel arrived before `finishAt`.
    var cancelledAt: Double?

    func status(at now: Double) -> ResponseStatus {
        if cancelledAt != nil { return .cancelled }
        guard now >= finishAt else { return .inProgress }
        switch outcome {
        case .failed: return .failed
        case .answered(let answer): return answer.isIncomplete ? .incomplete : .completed
        }
    }

    /// When it became terminal, or nil while it runs.
    func terminalAt(now: Double) -> Double? {
        if let cancelledAt { return cancelledAt }
        return now >= finishAt ? finishAt : nil
    }

    /// The wire object as of `now`.
    func object(at now: Double) -> ResponseObject {
        let status = status(at: now)
        var output: [OutputItem] = []
        var usage: ResponseUsage?
        var error: ResponseError?
        var incompleteReason: String?
        switch (status, outcome) {
        case (.completed, .answered(let answer)), (.incomplete, .answered(let answer)):
            if let reasoningID = answer.reasoningID {
                output.append(.reasoning(id: reasoningID, text: answer.reasoningText))
            }
            if let text = answer.text {
                output.append(.message(id: answer.messageID, status: status, text: text))
            }
            usage = answer.usage
            if answer.isIncomplete { incompleteReason = "max_output_tokens" }
        case (.failed, _):
            error = ResponseError(
                code: "server_error",
                message: "The model failed to generate a response due to an internal error. Please retry the request."
            )
        default:
            break
        }
        return ResponseObject(
            id: id,
            createdAt: Int(createdAt),
            status: status,
            completedAt: status == .completed ? Int(finishAt.rounded(.up)) : nil,
            error: error,
            incompleteReason: incompleteReason,
            output: output,
            usage: usage,
            echo: echo
        )
    }
}
