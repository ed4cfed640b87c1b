import Foundation
import LonghaulCore
import Mantle
import MantleModels
import TestSupport
import Testing
import Tokenizers

@Suite("Enqueue validation names the field and the rule")
struct JobRequestValidationTests {
    let noModelProblem: ModelCheck = { _ in nil }

    func refusal(_ request: JobRequest, checkModel: ModelCheck? = nil) -> ValidationError? {
        do {
            _ = try request.validated(defaultModel: "openai.gpt-oss-120b", checkModel: checkModel ?? noModelProblem)
            return nil
        } catch {
            return error
        }
    }

    @Test("a good request gets the defaults filled in")
    func defaults() throws {
        let job = try JobRequest(document: "A short report.").validated(defaultModel: "openai.gpt-oss-120b", checkModel: noModelProblem)
        #expect(job.model == "openai.gpt-oss-120b")
        #expect(job.maxOutputTokens == 2000)
        #expect(!job.instructions.isEmpty)
        #expect(job.estimatedInputTokens > 0)
    }

    @Test("a service tier is for Responses models only, and it is part of the request's fingerprint")
    func serviceTier() throws {
        var flex = JobRequest(document: "A short report.")
        flex.serviceTier = .flex
        var onChat = flex
        onChat.model = "qwen.qwen3-32b"
        let error = try #require(refusal(onChat))
        #expect(error.field == "service_tier" && error.message.contains("qwen.qwen3-32b"))
        let plain = try JobRequest(document: "A short report.").validated(defaultModel: "openai.gpt-oss-120b", checkModel: noModelProblem)
        let tiered = try flex.validated(defaultModel: "openai.gpt-oss-120b", checkModel: noModelProblem)
        #expect(plain.requestSHA256 != tiered.requestSHA256)
    }

    @Test("a deadline must lie ahead and after run_at, and it does not change the request's fingerprint")
    func deadline() throws {
        let now = Date()
        var past = JobRequest(document: "A short report.")
        past.deadline = now.addingTimeInterval(-1)
        #expect(refusal(past).map { [$0.field, $0.code] } == ["deadline", "in_the_past"])
        var late = JobRequest(document: "A short report.", runAt: now.addingTimeInterval(7200))
        late.deadline = now.addingTimeInterval(3600)
        let error = try #require(refusal(late))
        #expect(error.code == "before_run_at" && error.message.contains("could never run in time"))
        var ahead = JobRequest(document: "A short report.")
        ahead.deadline = now.addingTimeInterval(3600)
        let plain = try JobRequest(document: "A short report.").validated(defaultModel: "openai.gpt-oss-120b", checkModel: noModelProblem)
        // It says when, not what: a batch resumed with a new --deadline finds its jobs again.
        #expect(try ahead.validated(defaultModel: "openai.gpt-oss-120b", checkModel: noModelProblem).requestSHA256 == plain.requestSHA256)
    }

    @Test("empty and whitespace-only documents are refused")
    func emptyDocument() {
        #expect(refusal(JobRequest(document: ""))?.field == "document")
        #expect(refusal(JobRequest(document: " \n\t "))?.code == "empty")
    }

    @Test("oversized documents are refused with the size and the limit")
    func oversizedDocument() throws {
        let error = try #require(refusal(JobRequest(document: String(repeating: "a", count: (32 << 20) + 1))))
        #expect(error.code == "too_large")
        #expect(error.message.contains("33554433"))
    }

    @Test("binary content is refused")
    func binaryDocument() {
        #expect(refusal(JobRequest(document: "abc\u{0}def"))?.code == "binary")
    }

    @Test("max_output_tokens below Mantle's 16 is refused")
    func tooFewOutputTokens() {
        let error = refusal(JobRequest(document: "text", maxOutputTokens: 15))
        #expect(error?.field == "max_output_tokens")
        #expect(error?.message.contains("16") == true)
    }

    @Test("a model without the Responses API is refused with the checker's reason")
    func unsupportedModel() {
        let error = refusal(JobRequest(document: "text", model: "anthropic.claude")) { model in
            model.hasPrefix("anthropic.") ? "the model '\(model)' supports the Messages API only" : nil
        }
        #expect(error?.field == "model")
        #expect(error?.message.contains("Messages API") == true)
    }

    @Test("metadata beyond Mantle's limits is refused, naming the key")
    func metadataLimits() {
        let many = Dictionary(uniqueKeysWithValues: (0..<15).map { ("k\($0)", "v") })
        #expect(refusal(JobRequest(document: "t", metadata: many))?.code == "too_many_keys")
        #expect(refusal(JobRequest(document: "t", metadata: [String(repeating: "k", count: 65): "v"]))?.code == "key_too_long")
        #expect(refusal(JobRequest(document: "t", metadata: ["team": String(repeating: "v", count: 513)]))?.field == "metadata.team")
        #expect(refusal(JobRequest(document: "t", metadata: ["longhaul_job": "x"]))?.code == "reserved")
    }

    @Test("the request fingerprint changes with the work and not otherwise")
    func fingerprint() throws {
        let a = try JobRequest(document: "same", idempotencyKey: "k").validated(defaultModel: "m", checkModel: noModelProblem)
        let b = try JobRequest(document: "same", idempotencyKey: "k").validated(defaultModel: "m", checkModel: noModelProblem)
        let c = try JobRequest(document: "other", idempotencyKey: "k").validated(defaultModel: "m", checkModel: noModelProblem)
        #expect(a.requestSHA256 == b.requestSHA256)
        #expect(a.requestSHA256 != c.requestSHA256)
    }

    @Test("a webhook URL must be absolute http(s)")
    func webhookURL() {
        #expect(refusal(JobRequest(document: "t", webhookURL: "ftp://x/y"))?.field == "webhook_url")
        #expect(refusal(JobRequest(document: "t", webhookURL: "https://hooks.example.com/x")) == nil)
    }
}

