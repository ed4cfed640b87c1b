import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing

@testable import MantleSimulator

@Suite struct ResponseLifecycleTests {
    @Test func backgroundCreateRunsToCompletedWithTextAndUsage() async throws {
        // The first Response takes 1,000–2,000 s of real time, so it is in_progress when read back
        // however slow the machine; the second runs at test speed to its end.
        var slow = SimulatorHarness.fast
        slow.speed = 0.001
        try await SimulatorHarness.run(slow) { sim async throws in
            let created = try await sim.create(instructions: "Summarise the document in 2 sentences.")
            let id = try #require(created["id"].string)
            #expect(id.hasPrefix("resp_"))
            #expect(created["status"].string == "in_progress")
            #expect(created["output"].array.isEmpty)
            #expect(created["usage"].isNull)
            #expect(created["completed_at"].isNull)
            #expect(!created.keys.contains("output_text"))

            let running = try JSON(try await sim.get("/v1/responses/\(id)"))
            #expect(running["status"].string == "in_progress")

            sim.engine.replaceConfiguration(SimulatorHarness.fast)
            let finished = try await sim.create(instructions: "Summarise the document in 2 sentences.")
            let done = try await sim.waitTerminal(try #require(finished["id"].string))
            #expect(done["status"].string == "completed")
            #expect(done["completed_at"].int != nil)
            #expect(!done.keys.contains("output_text"))
            let message = try #require(done["output"].array.first { $0["type"].string == "message" })
            #expect(message["id"].string?.hasPrefix("msg_") == true)
            #expect(message["role"].string == "assistant")
            #expect(done.outputText.split(separator: ".").count == 2)
            #expect(done.outputText.contains("lighthouse"))
            let usage = done["usage"]
            let input = try #require(usage["input_tokens"].int)
            let output = try #require(usage["output_tokens"].int)
            #expect(input > Documents.english.utf8.count / 5 && input < Documents.english.utf8.count / 3)
            #expect(usage["input_tokens_details"]["cached_tokens"].int == 0)
            #expect(usage["input_tokens_details"]["cache_write_tokens"].int == 0)
            #expect((usage["output_tokens_details"]["reasoning_tokens"].int ?? 0) > 0)
            #expect(usage["total_tokens"].int == input + output)
        }
    }

    @Test func tokenCountsGrowWithTheText() async throws {
        try await SimulatorHarness.run { sim async throws in
            let short = try await sim.create(input: "One short line.", background: false)
            let long = try await sim.create(input: String(repeating: Documents.english + " ", count: 10), background: false)
            let shortTokens = try #require(short["usage"]["input_tokens"].int)
            let longTokens = try #require(long["usage"]["input_tokens"].int)
            #expect(longTokens > 8 * shortTokens)
        }
    }

    @Test func nonBackgroundCreateAnswersWhenFinished() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.create(background: false)
            #expect(response["status"].string == "completed")
            #expect(response["background"].value as? Bool == false)
            #expect(!response.outputText.isEmpty)
        }
    }

    @Test func cancelInEachState() async throws {
        var configuration = SimulatorHarness.fast
        configuration.speed = 1
        configuration.minimumDurationSeconds = 30
        configuration.maximumDurationSeconds = 30
        try await SimulatorHarness.run(configuration) { sim async throws in
            // Running → cancelled, usage null, output empty; a second cancel returns it unchanged.
            let running = try await sim.create()
            let id = try #require(running["id"].string)
            let cancelled = try JSON(try await sim.post("/v1/responses/\(id)/cancel", ""))
            #expect(cancelled["status"].string == "cancelled")
            #expect(cancelled["usage"].isNull)
            #expect(cancelled["output"].array.isEmpty)
            let again = try JSON(try await sim.post("/v1/responses/\(id)/cancel", ""))
            #expect(again["status"].string == "cancelled")
            #expect(try JSON(try await sim.get("/v1/responses/\(id)"))["status"].string == "cancelled")

            // Finished → returned unchanged.
            var instant = sim.engine.configuration
            instant.zeroLatency = true
            sim.engine.replaceConfiguration(instant)
            let finished = try await sim.create()
            let finishedID = try #require(finished["id"].string)
            #expect(finished["status"].string == "in_progress")  // even at zero latency
            let afterCancel = try JSON(try await sim.post("/v1/responses/\(finishedID)/cancel", ""))
            #expect(afterCancel["status"].string == "completed")
            #expect(!afterCancel.outputText.isEmpty)

            // Unknown → 404.
            let unknown = try await sim.post("/v1/responses/resp_missing/cancel", "")
            #expect(unknown.status == .notFound)
        }
    }

    @Test func smallMaxOutputTokensEndsIncompleteWithPartialText() async throws {
        try await SimulatorHarness.run { sim async throws in
            let full = try await sim.create(background: false)
            let partial = try await sim.create(background: false, maxOutputTokens: 60)
            #expect(partial["status"].string == "incomplete")
            #expect(partial["incomplete_details"]["reason"].string == "max_output_tokens")
            #expect(partial["usage"]["output_tokens"].int == 60)
            #expect(!partial.outputText.isEmpty)
            #expect(full.outputText.hasPrefix(partial.outputText))
            #expect(partial.outputText.count < full.outputText.count)
            let message = partial["output"].array.first { $0["type"].string == "message" }
            #expect(message?["status"].string == "incomplete")

            // Budget spent on reasoning alone: no message at all.
            let starved = try await sim.create(background: false, maxOutputTokens: 16)
            #expect(starved["status"].string == "incomplete")
            #expect(starved.outputText.isEmpty)
            #expect(starved["usage"]["output_tokens_details"]["reasoning_tokens"].int == 16)
        }
    }

    @Test func deleteThenNotFound() async throws {
        try await SimulatorHarness.run { sim async throws in
            let id = try #require(try await sim.create()["id"].string)
            let deleted = try await sim.delete("/v1/responses/\(id)")
            #expect(deleted.status == .ok)
            let body = try JSON(deleted)
            #expect(body["deleted"].value as? Bool == true && body["object"].string == "response" && body["id"].string == id)
            #expect(try await sim.get("/v1/responses/\(id)").status == .notFound)
            #expect(try await sim.delete("/v1/responses/\(id)").status == .notFound)
        }
    }

    @Test func unknownAndForeignIDsAreNotFound() async throws {
        try await SimulatorHarness.run { sim async throws in
            let unknown = try await sim.get("/v1/responses/resp_0000")
            #expect(unknown.status == .notFound)
            let error = try JSON(unknown)["error"]
            #expect(error["message"].string == "Response 'resp_0000' not found.")
            #expect(error["type"].string == "invalid_request_error")
            #expect(error.keys == ["message", "type", "param", "code"])

            let project = try JSON(try await sim.post("/v1/organization/projects", #"{"name":"other"}"#))
            let projectID = try #require(project["id"].string)
            let id = try #require(try await sim.create()["id"].string)
            #expect(try await sim.get("/v1/responses/\(id)", project: projectID).status == .notFound)
            #expect(try await sim.get("/v1/responses/\(id)").status == .ok)
        }
    }

    @Test func previousResponseIDMustExist() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post(
                "/v1/responses",
                #"{"model":"openai.gpt-oss-120b","input":"hi","previous_response_id":"resp_gone"}"#
            )
            #expect(response.status == .notFound)
            #expect(try JSON(response)["error"]["message"].string == "Response 'resp_gone' not found.")
        }
    }
}

