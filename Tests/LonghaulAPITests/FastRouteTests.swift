import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONReading
import JSONWriting
import Logging
import Mantle
import NIOCore
@_spi(Generated) import OpenAPIRuntime
import TestSupport
import Testing

@testable import LonghaulAPI
@testable import MantleSimulator

/// `POST /v1/jobs` and `POST /v1/batches` served without the generated route's Codable round trip
/// give what the generated route gives: the same body read, the same bytes written, the same
/// answers, and the generated route for every request they are not sure of.
@Suite("POST /v1/jobs and /v1/batches fast paths")
struct FastRouteTests {
    /// The generated route's own reading and writing, with the server's configuration.
    static let converter = Converter(configuration: APIServer.openAPIConfiguration)

    // MARK: Reading the body

    /// Bodies the strict reader must read exactly as the generated decoder does.
    static let readableBodies: [String] = [
        #"{"document":"x"}"#,
        #"""
        {"document":"Line one.\nLine \"two\" / \\ é 日本語 \ud83d\ude00 \u0001","instructions":"Be brief.","model":"openai.gpt-oss-120b",
         "max_output_tokens":512,"reasoning_effort":"high","service_tier":"flex","metadata":{"team":"a/b","é":"日本","Upper":"x"},
         "priority":-100,"run_at":"2026-12-05T10:00:00Z","deadline":"2026-12-06T10:00:00.123+02:00","webhook_url":"https://example.com/hook",
         "project":"alpha","strategy":"map_reduce","map_model":"openai.gpt-oss-20b","map_max_output_tokens":16}
        """#,
        #"{"document":"x","instructions":null,"model":null,"max_output_tokens":null,"metadata":null,"priority":null,"run_at":null}"#,
        #"{"metadata":{},"document":"order does not matter","priority":0}"#,
    ]

    /// Bodies it must leave to the generated route (which reads or refuses them as it decides).
    static let bodiesLeftToTheGeneratedRoute: [String] = [
        #"{"document":"x","colour":"blue"}"#,  // an unknown member: the generated route names it
        #"{"document":"x","priority":5.0}"#,  // a fraction: JSONDecoder's to judge
        #"{"document":"x","max_output_tokens":1e3}"#,  // an exponent
        #"{"document":"x","run_at":"next tuesday"}"#,  // not a date
        #"{"document":"x","reasoning_effort":"extreme"}"#,  // not a known value
        #"{"document":"x","metadata":{"a":1}}"#,  // metadata that is not all strings
        #"{"document":null}"#,
        #"{"model":"openai.gpt-oss-120b"}"#,  // no document
        #"["document"]"#,
        #"{"document":"x","docu\u006dent":"y"}"#,  // an escaped key
    ]

    @Test("the strict reader reads a body as the generated decoder does", arguments: readableBodies)
    func readsAsTheGeneratedDecoder(body: String) async throws {
        let document = try #require(StrictJSON(bytes: Array(body.utf8)))
        let fast = try #require(Components.Schemas.JobCreate(strict: document))
        let generated = try await Self.converter.getRequiredRequestBodyAsJSON(
            Components.Schemas.JobCreate.self, from: HTTPBody(body), transforming: { $0 })
        #expect(fast == generated)
    }

    /// Bytes deleted, doubled or replaced all over the readable bodies: whenever the strict reader
    /// reads one, the generated decoder reads the same (never refuses it).
    @Test("the strict reader never reads a mutated body differently")
    func mutationsNeverReadDifferently() async throws {
        var random = SeededGenerator(seed: 41)
        var strictReads = 0
        for mutated in ByteMutations.of(Self.readableBodies, perBody: 300, using: &random) {
            guard let document = StrictJSON(bytes: mutated), let fast = Components.Schemas.JobCreate(strict: document) else { continue }
            strictReads += 1
            let generated = try? await Self.converter.getRequiredRequestBodyAsJSON(
                Components.Schemas.JobCreate.self, from: HTTPBody(mutated), transforming: { $0 })
            #expect(fast == generated, "\(String(decoding: mutated, as: UTF8.self))")
        }
        // These bodies are mostly keys, which a mutation breaks; about one in six still reads.
        #expect(strictReads > 150)
    }

    @Test("the strict reader leaves a body it is not sure of to the generated route", arguments: bodiesLeftToTheGeneratedRoute)
    func leavesTheRest(body: String) throws {
        guard let document = StrictJSON(bytes: Array(body.utf8)) else { return }  // not even parsed: left alone too
        #expect(Components.Schemas.JobCreate(strict: document) == nil)
    }

    // MARK: Reading a batch

    /// Batch bodies the strict reader must read exactly as the generated decoder does.
    static let readableBatches: [String] = [
        #"{"documents":[{"document":"x"}]}"#,
        #"""
        {"name":"nightly","documents":[{"document":"Line \"one\" / \\ \ud83d\ude00","instructions":"Be brief.","model":"openai.gpt-oss-120b",
          "max_output_tokens":512,"reasoning_effort":"high","service_tier":"flex","metadata":{"k":"v","é":"日本"},"priority":-3,
          "custom_id":"a/b.txt","strategy":"map_reduce","map_model":"openai.gpt-oss-20b","map_max_output_tokens":64},{"document":"two"}],
         "instructions":"All.","model":"m","max_output_tokens":100,"reasoning_effort":"low","service_tier":"default","metadata":{"team":"a/b"},
         "priority":7,"webhook_url":"https://example.com/h","deadline":"2026-12-06T10:00:00.5+01:00","project":"alpha","strategy":"single",
         "map_model":"x","map_max_output_tokens":32,"dry_run":false,"budget":{"max_cost":12,"max_tokens":100000}}
        """#,
        #"{"documents":[{"document":"x","metadata":null,"custom_id":null,"strategy":null}],"budget":null,"dry_run":null,"name":null}"#,
        #"{"budget":{},"dry_run":true,"documents":[{"priority":0,"document":"order does not matter"}]}"#,
    ]

    /// Batch bodies it must leave to the generated route.
    static let batchesLeftToTheGeneratedRoute: [String] = [
        #"{"documents":[{"document":"x","colour":"blue"}]}"#,  // an unknown member of a document
        #"{"documents":[{"document":"x"}],"colour":"blue"}"#,  // of the batch
        #"{"documents":[{"document":"x"}],"budget":{"max_cost":1.5}}"#,  // a fraction: JSONDecoder's to judge
        #"{"documents":[{"document":"x"}],"budget":{"max_cost":1e3}}"#,  // an exponent
        #"{"documents":[{"document":"x"}],"budget":{"max_cost":9007199254740993}}"#,  // more than a Double holds exactly
        #"{"documents":[{"document":"x"}],"budget":{"max_tokens":1,"cap":2}}"#,
        #"{"documents":[{"document":"x"}],"dry_run":"yes"}"#,
        #"{"documents":[{"document":"x"}],"deadline":"tomorrow"}"#,
        #"{"documents":[{"document":"x","service_tier":"turbo"}]}"#,
        #"{"documents":{"document":"x"}}"#,
        #"{"documents":[{"model":"m"}]}"#,  // a document without its text
        #"{"documents":["x"]}"#,
        #"{"name":"no documents"}"#,
    ]

    @Test("the strict reader reads a batch as the generated decoder does", arguments: readableBatches)
    func readsABatchAsTheGeneratedDecoder(body: String) async throws {
        let document = try #require(StrictJSON(bytes: Array(body.utf8)))
        let fast = try #require(Components.Schemas.BatchCreate(strict: document))
        let generated = try await Self.converter.getRequiredRequestBodyAsJSON(
            Components.Schemas.BatchCreate.self, from: HTTPBody(body), transforming: { $0 })
        #expect(fast == generated)
    }

    @Test("the strict reader never reads a mutated batch differently")
    func batchMutationsNeverReadDifferently() async throws {
        var random = SeededGenerator(seed: 43)
        var strictReads = 0
        for mutated in ByteMutations.of(Self.readableBatches, perBody: 300, using: &random) {
            guard let document = StrictJSON(bytes: mutated), let fast = Components.Schemas.BatchCreate(strict: document) else { continue }
            strictReads += 1
            let generated = try? await Self.converter.getRequiredRequestBodyAsJSON(
                Components.Schemas.BatchCreate.self, from: HTTPBody(mutated), transforming: { $0 })
            #expect(fast == generated, "\(String(decoding: mutated, as: UTF8.self))")
        }
        // About one mutation in nine still reads (141 of 1,200 with this seed).
        #expect(strictReads > 100)
    }

    @Test("the strict reader leaves a batch it is not sure of to the generated route", arguments: batchesLeftToTheGeneratedRoute)
    func leavesTheOtherBatches(body: String) throws {
        guard let document = StrictJSON(bytes: Array(body.utf8)) else { return }
        #expect(Components.Schemas.BatchCreate(strict: document) == nil)
    }

    // MARK: Writing the job

    static let date = Date(timeIntervalSince1970: 1_796_387_963.25)

    /// A queued job as a create answers it, and one with every member the schema has.
    static let jobs: [Components.Schemas.Job] = [
        .init(
            id: "job_01", object: .job, project: "default", state: .queued, model: "openai.gpt-oss-120b", attempt: 0,
            maxAttempts: 5, priority: 0, metadata: .init(), createdAt: date),
        .init(
            id: "job_02", object: .job, project: "alpha", batch: "batch_9", state: .completed, remoteStatus: "completed",
            model: "openai.gpt-oss-20b", responseId: "resp_1", attempt: 2, maxAttempts: 3, pollCount: 17, priority: -100,
            sourcePath: "reports/2026/a \"b\".txt",
            metadata: .init(additionalProperties: ["zeta": "1", "alpha": "a/b", "é": "日本", "Upper": "\u{1}", "quote\"": "\\"]),
            createdAt: date, submittedAt: date.addingTimeInterval(0.001), finishedAt: date.addingTimeInterval(61),
            outputText: "A summary with \"quotes\", a \\, a / and a\nnewline; 日本語 😀 \u{7}.",
            usage: .init(inputTokens: 1_000, cachedTokens: 10, outputTokens: 200, reasoningTokens: 50, totalTokens: 1_200),
            incompleteReason: "max_output_tokens", error: .init(code: "server_error", message: "The model failed."),
            waiting: .init(reason: .endpointUnavailable, message: "Mantle answers 503", since: date, nextTryAt: date.addingTimeInterval(30)),
            parent: "job_00",
            split: .init(
                chunks: 14, chunksCompleted: 13, calls: 15,
                levels: [
                    .init(level: 0, jobs: 14, completed: 13, failed: 1, usage: .init(inputTokens: 1, cachedTokens: 0, outputTokens: 2, reasoningTokens: 0, totalTokens: 3)),
                    .init(level: 1, jobs: 1, completed: 0, failed: 0, usage: .init(inputTokens: 0, cachedTokens: 0, outputTokens: 0, reasoningTokens: 0, totalTokens: 0)),
                ]),
            serviceTier: .flex, servedTier: "default", deadline: date.addingTimeInterval(3_600), urgent: true,
            partial: .init(text: "So far…", outputTokens: 12, checkpointedAt: date, ageSeconds: 4)),
        .init(
            id: "job_03", object: .job, project: "beta", state: .running, model: "m", attempt: 1, maxAttempts: 1, priority: 100,
            metadata: .init(additionalProperties: ["k": ""]), createdAt: Date(timeIntervalSince1970: 0),
            waiting: .init(reason: .retrying, message: "", since: Date(timeIntervalSince1970: 0)), urgent: false,
            partial: .init(text: "", checkpointedAt: Date(timeIntervalSince1970: 0), ageSeconds: 0)),
    ]

    /// A job whose every text — keys of its metadata included — is one of the escaping tests.
    static let jobsWithTrickyTexts: [Components.Schemas.Job] = JSONTexts.tricky.map { text in
        .init(
            id: "job_04", object: .job, project: "default", state: .failed, model: text, attempt: 1, maxAttempts: 1, priority: 0,
            sourcePath: text, metadata: .init(additionalProperties: [text: text, "k": text]), createdAt: date, outputText: text,
            error: .init(code: "server_error", message: text))
    }

    @Test("the hand-written job is the generated route's bytes", arguments: jobs + jobsWithTrickyTexts)
    func writesTheGeneratedBytes(job: Components.Schemas.Job) async throws {
        var fields = HTTPFields()
        let body = try Self.converter.setResponseBodyAsJSON(job, headerFields: &fields, contentType: "application/json; charset=utf-8")
        let generated = try await [UInt8](collecting: body, upTo: 1 << 20)
        #expect(String(decoding: job.jsonBytes, as: UTF8.self) == String(decoding: generated, as: UTF8.self))
    }

    // MARK: Which requests take the fast path

    static func request(_ headers: [(String, String)]) -> HTTPRequest {
        var fields = HTTPFields()
        for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/v1/jobs", headerFields: fields)
    }

    @Test("plain JSON requests take the fast path with their idempotency key")
    func plainRequests() {
        typealias Plain = PlainJSONRequest
        #expect(Plain(Self.request([])) == Plain(Self.request([("Content-Type", "application/json")])))
        #expect(Plain(Self.request([]))?.idempotencyKey == nil)
        #expect(Plain(Self.request([("Content-Type", "Application/JSON; charset=UTF-8"), ("Accept", "*/*")])) != nil)
        #expect(Plain(Self.request([("Accept", "application/json")])) != nil)
        #expect(Plain(Self.request([("Idempotency-Key", "order-42_v1.2~x")]))?.idempotencyKey == "order-42_v1.2~x")
        #expect(Plain(Self.request([("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")])) != nil)
    }

    @Test("any other request goes to the generated route", arguments: [
        [("Content-Type", "text/plain")], [("Content-Type", "application/json; charset=latin1")], [("Content-Type", "application/*")],
        [("Accept", "application/*")], [("Accept", "text/html")], [("Accept", "application/json, text/html")],
        [("Idempotency-Key", "a%20b")], [("Idempotency-Key", "a b")], [("Idempotency-Key", "a,b")], [("Idempotency-Key", "ключ")],
        [("traceparent", "00-4bf9%2F-01")],
    ])
    func otherRequests(headers: [(String, String)]) {
        #expect(PlainJSONRequest(Self.request(headers)) == nil)
    }

    @Test("a fast route serves a plain request whose checked body it reads; the generated route gets the rest")
    func whichRouteServes() async throws {
        let route = FastRoute<String>(
            operationID: "test", errors: ErrorMiddleware(logger: Logger(label: "test")),
            generated: { _, _, _ in (HTTPResponse(status: .init(code: 418)), nil) },
            read: { document in try? document.string(document.root) },
            serve: { text, _ in (HTTPResponse(status: text == "fast" ? .ok : .internalServerError), nil) })
        let metadata = ServerRequestMetadata()
        func status(_ body: String?, _ headers: [(String, String)] = []) async throws -> Int {
            let document = body.flatMap { StrictJSON(bytes: Array($0.utf8)) }
            return try await CheckedBody.$document.withValue(document) {
                try await route.respond(Self.request(headers), body: HTTPBody?.none, metadata: metadata).0.status.code
            }
        }
        #expect(try await status(#""fast""#) == 200)
        #expect(try await status(#""fast""#, [("Accept", "text/html")]) == 418, "not a plain request")
        #expect(try await status(#"{"not":"a string"}"#) == 418, "a body the reader leaves")
        #expect(try await status(nil) == 418, "no checked body")
    }

    // MARK: The checked parse

    /// The schema check hands its parse on to the fast routes' operations, and to no route that
    /// does not read it (its body would stay in memory until its request ends).
    @Test("the schema check keeps its parse for POST /v1/jobs and /v1/batches only")
    func parseKeptForTheFastRoutesOnly() async throws {
        let router = Router()
        router.add(middleware: RequestValidationMiddleware(document: try OpenAPIDocument.load()))
        for path in ["/v1/jobs", "/v1/batches", "/v1/projects"] {
            router.post(RouterPath(path)) { _, _ in CheckedBody.document == nil ? "not kept" : "kept" }
        }
        try await Application(router: router).test(.router) { client in
            for (path, body, kept) in [
                ("/v1/jobs", #"{"document":"x"}"#, "kept"), ("/v1/batches", #"{"documents":[{"document":"x"}]}"#, "kept"),
                ("/v1/projects", #"{"slug":"alpha"}"#, "not kept"),
            ] {
                let answer = try await client.execute(uri: path, method: .post, body: ByteBuffer(string: body))
                #expect(String(buffer: answer.body) == kept, "\(path): \(String(buffer: answer.body))")
            }
        }
    }

    // MARK: The answers, end to end

    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    /// The fast path and the generated route (reached with an `Accept` only it reads) answer the
    /// same request alike: a create and its idempotent repeat, byte for byte both ways; refusals
    /// byte for byte.
    @Test("both paths answer alike, on a real database")
    func sameAnswers() async throws {
        let generatedOnly: HTTPFields = [.accept: "application/*"]
        try await APIHarness.run { api in
            let body = #"{"document":"Rivers / lakes. Two sentences.","metadata":{"team":"a/b"},"priority":3}"#
            let created = try await api.send(.post, "/v1/jobs", json: body, headers: [Self.idempotencyKey: "k1"])
            var repeatHeaders = generatedOnly
            repeatHeaders[Self.idempotencyKey] = "k1"
            let repeated = try await api.send(.post, "/v1/jobs", json: body, headers: repeatHeaders)
            #expect(created.status == .accepted && repeated.status == .ok, "\(created.text) \(repeated.text)")
            #expect(created.text == repeated.text)
            #expect(created.headers[.contentType] == repeated.headers[.contentType])

            var otherHeaders = generatedOnly
            otherHeaders[Self.idempotencyKey] = "k2"
            let other = try await api.send(.post, "/v1/jobs", json: body, headers: otherHeaders)
            let otherRepeated = try await api.send(.post, "/v1/jobs", json: body, headers: [Self.idempotencyKey: "k2"])
            #expect(other.status == .accepted && otherRepeated.status == .ok)
            #expect(other.text == otherRepeated.text)

            for refused in [
                #"{"document":"x y","model":"acme.nonexistent-model"}"#, #"{"document":"   "}"#, #"{"document":"x y","project":"nope"}"#,
                #"{"document":"x y","max_output_tokens":3}"#, #"{"document":"x y","metadata":{"longhaul_job_id":"1"}}"#,
            ] {
                let fast = try await api.send(.post, "/v1/jobs", json: refused)
                let generated = try await api.send(.post, "/v1/jobs", json: refused, headers: generatedOnly)
                #expect(fast.status == generated.status && fast.status.code >= 400, "\(fast.text)")
                #expect(fast.text == generated.text)
            }
            #expect(try await api.fixture.count("SELECT count(*) FROM jobs") == 2)
        }
    }

    /// A batch through either path: the same plan for a dry run, byte for byte; the same batch
    /// but for its new ids; the same refusals, byte for byte.
    @Test("both paths answer a batch alike, on a real database")
    func sameBatchAnswers() async throws {
        let generatedOnly: HTTPFields = [.accept: "application/*"]
        try await APIHarness.run { api in
            let documents = #"[{"document":"Rivers / lakes. Two sentences.","custom_id":"a.txt"},{"document":"Hills. And valleys.","priority":2}]"#
            let plan = #"{"dry_run":true,"documents":"# + documents + "}"
            let fastPlan = try await api.send(.post, "/v1/batches", json: plan)
            let generatedPlan = try await api.send(.post, "/v1/batches", json: plan, headers: generatedOnly)
            #expect(fastPlan.status == .ok && generatedPlan.status == .ok, "\(fastPlan.text)")
            #expect(fastPlan.text == generatedPlan.text)
            #expect(fastPlan.headers[.contentType] == generatedPlan.headers[.contentType])

            let batch = #"{"name":"twins","metadata":{"team":"a/b"},"documents":"# + documents + "}"
            let fast = try await api.send(.post, "/v1/batches", json: batch)
            let generated = try await api.send(.post, "/v1/batches", json: batch, headers: generatedOnly)
            #expect(fast.status == .accepted && generated.status == .accepted, "\(fast.text)")
            #expect(fast.headers[.contentType] == generated.headers[.contentType])
            #expect(Self.withoutIDs(fast.text) == Self.withoutIDs(generated.text))

            for refused in [
                #"{"documents":[{"document":"x y","model":"acme.nonexistent-model"}]}"#, #"{"documents":[{"document":"   "}]}"#,
                #"{"project":"nope","documents":[{"document":"x y"}]}"#,
                #"{"documents":[{"document":"a","custom_id":"same"},{"document":"b","custom_id":"same"}]}"#,
            ] {
                let fast = try await api.send(.post, "/v1/batches", json: refused)
                let generated = try await api.send(.post, "/v1/batches", json: refused, headers: generatedOnly)
                #expect(fast.status == generated.status && fast.status.code >= 400, "\(fast.text)")
                #expect(fast.text == generated.text)
            }
            #expect(try await api.fixture.count("SELECT count(*) FROM jobs") == 4)
        }
    }

    /// A created batch's answer with its ids and times blanked, to compare two batches' answers.
    static func withoutIDs(_ text: String) -> String {
        text.replacing(/"(batch|job|bat|msg)_[0-9A-Za-z]+"/, with: "\"id\"")
            .replacing(/"[0-9]{4}-[0-9]{2}-[0-9]{2}T[^"]*"/, with: "\"time\"")
    }
}

