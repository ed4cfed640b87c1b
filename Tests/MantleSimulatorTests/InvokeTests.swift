import Foundation
import HTTPTypes
import Hashing
import HummingbirdTesting
import NIOCore
import Testing

@testable import MantleSimulator

/// bedrock-runtime's InvokeModel routes: the body, the event-stream framing, SigV4 and API keys.
@Suite struct InvokeTests {
    static func body(version: String? = "bedrock-2023-05-31", model: String? = nil, maxTokens: Int = 1024) throws -> String {
        var fields: [String: Any] = [
            "max_tokens": maxTokens, "system": "Summarise the document in 2 sentences.",
            "messages": [["role": "user", "content": Documents.english]],
        ]
        if let version { fields["anthropic_version"] = version }
        if let model { fields["model"] = model }
        return String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
    }

    /// ``body(version:model:maxTokens:)`` for test arguments, which cannot throw.
    static func text(version: String? = "bedrock-2023-05-31", model: String? = nil) -> String {
        (try? body(version: version, model: model)) ?? ""
    }

    static let bearer: HTTPFields = [.authorization: "Bearer bedrock-api-key-test"]

    /// One decoded event-stream message: its string headers and payload, CRCs checked.
    struct Frame {
        let headers: [String: String]
        let payload: [UInt8]
    }

