public import Foundation
public import Mantle
public import Tokenizers

/// What a caller asks Longhaul to do with one document; validated by `JobRequest.validated(for:limits:)`
/// before anything is stored.
public struct JobRequest: Sendable, Equatable, Codable {
    public var document: String
    public var instructions: String?
    public var model: String?
    public var maxOutputTokens: Int?
    public var reasoningEffort: ReasoningEffort?
    /// `service_tier` of each call (Responses models only; nil: the endpoint's default).
    public var serviceTier: ServiceTier?
    public var metadata: [String: String]
    public var priority: Int
    public var runAt: Date?
    /// The time after which the result is of no use (opt-in): the job moves ahead of its
    /// project's others as it nears, and ends `failed` with `deadline_exceeded` once it passes.
    /// Like `priority` and `runAt`, it says when, not what: it is not part of the fingerprint, so
    /// a batch resumed with a new `--deadline` finds the jobs it enqueued before.
    public var deadline: Date?
    public var idempotencyKey: String?
    public var webhookURL: String?
    /// Where the document came from (a batch folder's relative path); shown in outputs.
    public var sourcePath: String?
    public var mediaType: String
    /// One call, map-reduce, or whichever fits (nil: `auto`).
    public var strategy: SummaryStrategy?
    /// The model of the map calls of a map-reduce (nil: `model`).
    public var mapModel: String?
    /// `max_output_tokens` of each map call (nil: `max_output_tokens`).
    public var mapMaxOutputTokens: Int?

    public init(
        document: String, instructions: String? = nil, model: String? = nil, maxOutputTokens: Int? = nil,
        reasoningEffort: ReasoningEffort? = nil, metadata: [String: String] = [:], priority: Int = 0,
        runAt: Date? = nil, idempotencyKey: String? = nil, webhookURL: String? = nil, sourcePath: String? = nil,
        mediaType: String = "text/plain", strategy: SummaryStrategy? = nil, mapModel: String? = nil, mapMaxOutputTokens: Int? = nil
    ) {
        self.document = document
        self.instructions = instructions
        self.model = model
        self.maxOutputTokens = maxOutputTokens
        self.reasoningEffort = reasoningEffort
        self.metadata = metadata
        self.priority = priority
        self.runAt = runAt
        self.idempotencyKey = idempotencyKey
        self.webhookURL = webhookURL
        self.sourcePath = sourcePath
        self.mediaType = mediaType
        self.strategy = strategy
        self.mapModel = mapModel
        self.mapMaxOutputTokens = mapMaxOutputTokens
    }
}

/// Mantle's reasoning effort levels (the wire type, shared so there is one list).
public typealias ReasoningEffort = Mantle.ReasoningEffort

/// Mantle's service tiers (the wire type).
public typealias ServiceTier = Mantle.ServiceTier

/// The limits enqueue checks, with Mantle's own where Mantle has one.
public struct JobLimits: Sendable {
    /// Largest document accepted, in UTF-8 bytes: 32 MiB, about 8 million tokens (some 65 map
    /// calls of gpt-oss). A document that does not fit one call is split, so the bound is what one
    /// request, one row and one chunking pass carry comfortably, not a model's window: the text is
    /// held a few times over in memory while it is validated, hashed, stored and chunked.
    public var maxDocumentBytes: Int = 32 << 20
    public var maxInstructionsBytes: Int = 32 << 10
    /// Mantle's floor for `max_output_tokens`.
    public var minOutputTokens: Int = 16
    public var maxOutputTokens: Int = 128_000
    public var defaultOutputTokens: Int = 2_000
    public var defaultInstructions = "Summarise the document in a few short paragraphs. Keep names, figures and dates exact."
    /// Mantle's metadata limits: 16 pairs, keys ≤ 64 characters, values ≤ 512. Longhaul adds
    /// `longhaul_job_id` and `longhaul_attempt` itself, so callers get 14.
    public var maxMetadataPairs: Int = 14
    public var maxMetadataKeyLength: Int = 64
    public var maxMetadataValueLength: Int = 512
    public var maxIdempotencyKeyLength: Int = 255
    public var priorityRange: ClosedRange<Int> = -100...100
    /// Multiplies every model's context window when planning (0 < scale ≤ 1; tests and demos
    /// set it through `LONGHAUL_CONTEXT_WINDOW_SCALE` to cross windows with small documents).
    public var contextWindowScale: Double = 1
    /// Counts gpt-oss and gpt-5 input exactly when set (the `o200k_base` ranks were found); other
    /// models, or none set, are estimated with `ContextBudget.estimateMargin`.
    public var tokenizer: O200kTokenizer? = nil
    /// The project's own windows per model (`ModelLimitStore`), in place of the table's.
    public var modelLimitOverrides: [String: ModelLimitOverride] = [:]
    /// How each model's estimates are calibrated (`ModelLimitStore.calibrations`, kept by the Maintainer): a
    /// document is judged to fit one call on the calibrated count, not the raw estimate with the
    /// 35 % margin, so a calibrated model is not split (a lossy extra pass) for nothing.
    public var calibrations: [String: EstimateCalibration] = [:]

    public init() {}
}

/// A request refused before anything was stored: which field, and why.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request field at fault, e.g. `document`, `metadata.customer`, `max_output_tokens`.
    public var field: String
    /// A machine-readable rule name, e.g. `empty`, `too_large`, `unsupported_model`.
    public var code: String
    public var message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
