import Foundation
import LonghaulCore
import Telemetry
package import Tracing

/// What a claim carries to be traced: its job's stored `traceparent`, filled in after the claim.
package protocol TracedClaim: Sendable {
    var id: Int64 { get }
    var traceContext: String? { get set }
    /// The public id logs and spans name (`job_…`, or the delivery's `msg_…`).
    var publicID: String { get }
}

extension ClaimedJob: TracedClaim {}
extension ClaimedPoll: TracedClaim {}
extension ClaimedDelivery: TracedClaim {}

/// The spans of a job's life on the worker's side, each a child of the trace stored with the
/// job: `job.claim`, `job.create` (or `job.stream` for a held stream), `job.background_stream`
/// (a background Response's stream held after its create), `job.poll`, `job.finish` (the
/// terminal write) and `webhook.deliver`. Attributes follow the OpenTelemetry GenAI
/// conventions where they fit. Off (`enabled` false) every entry point is one branch: nothing
/// is read, no span is made (`longhaul-bench tracing-off` times that branch, hence `package`).
package struct JobTracing: Sendable {
    package var enabled: Bool

    package init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Claims with `claim`, then fills in each claim's stored trace context (`lookup`: one query
    /// for the batch) and records a `name` span over the claim for each one that has a trace.
    package func claimed<Claim: TracedClaim>(
        _ name: String, lookup: ([Int64]) async throws -> [Int64: String], claim: () async throws -> [Claim]
    ) async throws -> [Claim] {
        guard enabled else { return try await claim() }
        let started = DefaultTracerClock.now
        let claims = try await claim()
        guard !claims.isEmpty else { return claims }
        let contexts = try await lookup(claims.map(\.id))
        guard !contexts.isEmpty else { return claims }
        return claims.map { claim in
            var claim = claim
            claim.traceContext = contexts[claim.id]
            if let stored = claim.traceContext {
                let span = InstrumentationSystem.tracer.startSpan(
                    name, context: Self.context(stored, publicID: claim.publicID), ofKind: .consumer, at: started)
                span.attributes["longhaul.job.id"] = claim.publicID
                span.end()
            }
            return claim
        }
    }

    /// Runs `body` in a span continuing `stored`; without tracing or a stored trace, runs it bare.
    package func span<T>(
        _ name: String, continuing stored: String?, publicID: String, kind: SpanKind = .client,
        _ body: ((any Span)?) async -> T
    ) async -> T {
        guard enabled, let stored else { return await body(nil) }
        return await withSpan(name, context: Self.context(stored, publicID: publicID), ofKind: kind) { span in
            span.attributes["longhaul.job.id"] = publicID
            return await body(span)
        }
    }

    /// Spans for the terminal writes among `reports`, around `write` (one batch, one transaction).
    func finishing<Outcome>(_ reports: [Reported<Outcome>], ends: (Outcome) -> JobState?, _ write: () async throws -> Void)
        async throws
    {
        guard enabled else { return try await write() }
        let spans: [any Span] = reports.compactMap { report in
            guard let stored = report.traceContext, let state = ends(report.outcome) else { return nil }
            let span = InstrumentationSystem.tracer.startSpan("job.finish", context: Self.context(stored, publicID: nil), ofKind: .internal)
            span.attributes["longhaul.job.state"] = state.rawValue
            span.attributes["longhaul.write.batch_size"] = reports.count
            return span
        }
        do {
            try await write()
            for span in spans { span.end() }
        } catch {
            for span in spans {
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error))
                span.end()
            }
            throw error
        }
    }

    private static func context(_ stored: String, publicID: String?) -> ServiceContext {
        var context = ServiceContext.continuing(stored)
        if let publicID { context.jobPublicID = publicID }
        return context
    }
}

extension Span {
    /// The GenAI attributes of a create or a look: the model asked, and what Mantle answered.
    func recordCall(model: String, maxOutputTokens: Int?) {
        attributes["gen_ai.operation.name"] = "chat"
        attributes["gen_ai.provider.name"] = "aws.bedrock"
        attributes["gen_ai.request.model"] = model
        if let maxOutputTokens { attributes["gen_ai.request.max_tokens"] = maxOutputTokens }
    }

    func recordResult(responseID: String?, _ result: RemoteResult?) {
        if let responseID { attributes["gen_ai.response.id"] = responseID }
        guard let result else { return }
        attributes["longhaul.job.state"] = result.state.rawValue
        if let usage = result.usage {
            attributes["gen_ai.usage.input_tokens"] = usage.inputTokens
            attributes["gen_ai.usage.output_tokens"] = usage.outputTokens
        }
        if let reason = result.incompleteReason { attributes["gen_ai.response.finish_reasons"] = [reason] }
        if let code = result.errorCode {
            attributes["error.type"] = code
            setStatus(SpanStatus(code: .error, message: result.errorMessage))
        }
    }
}

extension SubmissionOutcome {
    /// The state this outcome ends the job in, or nil when the job goes on.
    var endsJob: JobState? {
        switch self {
        case .fail: .failed
        case .finished(_, _, let result, _): result.state
        case .interrupted(_, _, nil, _, _, _, _): .failed
        default: nil
        }
    }

    /// What a create (or held stream) span says of its end.
    func record(on span: (any Span)?) {
        guard let span else { return }
        switch self {
        case .accepted(_, let attempt, let responseID, _, _, _, _):
            span.attributes["longhaul.job.attempt"] = attempt
            span.recordResult(responseID: responseID, nil)
        case .finished(_, let attempt, let result, _):
            span.attributes["longhaul.job.attempt"] = attempt
            span.recordResult(responseID: nil, result)
        case .retry(_, _, _, let error, _), .deferred(_, _, _, let error, _), .held(_, _, let error, _), .fail(_, _, let error, _),
            .split(_, _, _, let error, _), .interrupted(_, _, _, let error, _, _, _):
            span.attributes["error.type"] = error.code
            span.setStatus(SpanStatus(code: .error, message: error.message))
        }
    }
}

extension PollOutcome {
    /// The state this outcome ends the job in, or nil when the job goes on.
    var endsJob: JobState? {
        if case .finished(_, _, let result) = self { return result.state }
        return nil
    }

    /// What a poll span says of what it saw.
    func record(on span: (any Span)?, responseID: String) {
        guard let span else { return }
        switch self {
        case .stillRunning(_, let remoteStatus, _):
            span.recordResult(responseID: responseID, nil)
            span.attributes["longhaul.remote_status"] = remoteStatus
        case .finished(_, _, let result):
            span.recordResult(responseID: responseID, result)
        case .resubmit(_, _, _, let error):
            span.recordResult(responseID: responseID, nil)
            span.attributes["error.type"] = error.code
            span.setStatus(SpanStatus(code: .error, message: error.message))
        case .pollFailed:
            span.recordResult(responseID: responseID, nil)
            span.setStatus(SpanStatus(code: .error, message: "the retrieve call failed; the job is looked at again later"))
        }
    }
}
