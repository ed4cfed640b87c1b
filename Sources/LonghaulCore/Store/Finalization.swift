import Foundation
import JSONWriting
import Postgres

/// How one job ends: its terminal state and what to store with it.
///
/// Written by hand into the finalizer's recordset (``write(to:)``); the `Encodable` conformance
/// is the reference `FinalizationRecordsetTests` holds the hand-written rows to.
struct Finalization: Encodable, Sendable {
    var jobID: Int64
    var attempt: Int?
    var state: JobState
    var remoteStatus: String?
    var outputText: String?
    var inputTokens: Int?
    var cachedTokens: Int?
    var outputTokens: Int?
    var reasoningTokens: Int?
    var totalTokens: Int?
    var incompleteReason: String?
    var errorCode: String?
    var errorMessage: String?
    /// The final Response JSON as Mantle sent it (and as `MantleResponse` decoded it, so valid
    /// JSON). Not encoded with the rest: `FinalizationRecordset` splices it in whole.
    var response: String?

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", attempt, state, remoteStatus = "remote_status", outputText = "output_text"
        case inputTokens = "input_tokens", cachedTokens = "cached_tokens", outputTokens = "output_tokens"
        case reasoningTokens = "reasoning_tokens", totalTokens = "total_tokens", incompleteReason = "incomplete_reason"
        case errorCode = "error_code", errorMessage = "error_message"
    }

    init(
        jobID: Int64, attempt: Int?, state: JobState, remoteStatus: String? = nil, outputText: String? = nil,
        usage: Usage? = nil, incompleteReason: String? = nil, errorCode: String? = nil, errorMessage: String? = nil,
        response: String? = nil
    ) {
        self.jobID = jobID
        self.attempt = attempt
        self.state = state
        self.remoteStatus = remoteStatus
        self.outputText = outputText
        self.inputTokens = usage?.inputTokens
        self.cachedTokens = usage?.cachedTokens
        self.outputTokens = usage?.outputTokens
        self.reasoningTokens = usage?.reasoningTokens
        self.totalTokens = usage?.totalTokens
        self.incompleteReason = incompleteReason
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.response = response
    }
}

extension Finalization: JSONBytesWritable {
    /// Writes the row as `encode(to:)`: absent values left out, `response` not written.
    func write(to json: inout JSONBytes) {
        json.object { writeMembers(to: &$0) }
    }

    /// The row's members, inside an object the caller opened (the recordset adds `response`).
    func writeMembers(to json: inout JSONBytes) {
        json.member("job_id", jobID)
        json.memberIfPresent("attempt", attempt)
        json.member("state", state.rawValue)
        json.memberIfPresent("remote_status", remoteStatus)
        json.memberIfPresent("output_text", outputText)
        json.memberIfPresent("input_tokens", inputTokens)
        json.memberIfPresent("cached_tokens", cachedTokens)
        json.memberIfPresent("output_tokens", outputTokens)
        json.memberIfPresent("reasoning_tokens", reasoningTokens)
        json.memberIfPresent("total_tokens", totalTokens)
        json.memberIfPresent("incomplete_reason", incompleteReason)
        json.memberIfPresent("error_code", errorCode)
        json.memberIfPresent("error_message", errorMessage)
    }
}

/// Which rows a finalizing write may touch: only those still where the writer left them.
enum FinalizationGuard {
    case submittingLeasedBy(String)
    case runningLeasedBy(String)
    case queued
    case submittingWithExpiredLease
    /// A job split for map-reduce, ended by its last merge, a failed child or a cancel.
    case waitingForChildren

    /// A job being submitted, or whose held stream is under way (`running`, `held`, with no
    /// Response to poll): the rows a create's or a stream's outcome may touch. This form finds
    /// them through `jobs_leased`; `submittingOrHoldingRow` checks rows found by id.
    static let submittingOrHolding = "(j.state = 'submitting' OR (j.state = 'running' AND j.held))"

    /// ``submittingOrHolding`` as a guard on rows found by id (see `RowStateGuard`).
    static let submittingOrHoldingRow =
        "(\(RowStateGuard.sql("j", .submitting)) OR (\(RowStateGuard.sql("j", .running)) AND j.held))"

    /// The guard on the rows an ending names by id.
    var sql: String {
        switch self {
        case .submittingLeasedBy, .submittingWithExpiredLease: Self.submittingOrHoldingRow
        case .runningLeasedBy: RowStateGuard.sql("j", .running)
        case .queued: RowStateGuard.sql("j", .queued)
        case .waitingForChildren: RowStateGuard.sql("j", .waitingForChildren)
        }
    }

    var leaseOwner: String? {
        switch self {
        case .submittingLeasedBy(let worker), .runningLeasedBy(let worker): worker
        case .queued, .submittingWithExpiredLease, .waitingForChildren: nil
        }
    }
}

extension FinalizationGuard {
    var isExpiredLease: Bool {
        if case .submittingWithExpiredLease = self { return true }
        return false
    }
}

/// Endings as the finalizer's `jsonb` recordset, each Response spliced in as the JSON object
/// Mantle sent rather than encoded as a string. As a string it was escaped by `JSONEncoder`,
/// unescaped by the server reading the recordset, then parsed again by each `::jsonb` cast (for
/// the stored row and for the service tier priced): three passes over ~1.6 KB a job; spliced,
/// the server parses it once, as part of the recordset. Storing the Response was 40 of the
/// results insert's 63 µs a row (2,000 rows in one statement, PostgreSQL 15).
struct FinalizationRecordset: PostgresEncodable {
    var endings: [Finalization]

    static var postgresType: PostgresDataType { .jsonb }

    /// The endings as a JSON array written by hand in one pass, rather than by `JSONEncoder` a row
    /// at a time (which, with the create body, was 7.5 % of the worker's CPU in
    /// `bench/pipeline.sh 10000 256`). Sized once: ~200 bytes of members a row, plus the texts.
    func postgresText() throws -> String? {
        let textBytes = endings.reduce(0) { $0 + ($1.response?.utf8.count ?? 0) + ($1.outputText?.utf8.count ?? 0) }
        var json = JSONBytes(capacity: 256 * endings.count + textBytes)
        json.array { json in
            for ending in endings {
                json.object { json in
                    ending.writeMembers(to: &json)
                    if let response = ending.response {
                        json.key("response")
                        json.splice(response)
                    }
                }
            }
        }
        return String(decoding: json.bytes, as: UTF8.self)
    }
}
