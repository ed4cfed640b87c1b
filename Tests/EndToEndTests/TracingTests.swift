import Foundation
import HTTPClient
import Logging
import TestSupport
import Testing

/// One job, one trace, two processes: `longhaul serve` takes the job with the caller's W3C
/// `traceparent`, `longhaul work` (another process, sharing only the database) claims, creates,
/// polls, finishes and announces it, and both export over OTLP/HTTP to a Python receiver that
/// decodes the protobuf with opentelemetry-proto.
@Suite struct TracingTests {
    static let token = "tracing-test-admin-token-0123456789"
    /// The caller's trace and span, as a client instrumented with OpenTelemetry would send them.
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let callerSpanID = "00f067aa0ba902b7"

    @Test func aJobIsOneTraceFromTheAPIThroughAWorkerProcessToItsWebhook() async throws {
        try await TraceReceiver.with { receiver in
            try await TestDatabase.withFreshDatabase(named: "tracing") { database in
                let common = [
                    "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url(), "OTEL_BSP_SCHEDULE_DELAY": "100",
                    "LONGHAUL_ADMIN_TOKEN": Self.token, "LONGHAUL_SIMULATOR_SPEED": "100", "LONGHAUL_WEBHOOK_ALLOW_CIDRS": "127.0.0.0/8",
                ]
                // Without OPENAI_BASE_URL the worker runs the simulator in-process; the API needs no Mantle.
                let unset = ["OPENAI_BASE_URL", "OPENAI_API_KEY", "AWS_BEARER_TOKEN_BEDROCK", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_SDK_DISABLED"]
                try await LonghaulProcess.with(
                    ["serve", "--database-url", database.url, "--port", "0"],
                    environment: common.merging(["OTEL_SERVICE_NAME": "longhaul-api"]) { $1 }, unsetting: unset
                ) { api in
                    let port = try await api.waitForOutput { log in
                        log.firstMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/).map { String($0.1) }
                    }
                    // --max-streams 0: every Response is polled, so the trace shows the polls.
                    try await LonghaulProcess.with(
                        ["work", "--database-url", database.url, "--first-poll", "0", "--min-poll-interval", "0.1", "--max-streams", "0"],
                        environment: common.merging(["OTEL_SERVICE_NAME": "longhaul-worker"]) { $1 }, unsetting: unset
                    ) { worker in
                        let jobID = try await Self.postJob(port: port, webhook: receiver.url("/hook"))
                        let hooks = try await Self.waitFor("the webhook", in: worker) {
                            let hooks = try await receiver.hooks()
                            return hooks.isEmpty ? nil : hooks
                        }
                        let spans = try await Self.waitFor("the worker's last span", in: worker) {
                            let spans = try await receiver.spans()
                            return spans.contains { $0.name == "webhook.deliver" } ? spans : nil
                        }
                        try Self.check(spans, jobID: jobID, webhookTraceparent: hooks[0].traceparent)
                    }
                }
            }
        }
    }

