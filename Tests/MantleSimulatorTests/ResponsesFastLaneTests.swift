import Foundation
import HTTPTypes
import HummingbirdTesting
import MantleModels
import Testing

@testable import MantleSimulator

/// The fast lane answers a create or a retrieve on the event loop; a request carrying
/// `Connection: close` always goes to Hummingbird's router. The same request sent both ways must
/// get the same answer: status, header names in order, the values that do not name a request, and
/// the body but for its ids and timestamps.
@Suite struct ResponsesFastLaneTests {
    static var zeroLatency: MantleSimulatorConfiguration {
        var configuration = SimulatorHarness.fast
        configuration.zeroLatency = true
        return configuration
    }

    static let create = #"{"model":"openai.gpt-oss-120b","input":"\#(Documents.english)","background":true}"#

    @Test("a create, a stream, a foreground create, a retrieve and each refusal are answered as the router answers them")
    func theLaneAnswersAsTheRouterDoes() async throws {
        try await SimulatorHarness.run(Self.zeroLatency) { sim async throws in
            let port = try #require(sim.client.port)
            let stored = try await sim.create()
            let id = try #require(stored["id"].string)
            let requests: [(String, RawRequest)] = [
                ("background create", .post("/v1/responses", Self.create)),
                (
                    "create under /openai/v1",
                    .post("/openai/v1/responses", Self.create.replacingOccurrences(of: "openai.gpt-oss-120b", with: "openai.gpt-5.4"))
                ),
                (
                    "streamed create",
                    .post(
                        "/v1/responses",
                        Self.create.replacingOccurrences(of: #""background":true"#, with: #""background":true,"stream":true"#))
                ),
                (
                    "foreground create",
                    .post("/v1/responses", Self.create.replacingOccurrences(of: #""background":true"#, with: #""background":false"#))
                ),
                ("retrieve", .get("/v1/responses/\(id)")),
                ("unknown id", .get("/v1/responses/resp_missing")),
                ("no key", .get("/v1/responses/\(id)", key: nil)),
                ("unknown project", .post("/v1/responses", Self.create, project: "nowhere")),
                ("malformed JSON", .post("/v1/responses", #"{"model":"#)),
                (
                    "unknown model",
                    .post("/v1/responses", Self.create.replacingOccurrences(of: "openai.gpt-oss-120b", with: "acme.nothing"))
                ),
                ("model on the wrong path", .post("/openai/v1/responses", Self.create)),
                ("no input", .post("/v1/responses", #"{"model":"openai.gpt-oss-120b","background":true}"#)),
            ]
            for (name, request) in requests {
                let before = sim.engine.counters()
                let lane = try #require(try await RawHTTP.exchange([request, .closing], port: port).first, "\(name): lane")
                let afterLane = sim.engine.counters()
                let router = try #require(try await RawHTTP.exchange([request.closingConnection], port: port).first, "\(name): router")
                let afterRouter = sim.engine.counters()

                #expect(lane.status == router.status, "\(name)")
                #expect(lane.headerNames == router.headerNames.filter { $0 != "connection" }, "\(name)")
                for header in ["content-type", "cache-control", "server", "content-length", "transfer-encoding"] {
                    #expect(lane.headers[header] == router.headers[header], "\(name): \(header)")
                }
                #expect(lane.headers["x-request-id"]?.hasPrefix("req_") == true, "\(name)")
                #expect(lane.headers["date"].flatMap(RawHTTP.parseDate) != nil, "\(name): \(lane.headers["date"] ?? "no date")")
                #expect(RawHTTP.comparable(lane) == RawHTTP.comparable(router), "\(name)")
                // Each way counts the request and the Response it made alike (the lane's exchange
                // ends with a `GET /v1/models`, counted under its own route).
                var laneRequests = RawHTTP.difference(afterLane.requestsByRoute, before.requestsByRoute)
                laneRequests[.models, default: 0] -= 1
                #expect(
                    laneRequests.filter { $0.value != 0 } == RawHTTP.difference(afterRouter.requestsByRoute, afterLane.requestsByRoute),
                    "\(name)")
                #expect(
                    afterLane.responsesCreated - before.responsesCreated == afterRouter.responsesCreated - afterLane.responsesCreated,
                    "\(name)")
            }
        }
    }

    @Test("pipelined requests are answered in order when the router answers one of them")
    func pipelinedRequestsKeepTheirOrder() async throws {
        try await SimulatorHarness.run(Self.zeroLatency) { sim async throws in
            let port = try #require(sim.client.port)
            let answers = try await RawHTTP.exchange(
                [
                    .get("/v1/models"), .get("/v1/responses/resp_first"), .post("/v1/responses", Self.create),
                    .get("/v1/responses/resp_last"), .closing,
                ],
                port: port)
            #expect(answers.map(\.status) == [200, 404, 200, 404, 200])
            #expect(answers[0].json?["object"].string == "list")
            #expect(answers[1].json?["error"]["message"].string == "Response 'resp_first' not found.")
            #expect(answers[2].json?["status"].string == "in_progress")
            #expect(answers[3].json?["error"]["message"].string == "Response 'resp_last' not found.")
        }
    }

    @Test("a create under injected faults or with latency, and a chunked body, go to the router and are answered")
    func whatTheLaneDoesNotTakeIsStillAnswered() async throws {
        var failing = FaultInjectionTests.configuration(.create, .internalServerError)
        failing.zeroLatency = true
        try await SimulatorHarness.run(failing) { sim async throws in
            let port = try #require(sim.client.port)
            let answer = try await RawHTTP.exchange([.post("/v1/responses", Self.create), .closing], port: port)
            #expect(answer.first?.status == 500)
        }
        try await SimulatorHarness.run(SimulatorHarness.fast) { sim async throws in
            let port = try #require(sim.client.port)
            let answers = try await RawHTTP.exchange([.post("/v1/responses", Self.create, chunked: true), .closing], port: port)
            #expect(answers.first?.status == 200)
            #expect(answers.first?.json?["status"].string == "in_progress")
        }
    }

    @Test("the Date header is RFC 9110's IMF-fixdate of the current second")
    func httpDates() {
        var date = HTTPDate()
        #expect(date.value(at: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(date.value(at: 951_868_799.999) == "Tue, 29 Feb 2000 23:59:59 GMT")
        #expect(date.value(at: 1_796_497_518.9) == "Sat, 05 Dec 2026 19:05:18 GMT")
        #expect(date.value(at: 1_796_497_519.0) == "Sat, 05 Dec 2026 19:05:19 GMT")
    }

    @Test("only an exact create or retrieve path is the lane's")
    func routes() {
        #expect(FastRequest.route(method: .post, path: "/v1/responses") == .create(.v1))
        #expect(FastRequest.route(method: .post, path: "/openai/v1/responses") == .create(.openAIV1))
        #expect(FastRequest.route(method: .get, path: "/v1/responses/resp_ab-9") == .retrieve(id: "resp_ab-9"))
        for (method, path) in [
            (HTTPRequestMethod.get, "/v1/responses"), (.post, "/v1/responses/resp_a"), (.get, "/v1/responses/"),
            (.get, "/v1/responses/resp_a?stream=true"), (.get, "/v1/responses/resp_a/"), (.get, "/v1/responses/resp%41"),
            (.post, "/v1/responses/resp_a/cancel"), (.delete, "/v1/responses/resp_a"), (.post, "/v1/responsesx"),
            (.post, "/v1x/responses"), (.post, "/anthropic/v1/responses"), (.post, "/V1/responses"), (.post, "/v1/chat/completions"),
        ] {
            #expect(FastRequest.route(method: method, path: path) == nil, "\(method) \(path)")
        }
    }
}

typealias HTTPRequestMethod = HTTPRequest.Method

/// One request written by hand on a raw socket.
struct RawRequest: Sendable {
    var method: String
    var path: String
    var body: String?
    var key: String? = SimulatorHarness.key
    var project: String?
    var chunked = false
    var closes = false

    static func get(_ path: String, key: String? = SimulatorHarness.key) -> RawRequest {
        RawRequest(method: "GET", path: path, body: nil, key: key)
    }

    static func post(_ path: String, _ body: String, project: String? = nil, chunked: Bool = false) -> RawRequest {
        RawRequest(method: "POST", path: path, body: body, project: project, chunked: chunked)
    }

    /// A last request that asks the server to close once it has answered.
    static var closing: RawRequest {
        var request = get("/v1/models")
        request.closes = true
        return request
    }

    var closingConnection: RawRequest {
        var request = self
        request.closes = true
        return request
    }

    var text: String {
        var lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1"]
        if let key { lines.append("Authorization: Bearer \(key)") }
        if let project { lines.append("OpenAI-Project: \(project)") }
        if closes { lines.append("Connection: close") }
        guard let body else { return lines.joined(separator: "\r\n") + "\r\n\r\n" }
        lines.append("Content-Type: application/json")
        if chunked {
            lines.append("Transfer-Encoding: chunked")
            let size = String(body.utf8.count, radix: 16)
            return lines.joined(separator: "\r\n") + "\r\n\r\n\(size)\r\n\(body)\r\n0\r\n\r\n"
        }
        lines.append("Content-Length: \(body.utf8.count)")
        return lines.joined(separator: "\r\n") + "\r\n\r\n" + body
    }
}

/// An answer read off the raw socket.
struct RawAnswer {
    let status: Int
    /// Lowercased, in the order they came.
    let headerNames: [String]
    let headers: [String: String]
    let body: String

    var json: JSON? { (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])).map(JSON.init) }
}

enum RawHTTP {
    struct Malformed: Error { let detail: String }

    /// Sends `requests` pipelined in one write (the last should close) and reads every answer.
    static func exchange(_ requests: [RawRequest], port: Int) async throws -> [RawAnswer] {
        let raw = try await RawExchange.send(requests.map(\.text).joined(), port: port)
        var rest = raw[...]
        var answers: [RawAnswer] = []
        while !rest.isEmpty { answers.append(try answer(from: &rest)) }
        return answers
    }

    private static func answer(from rest: inout ArraySlice<UInt8>) throws -> RawAnswer {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = rest.indices.first(where: { rest[$0...].starts(with: separator) }) else { throw Malformed(detail: "no head") }
        let head = String(decoding: rest[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        rest = rest[(end + separator.count)...]
        guard let statusText = head.first?.split(separator: " ").dropFirst().first, let status = Int(statusText) else {
            throw Malformed(detail: "status line \(head.first ?? "")")
        }
        var names: [String] = []
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            names.append(name)
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        if let length = headers["content-length"].flatMap(Int.init) {
            body = Array(rest.prefix(length))
            rest = rest.dropFirst(length)
        } else if headers["transfer-encoding"] == "chunked" {
            while true {
                guard let lineEnd = rest.indices.first(where: { rest[$0...].starts(with: Array("\r\n".utf8)) }),
                    let size = Int(String(decoding: rest[..<lineEnd], as: UTF8.self), radix: 16)
                else { throw Malformed(detail: "chunk size") }
                rest = rest[(lineEnd + 2)...]
                body += rest.prefix(size)
                rest = rest.dropFirst(size + 2)
                if size == 0 { break }
            }
        }
        return RawAnswer(status: status, headerNames: names, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    static func difference(_ after: [SimulatorRoute: Int], _ before: [SimulatorRoute: Int]) -> [SimulatorRoute: Int] {
        after.reduce(into: [:]) { result, entry in
            let change = entry.value - before[entry.key, default: 0]
            if change != 0 { result[entry.key] = change }
        }
    }

    static func parseDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text)
    }

    /// The body with what names one request or moment blanked: ids and timestamps, in JSON and in
    /// each event of a stream.
    static func comparable(_ answer: RawAnswer) -> String {
        let pieces: [String] =
            answer.headers["content-type"] == "text/event-stream"
            ? answer.body.components(separatedBy: "\n\n").map { block in
                block.split(separator: "\n").map { line in
                    line.hasPrefix("data: ") ? "data: " + normalized(String(line.dropFirst(6))) : String(line)
                }.joined(separator: "\n")
            }
            : [normalized(answer.body)]
        return pieces.joined(separator: "\n\n")
    }

    private static func normalized(_ json: String) -> String {
        guard let value = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) else { return json }
        func blank(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.reduce(into: [String: Any]()) { result, member in
                    let named = ["id", "item_id", "created_at", "completed_at"].contains(member.key)
                    result[member.key] = named && !(member.value is NSNull) ? "·" : blank(member.value)
                }
            }
            if let array = value as? [Any] { return array.map(blank) }
            return value
        }
        let data = try? JSONSerialization.data(withJSONObject: blank(value), options: [.sortedKeys, .fragmentsAllowed])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? json
    }
}