    static func frames(_ bytes: [UInt8]) throws -> [Frame] {
        func u32(_ at: Int) -> UInt32 { bytes[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        var frames: [Frame] = []
        var offset = 0
        while offset < bytes.count {
            let total = Int(u32(offset))
            let headersLength = Int(u32(offset + 4))
            try #require(offset + total <= bytes.count, "frame runs past the body")
            #expect(u32(offset + 8) == CRC32.checksum(bytes[offset..<offset + 8]), "prelude CRC")
            #expect(u32(offset + total - 4) == CRC32.checksum(bytes[offset..<offset + total - 4]), "message CRC")
            var headers: [String: String] = [:]
            var at = offset + 12
            while at < offset + 12 + headersLength {
                let nameLength = Int(bytes[at])
                let name = String(decoding: bytes[at + 1..<at + 1 + nameLength], as: UTF8.self)
                at += 1 + nameLength
                #expect(bytes[at] == 7, "string header")
                let valueLength = Int(bytes[at + 1]) << 8 | Int(bytes[at + 2])
                headers[name] = String(decoding: bytes[at + 3..<at + 3 + valueLength], as: UTF8.self)
                at += 3 + valueLength
            }
            frames.append(Frame(headers: headers, payload: Array(bytes[at..<offset + total - 4])))
            offset += total
        }
        return frames
    }

    /// The Anthropic event inside a `chunk` frame.
    static func event(_ frame: Frame) -> JSON {
        let wrapper = JSON(try? JSONSerialization.jsonObject(with: Data(frame.payload)))
        let inner = wrapper["bytes"].string.flatMap { Data(base64Encoded: $0) } ?? Data()
        return JSON(try? JSONSerialization.jsonObject(with: inner))
    }

    @Test func crc32IsZlibs() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func invokeAnswersAMessageWithTokenHeaders() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post("/model/anthropic.claude-sonnet-4-6/invoke", try Self.body(), headers: Self.bearer)
            #expect(response.status == .ok)
            let json = try JSON(response)
            #expect(json["id"].string?.hasPrefix("msg_bdrk_") == true)
            #expect(json["model"].string == "anthropic.claude-sonnet-4-6")
            #expect(json["stop_reason"].string == "end_turn")
            #expect(
                response.headers[HTTPField.Name("x-amzn-bedrock-output-token-count")!]
                    == json["usage"]["output_tokens"].int.map(String.init))
            #expect(sim.engine.counters().requestsByRoute[.invoke] == 1)
        }
    }

    @Test func streamIsEventStreamFramedAnthropicEventsWithMetrics() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post(
                "/model/us.anthropic.claude-sonnet-4-6/invoke-with-response-stream", try Self.body(maxTokens: 25), headers: Self.bearer)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/vnd.amazon.eventstream")
            let frames = try Self.frames(Array(response.body.readableBytesView))
            #expect(
                frames.allSatisfy {
                    $0.headers == [":event-type": "chunk", ":content-type": "application/json", ":message-type": "event"]
                })
            let events = frames.map(Self.event)
            let types = events.compactMap { $0["type"].string }
            #expect(types.first == "message_start" && types.last == "message_stop")
            #expect(types.contains("content_block_delta") && types.contains("message_delta"))
            let delta = try #require(events.first { $0["type"].string == "message_delta" })
            #expect(delta["delta"]["stop_reason"].string == "max_tokens")
            let metrics = try #require(events.last)["amazon-bedrock-invocationMetrics"]
            #expect(metrics["outputTokenCount"].int == 25)
            #expect(metrics["inputTokenCount"].int == events.first?["message"]["usage"]["input_tokens"].int)
            #expect(sim.engine.counters().generationsCompleted[.invokeStream] == 1)
        }
    }

    @Test(arguments: [
        ("openai.gpt-oss-120b", text(), "The provided model identifier is invalid."),
        (
            "anthropic.claude-opus-4-7", text(version: "2026-10-21"),
            "Malformed input request: anthropic_version must be 'bedrock-2023-05-31' (got '2026-10-21'), please reformat your input and try again."
        ),
        (
            "anthropic.claude-opus-4-7", text(model: "anthropic.claude-opus-4-7"),
            "Malformed input request: extraneous key [model] is not permitted, please reformat your input and try again."
        ),
    ])
    func refusedAsValidationException(_ model: String, _ body: String, _ message: String) async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post("/model/\(model)/invoke", body, headers: Self.bearer)
            #expect(response.status == .badRequest)
            #expect(response.headers[HTTPField.Name("x-amzn-ErrorType")!]?.hasPrefix("ValidationException:") == true)
            #expect(try JSON(response)["message"].string == message)
        }
    }

    /// AWS's SigV4 test suite, `get-vanilla`: the canonical request and signature of a GET of `/`.
    @Test func signatureMatchesAWSsTestVector() {
        let verifier = SigV4Verifier(
            method: "GET", rawPath: "/", rawQuery: nil,
            header: { ["host": "example.amazonaws.com", "x-amz-date": "20150830T123600Z"][$0] }, body: [])
        let canonical = verifier.canonicalRequest(signedHeaders: ["host", "x-amz-date"])
        #expect(
            canonical == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let signature = SigV4Verifier.signature(
            canonicalRequest: canonical, timestamp: "20150830T123600Z", scope: "20150830/us-east-1/service/aws4_request",
            secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", day: "20150830", region: "us-east-1", service: "service")
        #expect(signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(
            SigV4Verifier.encodePath("/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke")
                == "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke")
    }

    @Test func sigV4MustBeWellFormedAndScopedToBedrockInTheRegion() async throws {
        try await SimulatorHarness.run { sim async throws in
            func send(_ authorization: String, date: String = SigV4Verifier.timestamp(Date())) async throws -> TestResponse {
                try await sim.post(
                    "/model/anthropic.claude-opus-4-7/invoke", try Self.body(),
                    headers: [.authorization: authorization, HTTPField.Name("x-amz-date")!: date])
            }
            let day = String(SigV4Verifier.timestamp(Date()).prefix(8))
            let good =
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\(day)/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
            #expect(try await send(good).status == .ok)  // no secret configured: a well-formed signature is enough
            let cases: [(String, String)] = [
                ("AWS4-HMAC-SHA256 Signature=00", "IncompleteSignatureException"),
                (good.replacingOccurrences(of: "/bedrock/", with: "/s3/"), "InvalidSignatureException"),
                (good.replacingOccurrences(of: "/us-east-1/", with: "/eu-west-1/"), "InvalidSignatureException"),
            ]
            for (authorization, exception) in cases {
                let response = try await send(authorization)
                #expect(response.status == .forbidden)
                #expect(response.headers[HTTPField.Name("x-amzn-ErrorType")!]?.hasPrefix(exception + ":") == true, "\(authorization)")
            }
            #expect(try await send(good, date: "20200101T000000Z").status == .forbidden)  // a stale signature has expired
            var configuration = SimulatorHarness.fast
            configuration.awsCredentials = ["AKIDEXAMPLE": "secret"]
            sim.engine.replaceConfiguration(configuration)
            let wrong = try await send(good)  // now the secret is known: Signature=00 does not match
            #expect(wrong.status == .forbidden)
            #expect(try JSON(wrong)["message"].string?.hasPrefix("The request signature we calculated does not match") == true)
        }
    }
}
