public import Foundation
import Hashing
import Postgres
public import Mantle

/// A request that passed validation, with defaults filled in and the figures the queue needs.
public struct ValidatedJob: Sendable, Equatable {
    public var request: JobRequest
    public var model: String
    public var instructions: String
    public var maxOutputTokens: Int
    public var estimatedInputTokens: Int
    /// True when `estimatedInputTokens` is the model's tokenizer's count, false for an estimate.
    public var inputCountedExactly: Bool
    /// Set when the job is split for map-reduce (its document does not fit one call, or the
    /// caller asked for it); nil for one call.
    public var mapReduce: MapReduceSettings?
    /// SHA-256 of the document text (its content address).
    public var documentSHA256: Data
    public var instructionsSHA256: Data
    /// SHA-256 over everything that defines the work: an idempotency key reused with a
    /// different hash is a conflict.
    public var requestSHA256: Data
    /// The W3C `traceparent` of the request that enqueued the job, stored so that the workers
    /// continue its trace; nil when tracing is off. Not part of `requestSHA256`: the same request
    /// sent again under another trace is the same work.
    public var traceContext: String? = nil
    /// The API the project's own entry for the model names (`ModelLimitOverride.api`); nil: the
    /// model table decides. Kept in the job's `params` so that workers route it without a lookup.
    public var api: GenerationAPI? = nil
}

/// Says whether a model can take a background Response; `nil` means yes, otherwise the reason.
public typealias ModelCheck = @Sendable (_ model: String) -> String?

extension JobRequest {
    /// Checks every field and fills in the project's defaults. Each refusal names the field.
    /// `now` is what a deadline must lie after.
    public func validated(
        defaultModel: String, limits: JobLimits = JobLimits(), checkModel: ModelCheck, now: Date = Date()
    ) throws(ValidationError) -> ValidatedJob {
        let documentBytes = document.utf8.count
        guard documentBytes > 0, document.contains(where: { !$0.isWhitespace }) else {
            throw ValidationError(field: "document", code: "empty", message: "the document is empty; send the text to summarise")
        }
        guard documentBytes <= limits.maxDocumentBytes else {
            throw ValidationError(
                field: "document", code: "too_large",
                message: "the document is \(documentBytes) bytes; the limit is \(limits.maxDocumentBytes) bytes")
        }
        if PostgresBindings.containsNUL(document) {
            throw ValidationError(
                field: "document", code: "binary", message: "the document contains NUL characters; send text, not binary data")
        }
        try rejectNULCharacters()
        let instructions = self.instructions ?? limits.defaultInstructions
        guard instructions.utf8.count <= limits.maxInstructionsBytes else {
            throw ValidationError(
                field: "instructions", code: "too_large",
                message: "instructions are \(instructions.utf8.count) bytes; the limit is \(limits.maxInstructionsBytes)")
        }
        let model = (self.model?.isEmpty == false ? self.model : nil) ?? defaultModel
        // A model the project has its own entry for, naming the API, is the project's to vouch for.
        let api = limits.modelLimitOverrides[model]?.api
        if api == nil, let reason = checkModel(model) {
            throw ValidationError(field: "model", code: "unsupported_model", message: reason)
        }
        let maxOutputTokens = self.maxOutputTokens ?? limits.defaultOutputTokens
        guard maxOutputTokens >= limits.minOutputTokens else {
            throw ValidationError(
                field: "max_output_tokens", code: "too_small",
                message: "max_output_tokens is \(maxOutputTokens); Mantle requires at least \(limits.minOutputTokens)")
        }
        guard maxOutputTokens <= limits.maxOutputTokens else {
            throw ValidationError(
                field: "max_output_tokens", code: "too_large",
                message: "max_output_tokens is \(maxOutputTokens); the limit is \(limits.maxOutputTokens)")
        }
        let inputTokens = InputTokenCount(document: document, instructions: instructions, model: model, tokenizer: limits.tokenizer)
        let estimatedInputTokens = inputTokens.tokens
        let mapReduce = try plan(
            model: model, maxOutputTokens: maxOutputTokens, inputTokens: inputTokens, limits: limits, checkModel: checkModel)
        try validateMetadata(limits)
        if let serviceTier, !(api.map { $0 == .responses } ?? MantleModel.capabilities(of: model).supportsResponses) {
            throw ValidationError(
                field: "service_tier", code: "unsupported",
                message:
                    "service_tier '\(serviceTier.rawValue)' applies to models served by the Responses API; '\(model)' is not one; leave service_tier out"
            )
        }
        guard limits.priorityRange.contains(priority) else {
            throw ValidationError(
                field: "priority", code: "out_of_range",
                message:
                    "priority is \(priority); it must be between \(limits.priorityRange.lowerBound) and \(limits.priorityRange.upperBound)")
        }
        try validateDeadline(now: now)
        if let key = idempotencyKey {
            guard !key.isEmpty, key.utf8.count <= limits.maxIdempotencyKeyLength else {
                throw ValidationError(
                    field: "idempotency_key", code: "invalid",
                    message: "the idempotency key must be 1 to \(limits.maxIdempotencyKeyLength) bytes")
            }
        }
        if let webhookURL {
            guard let url = URL(string: webhookURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false
            else {
                throw ValidationError(
                    field: "webhook_url", code: "invalid_url", message: "webhook_url must be an absolute http or https URL")
            }
        }

        let documentSHA256 = Data(SHA256.hash(utf8: document))
        let instructionsSHA256 = Data(SHA256.hash(utf8: instructions))
        var fingerprint = SHA256()
        fingerprint.update(data: documentSHA256)
        fingerprint.update(data: instructionsSHA256)
        var parameters =
            "\(model)\u{0}\(maxOutputTokens)\u{0}\(reasoningEffort?.rawValue ?? "")\u{0}\(webhookURL ?? "")\u{0}\(sourcePath ?? "")"
        if strategy != nil || mapModel != nil || mapMaxOutputTokens != nil {
            parameters += "\u{0}\(strategy?.rawValue ?? "")\u{0}\(mapModel ?? "")\u{0}\(mapMaxOutputTokens.map(String.init) ?? "")"
        }
        // Only when asked, so that fingerprints of requests without a tier stay as they were.
        if let serviceTier { parameters += "\u{0}service_tier=\(serviceTier.rawValue)" }
        fingerprint.update(utf8: parameters)
        for key in metadata.keys.sorted() { fingerprint.update(utf8: "\(key)=\(metadata[key] ?? "")\u{0}") }

        return ValidatedJob(
            request: self, model: model, instructions: instructions, maxOutputTokens: maxOutputTokens,
            estimatedInputTokens: estimatedInputTokens, inputCountedExactly: inputTokens.isExact, mapReduce: mapReduce,
            documentSHA256: documentSHA256, instructionsSHA256: instructionsSHA256,
            requestSHA256: Data(fingerprint.finalize()), api: api)
    }

    /// PostgreSQL stores no NUL character in text or jsonb: a field holding one is refused by name
    /// here, not by the database later.
    private func rejectNULCharacters() throws(ValidationError) {
        var fields: [(String, String?)] = [
            ("instructions", instructions), ("model", model), ("idempotency_key", idempotencyKey),
            ("webhook_url", webhookURL), ("source_path", sourcePath),
        ]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            fields.append(("metadata", key))
            fields.append(("metadata.\(key.replacingOccurrences(of: "\u{0}", with: "\\0"))", value))
        }
        for case let (field, value?) in fields where value.unicodeScalars.contains(where: { $0.value == 0 }) {
            throw ValidationError(field: field, code: "binary", message: "\(field) contains a NUL character; send text")
        }
    }