    /// `longhaul batch` on a folder: one trace under the run's root span, every job's spans in it,
    /// and each Response's held stream (background, `stream: true`) a span of its own.
    @Test func aFolderRunIsOneTraceUnderItsRootSpan() async throws {
        try await TraceReceiver.with { receiver in
            try await TestDatabase.withFreshDatabase(named: "tracing_batch") { database in
                let root = try TemporaryFolder(prefix: "longhaul-trace")
                try root.write("docs/a.txt", "The ferry leaves at nine. It crosses the bay in forty minutes and returns at noon.")
                try root.write("docs/b.txt", "The library moved to the old post office. It opens at ten on weekdays.")
                var runner = BatchRunner.inProcessSimulator(database: database.url, speed: 100)
                runner.environment.merge(
                    ["OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url(), "OTEL_BSP_SCHEDULE_DELAY": "100", "OTEL_SERVICE_NAME": "longhaul-batch"]
                ) { $1 }
                let run = try await runner.run([root.path + "/docs"])
                #expect(run.exitCode == 0, "\(run.log)")
                // The exporter sends the last spans before the command exits.
                let spans = try await receiver.spans()
                let batch = try #require(spans.first { $0.name == "longhaul.batch" }, "\(spans.map(\.name))\n\(run.log)")
                #expect(batch.parentSpanId.isEmpty && batch.service == "longhaul-batch")
                #expect(batch.attributes["longhaul.batch.jobs"] == .int(2))
                let jobSpans = spans.filter { $0.attributes["longhaul.job.id"] != nil }
                #expect(Set(jobSpans.compactMap { span -> String? in
                    guard case .string(let id) = span.attributes["longhaul.job.id"] else { return nil }
                    return id
                }).count == 2)
                #expect(jobSpans.allSatisfy { $0.traceId == batch.traceId && $0.parentSpanId == batch.spanId }, "\(jobSpans.map(\.name))")
                let streams = spans.filter { $0.name == "job.background_stream" }
                #expect(streams.count == 2, "each Response's stream is held and traced: \(spans.map(\.name))")
                #expect(streams.allSatisfy { $0.attributes["longhaul.job.state"] == .string("completed") && $0.attributes["gen_ai.response.id"] != nil })
            }
        }
    }

    /// Every span of the job is in the caller's trace, each from the process that did the work.
    static func check(_ spans: [TraceReceiver.ReceivedSpan], jobID: String, webhookTraceparent: String?) throws {
        let trace = spans.filter { $0.traceId == traceID }
        let jobSpans = spans.filter { $0.attributes["longhaul.job.id"] == .string(jobID) }
        #expect(jobSpans.allSatisfy { $0.traceId == traceID }, "every span naming the job is in the caller's trace")

        let request = try #require(trace.first { $0.kind == 2 && $0.attributes["http.request.method"] == .string("POST") }, "\(trace.map(\.name))")
        #expect(request.parentSpanId == callerSpanID, "the request's span continues the caller's traceparent")
        #expect(request.service == "longhaul-api")
        // A first look the worker kept in hand from its create is never claimed (`FirstLooks`):
        // `job.claim_poll` appears only when a later look was, and then in the same trace.
        for name in ["job.claim", "job.create", "job.claim_poll", "job.poll", "job.finish", "webhook.claim", "webhook.deliver"] {
            let named = trace.filter { $0.name == name }
            #expect(!named.isEmpty || name == "job.claim_poll", "a \(name) span in the trace; got \(trace.map(\.name))")
            #expect(named.allSatisfy { $0.service == "longhaul-worker" && $0.parentSpanId == request.spanId }, "\(name) is the worker's, under the request")
        }
        let create = try #require(trace.first { $0.name == "job.create" })
        let responseID = create.attributes["gen_ai.response.id"]
        #expect(create.attributes["gen_ai.request.model"] != nil && responseID != nil, "\(create.attributes)")
        let finished = try #require(trace.first { $0.name == "job.poll" && $0.attributes["longhaul.job.state"] == .string("completed") })
        #expect(finished.attributes["gen_ai.response.id"] == responseID)
        guard case .int(let input) = finished.attributes["gen_ai.usage.input_tokens"], case .int(let output) = finished.attributes["gen_ai.usage.output_tokens"]
        else {
            Issue.record("the finishing poll carries the usage: \(finished.attributes)")
            return
        }
        #expect(input > 0 && output > 0)
        let deliver = try #require(trace.first { $0.name == "webhook.deliver" })
        #expect(webhookTraceparent == "00-\(traceID)-\(deliver.spanId)-01", "the webhook carries the trace, under its delivery span")
    }

    static func postJob(port: String, webhook: String) async throws -> String {
        try await withResource(HTTPClient(logger: Logger(label: "tracing-test")), close: { await $0.shutdown() }) { http in
            let body = #"{"document": "The committee met on Tuesday and approved the budget of 4.2 million.", "webhook_url": "\#(webhook)"}"#
            let response = try await http.send(
                HTTPRequest(
                    method: .post, url: "http://127.0.0.1:\(port)/v1/jobs",
                    headers: [
                        "Authorization": "Bearer \(token)", "Content-Type": "application/json",
                        "traceparent": "00-\(traceID)-\(callerSpanID)-01",
                    ], body: Data(body.utf8)))
            let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
            #expect(response.status == 202, "\(json)")
            return try #require(json["id"] as? String)
        }
    }

    /// Polls `probe` until it gives a value; fails with the worker's log after 60 s.
    static func waitFor<T>(_ what: String, in worker: LonghaulProcess, _ probe: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw LonghaulProcessError("timed out waiting for \(what):\n\(worker.log().suffix(3000))")
    }
}
