import JSONWriting

/// A stream event written by hand (``JSONBytesWritable``), member for member as its `encode(to:)`.
extension ResponseStreamEvent: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        json.object { json in
            json.member("type", type)
            json.member("sequence_number", sequenceNumber)
            switch kind {
            case .lifecycle(_, let response):
                json.member("response", response)
            case .itemAdded(let itemID, let outputIndex):
                json.member("output_index", outputIndex)
                json.objectMember("item") { json in
                    json.member("id", itemID)
                    json.member("type", "message")
                    json.member("status", "in_progress")
                    json.member("role", "assistant")
                    json.emptyArrayMember("content")
                }
            case .textDelta(let itemID, let outputIndex, let text), .textDone(let itemID, let outputIndex, let text):
                json.member("item_id", itemID)
                json.member("output_index", outputIndex)
                json.member("content_index", 0)
                if isTextDelta { json.member("delta", text) } else { json.member("text", text) }
                json.emptyArrayMember("logprobs")
            case .itemDone(let outputIndex, let item):
                json.member("output_index", outputIndex)
                json.member("item", item)
            }
        }
    }

    /// The event as one server-sent event: `event: TYPE`, `data: JSON`, a blank line.
    var serverSentEvent: [UInt8] {
        var json = JSONBytes(capacity: isTextDelta ? 256 : 2048)
        json.raw("event: ")
        json.raw(type)
        json.raw("\ndata: ")
        write(to: &json)
        json.raw("\n\n")
        return json.bytes
    }
}
