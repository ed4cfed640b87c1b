public import Foundation

/// Streamed answers as the three APIs send them, for the decoders and the client's tests.
public enum RecordedStreams {
    /// A Chat Completions stream with `include_usage`: role chunk, content, finish, usage, [DONE].
    public static let chat = """
        data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"qwen.qwen3-32b","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"qwen.qwen3-32b","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"qwen.qwen3-32b","choices":[{"index":0,"delta":{"content":", world"},"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"qwen.qwen3-32b","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}

        data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"qwen.qwen3-32b","choices":[],"usage":{"prompt_tokens":120,"completion_tokens":3,"total_tokens":123,"prompt_tokens_details":{"cached_tokens":100}}}

        data: [DONE]


        """

    /// An Anthropic Messages stream on Mantle, with cache counts and a ping.
    public static let anthropic = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"anthropic.claude-opus-4-7","content":[],"stop_reason":null,"usage":{"input_tokens":50,"cache_read_input_tokens":1000,"cache_creation_input_tokens":20,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type":"ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Bonjour"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" le monde"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":7}}

        event: message_stop
        data: {"type":"message_stop"}


        """

    /// The JSON of each event of `anthropic`, as bedrock-runtime wraps them one per frame.
    public static var anthropicEventJSON: [String] {
        anthropic.split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
    }

    /// `anthropic` as bedrock-runtime sends it: one event-stream frame per event.
    public static var bedrock: Data {
        anthropicEventJSON.reduce(into: Data()) { data, json in
            let payload = #"{"bytes":"\#(Data(json.utf8).base64EncodedString())","p":"abcdefghij"}"#
            data.append(
                EventStreamFrame.encode(
                    headers: [(":event-type", "chunk"), (":content-type", "application/json"), (":message-type", "event")],
                    payload: Data(payload.utf8)))
        }
    }
}

/// Builds AWS event-stream frames (string headers only), as bedrock-runtime does.
public enum EventStreamFrame {
    public static func encode(headers: [(String, String)], payload: Data) -> Data {
        var headerBytes: [UInt8] = []
        for (name, value) in headers {
            headerBytes.append(UInt8(name.utf8.count))
            headerBytes += name.utf8
            headerBytes.append(7)
            headerBytes += bigEndian(UInt16(value.utf8.count))
            headerBytes += value.utf8
        }
        let total = UInt32(12 + headerBytes.count + payload.count + 4)
        var frame = bigEndian(total) + bigEndian(UInt32(headerBytes.count))
        frame += bigEndian(crc32(frame))
        frame += headerBytes
        frame += payload
        frame += bigEndian(crc32(frame))
        return Data(frame)
    }

    /// CRC-32 written apart from the decoder's, so a shared mistake cannot pass both.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