@Suite struct JobStrategyTests {
    static func limits(scale: Double) -> JobLimits {
        var limits = JobLimits()
        limits.contextWindowScale = scale
        return limits
    }

    static let long = String(repeating: "The harbour master logged the tide tables every morning at six. ", count: 1_000)

    @Test func singleRefusesWhatDoesNotFitWithTheNumbers() throws {
        let request = JobRequest(document: Self.long, maxOutputTokens: 2_000, strategy: .single)
        do {
            _ = try request.validated(defaultModel: "openai.gpt-oss-120b", limits: Self.limits(scale: 0.1), checkModel: { _ in nil })
            Issue.record("a document of about 16,000 tokens fit a 13,107-token window")
        } catch {
            #expect(error.field == "document")
            #expect(error.code == "context_length_exceeded")
            #expect(error.message.contains("13107-token window"))
            #expect(error.message.contains("max_output_tokens 2000"))
        }
    }

    @Test func autoSplitsOnlyWhatDoesNotFit() throws {
        let short = try JobRequest(document: "A short note.").validated(defaultModel: "openai.gpt-oss-120b", checkModel: { _ in nil })
        #expect(short.mapReduce == nil)
        let long = try JobRequest(document: Self.long).validated(
            defaultModel: "openai.gpt-oss-120b", limits: Self.limits(scale: 0.1), checkModel: { _ in nil })
        #expect(long.mapReduce?.strategy == .auto)
        #expect(long.mapReduce?.contextWindowScale == 0.1)
        let forced = try JobRequest(
            document: "A short note.", strategy: .mapReduce, mapModel: "openai.gpt-oss-20b", mapMaxOutputTokens: 300
        )
        .validated(defaultModel: "openai.gpt-oss-120b", checkModel: { _ in nil })
        #expect(forced.mapReduce == MapReduceSettings(strategy: .mapReduce, mapModel: "openai.gpt-oss-20b", mapMaxOutputTokens: 300))
        #expect(MapReduceSettings(params: forced.mapReduce?.params ?? [:]) == forced.mapReduce)
    }

    @Test("a model whose estimates are calibrated is judged on the calibrated count: no split a document does not need")
    func calibratedFit() throws {
        // Claude (no tokenizer here), a 20,000-token window: 16,000 estimated tokens need
        // 16,000 × 1.35 without history, and 16,000 × 1.0 × 1.10 once 40 calls showed the
        // estimate right; a model that counts 30 % more than estimated needs a split again.
        let model = "anthropic.claude-haiku-4-5"
        func plan(_ calibration: EstimateCalibration?, strategy: SummaryStrategy = .auto) throws(ValidationError) -> MapReduceSettings? {
            var limits = Self.limits(scale: 0.1)
            limits.calibrations = calibration.map { [model: $0] } ?? [:]
            return try JobRequest(document: Self.long, strategy: strategy)
                .validated(defaultModel: model, limits: limits, checkModel: { _ in nil }).mapReduce
        }
        #expect(try plan(nil)?.strategy == .auto, "uncalibrated: split")
        #expect(try plan(EstimateCalibration(factor: 1, margin: 1.1, samples: 40)) == nil, "calibrated: one call")
        #expect(try plan(EstimateCalibration(factor: 1.3, margin: 1.1, samples: 40))?.strategy == .auto, "counts more: split")
        do {
            _ = try plan(EstimateCalibration(factor: 1.3, margin: 1.1, samples: 40), strategy: .single)
            Issue.record("single accepted a document over the calibrated window")
        } catch {
            #expect(error.message.contains("about 20829 tokens (estimated, calibrated on 40 calls of \(model))"), "\(error.message)")
            #expect(error.message.contains("a 10 % margin"), "\(error.message)")
        }
    }

    @Test func mapSettingsAreChecked() {
        let badModel = JobRequest(document: "x", mapModel: "qwen.qwen3-32b")
        #expect(throws: ValidationError.self) {
            try badModel.validated(defaultModel: "openai.gpt-oss-120b", checkModel: { $0.hasPrefix("qwen") ? "no Responses API" : nil })
        }
        let badOutput = JobRequest(document: "x", mapMaxOutputTokens: 8)
        #expect(throws: ValidationError.self) { try badOutput.validated(defaultModel: "openai.gpt-oss-120b", checkModel: { _ in nil }) }
    }

    @Test func gptOSSInputIsCountedWithO200kAndNeedsNoMargin() throws {
        guard let path = o200kRanksPath() else {
            Issue.record(Comment(rawValue: o200kRanksMissing))
            return
        }
        var limits = Self.limits(scale: 1)
        limits.tokenizer = O200kTokenizer(ranks: try BPERanks(contentsOf: path))
        let request = JobRequest(document: "The harbour master logged the tide tables every morning at six.", instructions: "Summarise.")
        let counted = InputTokenCount(
            document: request.document, instructions: "Summarise.", model: "openai.gpt-oss-120b", tokenizer: limits.tokenizer)
        #expect(counted.isExact && counted.tokens == 12 + 4)
        let job = try request.validated(defaultModel: "openai.gpt-oss-120b", limits: limits, checkModel: { _ in nil })
        #expect(job.estimatedInputTokens == 16)
        // Claude's tokenizer is not public: estimated.
        #expect(
            !InputTokenCount(document: "x", instructions: "y", model: "anthropic.claude-haiku-4-5", tokenizer: limits.tokenizer).isExact)
        #expect(
            ContextBudget(limits: ModelLimits.limits(for: "openai.gpt-oss-120b"), exactCount: true).allowedEstimatedInput(
                outputTokens: 2_000) == 129_040)
    }
}
