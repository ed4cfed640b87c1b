public import Foundation

/// What the stream of a background Response (`background: true, stream: true`, or its resume
/// `GET …/responses/{id}?stream=true&starting_after=N`) has shown so far: its id, the last
/// `sequence_number` (the resume cursor), the text, and how the stream ended. A pure value fed
/// with server-sent events.
///
/// The stream is an optimisation, never the truth: only a terminal event
/// (`response.completed`, `response.failed`, `response.incomplete`, with the whole Response and
/// its usage) ends it as `.finished`; anything else that stops it is `.interrupted`, after which
/// the caller resumes or polls.
public struct StreamedResponse: Sendable, Hashable {
    public enum Ending: Sendable, Hashable {
        /// The terminal event arrived with the final Response.
        case finished(MantleResponse)
        /// The stream stopped without a terminal event: cut, idle, unreadable, or ended early
        /// (a cancelled Response's stream just stops).
        case interrupted(detail: String)
        /// The reader cancelled it.
        case cancelled
    }

    /// The Response id, from `response.created` (or known before a resume).
    public private(set) var responseID: String?
    /// The Response's status as the last lifecycle event gave it.
    public private(set) var status: ResponseStatus?
    /// The `sequence_number` of the last event read: resume with `starting_after` this.
    public private(set) var lastSequenceNumber: Int?
    /// The text of the answer so far (every `response.output_text.delta`).
    public private(set) var text = ""
    /// Text deltas read: about one token each, a rough count until the final usage.
    public private(set) var deltas = 0
    public private(set) var ending: Ending?

    /// A stream about to start (`responseID` nil) or to resume after `lastSequenceNumber`.
    public init(responseID: String? = nil, lastSequenceNumber: Int? = nil, text: String = "") {
        self.responseID = responseID
        self.lastSequenceNumber = lastSequenceNumber
        self.text = text
    }

    /// The event types that end a Response.
    public static let terminalEvents: Set<String> = ["response.completed", "response.failed", "response.incomplete"]

    /// Applies one server-sent event's `data`. Only the members it needs are read
    /// (`JSONMembers`): a stream is mostly text deltas, and the terminal event's `response` is
    /// decoded once, from its own bytes, which are what is stored.
    public mutating func apply(data: Data) {
        guard ending == nil else { return }
        guard let event = JSONMembers(data), let type = event.string("type") else {
            return interrupt("a Response stream event is not a readable JSON object with a type (\(data.count) bytes)")
        }
        if let sequence = event.integer("sequence_number") {
            // A replayed event (a resume that starts earlier than asked) is skipped.
            if let last = lastSequenceNumber, sequence <= last { return }
            lastSequenceNumber = sequence
        }
        switch type {
        case "response.output_text.delta":
            text += event.string("delta") ?? ""
            deltas += 1
        case let type where Self.terminalEvents.contains(type):
            do {
                let response = try MantleResponse(json: event.raw("response") ?? Data())
                responseID = responseID ?? response.id
                status = response.status
                ending = .finished(response)
            } catch {
                interrupt("the \(type) event carries no readable Response: \(error)")
            }
        case "error":
            interrupt("the stream reported an error: \(event.string("message") ?? event.string("code") ?? "no detail")")
        default:
            // A lifecycle event (`response.created`, `response.in_progress`, …): its Response's id and
            // status are all that is read of it, so only those two members are (a `JSONDecoder` of
            // the whole object was 2 % of the worker's samples in `perf` over bench/pipeline.sh,
            // streams on 16 % of its jobs).
            guard let response = event.raw("response") else { break }
            guard let head = JSONMembers(response), let id = head.string("id"), let wireStatus = head.string("status") else {
                return interrupt("the \(type) event's response is not an object with a string id and status")
            }
            responseID = responseID ?? id
            status = ResponseStatus(rawValue: wireStatus)
        }
    }

    /// The body ended or failed before a terminal event.
    public mutating func interrupt(_ detail: String) {
        guard ending == nil else { return }
        ending = .interrupted(detail: detail)
    }

    /// The reader stopped the stream.
    public mutating func cancel() {
        guard ending == nil else { return }
        ending = .cancelled
    }
}