/// A background stream at zero latency: every event is due at once and goes out in one write,
/// byte for byte the stream a timed Response sends event by event.
@Suite struct ZeroLatencyStreamTests {
    static let body = #"{"model":"openai.gpt-oss-120b","input":"\#(Documents.english)","background":true,"stream":true}"#

    static func events(_ sim: SimulatorHarness) async throws -> [JSON] {
        SSE.events(try await sim.post("/v1/responses", body)).map { SSE.json($0.data) }
    }

    static func deltas(_ events: [JSON]) -> [String] {
        events.filter { $0["type"].string == "response.output_text.delta" }.compactMap { $0["delta"].string }
    }

    static var zeroLatency: MantleSimulatorConfiguration {
        var configuration = SimulatorHarness.fast
        configuration.zeroLatency = true
        return configuration
    }

    @Test func everyEventArrivesInOrderWithTheWholeText() async throws {
        try await SimulatorHarness.run(Self.zeroLatency) { sim async throws in
            let events = try await Self.events(sim)
            #expect(events.map { $0["sequence_number"].int } == Array(0..<events.count).map { Optional($0) })
            #expect(events.first?["type"].string == "response.created" && events.last?["type"].string == "response.completed")
            #expect(Self.deltas(events).count > 1)
            #expect(Self.deltas(events).joined() == events.last?["response"].outputText)
        }
    }

    /// The cut fault closes the connection right after half the deltas, all of them delivered
    /// first (read from a raw socket: an HTTP client reports the cut body as an error, not as bytes).
    @Test func aCutStreamStopsRightAfterHalfItsDeltas() async throws {
        var cutting = FaultInjectionTests.configuration(.create, .streamCut)
        cutting.zeroLatency = true
        try await SimulatorHarness.run(cutting) { sim async throws in
            let port = try #require(sim.client.port)
            let request = "POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(SimulatorHarness.key)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(Self.body.utf8.count)\r\n\r\n\(Self.body)"
            let raw = String(decoding: try await RawExchange.send(request, port: port), as: UTF8.self)
            let cut = raw.components(separatedBy: "\n\n").compactMap { block in
                block.split(separator: "\n").first { $0.hasPrefix("data: ") }.map { SSE.json(String($0.dropFirst(6))) }
            }
            sim.engine.replaceConfiguration(Self.zeroLatency)
            let whole = try await Self.events(sim)
            #expect(cut.last?["type"].string == "response.output_text.delta")
            #expect(Self.deltas(cut).count == max(1, Self.deltas(whole).count / 2))
            #expect(cut.count < whole.count)
        }
    }
}

/// One request on a fresh connection, and every byte the server sends until it closes: blocking
/// socket calls, on a dispatch queue of their own rather than the cooperative pool.
enum RawExchange {
    struct Failure: Error { let step: String }

    static func send(_ request: String, port: Int) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "raw-exchange").async {
                continuation.resume(with: Result { try exchange(request, port: port) })
            }
        }
    }

    private static func exchange(_ request: String, port: Int) throws -> [UInt8] {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(step: "socket") }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(step: "connect") }
        let bytes = Array(request.utf8)
        guard Glibc.send(socket, bytes, bytes.count, 0) == bytes.count else { throw Failure(step: "send") }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        return received
    }
}