    /// A deadline lies ahead, and after the time the job may start.
    private func validateDeadline(now: Date) throws(ValidationError) {
        guard let deadline else { return }
        guard deadline > now else {
            throw ValidationError(
                field: "deadline", code: "in_the_past",
                message: "deadline \(deadline.ISO8601Format()) has already passed; give a time in the future, or leave deadline out")
        }
        if let runAt, runAt >= deadline {
            throw ValidationError(
                field: "deadline", code: "before_run_at",
                message: "deadline \(deadline.ISO8601Format()) is not after run_at \(runAt.ISO8601Format()); the job could never run in time")
        }
    }

    private func validateMetadata(_ limits: JobLimits) throws(ValidationError) {
        guard metadata.count <= limits.maxMetadataPairs else {
            throw ValidationError(
                field: "metadata", code: "too_many_keys",
                message: "metadata has \(metadata.count) keys; the limit is \(limits.maxMetadataPairs) (Mantle allows 16, Longhaul uses 2)")
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            guard !key.isEmpty, key.count <= limits.maxMetadataKeyLength else {
                throw ValidationError(
                    field: "metadata", code: "key_too_long",
                    message: "metadata key '\(key.prefix(80))' must be 1 to \(limits.maxMetadataKeyLength) characters")
            }
            guard !key.hasPrefix("longhaul_") else {
                throw ValidationError(
                    field: "metadata.\(key)", code: "reserved", message: "metadata keys starting with 'longhaul_' are reserved")
            }
            guard value.count <= limits.maxMetadataValueLength else {
                throw ValidationError(
                    field: "metadata.\(key)", code: "value_too_long",
                    message: "the value is \(value.count) characters; the limit is \(limits.maxMetadataValueLength)")
            }
        }
    }
}
