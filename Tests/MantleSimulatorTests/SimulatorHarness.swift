import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import MantleSimulator

/// A simulator served on a real socket by HummingbirdTesting's live mode, plus its engine so a
/// test can read counters directly.
struct SimulatorHarness: Sendable {
    let client: any TestClientProtocol
    let engine: SimulatorEngine

    static let key = "test-key"

    /// Fast but not instant: Responses take 1–2 ms of real time.
    static let fast = MantleSimulatorConfiguration(speed: 1000, minimumDurationSeconds: 1, maximumDurationSeconds: 2)

    static func run(
        _ configuration: MantleSimulatorConfiguration = fast,
        _ body: @Sendable (SimulatorHarness) async throws -> Void
    ) async throws {
        let engine = SimulatorEngine(configuration: configuration)
        var logger = Logger(label: "simulator-test")
        logger.logLevel = .warning
        let app = buildSimulatorApplication(engine: engine, host: "127.0.0.1", port: 0, logger: logger)
        try await app.test(.live) { client in
            try await body(SimulatorHarness(client: client, engine: engine))
        }
    }

    func headers(project: String?, key: String?) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        if let key { fields[.authorization] = "Bearer \(key)" }
        if let project { fields[.openAIProject] = project }
        return fields
    }

    func post(_ path: String, _ json: String, project: String? = nil, key: String? = key) async throws -> TestResponse {
        try await client.execute(
            uri: path,
            method: .post,
            headers: headers(project: project, key: key),
            body: ByteBuffer(string: json)
        )
    }

    /// A POST with exactly `headers` (plus `Content-Type: application/json`).
    func post(_ path: String, _ json: String, headers: HTTPFields) async throws -> TestResponse {
        var fields = headers
        fields[.contentType] = "application/json"
        return try await client.execute(uri: path, method: .post, headers: fields, body: ByteBuffer(string: json))
    }

    /// The headers Mantle's Messages route wants: the key, `anthropic-version: bedrock-2023-05-31`.
    static func anthropicHeaders(key: String? = key, version: String? = "bedrock-2023-05-31", workspace: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [:]
        if let key { fields[.authorization] = "Bearer \(key)" }
        if let version { fields[HTTPField.Name("anthropic-version")!] = version }
        if let workspace { fields[HTTPField.Name("anthropic-workspace")!] = workspace }
        return fields
    }

    func get(_ path: String, project: String? = nil, key: String? = key) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: headers(project: project, key: key))
    }

    func delete(_ path: String, project: String? = nil) async throws -> TestResponse {
        try await client.execute(uri: path, method: .delete, headers: headers(project: project, key: Self.key))
    }

    /// Creates a Response and returns its JSON object (the request must succeed).
    func create(
        model: String = "openai.gpt-oss-120b",
        input: String = Documents.english,
        instructions: String? = nil,
        background: Bool = true,
        maxOutputTokens: Int? = nil,
        metadata: [String: String] = [:],
        project: String? = nil,
        prefix: String = "/v1"
    ) async throws -> JSON {
        var body: [String: Any] = ["model": model, "input": input, "background": background, "metadata": metadata]
        if let instructions { body["instructions"] = instructions }
        if let maxOutputTokens { body["max_output_tokens"] = maxOutputTokens }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        let response = try await post("\(prefix)/responses", text, project: project)
        try #require(response.status == .ok, "create failed: \(String(buffer: response.body))")
        return try JSON(response)
    }

    /// Polls a Response until it leaves `queued`/`in_progress` (at most 5 s).
    func waitTerminal(_ id: String, project: String? = nil) async throws -> JSON {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let response = try JSON(try await get("/v1/responses/\(id)", project: project))
            let status = response["status"].string
            if status != "in_progress" && status != "queued" { return response }
            try #require(ContinuousClock.now < deadline, "Response \(id) still \(status ?? "?") after 20 s")
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// A parsed JSON value with forgiving subscripts, for assertions.
struct JSON: @unchecked Sendable {
    // Holds only JSONSerialization output (immutable Foundation values), never mutated after init.
    let value: Any?

    init(_ value: Any?) { self.value = value }

    init(_ response: TestResponse) throws {
        value = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView), options: [.fragmentsAllowed])
    }

    subscript(key: String) -> JSON { JSON((value as? [String: Any])?[key]) }
    subscript(index: Int) -> JSON {
        guard let array = value as? [Any], array.indices.contains(index) else { return JSON(nil) }
        return JSON(array[index])
    }

    var string: String? { value as? String }
    var int: Int? { (value as? NSNumber)?.intValue }
    var array: [JSON] { (value as? [Any])?.map(JSON.init) ?? [] }
    var isNull: Bool { value is NSNull }
    var keys: Set<String> { Set((value as? [String: Any])?.keys.map { $0 } ?? []) }

    /// The SDK's `output_text`: every output_text part of every message item, joined.
    var outputText: String {
        self["output"].array.filter { $0["type"].string == "message" }
            .flatMap { $0["content"].array }
            .filter { $0["type"].string == "output_text" }
            .compactMap { $0["text"].string }
            .joined()
    }
}

/// The events of an SSE body: (event name or nil, data), in order.
enum SSE {
    static func events(_ response: TestResponse) -> [(event: String?, data: String)] {
        String(buffer: response.body).components(separatedBy: "\n\n").compactMap { block in
            var event: String?
            var data: [String] = []
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
            }
            return data.isEmpty ? nil : (event, data.joined(separator: "\n"))
        }
    }

    static func json(_ data: String) -> JSON {
        JSON(try? JSONSerialization.jsonObject(with: Data(data.utf8), options: [.fragmentsAllowed]))
    }
}

enum Documents {
    static let english = """
        The lighthouse stood on the northern cliff for two hundred years. Ships used the lighthouse to \
        find the harbour in winter storms. The keeper lit the lamp every evening at sunset. In 1990 the \
        lighthouse lamp was replaced by an automatic light. Tourists now visit the old lighthouse to see \
        the harbour and the sea. A small museum beside the lighthouse tells the story of the keepers.
        """

    static let japanese =
        "東京は日本の首都であり、世界有数の大都市である。東京には多くの企業の本社が集まっている。"
        + "春になると東京の公園では桜が咲き、多くの人が花見を楽しむ。京都は古い寺や神社で知られている。"
        + "東京の交通網は非常に発達しており、電車が数分おきに運行している。大阪は食文化で有名である。"
}
