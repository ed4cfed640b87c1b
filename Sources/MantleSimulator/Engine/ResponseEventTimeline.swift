import Foundation

/// The events of a streamed Response and the moment each happens, computed from the stored
/// Response alone — so a resumed stream (`GET …/responses/{id}?stream=true&starting_after=N`)
/// replays the very same events with the same `sequence_number`s, as OpenAI documents.
///
/// `response.created` and `response.in_progress` at creation; for a message,
/// `response.output_item.added`, the text in `response.output_text.delta`s spread evenly up to
/// the end, `response.output_text.done`, `response.output_item.done`; then the terminal
/// `response.completed`, `response.incomplete` or `response.failed` carrying the whole Response
/// with its usage. A cancelled Response's stream simply stops (no terminal event).
enum ResponseEventTimeline {
    /// One event and when (Unix seconds, already scaled by speed) it is sent.
    struct Entry: Sendable {
        let at: Double
        let event: ResponseStreamEvent
    }

    /// At most this many text deltas per Response: enough to show progress, few enough that
    /// 10,000 streams in flight stay cheap.
    static let maximumDeltas = 16

    static func entries(of stored: StoredResponse) -> [Entry] {
        var entries: [Entry] = []
        func add(_ at: Double, _ kind: ResponseStreamEvent.Kind) {
            entries.append(Entry(at: at, event: ResponseStreamEvent(sequenceNumber: entries.count, kind: kind)))
        }
        let running = stored.object(at: stored.createdAt.nextDown)
        add(stored.createdAt, .lifecycle(type: "response.created", response: running))
        add(stored.createdAt, .lifecycle(type: "response.in_progress", response: running))
        let final = stored.object(at: stored.finishAt)
        if case .answered(let answer) = stored.outcome, let text = answer.text {
            let index = answer.reasoningID == nil ? 0 : 1
            add(stored.createdAt, .itemAdded(itemID: answer.messageID, outputIndex: index))
            let deltas = pieces(of: text)
            let span = stored.finishAt - stored.createdAt
            for (k, delta) in deltas.enumerated() {
                add(
                    stored.createdAt + span * Double(k + 1) / Double(deltas.count + 1),
                    .textDelta(itemID: answer.messageID, outputIndex: index, delta: delta))
            }
            add(stored.finishAt, .textDone(itemID: answer.messageID, outputIndex: index, text: text))
            add(stored.finishAt, .itemDone(outputIndex: index, item: .message(id: answer.messageID, status: final.status, text: text)))
        }
        let terminal: String
        switch final.status {
        case .failed: terminal = "response.failed"
        case .incomplete: terminal = "response.incomplete"
        default: terminal = "response.completed"
        }
        add(stored.finishAt, .lifecycle(type: terminal, response: final))
        return entries
    }

    /// `text` cut at word boundaries into at most `maximumDeltas` pieces that join back to it.
    static func pieces(of text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        let perPiece = max(1, (words.count + maximumDeltas - 1) / maximumDeltas)
        return stride(from: 0, to: words.count, by: perPiece).map { start in
            let piece = words[start..<min(start + perPiece, words.count)].joined(separator: " ")
            return start + perPiece < words.count ? piece + " " : piece
        }
    }
}

/// One server-sent event of a streamed Response, as OpenAI's SDK types define it.
struct ResponseStreamEvent: Encodable, Sendable {
    enum Kind: Sendable {
        case lifecycle(type: String, response: ResponseObject)
        case itemAdded(itemID: String, outputIndex: Int)
        case textDelta(itemID: String, outputIndex: Int, delta: String)
        case textDone(itemID: String, outputIndex: Int, text: String)
        case itemDone(outputIndex: Int, item: OutputItem)
    }

    let sequenceNumber: Int
    let kind: Kind

    var type: String {
        switch kind {
        case .lifecycle(let type, _): type
        case .itemAdded: "response.output_item.added"
        case .textDelta: "response.output_text.delta"
        case .textDone: "response.output_text.done"
        case .itemDone: "response.output_item.done"
        }
    }

    var isTextDelta: Bool {
        if case .textDelta = kind { return true }
        return false
    }

    private enum Keys: String, CodingKey {
        case type, response, item, delta, text, logprobs
        case sequenceNumber = "sequence_number"
        case itemID = "item_id"
        case outputIndex = "output_index"
        case contentIndex = "content_index"
    }

    private struct AddedMessage: Encodable {
        let id: String
        let type = "message"
        let status = "in_progress"
        let role = "assistant"
        let content: [String] = []
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(type, forKey: .type)
        try c.encode(sequenceNumber, forKey: .sequenceNumber)
        switch kind {
        case .lifecycle(_, let response):
            try c.encode(response, forKey: .response)
        case .itemAdded(let itemID, let outputIndex):
            try c.encode(outputIndex, forKey: .outputIndex)
            try c.encode(AddedMessage(id: itemID), forKey: .item)
        case .textDelta(let itemID, let outputIndex, let delta):
            try c.encode(itemID, forKey: .itemID)
            try c.encode(outputIndex, forKey: .outputIndex)
            try c.encode(0, forKey: .contentIndex)
            try c.encode(delta, forKey: .delta)
            try c.encode([String](), forKey: .logprobs)
        case .textDone(let itemID, let outputIndex, let text):
            try c.encode(itemID, forKey: .itemID)
            try c.encode(outputIndex, forKey: .outputIndex)
            try c.encode(0, forKey: .contentIndex)
            try c.encode(text, forKey: .text)
            try c.encode([String](), forKey: .logprobs)
        case .itemDone(let outputIndex, let item):
            try c.encode(outputIndex, forKey: .outputIndex)
            try c.encode(item, forKey: .item)
        }
    }
}
